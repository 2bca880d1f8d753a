"""Rows of per-unit values drawn one under another: a layer's activations or error signals as heat
strips, the output as bars. The Step workspace's forward and backward passes."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg

from . import WEIGHT_COLORMAP, axis_font, pt

STRIP_HEIGHT = 64                 # px of one heat strip, its title included
BAR_HEIGHT = 150                  # px of a bar row


@dataclass
class Row:
    """One row: `values` (n,) drawn as a heat strip ("strip") or bars ("bars").

    signed: the colour scale is centred on 0 (blue below, red above); else white is 0 and dark is
    the largest. labels: the bars' tick labels. highlight: a bar drawn in the accent colour (the
    true class). note: text on the row's right, in words (e.g. how many units a mask zeroes).
    """
    title: str
    values: np.ndarray
    kind: str = "strip"
    signed: bool = True
    labels: list = field(default_factory=list)
    highlight: int | None = None


class SignalRows(pg.GraphicsLayoutWidget):
    """Rows of values under each other; `rows` holds what is shown (title -> values) for tests."""

    def __init__(self, parent=None, object_name: str = ""):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.ci.layout.setContentsMargins(4, 4, 4, 4)
        self.ci.layout.setVerticalSpacing(2)
        self._kinds: list[str] = []
        self._plots: list[pg.PlotItem] = []
        self._items: list = []
        self.rows: dict[str, np.ndarray] = {}
        self._signed = pg.colormap.get(WEIGHT_COLORMAP)
        # 0 is white paper, the most active unit black ink (as the digits are drawn)
        self._activity = pg.ColorMap(pos=[0.0, 1.0], color=[(255, 255, 255), (25, 25, 25)])

    def show_rows(self, rows: list[Row]) -> None:
        kinds = [row.kind for row in rows]
        if kinds != self._kinds:
            self._build(kinds)
        self.rows = {}
        for row, plot, item in zip(rows, self._plots, self._items):
            values = np.asarray(row.values, np.float64)
            self.rows[row.title] = values
            plot.setTitle(row.title, size=pt(10))
            if row.kind == "strip":
                self._draw_strip(plot, item, values, row.signed)
            else:
                self._draw_bars(plot, item, values, row)
        height = sum(STRIP_HEIGHT if kind == "strip" else BAR_HEIGHT for kind in kinds)
        self.setMinimumHeight(height + 8)

    def clear_rows(self) -> None:
        self._build([])
        self.rows = {}
        self.setMinimumHeight(40)

    def _build(self, kinds: list[str]) -> None:
        self.ci.clear()
        self._kinds, self._plots, self._items = list(kinds), [], []
        for r, kind in enumerate(kinds):
            plot = self.ci.addPlot(row=r, col=0, enableMenu=False)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getAxis("bottom").setTickFont(axis_font())
            plot.getAxis("left").setTickFont(axis_font())
            plot.getAxis("left").setWidth(48)
            if kind == "strip":
                plot.hideAxis("left")
                plot.getAxis("bottom").setHeight(18)
                item = pg.ImageItem()
                plot.addItem(item)
                self.ci.layout.setRowFixedHeight(r, STRIP_HEIGHT)
            else:
                item = pg.BarGraphItem(x=[], height=[], width=0.7)
                plot.addItem(item)
                plot.addLine(y=0, pen=pg.mkPen("#808080"))
                self.ci.layout.setRowFixedHeight(r, BAR_HEIGHT)
            self._plots.append(plot)
            self._items.append(item)

    def _draw_strip(self, plot, item, values, signed: bool) -> None:
        n = len(values)
        finite = values[np.isfinite(values)]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        top = top if top > 0 else 1.0
        item.setImage(values[None, :], autoLevels=False, levels=(-top, top) if signed else (0, top))
        item.setColorMap(self._signed if signed else self._activity)
        item.setRect(0, 0, n, 1)
        plot.setXRange(0, n, padding=0)
        plot.setYRange(0, 1, padding=0)

    def _draw_bars(self, plot, item, values, row: Row) -> None:
        k = len(values)
        brushes = ["#e07b00" if i == row.highlight else "#1f5fa8" for i in range(k)]
        item.setOpts(x=np.arange(k), height=values, width=0.7, brushes=brushes, pen=None)
        labels = row.labels or [str(i) for i in range(k)]
        plot.getAxis("bottom").setTicks([list(enumerate(labels))])
        plot.setXRange(-0.6, k - 0.4, padding=0)
        low, high = min(float(np.nanmin(values)), 0.0), max(float(np.nanmax(values)), 0.0)
        if high - low <= 0:
            high = 1.0
        plot.setYRange(low, high, padding=0.08)
