"""The five live views in their splitters: loss and error rate above; weights, mistakes, confusion below."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from .confusion_view import ConfusionView
from .error_plot import ErrorPlot
from .loss_plot import LossPlot
from .mistakes_view import MistakesView
from .weights_view import WeightsView


class Dashboard(QSplitter):
    """Hands each view the part of a TrainingRun it draws; the window decides when (RedrawSchedule)."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent, childrenCollapsible=False)
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
        """Redraw `views` ("plots", "weights", "evaluation") from the run's latest reports."""
        if "plots" in views:
            self.loss_plot.show_history(run.history)
        if "weights" in views and run.latest_progress is not None:
            if run.initial_weights is not None:   # the first report's, even if this draw comes later
                self.weights_view.set_initial(run.initial_weights)
            self.weights_view.show_snapshot(run.latest_progress.snapshot, data.class_names)
        if "evaluation" in views:
            # epoch points only: the evaluation pace suits it
            self.error_plot.show_history(run.history, max(len(data.y_train), len(data.y_eval)))
            report = run.latest_evaluation
            if report is not None:
                names = data.class_names
                self.mistakes_view.show_evaluation(report, data.X_eval, data.y_eval, data.image_shape,
                                                   data.eval_name, as_probability, names)
                self.confusion_view.show_evaluation(report, data.eval_name, names)

    def clear(self) -> None:
        self.loss_plot.clear_history()
        self.error_plot.clear_history()
        self.weights_view.clear_weights()
        self.mistakes_view.clear_evaluation()
        self.confusion_view.clear_evaluation()
