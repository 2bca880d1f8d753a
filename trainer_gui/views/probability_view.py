"""The answer for the input on the draw pad: the predicted class large, a bar per class."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..i18n import translate
from . import class_labels, style_plot

PREDICTED_COLOR = "#1f5fa8"
OTHER_COLOR = "#b9c7d8"


class ProbabilityView(QWidget):
    """A bar per class with the model's probability (or output value, for linear regression).

    `probabilities` is the array shown when the model gives probabilities (it sums to 1 under
    softmax cross-entropy), else None; `shown_step` the moment whose model answered.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("probabilityView")
        self.predicted_label = QLabel("–", objectName="predictedLabel", alignment=Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.plot_widget = pg.PlotWidget(enableMenu=False)
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot, "", "", translate("Views", "probability"))
        self.plot.setTitle(None)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.predicted_label)
        layout.addWidget(self.note)
        layout.addWidget(self.plot_widget, 1)
        self.probabilities = self.values = None
        self.shown_step = None
        self.clear()

    def show_answer(self, answer, class_names=(), step=None) -> None:
        """answer: a state.answer.Answer; class_names: the data's."""
        values = np.asarray(answer.values, np.float64)
        k = len(values)
        labels = class_labels(class_names, k)
        self.values, self.shown_step = values, step
        self.probabilities = answer.probabilities.astype(np.float64) if answer.probabilities is not None else None
        brushes = [PREDICTED_COLOR if i == answer.predicted else OTHER_COLOR for i in range(k)]
        self.bars.setOpts(x=np.arange(k), height=values, width=0.7, brushes=brushes, pen=None)
        self.plot.getAxis("bottom").setTicks([list(enumerate(labels))])
        self.plot.setXRange(-0.6, k - 0.4, padding=0)
        if self.probabilities is not None:
            self.plot.setYRange(0, 1, padding=0.02)
            self.plot.setLabel("left", translate("Views", "probability"))
            sure = values[answer.predicted]
            self.note.setText(translate("Views", "{sure}% sure").format(sure=f"{100 * sure:.1f}")
                              if answer.probabilities.sum() > 0.999 else
                              translate("Views", "each output is a probability of its own (sigmoid)"))
        else:
            low, high = min(values.min(), 0.0), max(values.max(), 1.0)
            self.plot.setYRange(low, high, padding=0.05)
            self.plot.setLabel("left", translate("Views", "output"))
            self.note.setText(translate("Views", "linear regression: the outputs are values, not probabilities; "
                                                 "the answer is the largest"))
        self.predicted_label.setText(labels[answer.predicted])
        self.predicted_label.setToolTip(translate("Views", "class {unit}").format(unit=answer.predicted)
                                        + f": {labels[answer.predicted]}")

    def show_nothing(self, why: str) -> None:
        """No answer (an empty pad, no model yet): say why."""
        self.clear()
        self.note.setText(why)

    def clear(self) -> None:
        self.probabilities = self.values = self.shown_step = None
        self.bars.setOpts(x=[], height=[], width=0.7)
        self.predicted_label.setText("–")
        self.note.setText("")
