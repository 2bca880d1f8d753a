"""How many examples of each class the loaded splits hold, side by side per class."""
import numpy as np
import pyqtgraph as pg

from . import COLORS, style_plot

SPLIT_COLORS = (COLORS["train"], COLORS["eval"])   # the plots' colours for train and held-out


class ClassHistogram(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
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

    def show_counts(self, labels_by_split: dict, n_classes: int) -> None:
        """labels_by_split: split name -> (n,) integer labels; bars in SPLIT_COLORS order (the data
        panel's counts line doubles as the legend, which would hide bars in so small a plot)."""
        for bar in self.bars:
            self.plot.removeItem(bar)
        self.bars = []
        width = 0.8 / max(len(labels_by_split), 1)
        for i, (name, labels) in enumerate(labels_by_split.items()):
            counts = np.bincount(labels, minlength=n_classes)
            x = np.arange(n_classes) - 0.4 + width * (i + 0.5)
            bar = pg.BarGraphItem(x=x, height=counts, width=width, brush=SPLIT_COLORS[i % 2], pen=None)
            self.plot.addItem(bar)
            self.bars.append(bar)
        self.plot.getAxis("bottom").setTicks([[(c, str(c)) for c in range(n_classes)]])
        self.plot.setXRange(-0.6, n_classes - 0.4, padding=0)
