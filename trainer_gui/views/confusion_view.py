"""The confusion matrix of the held-out set: counts in the cells, colour by share of the true class."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor, QFont, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem

from . import CONFUSION_COLORMAP, style_plot

DARK_SHADE = 0.6   # cells shaded past this get white numbers


class ConfusionView(pg.PlotWidget):
    """An ImageItem of the k×k matrix with the counts written on it.

    The counts are Qt's own QGraphicsSimpleTextItems: they paint in C++, so rewriting a hundred of
    them once a second costs the training thread (which shares the GIL) almost nothing, where
    pyqtgraph's Python TextItems cost it several milliseconds each time.
    """
    cell_texts = ()   # PlotWidget.__init__ already sends a resize, before ours has made the cells

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.plot = self.getPlotItem()
        style_plot(self.plot, "Confusion matrix", "predicted", "true")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(CONFUSION_COLORMAP))
        self.plot.addItem(self.image)
        self.cell_texts: list[QGraphicsSimpleTextItem] = []
        self._shown: list = []       # (count, dark) each cell shows, to rewrite only what changed
        self._font_size = None
        self.confusion = None

    def show_evaluation(self, report, eval_name: str) -> None:
        """report: an EvaluationReport whose confusion is (k, k), rows true, columns predicted."""
        confusion = report.evaluation.confusion
        self.confusion = confusion
        k = len(confusion)
        # colour by the share of each true class, so rare classes are as readable as common ones;
        # the square root lifts the small off-diagonal shares that a teacher wants to point at
        shade = np.sqrt(confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1))
        self.image.setImage(shade, levels=(0, 1), autoLevels=False)
        self.image.setRect(-0.5, -0.5, k, k)
        self._ensure_cells(k)
        for i, (count, dark) in enumerate(zip(confusion.ravel().tolist(), (shade > DARK_SHADE).ravel().tolist())):
            if self._shown[i] != (count, dark):
                self._shown[i] = (count, dark)
                self._write(self.cell_texts[i], str(count), dark)
        self.plot.setTitle(f"Confusion: {eval_name}", size="12pt", bold=True)

    @staticmethod
    def _write(item: QGraphicsSimpleTextItem, text: str, dark: bool) -> None:
        item.setText(text)
        item.setBrush(QBrush(QColor("white" if dark else "#202020")))
        box = item.boundingRect()    # in pixels: the item ignores the view's scaling
        item.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))

    def _ensure_cells(self, k: int) -> None:
        if len(self.cell_texts) == k * k:
            return
        for item in self.cell_texts:
            self.plot.removeItem(item)
        ticks = [[(i, str(i)) for i in range(k)]]
        self.plot.getAxis("bottom").setTicks(ticks)
        self.plot.getAxis("left").setTicks(ticks)
        self.cell_texts, self._shown = [], [None] * (k * k)
        for row in range(k):
            for col in range(k):
                item = QGraphicsSimpleTextItem()
                item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                self.plot.addItem(item, ignoreBounds=True)
                item.setPos(col, row)
                self.cell_texts.append(item)
        self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0.02)
        self._font_size = None
        self._fit_font()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_font()

    def _fit_font(self) -> None:
        """Numbers sized to the cells: three digits fit a cell at 1280×800 and stay large at 1920×1080."""
        if not self.cell_texts:
            return
        k = round(len(self.cell_texts) ** 0.5)
        cell_pixels = min(self.plot.vb.width(), self.plot.vb.height()) / k
        size = round(min(max(cell_pixels / 3.4, 6.5), 11.0) * 2) / 2   # half points: few distinct sizes
        if size == self._font_size:
            return
        self._font_size = size
        font = QFont()
        font.setPointSizeF(size)
        for item, shown in zip(self.cell_texts, self._shown):
            item.setFont(font)
            if shown is not None:
                self._write(item, str(shown[0]), shown[1])

    def clear_evaluation(self) -> None:
        self.image.clear()
        for i, item in enumerate(self.cell_texts):
            item.setText("")
            self._shown[i] = None
        self.confusion = None
