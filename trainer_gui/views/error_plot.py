"""Error rate per epoch, train and held-out, in percent on a log scale."""
import numpy as np
import pyqtgraph as pg

from . import COLORS, PlainLogAxis, add_epoch_curves, fit_log_y, style_plot, titled_key


def _percent(errors: np.ndarray) -> np.ndarray:
    """Error fractions as percent; a perfect 0 has no place on a log axis, so it is left out."""
    return np.where(errors > 0, 100 * errors, np.nan)


class ErrorPlot(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": PlainLogAxis("left")})
        self.setObjectName("errorPlot")
        self.plot = self.getPlotItem()
        style_plot(self.plot, "Error rate", "epoch", "misclassified (%)")
        # log scale: the untrained 90 % and the last tenths of a percent are both readable
        self.plot.setLogMode(y=True)
        self.plot.disableAutoRange()
        self.train_curve, self.eval_curve = add_epoch_curves(self.plot)
        self.set_eval_name("validation")
        self.clear_history()

    def set_eval_name(self, name: str) -> None:
        self.plot.setTitle(titled_key("Error rate", [("train", COLORS["train"], "●"),
                                                     (name, COLORS["eval"], "■")]), size="12pt")

    def set_epochs_planned(self, epochs: int) -> None:
        self._epochs_planned = epochs

    def show_history(self, history) -> None:
        """Only epoch points live here, so it redraws when an epoch ends or an evaluation arrives."""
        points = (len(history.epoch_x), len(history.eval_x))
        if points == self._points:
            return
        self._points = points
        train, held_out = _percent(history.train_error.values), _percent(history.eval_error.values)
        self.train_curve.setData(history.epoch_x.values, train)
        self.eval_curve.setData(history.eval_x.values, held_out)
        x_end = max([self._epochs_planned, *history.eval_x.values[-1:], *history.epoch_x.values[-1:]])
        if x_end != self._x_end:
            self._x_end = x_end
            self.plot.setXRange(0, x_end, padding=0.02)
        values = np.concatenate([train, held_out])
        self._y_range = fit_log_y(self.plot, self._y_range, values)

    def clear_history(self) -> None:
        self.train_curve.setData([], [])
        self.eval_curve.setData([], [])
        self._points = self._x_end = self._y_range = None
        self._epochs_planned = 1
