"""How many examples of each class the loaded splits hold, side by side per class."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QToolTip

from . import COLORS, axis_font, class_labels, style_plot

SPLIT_COLORS = (COLORS["train"], COLORS["eval"])   # the plots' colours for train and held-out


class ClassHistogram(pg.PlotWidget):
    """Bars per class, the classes named under them while the names fit (numbered otherwise: the
    data panel then lists the names); the tooltip of a class gives its name and counts."""

    def __init__(self, parent=None):
        super().__init__(parent, enableMenu=False)
        self.setObjectName("classHistogram")
        self.plot = self.getPlotItem()
        # no titles or axis names: the panel's caption says what the bars are, the space goes to them
        style_plot(self.plot, "", "", "")
        self.plot.setTitle(None)
        self.plot.setLabel("left", None)
        self.plot.setLabel("bottom", None)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.bars: list[pg.BarGraphItem] = []
        self.labels: list[str] = []
        self._counts = {}       # split name -> (k,) counts
        self._named_ticks = None
        self.plot.vb.sigResized.connect(self._fit_ticks)
        self.scene().sigMouseMoved.connect(self._hover)

    def show_counts(self, labels_by_split: dict, n_classes: int, class_names=()) -> None:
        """labels_by_split: split name -> (n,) integer labels; bars in SPLIT_COLORS order (the data
        panel's counts line doubles as the legend, which would hide bars in so small a plot)."""
        for bar in self.bars:
            self.plot.removeItem(bar)
        self.bars = []
        self._counts = {}
        width = 0.8 / max(len(labels_by_split), 1)
        for i, (name, labels) in enumerate(labels_by_split.items()):
            counts = np.bincount(labels, minlength=n_classes)
            x = np.arange(n_classes) - 0.4 + width * (i + 0.5)
            bar = pg.BarGraphItem(x=x, height=counts, width=width, brush=SPLIT_COLORS[i % 2], pen=None)
            self.plot.addItem(bar)
            self.bars.append(bar)
            self._counts[name] = counts
        self.labels = class_labels(class_names, n_classes)
        self._named_ticks = None
        self._fit_ticks()
        self.plot.setXRange(-0.6, n_classes - 0.4, padding=0)

    def _fit_ticks(self, *_) -> None:
        """The class names under the bars if each fits its slot, else the class numbers."""
        if not self.labels:
            return
        metrics = QFontMetricsF(axis_font())
        slot = self.plot.vb.width() / len(self.labels)
        named = max(metrics.horizontalAdvance(label) for label in self.labels) + 4 <= slot
        if named == self._named_ticks:
            return
        self._named_ticks = named
        self.plot.getAxis("bottom").setTicks(
            [[(c, label if named else str(c)) for c, label in enumerate(self.labels)]])

    def tick_labels(self) -> list[str]:
        return [label for _, label in (self.plot.getAxis("bottom")._tickLevels or [[]])[0]]

    def class_tooltip(self, c: int) -> str:
        named = f" ({self.labels[c]})" if self.labels[c] != str(c) else ""
        return f"class {c}{named}: " + ", ".join(f"{counts[c]:,} {name}" for name, counts in self._counts.items())

    def _hover(self, scene_pos) -> None:
        c = round(self.plot.vb.mapSceneToView(scene_pos).x()) if self.labels else -1
        if not 0 <= c < len(self.labels):
            QToolTip.hideText()
            return
        where = self.mapToGlobal(self.mapFromScene(scene_pos)) + QPoint(12, 12)
        QToolTip.showText(where, self.class_tooltip(c), self)
