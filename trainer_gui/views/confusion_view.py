"""The confusion matrix of the held-out set: colour by share of the true class, counts in the cells
when they are large enough to read them, the classes named on the axes."""
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem, QToolTip

from . import CONFUSION_COLORMAP, axis_font, class_labels, pt, style_plot
from ..i18n import translate

DARK_SHADE = 0.6         # cells shaded past this get white numbers
MIN_FONT, MAX_FONT = 6.5, 11.0   # points; the numbers are sized to the cells between these
MIN_CELL_PIXELS = 20     # narrower cells would need a font under MIN_FONT: the image alone then
MAX_TEXT_CLASSES = 30    # and never more than 30×30 numbers, however large the screen
PADDING = 0.02           # of the matrix, around it
TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
COUNTS, SHARES = "counts", "shares"   # what the cells' numbers are: counts, or % of the true class


class ClassAxis(pg.AxisItem):
    """The predicted-class axis, whose tick labels can stand on end (read upwards): class names wider
    than their column then still name every column. pyqtgraph itself only writes tick labels across."""

    def __init__(self):
        super().__init__("bottom")
        self.upright = False
        self._upright_labels = []    # (x in this item's coordinates, text), while upright

    def set_upright(self, upright: bool, longest: float) -> None:
        """Labels on end, `longest` pixels reserved for them below the ticks; or across as usual."""
        self.upright = upright
        if upright:
            label = self.label.boundingRect().height() * 0.8 if self.label.isVisible() else 0
            self.setHeight(math.ceil(self._text_top() + longest + 4 + label))
        else:
            self.setHeight(None)
        self.picture = None
        self.update()

    def _text_top(self) -> float:
        return max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]

    def generateDrawSpecs(self, p):
        specs = super().generateDrawSpecs(p)
        if not self.upright or specs is None:
            return specs
        axis, ticks, _ = specs
        view, bounds = self.linkedView(), self.boundingRect()
        self._upright_labels = []
        if view is None:
            return axis, ticks, []
        for value, text in (self._tickLevels or [[]])[0]:
            x = self.mapFromScene(view.mapViewToScene(QPointF(value, 0))).x()
            if bounds.left() <= x <= bounds.right():
                self._upright_labels.append((x, text))
        return axis, ticks, []

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)   # also sets the tick font and pen
        if not self.upright:
            return
        top, height = self._text_top(), QFontMetricsF(p.font()).height()
        for x, text in self._upright_labels:
            p.save()
            p.translate(x, top)
            p.rotate(-90)     # the text's baseline now runs up the screen, ending at the ticks
            p.drawText(QRectF(-self.height(), -height / 2, self.height(), height),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
            p.restore()


class ConfusionView(pg.PlotWidget):
    """An ImageItem of the k×k matrix, with the counts written on it while they are readable.

    The counts are Qt's own QGraphicsSimpleTextItems: they paint in C++, so rewriting a hundred of
    them once a second costs the training thread (which shares the GIL) almost nothing, where
    pyqtgraph's Python TextItems cost it several milliseconds each time. They exist only while the
    cells are at least MIN_CELL_PIXELS wide and k ≤ MAX_TEXT_CLASSES: a 256-class matrix is one
    image (drawn in milliseconds) with a tooltip for the cell under the mouse, not 65,536 items that
    would freeze the window for half a minute. Readability is checked again on every resize; the
    items are kept (hidden) when the view shrinks, so growing it back only shows them again.

    Clicking a cell selects it (outlined) and emits `cell_clicked((true, predicted))`; clicking it
    again clears the selection (`cell_clicked(None)`). `mode`: the numbers are counts (COUNTS) or
    each row's share of its true class in % (SHARES); the colour is that share either way.
    """
    cell_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": ClassAxis()}, enableMenu=False)
        self.setObjectName("confusionView")
        self.plot = self.getPlotItem()
        style_plot(self.plot, translate("Views", "Confusion matrix"), translate("Views", "predicted"),
                   translate("Views", "true"))
        # the title centred over the whole view, not over the matrix's column only: class names
        # widen the left axis, which pushed a title over the matrix out of a narrow view
        self.plot.layout.removeItem(self.plot.titleLabel)
        self.plot.layout.addItem(self.plot.titleLabel, 0, 0, 1, 3)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(CONFUSION_COLORMAP))
        self.plot.addItem(self.image)
        # row-major, k×k of them while the numbers are shown (or hidden after a shrink); else empty
        self.cell_texts: list[QGraphicsSimpleTextItem] = []
        self._shown: list = []       # (count, dark) each cell shows, to rewrite only what changed
        self._font_size = None
        self._ticks = None           # (labels, step, upright) the axes were last given
        self._k = 0                  # classes in the range and ticks: kept by clear_evaluation
        self.labels: list[str] = []  # the k class names (or numbers), as the axes and tooltips say them
        self._widest = 0.0           # pixels of the widest of them in the tick font
        self._named = False          # they are names, not the class numbers
        self.confusion = None
        self._dark = None            # (k, k) bool: the cells that get white numbers
        self.shown_step = None
        self.plot.vb.sigResized.connect(self._fit_to_size)
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.mode = COUNTS
        self.selected = None         # (true, predicted) of the outlined cell, or None
        self._outline = QGraphicsRectItem(-0.5, -0.5, 1, 1)
        pen = QPen(QColor("#e07b00"), 3)
        pen.setCosmetic(True)        # 3 screen pixels whatever the zoom
        self._outline.setPen(pen)
        self._outline.setZValue(20)
        self._outline.hide()
        self.plot.addItem(self._outline, ignoreBounds=True)

    # --- drawing -----------------------------------------------------------------------------

    def show_evaluation(self, report, eval_name: str, class_names=()) -> None:
        """report: an EvaluationReport whose confusion is (k, k), rows true, columns predicted;
        class_names: the data's (Dataset.class_names), numbers if none."""
        confusion = report.evaluation.confusion
        self.confusion, self.shown_step = confusion, report.steps
        k = len(confusion)
        labels = class_labels(class_names, k)
        if labels != self.labels:
            self.labels = labels
            metrics = QFontMetricsF(axis_font())
            self._widest = max(metrics.horizontalAdvance(label) for label in labels)
            self._named = any(label != str(i) for i, label in enumerate(labels))
        # colour by the share of each true class, so rare classes are as readable as common ones;
        # the square root lifts the small off-diagonal shares that a teacher wants to point at
        shade = np.sqrt(confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1))
        self._dark = shade > DARK_SHADE
        self.image.setImage(shade, levels=(0, 1), autoLevels=False)
        self.image.setRect(-0.5, -0.5, k, k)
        if k != self._k:
            self._k = k
            self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=PADDING)
        self._fit_to_size()
        self.plot.setTitle(translate("Views", "Confusion: {split}").format(split=translate("Views", eval_name)),
                           size=pt(12), bold=True)

    def set_mode(self, mode: str) -> None:
        """COUNTS or SHARES: what the numbers in the cells say."""
        self.mode = mode
        self._shown = [None] * len(self._shown)
        self._fit_to_size()

    def select(self, cell) -> None:
        """Outline (true, predicted), or nothing for None (no signal: see cell_clicked)."""
        self.selected = tuple(cell) if cell is not None else None
        if self.selected is not None:
            self._outline.setRect(self.selected[1] - 0.5, self.selected[0] - 0.5, 1, 1)
        self._outline.setVisible(self.selected is not None)

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell is None:
            return
        cell = None if cell == self.selected else cell
        self.select(cell)
        self.cell_clicked.emit(cell)

    def clear_evaluation(self) -> None:
        self.image.clear()
        for i, item in enumerate(self.cell_texts):
            item.setText("")
            self._shown[i] = None
        self.confusion = self._dark = self.shown_step = None
        QToolTip.hideText()

    def cell_pixels(self) -> float:
        """The side of one cell on screen, in pixels (0 before there is a matrix or a size)."""
        vb = self.plot.vb
        if not self._k or vb is None:
            return 0.0
        return min(vb.width(), vb.height()) / (self._k * (1 + 2 * PADDING))

    def numbers_readable(self) -> bool:
        return self._k <= MAX_TEXT_CLASSES and self.cell_pixels() >= MIN_CELL_PIXELS

    def _fit_to_size(self, *_) -> None:
        """Ticks and numbers for the current size; also after each new matrix."""
        if not self._k or self.plot.vb is None:   # no matrix yet, or the widget is closed
            return
        cell = self.cell_pixels()
        self._fit_ticks(cell)
        if self.confusion is not None and self.numbers_readable():
            self._ensure_cells(self._k)
            self._fit_font(cell)
            self._write_counts()
            for item in self.cell_texts:
                item.show()
        else:
            if len(self.cell_texts) != self._k * self._k:
                self._remove_cells()     # made for another k: of no use for this one
            for item in self.cell_texts:
                item.hide()

    def _fit_ticks(self, cell: float) -> None:
        """Every class while the labels have room; else every 2nd, 5th, 10th, 20th, 50th...

        Numbers thin out well (every 10th still tells where 37 is), names do not: names wider than
        their column stand on end below the matrix instead, which needs only a line's height each.
        """
        k, labels = self._k, self.labels
        across = QFontMetricsF(axis_font()).height() + 2    # pixels a label needs where labels stack
        upright = self._named and self._widest + 8 > cell
        room = across if upright else max(self._widest + 8, across)
        step = next((s for s in TICK_STEPS if s * max(cell, 1e-9) >= room), TICK_STEPS[-1])
        if self._ticks == (labels, step, upright):
            return
        self._ticks = (labels, step, upright)
        ticks = [[(i, labels[i]) for i in range(0, k, step)]]
        bottom = self.plot.getAxis("bottom")
        bottom.set_upright(upright, self._widest)
        bottom.setTicks(ticks)
        self.plot.getAxis("left").setTicks(ticks)

    def tick_values(self, axis: str = "bottom") -> list[int]:
        """The classes labelled on an axis."""
        return [value for value, _ in self.ticks(axis)]

    def ticks(self, axis: str = "bottom") -> list[tuple[int, str]]:
        """(class, label) of the ticks on an axis."""
        return list((self.plot.getAxis(axis)._tickLevels or [[]])[0])

    # --- the numbers ---------------------------------------------------------------------------

    def _ensure_cells(self, k: int) -> None:
        """k×k text items, reusing those there are: at most MAX_TEXT_CLASSES² exist at any time."""
        n = k * k
        if len(self.cell_texts) == n:
            return
        for item in self.cell_texts[n:]:
            self.plot.removeItem(item)
        del self.cell_texts[n:]
        font = QFont()
        if self._font_size is not None:
            font.setPointSizeF(self._font_size)
        while len(self.cell_texts) < n:
            item = QGraphicsSimpleTextItem()
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            item.setFont(font)
            self.plot.addItem(item, ignoreBounds=True)
            self.cell_texts.append(item)
        for i, item in enumerate(self.cell_texts):
            item.setPos(i % k, i // k)
        self._shown = [None] * n

    def _remove_cells(self) -> None:
        for item in self.cell_texts:
            self.plot.removeItem(item)
        self.cell_texts, self._shown = [], []

    def _numbers(self) -> list[str]:
        """What each cell says, row by row: its count, or its share of the true class."""
        if self.mode == SHARES:
            shares = 100 * self.confusion / np.maximum(self.confusion.sum(axis=1, keepdims=True), 1)
            return [f"{share:.0f}" if share >= 0.5 or share == 0 else "<1" for share in shares.ravel().tolist()]
        return [str(count) for count in self.confusion.ravel().tolist()]

    def _write_counts(self) -> None:
        pairs = zip(self._numbers(), self._dark.ravel().tolist())
        for i, shown in enumerate(pairs):
            if self._shown[i] != shown:
                self._shown[i] = shown
                self._write(self.cell_texts[i], shown[0], shown[1])

    @staticmethod
    def _write(item: QGraphicsSimpleTextItem, text: str, dark: bool) -> None:
        item.setText(text)
        item.setBrush(QBrush(QColor("white" if dark else "#202020")))
        box = item.boundingRect()    # in pixels: the item ignores the view's scaling
        item.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))

    def _fit_font(self, cell: float) -> None:
        """Numbers sized to the cells: three digits fit a cell at 1280×800 and stay large at 1920×1080."""
        size = round(min(max(cell / 3.4, MIN_FONT), MAX_FONT) * 2) / 2   # half points: few distinct sizes
        if size == self._font_size:
            return
        self._font_size = size
        font = QFont()
        font.setPointSizeF(size)
        for item, shown in zip(self.cell_texts, self._shown):
            item.setFont(font)
            if shown is not None:
                self._write(item, shown[0], shown[1])

    # --- hover ---------------------------------------------------------------------------------

    def cell_at(self, scene_pos):
        """(true, predicted) of the cell at a scene position, or None off the matrix."""
        if self.confusion is None or self.plot.vb is None:
            return None
        point = self.plot.vb.mapSceneToView(scene_pos)
        row, col = int(np.floor(point.y() + 0.5)), int(np.floor(point.x() + 0.5))
        k = len(self.confusion)
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def cell_tooltip(self, true: int, predicted: int) -> str:
        count, total = int(self.confusion[true, predicted]), int(self.confusion[true].sum())
        return translate("Views", "true {true} → predicted {predicted}: {count} ({share}% of the {true}s); "
                                  "click to see them").format(true=self.labels[true], predicted=self.labels[predicted],
                                                              count=count, share=f"{100 * count / max(total, 1):.1f}")

    def _hover(self, scene_pos) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            QToolTip.hideText()
            return
        where = self.mapToGlobal(self.mapFromScene(scene_pos)) + QPoint(12, 12)
        QToolTip.showText(where, self.cell_tooltip(*cell), self)
