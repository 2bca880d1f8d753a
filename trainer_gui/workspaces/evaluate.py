"""The Evaluate workspace: how good the cursor's moment is on the held-out set, class by class,
mistake by mistake, with a confidence threshold, robustness probes and a map of a layer."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ..i18n import translate
from ..state.progress import EvaluationReport
from ..views import class_labels, pt, style_plot
from ..views.confusion_view import COUNTS, SHARES, ConfusionView
from ..views.mistakes_view import MistakesView, link_drill_down
from . import DrawnWhenShown
from .evaluate_probes import MapPanel, RobustnessPanel

CONFIDENT = 0.9     # a mistake at least this sure is a "very confident" one


class PerClassView(pg.PlotWidget):
    """A bar per class: the share of its held-out digits answered right; `accuracies` (k,) float64
    is what is shown (nan for a class with no digits), None before any evaluation."""

    def __init__(self, parent=None):
        super().__init__(parent, enableMenu=False)
        self.setObjectName("perClassView")
        self.plot = self.getPlotItem()
        style_plot(self.plot, translate("Evaluate", "Accuracy per class"), translate("Evaluate", "class"),
                   translate("Evaluate", "right"))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        self.mean_line = self.plot.addLine(y=0, pen=pg.mkPen("#e07b00", width=2, style=Qt.PenStyle.DashLine))
        self.mean_line.hide()
        self.setMinimumHeight(200)
        self.accuracies = None

    def show_accuracies(self, accuracies: np.ndarray, labels: list[str], overall: float) -> None:
        self.accuracies = np.asarray(accuracies, np.float64)
        k = len(accuracies)
        worst = int(np.nanargmin(self.accuracies)) if np.isfinite(self.accuracies).any() else -1
        brushes = ["#b00020" if i == worst else "#1f5fa8" for i in range(k)]
        self.bars.setOpts(x=np.arange(k), height=np.nan_to_num(self.accuracies), width=0.7, brushes=brushes, pen=None)
        step = max(1, k // 20)
        self.plot.getAxis("bottom").setTicks([[(i, labels[i]) for i in range(0, k, step)]])
        self.plot.setXRange(-0.6, k - 0.4, padding=0)
        low = float(np.nanmin(self.accuracies)) if np.isfinite(self.accuracies).any() else 0.0
        self.plot.setYRange(max(0.0, min(low - 0.05, 0.8)), 1.0, padding=0.02)
        self.mean_line.setValue(overall)
        self.mean_line.show()
        self.plot.setTitle(translate("Evaluate", "Accuracy per class (dashed: all, {overall}; red: the hardest, "
                                                 "{worst})").format(overall=f"{overall:.1%}",
                                                                    worst=labels[worst] if worst >= 0 else '–'),
                           size=pt(11), bold=True)

    def clear_accuracies(self) -> None:
        self.accuracies = None
        self.bars.setOpts(x=[], height=[], width=0.7)
        self.mean_line.hide()


class ConfidencePanel(QWidget):
    """"Answer only if at least x% sure": the share of digits answered (coverage) and the accuracy
    on them, and the curve of accuracy against coverage with the threshold's point on it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="confidenceSlider", minimum=0, maximum=99,
                              value=50,
                              toolTip=translate("Evaluate", "The model answers only the digits it is at least this "
                                                            "sure of"))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # ← → stay the run's and the timeline's
        self.label = QLabel(wordWrap=True, objectName="confidenceLabel")
        self.curve_plot = pg.PlotWidget(enableMenu=False)
        self.curve_plot.setObjectName("coverageView")
        plot = self.curve_plot.getPlotItem()
        style_plot(plot, translate("Evaluate", "Accuracy against coverage"),
                   translate("Evaluate", "share of digits answered"), translate("Evaluate", "accuracy on them"))
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        self.curve = plot.plot(pen=pg.mkPen("#1f5fa8", width=2))
        self.point = plot.plot(pen=None, symbol="o", symbolSize=11, symbolBrush="#e07b00", symbolPen=None)
        self.curve_plot.setMinimumHeight(200)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Evaluate", "Answer only if at least")))
        top.addWidget(self.slider, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.label)
        layout.addWidget(self.curve_plot, 1)
        self.slider.valueChanged.connect(self._draw_point)
        self._evaluation = self._y = None
        self.shown = None   # (threshold, coverage, accuracy) on screen

    @property
    def threshold(self) -> float:
        return self.slider.value() / 100

    def show_evaluation(self, evaluation, y, as_probability: bool) -> None:
        self._evaluation, self._y = evaluation, y
        self.slider.setEnabled(as_probability)
        if not as_probability:
            self.curve.setData([], [])
            self.point.setData([], [])
            self.shown = None
            self.label.setText(translate("Evaluate", "This model's outputs are values, not probabilities (linear "
                                                     "regression): it has no confidence to set a threshold on."))
            return
        coverage, accuracy = evaluation.coverage_curve(y)
        self.curve.setData(coverage, accuracy)
        self._draw_point()

    def _draw_point(self) -> None:
        if self._evaluation is None or not self.slider.isEnabled():
            return
        coverage, accuracy = self._evaluation.answered(self._y, self.threshold)
        self.shown = (self.threshold, coverage, accuracy)
        self.point.setData([coverage], [accuracy if np.isfinite(accuracy) else 1.0])
        answered = int(round(coverage * len(self._y)))
        right = translate("Evaluate", "{accuracy} of those right.").format(accuracy=f"{accuracy:.2%}") \
            if np.isfinite(accuracy) else translate("Evaluate", "none to judge.")
        self.label.setText(translate("Evaluate", "At least {sure}% sure: it answers {coverage} of the digits "
                                                 "({answered} of {total}) and gets {right} Answering all: {all}.")
                           .format(sure=self.slider.value(), coverage=f"{coverage:.1%}", answered=f"{answered:,}",
                                   total=f"{len(self._y):,}", right=right, all=f"{self._evaluation.accuracy:.2%}"))

    def clear(self) -> None:
        self._evaluation = self.shown = None
        self.curve.setData([], [])
        self.point.setData([], [])
        self.label.setText("")


class EvaluateWorkspace(DrawnWhenShown, QWidget):
    """The held-out evaluation of the cursor's moment (live: the run's newest), in detail.

    Args:
        session: the window's Session; evaluator: its MomentEvaluator (evaluations of past moments,
            made off the GUI thread). `shown_step` is the step whose evaluation is on screen.
    """

    def __init__(self, session, evaluator, parent=None):
        super().__init__(parent)
        self.setObjectName("evaluateWorkspace")
        self.session, self.evaluator = session, evaluator
        self.shown_step = None
        self._staged_step, self._parts, self._stages = None, [], 0   # a draw under way (see _stage)
        self.accuracy_label = QLabel("–", objectName="evalAccuracy")
        self.accuracy_label.setStyleSheet("font-size: 30pt; font-weight: bold; color: #1f5fa8;")
        self.summary_label = QLabel(wordWrap=True, objectName="evalSummary")
        self.per_class = PerClassView()
        self.confusion_view = ConfusionView()
        self.confusion_view.setObjectName("evalConfusionView")
        self.confusion_view.setMinimumHeight(340)
        self.mode_combo = QComboBox(objectName="confusionMode")
        self.mode_combo.addItem(translate("Evaluate", "counts"), COUNTS)
        self.mode_combo.addItem(translate("Evaluate", "% of the true class"), SHARES)
        self.mode_combo.currentIndexChanged.connect(lambda: self.confusion_view.set_mode(self.mode_combo.currentData()))
        self.mistakes_view = MistakesView()
        self.mistakes_view.setObjectName("evalMistakesView")
        link_drill_down(self.confusion_view, self.mistakes_view)
        self.confidence = ConfidencePanel()
        self.robustness = RobustnessPanel(session)
        self.map_panel = MapPanel(session)
        self._build_layout()
        session.cursor.changed.connect(self._on_cursor_changed)
        session.data_changed.connect(self._on_data_changed)
        evaluator.ready.connect(self._on_moment_evaluated)

    def _build_layout(self) -> None:
        summary = QVBoxLayout()
        summary.addWidget(QLabel(translate("Evaluate", "Held-out accuracy"), objectName="viewTitle"))
        summary.addWidget(self.accuracy_label)
        summary.addWidget(self.summary_label)
        summary.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(summary, 1)
        top.addWidget(self.per_class, 2)
        matrix_box = QGroupBox(translate("Evaluate", "Confusion matrix: click a cell to see its digits"))
        matrix_layout = QVBoxLayout(matrix_box)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel(translate("Evaluate", "Numbers:")))
        mode_row.addWidget(self.mode_combo)
        mode_row.addStretch(1)
        matrix_layout.addLayout(mode_row)
        matrix_layout.addWidget(self.confusion_view, 1)
        middle = QHBoxLayout()
        middle.addWidget(matrix_box, 1)
        middle.addWidget(self.mistakes_view, 1)
        confidence_box = QGroupBox(translate("Evaluate", "Confidence threshold"))
        QVBoxLayout(confidence_box).addWidget(self.confidence)
        robustness_box = QGroupBox(translate("Evaluate", "Robustness: accuracy on spoiled digits"))
        QVBoxLayout(robustness_box).addWidget(self.robustness)
        map_box = QGroupBox(translate("Evaluate", "Map of a layer: PCA of its activations"))
        QVBoxLayout(map_box).addWidget(self.map_panel)
        lower = QGridLayout()
        lower.addWidget(confidence_box, 0, 0)
        lower.addWidget(map_box, 0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle)
        layout.addLayout(lower)
        layout.addWidget(robustness_box)
        layout.addStretch(1)

    # --- following the session -------------------------------------------------------------------
    def catch_up(self) -> None:
        super().catch_up()
        self.map_panel.catch_up()
        self.robustness.catch_up()

    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self.follow_run(self.session.cursor.run, "evaluated", self._on_run_evaluated)
            self.clear()
        if names & {"run", "step"}:
            self.refresh()

    def _on_run_evaluated(self, step: int) -> None:
        if self.session.cursor.live:
            self.refresh()

    def _on_moment_evaluated(self, record, step: int) -> None:
        if record is self.session.cursor.run:
            self.refresh()

    def _on_data_changed(self) -> None:
        self.clear()
        self.refresh()

    def target(self):
        """(step, Evaluation or None) to show: the cursor's moment, or live the run's newest
        evaluation (None while it is being made)."""
        record, data = self.session.cursor.run, self.session.data
        if record is None or data is None or not len(record):
            return None, None
        if self.session.cursor.live:
            step, evaluation = record.latest_evaluation()
            if evaluation is not None:
                return step, evaluation
        step = record.moment_step(self.session.cursor.step)
        return step, self.evaluator.evaluation(record, step, data)

    def draw(self) -> None:
        step, evaluation = self.target()
        if evaluation is None:
            if step is None:
                self.clear()
                self.summary_label.setText(translate("Evaluate", "Train a run (or open a model) to evaluate it here."))
            else:
                self.summary_label.setText(translate("Evaluate", "Evaluating step {step} on the held-out set…")
                                           .format(step=f"{step:,}"))
            return
        drawing = self._staged_step if self._staged_step is not None else self.shown_step
        if step == drawing:   # on screen, or being drawn (a newer moment than shown_step replaces it)
            return
        record, data = self.session.cursor.run, self.session.data
        config = record.model_config
        # softmax probabilities, or sigmoid outputs (each a probability of its own); else values
        as_probability = config.loss_name() == "softmax_ce" or (config.kind == "mlp" and config.output == "sigmoid")
        labels = class_labels(data.class_names, len(evaluation.confusion))
        n = len(data.y_eval)
        wrong = len(evaluation.misclassified.indices)
        moment = record.at(step)
        self.accuracy_label.setText(f"{evaluation.accuracy:.2%}")
        sure = translate("Evaluate", "; {count} of them at least {share} sure; average confidence {mean}").format(
            count=f"{evaluation.confident_errors(CONFIDENT):,}", share=f"{CONFIDENT:.0%}",
            mean=f"{evaluation.mean_confidence:.1%}") if as_probability else ""
        self.summary_label.setText(translate("Evaluate", "on the {n} {split} digits at epoch {epoch} (step {step}). "
                                                         "Loss {loss}; {wrong} wrong{sure}.")
                                   .format(n=f"{n:,}", split=translate("Views", data.eval_name),
                                           epoch=f"{moment.position:.2f}", step=f"{step:,}",
                                           loss=f"{evaluation.loss:.4g}", wrong=f"{wrong:,}", sure=sure))
        report = EvaluationReport(evaluation, step)
        # each part in its own turn of the event loop: the window answers between them (a moment's
        # draw and the paints it causes, all at once, held the GUI thread for 50 ms and more)
        self._stage(step, [
            lambda: self.per_class.show_accuracies(evaluation.accuracy_per_class(), labels, evaluation.accuracy),
            lambda: self.confusion_view.show_evaluation(report, data.eval_name, data.class_names),
            lambda: self.mistakes_view.show_evaluation(report, data.X_eval, data.y_eval, data.image_shape,
                                                       data.eval_name, as_probability, data.class_names),
            lambda: self.confidence.show_evaluation(evaluation, data.y_eval, as_probability),
            lambda: self.robustness.show_moment(record, step),
            lambda: self.map_panel.show_moment(record, step)])

    def _stage(self, step: int, parts) -> None:
        """Draw `parts` one per turn of the event loop; `shown_step` becomes `step` when all are
        drawn. A newer draw (or clear) drops the parts of an older one not drawn yet."""
        self._staged_step, self._parts = step, list(parts)
        self._stages += 1
        self._next_part(self._stages)

    def _next_part(self, stage: int) -> None:
        if stage != self._stages or not self._parts:
            return
        self._parts.pop(0)()
        if self._parts:   # (with self as context: no call reaches a deleted tab)
            QTimer.singleShot(0, self, lambda: self._next_part(stage))
        else:
            self.shown_step, self._staged_step = self._staged_step, None

    def clear(self) -> None:
        self.shown_step = self._staged_step = None
        self._parts = []
        self._stages += 1
        self.accuracy_label.setText("–")
        self.summary_label.setText("")
        self.per_class.clear_accuracies()
        self.confusion_view.clear_evaluation()
        self.confusion_view.select(None)
        self.mistakes_view.clear_evaluation()
        self.mistakes_view.set_cell(None)
        self.confidence.clear()
        self.robustness.clear()
        self.map_panel.clear()
