"""Error rate per epoch, train and held-out, in percent on a log scale."""
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from . import COLORS, MomentLine, PlainLogAxis, add_epoch_curves, fit_log_y, pt, set_epoch_curve, style_plot, titled_key
from ..i18n import translate

FLOOR_COLOR = "#909090"


def zero_floor(n_examples: int) -> float:
    """Where a perfect 0 % is drawn, in percent: a log axis has no 0. Half of one example of the larger
    set lies below every error either set can have but 0, so a floored point is never mistaken for
    a measured one, and the curve keeps all its points."""
    return 50.0 / max(n_examples, 1)


def _percent(errors: np.ndarray, floor: float) -> np.ndarray:
    """Error fractions as percent, 0 drawn at `floor`; a missing figure (nan) stays missing."""
    return np.where(errors == 0, floor, 100 * errors)


class ErrorPlot(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        self.setObjectName("errorPlot")
        self.plot = self.getPlotItem()
        style_plot(self.plot, translate("Views", "Error rate"), translate("Views", "epoch"),
                   translate("Views", "misclassified (%)"))
        # log scale: the untrained 90 % and the last tenths of a percent are both readable
        self.plot.setLogMode(y=True)
        self.plot.disableAutoRange()
        self.train_curve, self.eval_curve = add_epoch_curves(self.plot)
        # the dashed line a 0 % stands on, shown while a curve has one (InfiniteLine has no log mode:
        # its position is log10 of the value)
        self.zero_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(FLOOR_COLOR, style=Qt.PenStyle.DashLine),
                                         label="0 %", labelOpts={"position": 0.97, "color": FLOOR_COLOR,
                                                                 "anchors": [(1, 1), (1, 1)]})
        self.plot.addItem(self.zero_line, ignoreBounds=True)
        self.moment_line = MomentLine(self.plot)
        self.shown_step = None
        self.set_eval_name("validation")
        self.clear_history()

    def set_eval_name(self, name: str) -> None:
        self.plot.setTitle(titled_key(translate("Views", "Error rate"), [(translate("Views", "train"), COLORS["train"], "●"),
                                                                          (translate("Views", name), COLORS["eval"], "■")]),
                           size=pt(12))

    def set_epochs_planned(self, epochs: int) -> None:
        self._epochs_planned = epochs

    def show_history(self, history, n_examples: int) -> None:
        """Only epoch points live here, so it redraws when an epoch ends or an evaluation arrives.
        n_examples: the larger of the train and held-out sets, which places the 0 % line."""
        floor = zero_floor(n_examples)
        points = (len(history.epoch_x), len(history.eval_x), floor)
        if points == self._points:
            return
        self._points = points
        train, held_out = _percent(history.train_error.values, floor), _percent(history.eval_error.values, floor)
        set_epoch_curve(self.train_curve, history.epoch_x.values, train)
        set_epoch_curve(self.eval_curve, history.eval_x.values, held_out)
        x_end = max([self._epochs_planned, *history.eval_x.values[-1:], *history.epoch_x.values[-1:]])
        if x_end != self._x_end:
            self._x_end = x_end
            self.plot.setXRange(0, x_end, padding=0.02)
        values = np.concatenate([train, held_out])
        self._y_range = fit_log_y(self.plot, self._y_range, values)
        perfect = bool(np.any(values == floor))
        self.zero_line.setPos(math.log10(floor))
        self.zero_line.setVisible(perfect)
        self.setToolTip(translate("Views", "A perfect 0 % is drawn on the dashed line, at {floor} %: half of one "
                                          "example of {examples}, below any error but none")
                        .format(floor=f"{floor:.2g}", examples=f"{n_examples:,}") if perfect else "")

    def show_moment(self, step: int, position: float | None) -> None:
        """The moment on screen: its step, and its place for the dashed line (None: live, no line)."""
        self.shown_step = step
        self.moment_line.show_at(position)

    def clear_history(self) -> None:
        set_epoch_curve(self.train_curve, [], [])
        set_epoch_curve(self.eval_curve, [], [])
        self.zero_line.setVisible(False)
        self.setToolTip("")
        self._points = self._x_end = self._y_range = None
        self._epochs_planned = 1
        self.shown_step = None
        self.moment_line.show_at(None)
