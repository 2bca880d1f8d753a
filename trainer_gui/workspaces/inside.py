"""The Inside workspace: draw a digit (or take a held-out one) and watch the network answer."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from engine.preprocess import as_mnist_input

from ..i18n import translate
from ..state.answer import answer
from ..state.record import model_of
from ..views.draw_pad import DrawPad
from ..views.network_view import NetworkView
from ..views.neuron_lab import NeuronLab, PanelTabs
from ..views.probability_view import ProbabilityView
from ..views.softmax_table import SoftmaxTable
from ..views.unit_view import UnitView
from . import DrawnWhenShown

ANSWER_DELAY_MS = 50     # drawing answers at most this often


@dataclass(frozen=True)
class InsideContext:
    """What the panels of the Inside workspace show: one input through one moment's model.

    answer: the state.answer.Answer (the input x, each layer's output, logits, probabilities).
    model: the engine MLP of the moment (its arrays are the record's, read-only: copy to edit).
    moment: the recorded Moment; record: its RunRecord; data: the TrainingData (held-out set,
    class names); session: the window's Session (its cursor's layer and unit are the selection).
    """
    answer: object
    model: object
    moment: object
    record: object
    data: object
    session: object


class _RowsLayout(QVBoxLayout):
    """The workspace's rows, sized by their own minimums rather than by word-wrapped labels' height
    for a width: in a scroll area those would ask for far more height than the rows need, pushing
    the lower row below the fold."""

    def hasHeightForWidth(self) -> bool:
        return False


class InputView(pg.GraphicsLayoutWidget):
    """The input the network reads, as an image (28×28 for MNIST)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("inputView")
        self.setMinimumSize(120, 120)
        self.box = self.addViewBox(lockAspect=True, enableMouse=False, invertY=True, enableMenu=False)
        self.image = pg.ImageItem()
        self.box.addItem(self.image)
        self.shown = None   # (rows, cols) float32 in [0, 1], or None

    def show_input(self, x, shape) -> None:
        self.shown = np.asarray(x, np.float32).reshape(shape)
        self.image.setImage(self.shown, levels=(0, 1), autoLevels=False)
        self.box.setRange(xRange=(0, shape[1]), yRange=(0, shape[0]), padding=0)

    def show_nothing(self) -> None:
        self.shown = None
        self.image.clear()


class InsideWorkspace(DrawnWhenShown, QWidget):
    """The answer of the cursor's moment to the input on the draw pad, as training runs and the
    timeline moves. A drawing is turned into the network's input as MNIST's digits were made
    (engine.preprocess_drawing); a held-out digit is read as it is.

    Args:
        session: the window's Session: its data, and the cursor's run, moment and `index` (the
            held-out digit selected anywhere in the app, which this workspace puts on the pad).
    """

    def __init__(self, session, evaluator=None, parent=None):
        super().__init__(parent)
        self.setObjectName("insideWorkspace")
        self.session = session
        self.pad = DrawPad()
        self.input_view = InputView()
        self.probability_view = ProbabilityView()
        self.seen_label = QLabel(translate("Inside", "What the network sees"), objectName="viewTitle", wordWrap=True)
        self.answer_label = QLabel(translate("Inside", "Its answer"), objectName="viewTitle", wordWrap=True)
        self.source_label = QLabel(wordWrap=True)
        self._build_controls()
        self._build_layout()
        self.network_view = NetworkView(session)
        self.add_panel(self.network_view, 2)
        self.unit_view = UnitView(session)
        self.add_panel(self.unit_view, 2)
        self.softmax_table, self.neuron_lab = SoftmaxTable(), NeuronLab()
        self.add_panel(PanelTabs([(self.softmax_table, translate("Inside", "Softmax"),
                                   translate("Inside", "The softmax, number by number")),
                                  (self.neuron_lab, translate("Inside", "Neuron lab"),
                                   translate("Inside", "Edit a copy of the model"))]), 2)
        self.evaluator = evaluator   # the window's MomentEvaluator: the mistakes of any moment
        self._wants_mistake = False  # Next mistake waits for its moment's evaluation
        self._model_key = self._model = None    # (record, step) of the model cached for answering
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=ANSWER_DELAY_MS, timeout=self.refresh)
        self._rng = np.random.default_rng()
        self.pad.changed.connect(self._schedule)
        if evaluator is not None:
            evaluator.ready.connect(self._on_moment_evaluated)
        session.cursor.changed.connect(self._on_cursor_changed)
        session.data_changed.connect(self._on_data_changed)

    # --- layout --------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.clear_button = QPushButton(translate("Inside", "Clear"), objectName="clearPadButton")
        self.undo_button = QPushButton(translate("Inside", "Undo"), objectName="undoStrokeButton",
                                       toolTip=translate("Inside", "Remove the last stroke"))
        self.brush_spin = QSpinBox(objectName="brushSpin", minimum=4, maximum=60, value=self.pad.brush,
                                   suffix=" px", toolTip=translate("Inside", "Thickness of the pen, on a 280 px canvas"))
        self.random_button = QPushButton(translate("Inside", "Random"), objectName="randomDigitButton",
                                         toolTip=translate("Inside", "A random digit of the held-out set"))
        self.mistake_button = QPushButton(translate("Inside", "Next mistake"), objectName="nextMistakeButton",
                                          toolTip=translate("Inside", "The next held-out digit this moment's model "
                                                                      "gets wrong"))
        for button in (self.clear_button, self.undo_button, self.random_button, self.mistake_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space stays the run's pause
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.brush_spin.valueChanged.connect(lambda width: setattr(self.pad, "brush", width))
        self.random_button.clicked.connect(self.take_random)
        self.mistake_button.clicked.connect(self.take_next_mistake)

    def _build_layout(self) -> None:
        pad_box = QGroupBox(translate("Inside", "Draw pad"))
        pad_layout = QVBoxLayout(pad_box)
        pad_layout.addWidget(self.pad, 1)
        tools = QHBoxLayout()
        for widget in (self.clear_button, self.undo_button, QLabel(translate("Inside", "Pen")), self.brush_spin):
            tools.addWidget(widget)
        pad_layout.addLayout(tools)
        digits = QHBoxLayout()
        for widget in (QLabel(translate("Inside", "Held-out digit:")), self.random_button, self.mistake_button):
            digits.addWidget(widget)
        pad_layout.addLayout(digits)
        pad_layout.addWidget(self.source_label)
        seen = QVBoxLayout()
        seen.addWidget(self.seen_label)
        seen.addWidget(self.input_view, 1)
        answer_column = QVBoxLayout()
        answer_column.addWidget(self.answer_label)
        answer_column.addWidget(self.probability_view, 1)
        top = QGridLayout()
        top.addWidget(pad_box, 0, 0)
        top.addLayout(seen, 0, 1)
        top.addLayout(answer_column, 0, 2)
        top.setColumnStretch(0, 3)
        top.setColumnStretch(1, 2)
        top.setColumnStretch(2, 3)
        # the panels below the answer: each has show_context(InsideContext) and show_nothing(why)
        self.panels = []
        self.lower = QHBoxLayout()
        self.rows = _RowsLayout(self)
        self.rows.addLayout(top, 1)
        self.rows.addLayout(self.lower, 1)

    def add_panel(self, panel, stretch: int = 1) -> None:
        """A panel of the lower row, given each answer (see InsideContext)."""
        self.panels.append(panel)
        self.lower.addWidget(panel, stretch)

    # --- inputs --------------------------------------------------------------------------------
    def take_random(self) -> None:
        data = self.session.data
        if data is not None:
            self.session.cursor.set(index=int(self._rng.integers(len(data.y_eval))))

    def take_next_mistake(self) -> None:
        """The next held-out digit (after the selected one) that the moment's model gets wrong."""
        record, data = self.session.cursor.run, self.session.data
        self._wants_mistake = False
        if record is None or data is None or not len(record):
            return
        step = record.moment_step(self.session.cursor.step)
        # the mistakes of exactly this moment: the run's evaluation there, or one made for it
        evaluation = self.evaluator.evaluation(record, step, data) if self.evaluator else record.evaluation(step)
        if evaluation is None:
            self._wants_mistake = self.evaluator is not None   # done when the evaluation is ready
            self.source_label.setText(translate("Inside", "Evaluating this moment on the held-out set…"))
            return
        if not len(evaluation.misclassified.indices):
            self.source_label.setText(translate("Inside", "This moment's model gets every held-out digit right"))
            return
        wrong = np.sort(evaluation.misclassified.indices)
        current = self.session.cursor.index
        later = wrong[wrong > current] if current is not None else wrong
        self.session.cursor.set(index=int(later[0] if len(later) else wrong[0]))

    def _show_selected(self) -> None:
        data, index = self.session.data, self.session.cursor.index
        if data is None or index is None or not 0 <= index < len(data.y_eval):
            return
        self.pad.set_image(data.X_eval[index].reshape(data.image_shape))
        names = data.class_names
        label = int(data.y_eval[index])
        self.source_label.setText(translate("Inside", "{split} digit {index}: a {label}").format(
            split=translate("Views", data.eval_name), index=f"{index:,}",
            label=names[label] if names else label))

    def network_input(self):
        """The input the network reads for what the pad holds, (n_0,) float32, or None if empty."""
        data = self.session.data
        if self.pad.digit is not None:
            return self.pad.digit.ravel()
        if self.pad.empty:
            return None
        rows, cols = data.image_shape if data is not None else (28, 28)
        if rows != cols:
            raise ValueError(translate("Inside", "drawings become square inputs: this data's {rows}×{cols} images "
                                                 "cannot be drawn (take a held-out one instead)")
                             .format(rows=rows, cols=cols))
        # the digit's box scales with the frame, as MNIST's 20 px in 28
        return as_mnist_input(self.pad.image(), size=rows)

    # --- following the session ---------------------------------------------------------------
    def catch_up(self) -> None:
        if self.session.data is not None:   # (not _on_data_changed: the digit selected stays)
            self.pad.digit_shape = tuple(self.session.data.image_shape)
        super().catch_up()

    def _on_data_changed(self) -> None:
        data = self.session.data
        if data is not None:
            self.pad.digit_shape = tuple(data.image_shape)
        self.session.cursor.set(index=None)   # an index of the old held-out set means nothing now
        self.source_label.setText("")
        self._forget()
        self.pad.clear()

    def _forget(self) -> None:
        """Drop the model and what the panels show, even while hidden: a run or data left behind is
        not kept alive by a tab nobody looks at."""
        self._model_key = self._model = None
        self._show_nothing("")

    def _on_moment_evaluated(self, record, step: int) -> None:
        if self._wants_mistake and record is self.session.cursor.run:
            self.take_next_mistake()

    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self.follow_run(self.session.cursor.run, "moment_added", self._on_moment_added)
            self._wants_mistake = False
            self._forget()
        if "index" in names:
            self._show_selected()
        self._schedule()

    def _on_moment_added(self, step: int) -> None:
        if self.session.cursor.live:   # the weights change as training runs
            self._schedule()

    def _schedule(self) -> None:
        self._stale = True
        if not self._timer.isActive():
            self._timer.start()

    def draw(self) -> None:
        """Answer now (through refresh(): tests and scripts call it; the widgets call it through a
        50 ms timer)."""
        data, record = self.session.data, self.session.cursor.run
        try:
            x = self.network_input()
        except ValueError as error:   # a drawing this data cannot take: say why
            self._show_nothing(str(error))
            self.input_view.show_nothing()
            return
        if x is None:
            self._show_nothing(translate("Inside", "Draw a digit, or take one from the held-out set"))
            self.input_view.show_nothing()
            return
        self.input_view.show_input(x, data.image_shape if data is not None else (28, 28))
        moment = record.at(self.session.cursor.step) if record is not None else None
        if moment is None:
            self._show_nothing(translate("Inside", "Start training (or open a model) to see its answer"))
            return
        if self._model_key is None or self._model_key[0] is not record or self._model_key[1] != moment.step:
            self._model_key, self._model = (record, moment.step), model_of(record.model_config, moment)
        result = answer(self._model, record.model_config.loss_name(), x)
        self.probability_view.show_answer(result, data.class_names if data is not None else (), moment.step)
        self.answer_label.setText((translate("Inside", "Its answer at epoch {epoch}") if self.session.cursor.live
                                   else translate("Inside", "Its answer at epoch {epoch} (timeline)"))
                                  .format(epoch=f"{moment.position:.2f}"))
        context = InsideContext(result, self._model, moment, record, data, self.session)
        for panel in self.panels:
            panel.show_context(context)

    def _show_nothing(self, why: str) -> None:
        self.probability_view.show_nothing(why)
        for panel in self.panels:
            panel.show_nothing(why)
