"""The live views, one pyqtgraph widget per file, and the look they share.

Views never compute what they show: they draw a TrainingHistory, a recorded Moment or an engine
Evaluation that the Train workspace (dashboard.py) hands them from the window's redraw timer. Each
keeps `shown_step`: the step of the moment it last drew (None before any), so tests and scripts
can see what is on screen.
"""
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

from ..i18n import QT_TRANSLATE_NOOP
from ..redraw_schedule import sticky_log_range
from ..state.history import thinned

# Row-major images match NumPy's (rows, cols); a white background reads well on a projector.
# Antialiasing is off by default (the raw batch curve has thousands of points) and on for the few
# epoch points, where it shows.
pg.setConfigOptions(imageAxisOrder="row-major", background="w", foreground="#303030", antialias=False)

COLORS = {
    "batch": (70, 130, 200, 90),   # the raw batch loss: faint, it is noise around the smoothed line
    "smoothed": "#1f5fa8",
    "train": "#e07b00",
    "eval": "#2a9d3a",
}
WEIGHT_COLORMAP = "CET-D1"    # diverging blue-white-red: zero is white, sign is hue
CONFUSION_COLORMAP = "CET-L12"  # sequential, white to blue: an empty cell is blank paper


FONT_SCALE = 1.0   # every plot font ×this: 1.5 in presentation mode (appearance.py sets it)


# the held-out split's names, as the data calls it (translated where a view shows it)
SPLIT_NAMES = (QT_TRANSLATE_NOOP("Views", "validation"), QT_TRANSLATE_NOOP("Views", "test"))


def pt(points: float) -> str:
    """A plot font size ("12pt") at the window's scale."""
    return f"{points * FONT_SCALE:g}pt"


def axis_font() -> QFont:
    font = QFont()
    font.setPointSizeF(10 * FONT_SCALE)
    return font


def _title_never_widens(label: pg.LabelItem) -> None:
    """A title wider than its plot is cut at the plot's edges, instead of making the plot wider
    than its widget and pushing the data past the widget's edge (a long legend in the title, a
    longer language, presentation mode's larger fonts)."""
    fit = label.updateMin

    def update_min():
        fit()
        label.setMinimumWidth(0)
        minimum = pg.QtCore.Qt.SizeHint.MinimumSize
        label._sizeHint[minimum] = (0, label._sizeHint[minimum][1])
    label.updateMin = update_min


def style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str) -> None:
    """The title, axis labels, tick font and grid every plot shares."""
    _title_never_widens(plot.titleLabel)
    plot.setTitle(title, size=pt(12), bold=True)
    plot.setLabel("bottom", x_label, **{"font-size": pt(11)})
    plot.setLabel("left", y_label, **{"font-size": pt(11)})
    for name in ("bottom", "left"):
        plot.getAxis(name).setTickFont(axis_font())
    plot.showGrid(x=False, y=False)
    plot.setMenuEnabled(False)


# epochs an epoch curve marks each with its symbol; past that many it is a line: at a few pixels an
# epoch the marks are a band anyway, and pyqtgraph re-sets every mark in Python at each new epoch
# (3 ms at 1,000 epochs, 27 ms at 10,000, per curve: four curves at every epoch end of a long run)
MARKED_EPOCHS = 200
MIN_WIDTH = 200       # px: a thinned curve keeps at least twice as many points (a plot not laid out yet)


def add_epoch_curves(plot: pg.PlotItem):
    """The per-epoch train (circles) and held-out (squares) curves the loss and error plots share;
    set their points with set_epoch_curve."""
    def curve(color, symbol):
        # dynamicRangeLimit off: pyqtgraph would re-set the data at every change of the y range
        item = plot.plot(pen=pg.mkPen(color, width=2), symbol=symbol, symbolSize=7, symbolBrush=color,
                         symbolPen=None, antialias=True, dynamicRangeLimit=None)
        item.epoch_symbol = symbol
        return item
    return curve(COLORS["train"], "o"), curve(COLORS["eval"], "s")


def set_epoch_curve(curve: pg.PlotDataItem, x, y) -> None:
    """An add_epoch_curves curve's points: each marked while there are at most MARKED_EPOCHS; beyond,
    a line thinned to two points a pixel of the plot (history.thinned: each run's lowest and highest
    point stay), which paints in the same time at 1,000 and at 100,000 epochs."""
    curve.epochs_drawn = len(x)
    many = len(x) > MARKED_EPOCHS
    symbol = None if many else curve.epoch_symbol
    if curve.opts["symbol"] != symbol:
        curve.setSymbol(symbol)
    if many:
        x, y = thinned(np.asarray(x), np.asarray(y), 2 * max(int(curve.getViewBox().width()), MIN_WIDTH))
    curve.setData(x, y)


def epochs_drawn(curve: pg.PlotDataItem) -> int:
    """The epoch points set_epoch_curve last gave `curve` (it may draw fewer)."""
    return getattr(curve, "epochs_drawn", 0)


class MomentLine(pg.InfiniteLine):
    """The dashed vertical line a plot draws at the moment on screen when it is not the live one."""

    def __init__(self, plot: pg.PlotItem):
        super().__init__(angle=90, movable=False, pen=pg.mkPen("#7a3db8", width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.setZValue(10)
        plot.addItem(self, ignoreBounds=True)
        self.show_at(None)

    def show_at(self, position: float | None) -> None:
        """position: the moment on the epoch axis, or None while the plot follows the run live."""
        if position is not None:
            self.setPos(position)
        self.setVisible(position is not None)


def fit_log_y(plot: pg.PlotItem, current, values: np.ndarray):
    """Set a log plot's y range to cover the finite positive `values`, moving it as seldom as
    sticky_log_range allows; returns the range now shown (current if nothing to fit)."""
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return current
    y_range = sticky_log_range(current, float(values.min()), float(values.max()))
    if y_range != current:
        plot.setYRange(*y_range, padding=0)
    return y_range


def titled_key(title: str, entries) -> str:
    """A plot title that is also its legend: (label, colour, mark) entries after the title.

    A LegendItem inside the plot is repainted with every curve update beneath it; the title is not.
    """
    key = "&nbsp;&nbsp;".join(f"<span style='color:{_css(color)}'>{mark}</span>&nbsp;{label}"
                              for label, color, mark in entries)
    return f"<b>{title}</b>&nbsp;&nbsp;&nbsp;<span style='font-size:{pt(10)}'>{key}</span>"


def _css(color) -> str:
    return color if isinstance(color, str) else "#{:02x}{:02x}{:02x}".format(*color[:3])


class PlainLogAxis(pg.AxisItem):
    """A log-scale axis written in plain numbers (0.2, 5, 20, not 2·10⁻¹), labelled at 1, 2 and 5 × 10^k
    only: students read the values, and the unlabelled ticks still show the scale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the tick labels carry whole values; an SI scale in the axis label (a diverging loss got
        # "loss (x1e+27)") would claim they were scaled
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):
        strings = []
        for exponent in values:
            value = 10.0 ** exponent
            mantissa = value / 10.0 ** math.floor(exponent + 1e-9)
            strings.append(f"{value:g}" if min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-6 else "")
        return strings


def class_labels(names, k: int) -> list[str]:
    """k labels for a model's classes: the data's class names (TrainingData.dataset.class_names),
    then numbers for any output past them (a saved model may tell more classes apart than the data has)."""
    names = tuple(names or ())
    return [names[i] if i < len(names) else str(i) for i in range(k)]
