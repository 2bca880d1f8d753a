"""Loss per batch (raw and smoothed) and per epoch (train and held-out), on a log scale."""
import numpy as np
import pyqtgraph as pg

from . import (COLORS, MIN_WIDTH, MomentLine, PlainLogAxis, add_epoch_curves, epochs_drawn, fit_log_y, pt,
               set_epoch_curve, style_plot, titled_key)
from ..i18n import translate
from ..state.history import FULL_TAIL, thinned

CLOSE_UP_STEPS = 40   # batches the x axis spans in close-up (while stepping, or in slow motion)


class LossPlot(pg.PlotWidget):
    """Draws a TrainingHistory's loss curves; x is in epochs so batch and epoch points line up.

    The x axis spans the planned epochs from the start, and the y axis moves only when the data
    leaves it (sticky_log_range): the curves grow into a still frame. In close-up (set_close_up:
    while stepping batch by batch, or in slow motion) it spans the last CLOSE_UP_STEPS batches
    instead, so each step is seen to move the curve.
    """

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        self.setObjectName("lossPlot")
        self.plot = self.getPlotItem()
        style_plot(self.plot, translate("Views", "Loss"), translate("Views", "epoch"), translate("Views", "loss"))
        # log scale: the first epoch's fall and the last epochs' small gains are both visible
        self.plot.setLogMode(y=True)
        self.plot.disableAutoRange()
        # the batch curves arrive thinned to the plot's width (show_history): pyqtgraph's own
        # downsampling and clipping, redone at every change of the view, would cost twice
        self.batch_curve = self.plot.plot(pen=pg.mkPen(COLORS["batch"], width=1), dynamicRangeLimit=None)
        self.smoothed_curve = self.plot.plot(pen=pg.mkPen(COLORS["smoothed"], width=2), dynamicRangeLimit=None)
        self.train_curve, self.eval_curve = add_epoch_curves(self.plot)
        self.moment_line = MomentLine(self.plot)
        self.shown_step = None
        self.close_up = False
        self._history = None
        self.plot.vb.sigResized.connect(self._on_resized)
        self.set_eval_name("validation")
        self.clear_history()

    def set_eval_name(self, name: str) -> None:
        """Call the held-out curve 'test' or 'validation', as the data panel does."""
        self.plot.setTitle(titled_key(translate("Views", "Loss"), [(translate("Views", "batch"), COLORS["batch"], "━"),
                                               (translate("Views", "smoothed"), COLORS["smoothed"], "━"),
                                               (translate("Views", "train (epoch mean)"), COLORS["train"], "●"),
                                               (translate("Views", name), COLORS["eval"], "■")]), size=pt(12))

    def set_epochs_planned(self, epochs: int) -> None:
        self._epochs_planned = epochs

    def show_history(self, history) -> None:
        if history.revision == self._revision:
            return
        self._revision, self._history = history.revision, history
        # decimated (min and max per bucket, the newest steps whole): a redraw costs the same at
        # 10 thousand and at 10 million steps; then thinned to two points a pixel of the plot's
        # width, or in close-up only the newest steps, whole
        batch, smoothed = history.batch_curve.curve(), history.smoothed_curve.curve()
        if self.close_up:
            batch, smoothed = ((x[-FULL_TAIL:], y[-FULL_TAIL:]) for x, y in (batch, smoothed))
        elif len(batch[0]):
            # the pixels the curve spans of the planned run's width
            shown = float(batch[0][-1]) / max(self._epochs_planned, float(batch[0][-1]))
            points = 2 * max(int(self.plot.vb.width() * shown), MIN_WIDTH)
            batch, smoothed = thinned(*batch, points), thinned(*smoothed, points)
        self.batch_curve.setData(*batch, connect="finite")
        self.smoothed_curve.setData(*smoothed, connect="finite")
        # epoch curves change once per epoch: re-setting their symbols every frame is wasted work
        if len(history.epoch_x) != epochs_drawn(self.train_curve):
            set_epoch_curve(self.train_curve, history.epoch_x.values, history.train_loss.values)
        if len(history.eval_x) != epochs_drawn(self.eval_curve):
            set_epoch_curve(self.eval_curve, history.eval_x.values, history.eval_loss.values)
        self._fit_range(history, batch, smoothed)

    def _on_resized(self) -> None:
        if self._history is not None:   # the curves are thinned to the plot's width: thin them again
            self._revision = None
            self.show_history(self._history)

    def set_close_up(self, close_up: bool) -> None:
        """Span the last CLOSE_UP_STEPS batches (True) or the whole planned run (False)."""
        if close_up != self.close_up:
            self.close_up = close_up
            self._x_range = self._y_range = None
            self._revision = None   # refit at the next show_history

    def _fit_range(self, history, batch, smoothed) -> None:
        """batch, smoothed: the (x, y) drawn (their extremes are the whole curves')."""
        last = float(batch[0][-1]) if len(batch[0]) else 0.0
        if self.close_up and len(batch[0]):
            width = CLOSE_UP_STEPS / history.batches_per_epoch
            x_range = (max(0.0, last - width), max(last, width) + 2 / history.batches_per_epoch)
            values = np.concatenate([y[x >= x_range[0]] for x, y in (batch, smoothed)])
        else:
            x_range = (0.0, max(self._epochs_planned, last))
            values = np.concatenate([batch[1], history.train_loss.values, history.eval_loss.values])
        if x_range != self._x_range:
            self._x_range = x_range
            self.plot.setXRange(*x_range, padding=0 if self.close_up else 0.02)
        self._y_range = fit_log_y(self.plot, self._y_range, values)

    def show_moment(self, step: int, position: float | None) -> None:
        """The moment on screen: its step, and its place for the dashed line (None: live, no line)."""
        self.shown_step = step
        self.moment_line.show_at(position)

    def clear_history(self) -> None:
        for curve in (self.batch_curve, self.smoothed_curve):
            curve.setData([], [])
        for curve in (self.train_curve, self.eval_curve):
            set_epoch_curve(curve, [], [])
        self._revision = self._x_range = self._y_range = self._history = None
        self._epochs_planned = 1
        self.shown_step = None
        self.moment_line.show_at(None)
