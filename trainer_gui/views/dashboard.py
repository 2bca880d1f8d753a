"""The Train workspace: five views in splitters (loss and error rate above; weights, mistakes and
confusion below), all showing the moment under the Session's cursor."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from ..state.progress import EvaluationReport

from .confusion_view import ConfusionView
from .error_plot import ErrorPlot
from .loss_plot import LossPlot
from .mistakes_view import MistakesView, link_drill_down
from .weights_view import WeightsView


class Dashboard(QSplitter):
    """Hands each view the part of the cursor's moment it draws; the window decides when
    (RedrawSchedule). Following the run live, the views show its newest moment and evaluation; at
    an earlier moment, the plots mark it with a dashed line and the weights, mistakes and confusion
    are that moment's (its evaluation made off the GUI thread by a MomentEvaluator when the run
    did not make one there).

    Args:
        session: the window's Session (its cursor says which run and moment).
        evaluator: the window's MomentEvaluator.
    """

    def __init__(self, session, evaluator, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent, childrenCollapsible=False)
        self.setObjectName("trainWorkspace")
        self.session, self.evaluator = session, evaluator
        self._missed = set()          # views not drawn while the tab was hidden
        self._drawn_with = None       # (run, data, as_probability) of the last draw asked for
        self.loss_plot, self.error_plot = LossPlot(), ErrorPlot()
        self.weights_view, self.mistakes_view, self.confusion_view = WeightsView(), MistakesView(), ConfusionView()
        top_row = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        top_row.addWidget(self.loss_plot)
        top_row.addWidget(self.error_plot)
        top_row.setSizes([640, 360])
        bottom_row = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        for view in (self.weights_view, self.mistakes_view, self.confusion_view):
            bottom_row.addWidget(view)
        bottom_row.setSizes([330, 300, 330])   # the confusion matrix needs room for three-digit counts
        link_drill_down(self.confusion_view, self.mistakes_view)
        self.addWidget(top_row)
        self.addWidget(bottom_row)
        self.setSizes([420, 480])

    def set_eval_name(self, name: str) -> None:
        for plot in (self.loss_plot, self.error_plot):
            plot.set_eval_name(name)

    def begin_run(self, image_shape, per_class: bool, epochs_planned: int, initial_weights=None) -> None:
        """per_class: the first layer's units are the output classes (softmax, linear regression).
        initial_weights: the first layer's W₀ when the run continues a saved one (see WeightsView)."""
        self.weights_view.set_model(image_shape, per_class, initial_weights)
        for plot in (self.loss_plot, self.error_plot):
            plot.set_epochs_planned(epochs_planned)

    def draw(self, views: set, run, data, as_probability: bool) -> None:
        """Redraw `views` ("plots", "weights", "errors", "confusion", "mistakes": redraw_schedule's
        names) for the cursor's moment of `run` (a TrainingRun or OpenedRun, whose record the
        cursor shows). While another tab is shown the
        views are only noted, and drawn when this tab is shown again: hidden views cost the GUI
        thread (and the training, which shares the GIL) nothing."""
        self._drawn_with = (run, data, as_probability)
        if self.window().isVisible() and not self.isVisible():   # another tab is in front
            self._missed |= set(views)
            return
        self._draw(views, run, data, as_probability)

    def catch_up(self) -> None:
        """Draw what was missed while hidden, now (before an export reads the views)."""
        if self._missed and self._drawn_with is not None:
            views, self._missed = self._missed, set()
            self._draw(views, *self._drawn_with)

    def _draw(self, views: set, run, data, as_probability: bool) -> None:
        cursor, record = self.session.cursor, run.record
        moment = record.at(cursor.step)
        if moment is None:
            return
        line = None if cursor.live else moment.position
        if "plots" in views:
            self.loss_plot.show_history(record.curves)
            self.loss_plot.show_moment(moment.step, line)
        if "weights" in views:
            if run.initial_weights is not None:   # W₀, even when the first moment drawn is later
                self.weights_view.set_initial(run.initial_weights)
            self.weights_view.show_moment(moment, data.class_names)
        if "errors" in views:   # epoch points only: the evaluation pace suits it
            self.error_plot.show_history(record.curves, max(len(data.y_train), len(data.y_eval)))
            self.error_plot.show_moment(moment.step, line)
        if views & {"confusion", "mistakes"}:
            # live, the run's own evaluations (it evaluates at every epoch end and pause); a past
            # moment, or a run that does not train (opened from a file), is evaluated on request
            report = run.latest_evaluation if cursor.live else None
            if report is None and (not cursor.live or not run.active):
                evaluation = self.evaluator.evaluation(record, moment.step, data)
                report = EvaluationReport(evaluation, moment.step) if evaluation is not None else None
            if report is not None:
                names = data.class_names
                if "mistakes" in views:
                    self.mistakes_view.show_evaluation(report, data.X_eval, data.y_eval, data.image_shape,
                                                       data.eval_name, as_probability, names)
                if "confusion" in views:
                    self.confusion_view.show_evaluation(report, data.eval_name, names)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.catch_up()

    def clear(self) -> None:
        self._missed, self._drawn_with = set(), None
        self.loss_plot.clear_history()
        self.error_plot.clear_history()
        self.weights_view.clear_weights()
        self.mistakes_view.clear_evaluation()
        self.confusion_view.clear_evaluation()
        self.mistakes_view.set_cell(None)
        self.confusion_view.select(None)
