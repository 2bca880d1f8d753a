"""The misclassified held-out images, most confident mistake first, each captioned true → predicted.

Every caption fits its cell: cells are as wide as the widest caption the data's class names can
make ("7→2 100%" on one line; "Ankle boot →" over "T-shirt/top 97%" when names are long), and the
grid has as many columns as such cells fit, never more. A name too long even for two lines is
shortened with an ellipsis; each cell's tooltip says everything in full.
"""
from __future__ import annotations

import html
import math
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .. import views
from . import class_labels
from ..i18n import translate

CAPTION_POINTS = 9
IMAGE_PIXELS = 72          # px an image gets at least: its 28 pixels about 2.5 times over
SPACING = 2                # px between cells
ONE_LINE_PIXELS = 90       # a caption up to this wide stays on one line: "255→128 100%" does
MAX_LINE_PIXELS = 120      # longer names are shortened to keep a caption line within this
TEXT_MARGIN = 1            # px a caption's text keeps free on each side (its QTextDocument's margin)
SLACK = 2                  # px for kerning: a line is measured as the sum of its parts
# the widest figures `sureness` writes, of each kind: the cells are made wide enough for them
WIDEST_FIGURES = {True: (1.0,), False: (-8.88, -888.0, -8e38, -math.inf, math.nan)}


def sureness(value: float, as_probability: bool) -> str:
    """How sure the model was of its wrong answer, in five characters at most: its probability
    ("97%"), or, for a model without one (MSE, linear regression), its output for the predicted
    class, whose target is 1: "0.93", "-1.25", "120", or "2e18" for a run about to diverge."""
    if as_probability:
        return f"{value:.0%}"
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("−∞" if value < 0 else "∞")
    if abs(value) < 9.995:
        return f"{value:.2f}"
    if abs(value) < 999.5:
        return f"{value:.0f}"
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


class CaptionLayout(NamedTuple):
    lines: int              # 1: "7→2 100%"; 2: "Ankle boot →" over "T-shirt/top 97%"
    names: list[str]        # the class names as the captions write them (shortened if need be)
    width: float            # px of the widest caption line any pair of classes can give


def caption_layout(metrics: QFontMetricsF, labels: list[str], as_probability: bool) -> CaptionLayout:
    advance = metrics.horizontalAdvance
    widest_name = max(advance(name) for name in labels)
    figure = max(advance(sureness(v, as_probability)) for v in WIDEST_FIGURES[as_probability])
    one_line = 2 * widest_name + advance("→") + advance(" ") + figure
    if one_line <= ONE_LINE_PIXELS * views.FONT_SCALE:
        return CaptionLayout(1, labels, one_line)
    beside = max(advance(" →"), advance(" ") + figure)   # what follows the name on each line
    room = MAX_LINE_PIXELS * views.FONT_SCALE - beside
    if widest_name > room:
        labels = [metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) for name in labels]
        widest_name = max(advance(name) for name in labels)
    return CaptionLayout(2, labels, widest_name + beside)


class Cell(NamedTuple):
    layout: pg.GraphicsLayout    # the cell, whose tooltip says it all
    caption: pg.LabelItem
    image: pg.ImageItem
    view: pg.ViewBox


class MistakesView(QWidget):
    """A grid of as many mistakes as fit, redrawn from an engine Evaluation.

    `set_cell((true, predicted))` narrows it to one cell of the confusion matrix (the digits of
    class `true` answered `predicted`, worst first; right answers for a diagonal cell, the least
    sure first); *All* (or set_cell(None)) shows every mistake again and emits `cleared`.
    """
    cleared = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("mistakesView")
        self.title = QLabel(translate("Views", "Misclassified images"), wordWrap=True)
        self.title.setObjectName("viewTitle")
        self.all_button = QToolButton(text="All", objectName="allMistakesButton",
                                      toolTip=translate("Views", "Every misclassified digit again, not one cell's"))
        self.all_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.all_button.clicked.connect(self._show_all)
        self.all_button.hide()
        self.cell = None            # (true, predicted) shown, or None for every mistake
        self.shown_rows = np.arange(0)   # the rows of the set the grid shows, in order
        self.grid = pg.GraphicsLayoutWidget(self)
        self.grid.ci.layout.setSpacing(SPACING)
        self.grid.ci.layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.all_button)
        layout.addLayout(header)
        layout.addWidget(self.grid, 1)
        self.caption_font = QFont()
        self.caption_font.setPointSizeF(CAPTION_POINTS * views.FONT_SCALE)
        self.cells: list[Cell] = []
        self._grid_shape = None    # (rows, columns, cell size) of the cells made
        self._labels, self._as_probability = [str(i) for i in range(10)], True
        self._layout = caption_layout(QFontMetricsF(self.caption_font), self._labels, True)
        self._shown = None     # (report, X_eval, y_eval, image_shape, eval_name)
        self.shown_step = None

    def show_evaluation(self, report, X_eval, y_eval, image_shape, eval_name: str,
                        as_probability: bool, class_names=()) -> None:
        """report: an EvaluationReport; X_eval (n, rows*cols) and y_eval (n,) the set it evaluated;
        class_names: the data's (Dataset.class_names), numbers if none."""
        labels = class_labels(class_names, len(report.evaluation.confusion))
        if (labels, as_probability) != (self._labels, self._as_probability):
            self._labels, self._as_probability = labels, as_probability
            self._layout = caption_layout(QFontMetricsF(self.caption_font), labels, as_probability)
        self._shown = (report, X_eval, y_eval, tuple(image_shape), eval_name)
        self.shown_step = report.steps
        self._fit_grid()
        self._draw()

    def set_cell(self, cell) -> None:
        """Show only the digits of confusion cell (true, predicted); None: every mistake."""
        self.cell = tuple(cell) if cell is not None else None
        self.all_button.setVisible(self.cell is not None)
        self._draw()

    def _show_all(self) -> None:
        self.set_cell(None)
        self.cleared.emit()

    def shown_count(self) -> int:
        """How many mistakes the grid shows right now."""
        return sum(1 for cell in self.cells if cell.image.image is not None and cell.image.isVisible())

    def clear_evaluation(self) -> None:
        self._shown = self.shown_step = None
        self.title.setText(translate("Views", "Misclassified images"))
        self._draw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_grid()

    def rescale_captions(self, ratio: float) -> None:
        """Captions ×ratio (presentation mode): the cells grow to fit them."""
        self.caption_font.setPointSizeF(self.caption_font.pointSizeF() * ratio)
        self._layout = caption_layout(QFontMetricsF(self.caption_font), self._labels, self._as_probability)
        for cell in self.cells:
            cell.caption.item.setFont(self.caption_font)
        self._fit_grid()
        self._draw()

    def cell_size(self) -> tuple[int, int]:
        """px (width, height) a cell needs: its widest caption, or the image if that is wider."""
        text = math.ceil(self._layout.width) + SLACK + 2 * TEXT_MARGIN
        lines = self._layout.lines * QFontMetricsF(self.caption_font).lineSpacing() + 2 * TEXT_MARGIN
        return max(IMAGE_PIXELS, text), math.ceil(lines) + IMAGE_PIXELS

    def _fit_grid(self) -> None:
        """As many cells as fit this widget's size (measured here: the grid may not be laid out yet)."""
        width, height = self.cell_size()
        # the splitter may not squeeze one cell: its caption would be cut
        self.setMinimumWidth(width)
        columns = max(1, (self.width() + SPACING) // (width + SPACING))
        rows = max(1, (self.height() - self.title.sizeHint().height() + SPACING) // (height + SPACING))
        if (rows, columns, width, height) == self._grid_shape:
            return
        self._grid_shape = (rows, columns, width, height)
        self.grid.clear()
        self.cells = []
        for i in range(rows * columns):
            cell = self.grid.addLayout(row=i // columns, col=i % columns)
            cell.setContentsMargins(0, 0, 0, 0)
            cell.setSpacing(0)
            cell.setMinimumWidth(width)      # every column as wide, so the images are the same size
            cell.setPreferredWidth(width)
            caption = cell.addLabel("", row=0, col=0)
            caption.item.setFont(self.caption_font)
            caption.item.document().setDocumentMargin(TEXT_MARGIN)
            view = cell.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
            view.setMenuEnabled(False)
            image = pg.ImageItem()
            view.addItem(image)
            self.cells.append(Cell(cell, caption, image, view))
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            for cell in self.cells:
                cell.caption.setText("")
                cell.layout.setToolTip("")
                cell.image.clear()
            return
        report, X_eval, y_eval, image_shape, eval_name = self._shown
        evaluation = report.evaluation
        wrong = evaluation.misclassified
        total = len(y_eval)
        names, full = self._layout.names, self._labels
        if self.cell is not None and max(self.cell) < len(full) and evaluation.predicted is not None:
            true, guess = self.cell
            rows = evaluation.rows_of(y_eval, true, guess)
            predicted, confidences = np.full(len(rows), guess), evaluation.confidence[rows]
            kind = translate("Views", "most confident first") if true != guess \
                else translate("Views", "right, the least sure first")
            title = translate("Views", "True {true} → predicted {predicted}: {count} digit, {order}") \
                if len(rows) == 1 else translate("Views", "True {true} → predicted {predicted}: {count} digits, {order}")
            self.title.setText(title.format(true=full[true], predicted=full[guess], count=f"{len(rows):,}", order=kind))
        else:
            rows, predicted, confidences = wrong.indices, wrong.predicted, wrong.confidence
            self.title.setText(translate("Views", "Misclassified: {wrong} of {total} ({share}), worst first").format(
                wrong=f"{len(wrong.indices):,}", total=f"{total:,}", share=f"{len(wrong.indices) / total:.1%}"))
        self.shown_rows = np.asarray(rows[:len(self.cells)])
        figure = (translate("Views", "the model's probability for its answer") if self._as_probability
                  else translate("Views", "the model's output for its answer, whose target is 1"))
        self.title.setToolTip(translate("Views", "{split} images the model gets wrong, the most confident mistakes "
                                                 "first: true class → predicted, and {figure}")
                              .format(split=translate("Views", eval_name), figure=figure))
        for i, cell in enumerate(self.cells):
            if i >= len(rows):
                cell.caption.setText("")
                cell.layout.setToolTip("")
                cell.image.clear()
                continue
            row = rows[i]
            true, guess, confidence = int(y_eval[row]), int(predicted[i]), float(confidences[i])
            figure = sureness(confidence, self._as_probability)
            if self._layout.lines == 1:
                text = html.escape(f"{names[true]}→{names[guess]} {figure}")
            else:
                text = html.escape(f"{names[true]} →") + "<br>" + html.escape(f"{names[guess]} {figure}")
            cell.caption.setText(text, color=pg.getConfigOption("foreground"))
            how_sure = (translate("Views", "probability {p}").format(p=f"{confidence:.1%}") if self._as_probability
                        else translate("Views", "output {y} (its target is 1)").format(y=f"{confidence:.4g}"))
            cell.layout.setToolTip(translate("Views", "true {true} → predicted {predicted}, {how_sure}").format(
                true=full[true], predicted=full[guess], how_sure=how_sure))
            # white on black, as MNIST is usually shown
            cell.image.setImage(np.asarray(X_eval[row]).reshape(image_shape), levels=(0, 1), autoLevels=False)
            cell.view.autoRange(padding=0)


def link_drill_down(confusion_view, mistakes_view) -> None:
    """A click on a confusion cell shows its digits in the gallery; All in the gallery (or a second
    click on the cell) shows every mistake again."""
    confusion_view.cell_clicked.connect(mistakes_view.set_cell)
    mistakes_view.cleared.connect(lambda: confusion_view.select(None))
