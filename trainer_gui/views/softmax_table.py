"""The softmax, number by number: for the answer on screen, each class's logit z, z − max,
exp((z − max)/T), their sum and the probability exp/sum, with a temperature T of the display's own."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QSizePolicy, QSlider,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from engine import softmax

from . import class_labels
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..state.lab import entropy_bits, significant

T_MIN, T_MAX = 0.1, 10.0
SLIDER_STEPS = 200            # the slider's positions: log10 T from −1 to 1 in steps of 0.01
TABLE_POINTS = 9              # the numbers' font size: 11 rows fit a 1280×800 window's lower row
CELL_PADDING = 8              # px beside a cell's text
PREDICTED_BACKGROUND = "#dbe7f5"
PREDICTED_COLOR = "#1f5fa8"   # as the probability view's bar of the predicted class
COLUMNS = ("z", "z − max", "exp(…/T)", "p")
COLUMN_TIPS = (QT_TRANSLATE_NOOP("Views", "the logit: the output layer's score for the class"),   # translated when shown
               QT_TRANSLATE_NOOP("Views", "the logit minus the largest one: the same softmax, and exp never overflows"),
               QT_TRANSLATE_NOOP("Views", "exp((z − max) / T): the class's share before normalising; the last row is "
                                          "their sum"),
               QT_TRANSLATE_NOOP("Views", "the probability: exp((z − max)/T) divided by the sum"))


class _Cells(QTableWidget):
    """The table, fitting its columns to their numbers whenever its width changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fit = lambda: None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


def slider_position(temperature: float) -> int:
    return round((math.log10(temperature) + 1) / 2 * SLIDER_STEPS)


def slider_temperature(position: int) -> float:
    return 10.0 ** (2 * position / SLIDER_STEPS - 1)


class SoftmaxTable(QWidget):
    """A row per class (the predicted one highlighted) and a last row with the sum; a temperature
    slider, T from 0.1 to 10 on a log scale (it changes this display only, never the model), and
    the entropy of the distribution shown. A panel of the Inside workspace (show_context, show_nothing).

    Shown state, for tests and scripts: `logits` (float64, None when no table is shown),
    `temperature`, `probabilities` (engine.softmax(logits, temperature)), `entropy` (bits).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("softmaxTable")
        self.temperature = 1.0
        self.logits = self.probabilities = self.entropy = None
        self.predicted = None
        self._labels = []
        self.formula = QLabel("p = exp((z − max)/T) / Σ", objectName="softmaxFormula", wordWrap=True,
                              toolTip=translate("Views", "The softmax of the output layer's scores z, number by number"))
        self.note = QLabel(objectName="softmaxNote", wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.table = _Cells(0, len(COLUMNS), objectName="softmaxCells")
        self.table.fit = self._fit_columns
        self._build_table()
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="temperatureSlider", minimum=0,
                              maximum=SLIDER_STEPS, value=slider_position(1.0), pageStep=SLIDER_STEPS // 10,
                              toolTip=translate("Views", "Temperature T of this table only (the model's answer above "
                                                         "keeps T = 1): T > 1 flattens the distribution, T < 1 "
                                                         "sharpens it. Log scale, 0.1 to 10."))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # Space stays the run's pause
        self.slider.valueChanged.connect(self._on_slider)
        self.temperature_label = QLabel(objectName="temperatureLabel")
        self.entropy_label = QLabel(objectName="entropyLabel", wordWrap=True)
        temperature_row = QHBoxLayout()
        temperature_row.addWidget(QLabel("T"))
        temperature_row.addWidget(self.slider, 1)
        temperature_row.addWidget(self.temperature_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.formula)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note, 1)
        layout.addLayout(temperature_row)
        layout.addWidget(self.entropy_label)
        self._show_temperature()
        self.show_nothing("")

    def _build_table(self) -> None:
        table = self.table
        # a style sheet of its own: the application's (10 pt for every widget) would win over setFont
        table.setStyleSheet(f"QTableWidget, QHeaderView {{ font-size: {TABLE_POINTS}pt; }}")
        table.ensurePolished()
        table.setHorizontalHeaderLabels(COLUMNS)
        for column, tip in enumerate(COLUMN_TIPS):
            table.horizontalHeaderItem(column).setToolTip(translate("Views", tip))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setShowGrid(False)
        table.setAlternatingRowColors(False)
        table.setWordWrap(False)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # _fit_columns: each to its numbers
        header.setMinimumSectionSize(16)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        vertical = table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 2)
        vertical.setMinimumSectionSize(table.fontMetrics().height() + 2)
        vertical.setHighlightSections(False)
        table.setMinimumHeight(5 * (table.fontMetrics().height() + 2))

    # --- the Inside workspace's panel interface ---------------------------------------------
    def show_context(self, context) -> None:
        """context: the InsideContext of the answer on screen."""
        result = context.answer
        loss = context.record.model_config.loss_name()
        data = context.data
        self._labels = class_labels(data.class_names if data is not None else (), len(result.logits))
        if loss == "mse" or result.probabilities is None:
            trained = (translate("Views", "linear regression") if context.record.model_config.kind == "linear"
                       else translate("Views", "trained with mean squared error"))
            self._show_message(translate("Views", "{model}: its outputs are values, there is no softmax")
                               .format(model=trained))
        elif loss == "bce":
            self._show_message(translate("Views", "binary cross-entropy: each output is its own probability (a "
                                                  "sigmoid of its own score), there is no softmax"))
        else:
            self.logits = np.asarray(result.logits, np.float64)
            self.predicted = int(result.predicted)
            self._fill()

    def show_nothing(self, why: str) -> None:
        self._show_message(why)

    def set_temperature(self, temperature: float) -> None:
        """Show the table at temperature T (clamped to [0.1, 10]); the slider follows."""
        self.temperature = float(min(max(temperature, T_MIN), T_MAX))
        self.slider.blockSignals(True)
        self.slider.setValue(slider_position(self.temperature))
        self.slider.blockSignals(False)
        self._show_temperature()
        if self.logits is not None:
            self._fill()

    # --- drawing -------------------------------------------------------------------------------
    def _on_slider(self, position: int) -> None:
        self.temperature = slider_temperature(position)
        self._show_temperature()
        if self.logits is not None:
            self._fill()

    def _show_temperature(self) -> None:
        self.temperature_label.setText(f"= {self.temperature:.3g}")
        self.temperature_label.setMinimumWidth(self.temperature_label.fontMetrics().horizontalAdvance("= 0.000"))

    def _show_message(self, text: str) -> None:
        self.logits = self.probabilities = self.entropy = self.predicted = None
        self.note.setText(text)
        self.note.show()
        self.table.hide()
        self.table.setRowCount(0)
        self.formula.hide()
        self.entropy_label.setText("")

    def _fill(self) -> None:
        z, T = self.logits, self.temperature
        shifted = z - z.max()
        exp = np.exp(shifted / T)
        total = float(exp.sum())
        self.probabilities = softmax(z, temperature=T)          # the engine's, as the model's answer
        self.entropy = entropy_bits(self.probabilities)
        k = len(z)
        table = self.table
        table.setUpdatesEnabled(False)
        table.setRowCount(k + 1)
        table.setVerticalHeaderLabels([*self._labels, "Σ"])
        bold = QFont(table.font())
        bold.setBold(True)
        for row in range(k):
            cells = (z[row], shifted[row], exp[row], self.probabilities[row])
            for column, value in enumerate(cells):
                self._set(row, column, significant(value), row == self.predicted, bold)
            header = table.verticalHeaderItem(row)
            header.setFont(bold if row == self.predicted else table.font())
            header.setForeground(QBrush(QColor(PREDICTED_COLOR)) if row == self.predicted else QBrush())
            header.setToolTip(translate("Views", "class {unit}").format(unit=row) + f": {self._labels[row]}")
        for column, text in enumerate(("", "", significant(total), significant(self.probabilities.sum()))):
            self._set(k, column, text, False, bold)
            table.item(k, column).setFont(bold)
        table.setUpdatesEnabled(True)
        self.note.hide()
        self.formula.show()
        table.show()
        self._fit_columns()
        uniform = math.log2(k) if k > 1 else 0.0
        self.entropy_label.setText(translate("Views", "entropy {bits} bits (uniform: {uniform})").format(
            bits=f"{self.entropy:.3g}", uniform=f"{uniform:.3g}"))
        self.entropy_label.setToolTip(translate("Views", "−Σ p log₂ p of the probabilities shown: 0 when the model is "
                                                         "sure, {uniform} bits when all {k} classes are equally likely")
                                      .format(uniform=f"{uniform:.3g}", k=k))

    def needed_widths(self) -> list[int]:
        """The px each column needs for its header and its numbers (bold or not) without eliding."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        metrics, header_metrics = QFontMetrics(bold), QFontMetrics(self.table.horizontalHeader().font())
        widths = []
        for column in range(self.table.columnCount()):
            texts = [self.table.item(row, column).text() for row in range(self.table.rowCount())
                     if self.table.item(row, column) is not None]
            width = max([metrics.horizontalAdvance(t) for t in texts] + [0])
            widths.append(max(width, header_metrics.horizontalAdvance(COLUMNS[column])) + CELL_PADDING)
        return widths

    def _fit_columns(self) -> None:
        """Each column as wide as its widest number, the room left shared out equally; the rows are
        named by the class names where they fit beside the numbers, else by the class numbers (the
        name in the row's tooltip)."""
        table = self.table
        if not table.rowCount():
            return
        widths = self.needed_widths()
        frame = 2 * table.frameWidth()
        rows_tall = table.verticalHeader().length() + table.horizontalHeader().height() + frame > table.height()
        available = table.width() - frame - (table.verticalScrollBar().sizeHint().width() if rows_tall else 0)
        bold = QFont(table.verticalHeader().font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        names = [*self._labels, "Σ"]
        if sum(widths) + max(metrics.horizontalAdvance(n) for n in names) + CELL_PADDING > available:
            names = [*(str(i) for i in range(len(self._labels))), "Σ"]
        for row, name in enumerate(names):
            item = table.verticalHeaderItem(row)
            if item is not None and item.text() != name:
                item.setText(name)
        spare = max(available - table.verticalHeader().sizeHint().width() - sum(widths), 0)
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width + spare // len(widths))

    def _set(self, row: int, column: int, text: str, predicted: bool, bold: QFont) -> None:
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        item.setText(text)
        item.setFont(bold if predicted else self.table.font())
        item.setBackground(QBrush(QColor(PREDICTED_BACKGROUND)) if predicted else QBrush())
        # the predicted row's own dark text on its light band: the theme's text may be light (dark theme)
        item.setForeground(QBrush(QColor(PREDICTED_COLOR)) if predicted else QBrush())
