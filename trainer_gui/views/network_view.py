"""The network at work: the layers as columns of units lit by their activation for the input on the
draw pad, the strongest connections between them, and a click to select a unit (the cursor's layer
and unit, which the unit view explains)."""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsTextItem,
                               QGraphicsView, QLabel, QVBoxLayout, QWidget)

from ..i18n import translate
from . import WEIGHT_COLORMAP, class_labels

UNIT_LIMIT = 16          # units shown per layer at most (the most active first)
EDGES_PER_UNIT = 3       # the strongest incoming connections drawn to each shown unit
FONT_POINTS = 9
MIN_PITCH = 13           # px between unit centres at least: fewer units are shown in a lower panel
MAX_PITCH = 30
MARGIN = 6
ACTIVE_COLOR = QColor("#f08c00")       # a unit fully on (positive activation)
NEGATIVE_COLOR = QColor("#6a51a3")     # a unit fully negative (tanh, a linear output)
OFF_COLOR = QColor("#ffffff")
UNIT_EDGE = QColor("#7a7a7a")
PREDICTED_COLOR = QColor("#1f5fa8")    # as the probability view
SELECTED_COLOR = QColor("#7a3db8")     # as the timeline's moment line
TEXT_COLOR = QColor("#303030")
NOTE_COLOR = QColor("#606060")
ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "identity": "linear"}


def _edge_colors() -> tuple[QColor, QColor]:
    """Negative and positive ends of the weights' diverging colour map (blue, red)."""
    low, high = pg.colormap.get(WEIGHT_COLORMAP).map([0.05, 0.95], mode="byte")
    return QColor(*low[:3]), QColor(*high[:3])


def most_active(activations: np.ndarray, limit: int, keep=None) -> list[int]:
    """Indices of the `limit` units of largest |activation|, most active first (ties by index);
    `keep`, a unit that must be among them (the selected one), takes the last place if it is not."""
    order = np.argsort(-np.abs(activations), kind="stable")[:limit].tolist()
    if keep is not None and 0 <= keep < len(activations) and keep not in order and order:
        order[-1] = keep
    return [int(i) for i in order]


def _mix(color: QColor, amount: float) -> QColor:
    """`color` over white, by amount in [0, 1]."""
    amount = min(max(amount, 0.0), 1.0)
    return QColor(round(255 + (color.red() - 255) * amount), round(255 + (color.green() - 255) * amount),
                  round(255 + (color.blue() - 255) * amount))


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


class _Canvas(QGraphicsView):
    """The drawing: scene coordinates are the viewport's pixels (nothing is scaled, so text is
    drawn at its point size), redrawn by the NetworkView at every resize."""

    def __init__(self, owner: "NetworkView"):
        super().__init__(owner)
        self.owner = owner
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space stays the run's pause

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.owner.redraw()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            unit = self.owner.unit_at(self.mapToScene(event.position().toPoint()))
            if unit is not None:
                self.owner.select(*unit)
                event.accept()
                return
        super().mousePressEvent(event)


class NetworkView(QWidget):
    """The model of the Inside workspace's answer, layer by layer (a panel of its lower row).

    Columns: the input (the 28×28 picture the network reads), each hidden layer, the output with
    the class names. A wide layer shows its UNIT_LIMIT most active units (and the selected one),
    with "+ N more" below. A unit's fill is its activation for the input (orange: positive, purple:
    negative; white: zero), relative to the layer's largest; an output unit's is its probability
    when the model gives probabilities. The lines are the strongest contributions into each shown
    unit from the shown units (or pixels) before it: activation × weight, red positive, blue
    negative, wider when larger. The predicted class is outlined blue, the selected unit purple.
    Clicking a unit selects it: session.cursor.set(layer=i, unit=j), i the weight layer whose
    output it is (0 = the first hidden layer, or the output of a one-layer model).

    For tests and scripts: `shown_units` (layer -> unit indices shown, top to bottom),
    `shown_activations` (layer -> their activations, Answer.layers), `shown_brightness` (layer ->
    their fill, −1..1), `shown_predicted` (the output unit outlined as the answer), `shown_selection`
    ((layer, unit) outlined as selected, or None), `unit_position(layer, unit)` (where a click on
    `canvas.viewport()` selects it).
    """

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.session = session
        self.title = QLabel(translate("Views", "The network at work"), objectName="viewTitle", wordWrap=True)
        self.title.setToolTip(translate("Views", "Each unit is lit by its activation for the input; the lines are the "
                                                 "strongest activation × weight into each unit (red +, blue −). "
                                                 "Click a unit to see what it does."))
        self.canvas = _Canvas(self)
        self.canvas.setMinimumSize(180, 140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        self.text_font = QFont()
        self.text_font.setPointSize(FONT_POINTS)
        self.bold_font = QFont(self.text_font)
        self.bold_font.setBold(True)
        self.limit = UNIT_LIMIT
        self.negative_edge, self.positive_edge = _edge_colors()
        self.shown_units: dict[int, list[int]] = {}
        self.shown_activations: dict[int, np.ndarray] = {}
        self.shown_brightness: dict[int, np.ndarray] = {}
        self.shown_step = self.shown_selection = self.shown_predicted = None
        self._context = None
        self._why = translate("Inside", "Draw a digit, or take one from the held-out set")
        self._positions: dict[tuple[int, int], QPointF] = {}
        self._radius = 8.0
        session.cursor.changed.connect(self._on_cursor_changed)

    # --- what the workspace hands over ---------------------------------------------------------
    def show_context(self, context) -> None:
        self._context = context
        self.redraw()

    def show_nothing(self, why: str) -> None:
        self._context, self._why = None, why
        self.redraw()

    def _on_cursor_changed(self, names) -> None:
        if self._context is not None and names & {"layer", "unit"}:
            self.redraw()   # the outline moves at once (the workspace's answer follows within 50 ms)

    # --- selecting --------------------------------------------------------------------------------
    def unit_position(self, layer: int, unit: int):
        """The unit's centre in `canvas.viewport()` coordinates (a QPoint), or None if not shown."""
        centre = self._positions.get((layer, unit))
        return None if centre is None else self.canvas.mapFromScene(centre)

    def unit_scene_position(self, layer: int, unit: int):
        """The unit's centre in the canvas's scene (a QPointF), or None if not shown."""
        return self._positions.get((layer, unit))

    def unit_at(self, scene_point):
        """(layer, unit) of the unit under a scene point (a little slack around it), or None."""
        reach = self._radius + 3
        best, distance = None, reach
        for key, centre in self._positions.items():
            d = math.hypot(centre.x() - scene_point.x(), centre.y() - scene_point.y())
            if d <= distance:
                best, distance = key, d
        return best

    def select(self, layer: int, unit: int) -> None:
        self.session.cursor.set(layer=int(layer), unit=int(unit))

    # --- drawing ------------------------------------------------------------------------------------
    def redraw(self) -> None:
        scene = self.canvas.scene()
        scene.clear()
        self._positions = {}
        self.shown_units, self.shown_activations, self.shown_brightness = {}, {}, {}
        self.shown_selection = self.shown_predicted = None
        width, height = self.canvas.viewport().width(), self.canvas.viewport().height()
        scene.setSceneRect(0, 0, width, height)
        if self._context is None:
            self.shown_step = None
            self._note(self._why, width, height)
            return
        try:
            with np.errstate(invalid="ignore", over="ignore"):   # a diverged run's NaN and inf
                self._draw(self._context, width, height)
        except (ValueError, IndexError) as error:   # a model and data that do not fit together
            scene.clear()
            self._positions = {}
            self.shown_units, self.shown_activations, self.shown_brightness = {}, {}, {}
            self._note(translate("Views", "Cannot draw this network: {error}").format(error=error), width, height)

    def _note(self, text: str, width: int, height: int) -> None:
        """A message across the middle of the canvas, wrapped to its width."""
        note = QGraphicsTextItem()
        note.setFont(self.text_font)
        note.setDefaultTextColor(NOTE_COLOR)
        note.setTextWidth(max(width - 2 * MARGIN, 40))
        note.setHtml(f"<div align='center'>{html.escape(text)}</div>")
        note.setPos(MARGIN, max((height - note.boundingRect().height()) / 2, 0))
        self.canvas.scene().addItem(note)

    def _text(self, text: str, color=TEXT_COLOR, bold=False) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text)
        item.setFont(self.bold_font if bold else self.text_font)
        item.setBrush(QBrush(color))
        self.canvas.scene().addItem(item)
        return item

    def _draw(self, context, width: int, height: int) -> None:
        result = context.answer
        # a diverged run's NaN and ±inf: drawn as off and as fully on (the tooltips say the value)
        big = np.finfo(np.float32).max
        values = [np.asarray(a, np.float64) for a in result.layers]
        layers = [np.nan_to_num(a, nan=0.0, posinf=big, neginf=-big) for a in values]
        n_layers = len(layers)
        cursor = self.session.cursor
        selected = (cursor.layer, cursor.unit) if cursor.layer is not None and cursor.unit is not None else None
        self.shown_step = context.moment.step
        metrics = QFontMetricsF(self.text_font)
        line = metrics.height()
        header = 2 * line + 4
        footer = line + 4
        room = height - header - footer
        k = len(layers[-1])
        names = class_labels(context.data.class_names if context.data is not None else (), k)
        probabilities = result.probabilities
        out_values = (np.nan_to_num(np.asarray(probabilities, np.float64)) if probabilities is not None
                      else layers[-1])
        if probabilities is not None:
            value_text = [f"{100 * p:.0f}%" for p in out_values]
        else:
            value_text = [_number(v) for v in out_values]
        label_width = max(QFontMetricsF(self.bold_font).horizontalAdvance(f"{n} {v}") for n, v in zip(names, value_text)) + 9
        label_width = min(label_width, width * 0.3)

        # how many units a column can hold
        fits = max(2, int(room // MIN_PITCH))
        limit = min(self.limit, fits)
        shown = {}
        for i, a in enumerate(layers):
            keep = selected[1] if selected is not None and selected[0] == i else None
            if i == n_layers - 1 and len(a) <= limit:
                shown[i] = list(range(len(a)))       # the classes, in their order
            else:
                shown[i] = most_active(a, limit, keep)
        rows = max(len(units) for units in shown.values())
        pitch = min(MAX_PITCH, room / max(rows, 1))
        radius = max(4.0, min(10.0, pitch * 0.36))
        self._radius = radius

        # the input picture, then a column per layer
        x = np.nan_to_num(np.asarray(result.x, np.float64))
        shape = self._input_shape(context, len(x))
        side = max(min(room * 0.45, 112.0, width * 0.2), 28.0)
        thumb_width, thumb_height = side * shape[1] / max(shape), side * shape[0] / max(shape)
        thumb = QRectF(MARGIN, header + (room - thumb_height) / 2, thumb_width, thumb_height)
        self._draw_input(x, shape, thumb)
        first = thumb.right() + max(24.0, radius * 3)
        last = width - MARGIN - label_width - radius
        if n_layers == 1:
            columns = [first + 0.6 * (last - first)]
        else:
            columns = [first + radius + (last - first - 2 * radius) * i / (n_layers - 1) for i in range(n_layers)]

        def centre(i, row, count):
            top = header + (room - pitch * count) / 2
            return QPointF(columns[i], top + pitch * (row + 0.5))

        for i, units in shown.items():
            for row, unit in enumerate(units):
                self._positions[(i, unit)] = centre(i, row, len(units))

        self._draw_edges(context, layers, shown, x, shape, thumb)
        slots = self._slots(columns, thumb, width)
        self._draw_headers(context, layers, columns, slots, thumb, line)
        for i, units in shown.items():
            a = layers[i]
            is_output = i == n_layers - 1
            scale_values = out_values if is_output and probabilities is not None else a
            top = float(np.max(np.abs(scale_values))) if scale_values.size else 0.0
            brightness = (scale_values[units] / top) if top > 0 else np.zeros(len(units))
            if is_output and probabilities is not None:
                brightness = scale_values[units]       # a probability is its own scale
            self.shown_units[i] = list(units)
            self.shown_activations[i] = values[i][units].copy()
            self.shown_brightness[i] = np.asarray(brightness, np.float64)
            for unit, b in zip(units, brightness):
                self._draw_unit(context, i, unit, float(b), float(values[i][unit]), is_output, names, value_text,
                                result.predicted, selected)
            hidden = len(a) - len(units)
            if hidden > 0:
                bottom = centre(i, len(units) - 1, len(units)).y() + radius + 5   # below a selection ring
                self._place([translate("Views", "+ {count} more").format(count=f"{hidden:,}"), f"+{hidden:,}"],
                            columns[i], slots[i], bottom, color=NOTE_COLOR,
                            tip=translate("Views", "{count} units in this layer; the {shown} most active are shown")
                            .format(count=f"{len(a):,}", shown=len(units)))

    def _input_shape(self, context, n: int) -> tuple[int, int]:
        data = context.data
        if data is not None and int(np.prod(data.image_shape)) == n:
            return tuple(int(s) for s in data.image_shape)
        side = math.isqrt(n)
        if side * side == n:
            return side, side
        columns = math.ceil(math.sqrt(n))
        return math.ceil(n / columns), columns

    def _draw_input(self, x, shape, rect: QRectF) -> None:
        rows, cols = shape
        pixels = np.zeros(rows * cols, np.float64)
        pixels[:len(x)] = x
        grey = np.ascontiguousarray((np.clip(pixels, 0, 1) * 255).astype(np.uint8).reshape(rows, cols))
        image = QImage(grey.data, cols, rows, cols, QImage.Format.Format_Grayscale8).copy()
        pixmap = QPixmap.fromImage(image).scaled(round(rect.width()), round(rect.height()),
                                                 Qt.AspectRatioMode.IgnoreAspectRatio,
                                                 Qt.TransformationMode.FastTransformation)
        item = self.canvas.scene().addPixmap(pixmap)
        item.setPos(rect.topLeft())
        item.setZValue(1)
        item.setToolTip(translate("Views", "The input the network reads; the lines start at the pixels that add most "
                                           "to each unit"))
        frame = self.canvas.scene().addRect(rect, QPen(UNIT_EDGE, 1))
        frame.setZValue(2)

    def _pixel_point(self, pixel: int, shape, rect: QRectF) -> QPointF:
        row, col = divmod(int(pixel), shape[1])
        return QPointF(rect.left() + (col + 0.5) * rect.width() / shape[1],
                       rect.top() + (row + 0.5) * rect.height() / shape[0])

    def _draw_edges(self, context, layers, shown, x, shape, thumb) -> None:
        """Into each shown unit, its EDGES_PER_UNIT largest |activation × weight| from the shown
        units (the pixels, for the first layer) before it."""
        weights = context.model.weights
        for i, units in shown.items():
            W = weights[i]
            if i == 0:
                sources = np.flatnonzero(x)
                source_values = x[sources]
            else:
                sources = np.asarray(shown[i - 1])
                source_values = layers[i - 1][sources]
            if not len(sources) or not units:
                continue
            terms = source_values[:, None] * np.asarray(W[sources][:, units], np.float64)   # (sources, units)
            terms = np.nan_to_num(terms, nan=0.0, posinf=np.finfo(np.float32).max, neginf=-np.finfo(np.float32).max)
            count = min(EDGES_PER_UNIT, len(sources))
            strongest = np.argsort(-np.abs(terms), axis=0, kind="stable")[:count]           # (count, units)
            picked = np.take_along_axis(terms, strongest, axis=0)
            top = float(np.max(np.abs(picked))) if picked.size else 0.0
            if top <= 0:
                continue
            for column, unit in enumerate(units):
                end = self._positions[(i, unit)]
                for r in range(count):
                    value = picked[r, column]
                    if value == 0:
                        continue
                    source = int(sources[strongest[r, column]])
                    start = (self._pixel_point(source, shape, thumb) if i == 0
                             else self._positions[(i - 1, source)])
                    strength = abs(value) / top
                    color = QColor(self.positive_edge if value > 0 else self.negative_edge)
                    color.setAlpha(round(60 + 160 * strength))
                    # from the pixels: thinner (many lines meet at the picture), under it, with a dot
                    # on the pixel itself so the picture stays readable
                    pen = QPen(color, (0.5 + 2.0 * strength) if i == 0 else (0.6 + 3.0 * strength))
                    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                    item = self.canvas.scene().addLine(start.x(), start.y(), end.x(), end.y(), pen)
                    item.setZValue(0)
                    if i == 0:
                        color.setAlpha(255)
                        dot = self.canvas.scene().addEllipse(start.x() - 1.5, start.y() - 1.5, 3, 3,
                                                             QPen(Qt.PenStyle.NoPen), QBrush(color))
                        dot.setZValue(3)

    def _slots(self, columns, thumb, width) -> list[tuple[float, float]]:
        """(left, right) of the strip of the canvas each layer's texts may use: halfway to the
        columns beside it (the first: halfway from the input's picture); the output's reaches the
        right edge (its labels are there)."""
        bounds = [(thumb.center().x() + columns[0]) / 2] + [(a + b) / 2 for a, b in zip(columns[:-1], columns[1:])] + [width - 2]
        return list(zip(bounds[:-1], bounds[1:]))

    def _place(self, texts, x_centre, slot, y, bold=False, color=TEXT_COLOR, tip="") -> QGraphicsSimpleTextItem:
        """The first of `texts` (longest first) that fits the slot, centred on x_centre and kept
        inside the slot; the last one elided if none fits."""
        metrics = QFontMetricsF(self.bold_font if bold else self.text_font)
        room = slot[1] - slot[0]
        text = next((t for t in texts if metrics.horizontalAdvance(t) <= room), None)
        if text is None:
            text = metrics.elidedText(texts[-1], Qt.TextElideMode.ElideRight, room)
        item = self._text(text, color, bold)
        w = item.boundingRect().width()
        item.setPos(min(max(x_centre - w / 2, slot[0]), slot[1] - w), y)
        item.setToolTip(tip)
        return item

    def _draw_headers(self, context, layers, columns, slots, thumb, line) -> None:
        model = context.model
        n_layers = len(layers)
        n_inputs = len(context.answer.x)
        input_slot = (2.0, slots[0][0])
        tip = translate("Views", "the input: {count} pixel values").format(count=f"{n_inputs:,}")
        self._place([translate("Views", "input"), translate("Views", "in")], thumb.center().x(), input_slot, 2,
                    bold=True, tip=tip)
        self._place([f"{n_inputs:,} px", f"{n_inputs:,}"], thumb.center().x(), input_slot, 2 + line, tip=tip)
        loss = context.record.model_config.loss_name() if context.record is not None else "softmax_ce"
        for i in range(n_layers):
            n = len(layers[i])
            if i == n_layers - 1:
                kind = {"softmax_ce": "softmax", "bce": "sigmoid", "mse": translate("Views", "values")}.get(loss, "")
                tip = translate("Views", "the output layer: {count} units ({kind})").format(count=n, kind=kind)
                self._place([translate("Views", "output"), translate("Views", "out")], columns[i], slots[i], 2,
                            bold=True, tip=tip)
                self._place([f"{n} {kind}", kind, str(n)], columns[i], slots[i], 2 + line, tip=tip)
            else:
                act = ACTIVATION_NAMES.get(model.hidden.name, model.hidden.name)
                tip = translate("Views", "hidden layer {layer}: {count} units, {activation}").format(
                    layer=i + 1, count=f"{n:,}", activation=act)
                self._place([translate("Views", "hidden {layer}").format(layer=i + 1), f"h{i + 1}"], columns[i],
                            slots[i], 2, bold=True, tip=tip)
                self._place([f"{n:,} {act}", f"{n:,}"], columns[i], slots[i], 2 + line, tip=tip)

    def _draw_unit(self, context, layer, unit, brightness, activation, is_output, names, value_text,
                   predicted, selected) -> None:
        scene = self.canvas.scene()
        centre, r = self._positions[(layer, unit)], self._radius
        fill = _mix(ACTIVE_COLOR if brightness >= 0 else NEGATIVE_COLOR, abs(brightness))
        pen = QPen(UNIT_EDGE, 1)
        if is_output and unit == predicted:
            pen = QPen(PREDICTED_COLOR, 3)
            self.shown_predicted = unit
        item = QGraphicsEllipseItem(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        item.setBrush(QBrush(fill))
        item.setPen(pen)
        item.setZValue(4)
        item.setCursor(Qt.CursorShape.PointingHandCursor)
        if is_output:
            what = translate("Views", "output {unit} ({name})").format(unit=unit, name=names[unit])
        else:
            what = translate("Views", "hidden layer {layer}, unit {unit}").format(layer=layer + 1, unit=unit)
        item.setToolTip(translate("Views", "{what}: activation {value}\nClick to see what it does").format(
            what=what, value=_number(activation)))
        scene.addItem(item)
        if selected == (layer, unit):
            self.shown_selection = (layer, unit)
            ring = scene.addEllipse(centre.x() - r - 4, centre.y() - r - 4, 2 * r + 8, 2 * r + 8,
                                    QPen(SELECTED_COLOR, 2.5))
            ring.setZValue(5)
        if is_output:
            bold = unit == predicted
            label = self._text(f"{names[unit]} {value_text[unit]}", PREDICTED_COLOR if bold else TEXT_COLOR, bold)
            metrics = QFontMetricsF(self.bold_font if bold else self.text_font)
            room = self.canvas.viewport().width() - (centre.x() + r + 7) - 2
            label.setText(metrics.elidedText(label.text(), Qt.TextElideMode.ElideRight, max(room, 10)))
            label.setPos(centre.x() + r + 7, centre.y() - label.boundingRect().height() / 2)
            label.setToolTip(item.toolTip())
            label.setZValue(4)
