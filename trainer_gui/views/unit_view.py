"""A selected unit (the cursor's layer and unit) at work on the input of the draw pad: its incoming
weights, its pre-activation written out with the numbers, its activation, what it passes on, and the
held-out digits that excite it most."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from . import WEIGHT_COLORMAP, axis_font, class_labels
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..tiles import symmetric_limit
from ..training.background import BackgroundJob
from .tiled_image import TiledImage

TERMS_SHOWN = 4          # the largest terms of z written out (one fewer in a narrow panel)
GALLERY_SIZE = 8         # held-out digits that excite the unit most
NEXT_LAYER_BARS = 10     # a deeper unit's largest contributions to the next hidden layer
WIDE_PIXELS = 420        # px from which captions and the formula are written in full
SIDE_BY_SIDE_PIXELS = 680  # px from which the three pictures stand side by side
HINT = QT_TRANSLATE_NOOP("Views", "Click a unit in the network to see what it does")   # translated when shown
ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "σ", "tanh": "tanh", "identity": "identity"}
ACTIVATION_FORMULAS = {"relu": "max(0, z)", "sigmoid": "1 / (1 + e<sup>−z</sup>)", "tanh": "tanh z",
                       "identity": "z"}
POSITIVE, NEGATIVE, HIGHLIGHT, MUTED = "#c0392b", "#2f5fd0", "#1f5fa8", "#b9c7d8"
NOTE = "#606060"


def activate(name: str, z):
    """The activation `name` of z, in float64 (the engine's formulas, without its in-place buffers)."""
    z = np.asarray(z, np.float64)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    if name == "tanh":
        return np.tanh(z)
    return z


def number(value: float) -> str:
    """Three significant digits, with a real minus sign (rich text)."""
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}·10<sup>{int(exponent)}</sup>"
    return text.replace("-", "−")


def _bracketed(value: float) -> str:
    return f"({number(value)})" if value < 0 else number(value)


def _drawable(values: np.ndarray) -> np.ndarray:
    """Bar heights a plot can scale to: a diverged run's NaN as 0, ±inf as the float32 limits."""
    big = float(np.finfo(np.float32).max)
    return np.nan_to_num(np.asarray(values, np.float64), nan=0.0, posinf=big, neginf=-big)


def _images_word(data) -> str:
    """What the gallery calls its images: digits when the classes are the ten digits (MNIST)."""
    names = tuple(getattr(data, "class_names", ()) or ())
    return translate("Views", "digits") if names and all(str(name).isdigit() for name in names) \
        else translate("Views", "images")


def best_columns(count: int, tile_shape, width: float, height: float) -> int:
    """The columns of a grid of `count` tiles (h, w) that shows them largest in a width × height box."""
    h, w = tile_shape
    if count <= 0 or width <= 0 or height <= 0:
        return max(1, min(count, 4))

    def scale(columns):
        rows = -(-count // columns)
        return min(width / (columns * (w + 1)), height / (rows * (h + 1)))
    return max(range(1, count + 1), key=lambda columns: (scale(columns), -columns))


def layer_inputs(weights, biases, hidden: str, X: np.ndarray, layer: int) -> np.ndarray:
    """What layer `layer` reads for every row of X: X itself for the first, else the output of the
    hidden layer before it (float32, computed afresh: safe in a background thread)."""
    A = np.asarray(X, np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        return _through(weights, biases, hidden, A, layer)


def _through(weights, biases, hidden, A, layer):
    for i in range(layer):
        Z = A @ weights[i]
        if biases:
            Z += biases[i]
        A = activate(hidden, Z).astype(np.float32)
    return A


class UnitView(QWidget):
    """The cursor's unit (layer, unit) in the answer of the Inside workspace (a panel of its lower row).

    For tests and scripts, after each answer: `layer`, `unit`, `pre_activation` (z = Σ input ×
    weight + bias, in float64), `activation` (the layer's activation of z), `bias` (None for a model
    without), `incoming_weights` (W[:, unit]), `shown_image` (those weights as the image shown, or
    None when they are bars), `contributions` (activation × outgoing weights: what it adds to each
    class, or to each unit of the next layer; None for an output unit), `top_digits` /
    `top_activations` (the held-out digits that excite it most, once found; `gallery_busy` while
    they are being found for a deeper layer). All None while no unit is selected.
    """

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("unitView")
        self.session = session
        self.title = QLabel(translate("Views", "A selected unit"), objectName="viewTitle", wordWrap=True)
        self.hint = QLabel(translate("Views", HINT), objectName="unitHint", wordWrap=True,
                           alignment=Qt.AlignmentFlag.AlignCenter)
        self.formula = QLabel(objectName="unitFormula", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weights_caption = QLabel(wordWrap=True)
        self.contribution_caption = QLabel(wordWrap=True)
        self.gallery_caption = QLabel(wordWrap=True)
        self.weights_image = pg.GraphicsLayoutWidget()
        self.weights_image.ci.layout.setContentsMargins(2, 2, 2, 2)
        self.weights_box = self.weights_image.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.weights_box.setMenuEnabled(False)
        self.weights_item = pg.ImageItem()
        self.weights_item.setLookupTable(pg.colormap.get(WEIGHT_COLORMAP).getLookupTable(nPts=256))
        self.weights_box.addItem(self.weights_item)
        self.weights_bars, self.weights_bar_item = self._bar_plot()
        self.contribution_plot, self.contribution_bars = self._bar_plot()
        self.gallery = TiledImage()
        for view in (self.weights_image, self.weights_bars, self.contribution_plot, self.gallery):
            view.setMinimumSize(60, 50)
        self._context = None
        self._gallery_key = None       # (record, step, layer, unit, data) the gallery shows
        self._gallery_tiles = self._gallery_columns = None
        self._inputs_key = self._inputs = None   # the held-out set's inputs to a deeper layer, cached
        self._job = self._job_key = self._wanted = None
        self._forget()
        self._build_layout()
        session.cursor.changed.connect(self._on_cursor_changed)
        self._show_hint(HINT)

    def _bar_plot(self):
        widget = pg.PlotWidget(enableMenu=False)
        plot = widget.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        for name in ("bottom", "left"):
            plot.getAxis(name).setTickFont(axis_font())
        plot.getAxis("left").setWidth(36)
        plot.getAxis("bottom").setHeight(22)
        bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        plot.addItem(bars)
        plot.addLine(y=0, pen=pg.mkPen("#909090", width=1))
        return widget, bars

    def _build_layout(self) -> None:
        content = QWidget()
        self.grid = QGridLayout(content)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.weights_box_widget = QWidget()
        stack = QVBoxLayout(self.weights_box_widget)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(0)
        stack.addWidget(self.weights_image)
        stack.addWidget(self.weights_bars)
        self.weights_bars.hide()      # one of the two at a time (both would double the minimum height)
        for caption in (self.weights_caption, self.contribution_caption, self.gallery_caption):
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.wide = self.side_by_side = None
        self._arrange(side_by_side=False)
        self.content = content
        pages = QWidget()
        self.pages = QStackedLayout(pages)
        self.pages.addWidget(self.hint)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(pages, 1)
        self.gallery.view_box.sigResized.connect(self._retile)

    def _arrange(self, side_by_side: bool) -> None:
        """The weights, the contributions and the digits side by side under the formula, or (the
        lower row of a 1280 px window is shared by three panels) the weights beside the digits and
        the contributions below them across the panel."""
        if side_by_side == self.side_by_side:
            return
        self.side_by_side = side_by_side
        grid = self.grid
        for widget in (self.formula, self.weights_caption, self.contribution_caption, self.gallery_caption,
                       self.weights_box_widget, self.contribution_plot, self.gallery):
            grid.removeWidget(widget)
        for row in range(5):
            grid.setRowStretch(row, 0)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        if side_by_side:
            grid.addWidget(self.formula, 0, 0, 1, 3)
            grid.addWidget(self.weights_caption, 1, 0)
            grid.addWidget(self.contribution_caption, 1, 1)
            grid.addWidget(self.gallery_caption, 1, 2)
            grid.addWidget(self.weights_box_widget, 2, 0)
            grid.addWidget(self.contribution_plot, 2, 1)
            grid.addWidget(self.gallery, 2, 2)
            grid.setRowStretch(2, 1)
            for column in range(3):
                grid.setColumnStretch(column, 1)
        else:
            grid.addWidget(self.formula, 0, 0, 1, 2)
            grid.addWidget(self.weights_caption, 1, 0)
            grid.addWidget(self.gallery_caption, 1, 1)
            grid.addWidget(self.weights_box_widget, 2, 0)
            grid.addWidget(self.gallery, 2, 1)
            grid.addWidget(self.contribution_caption, 3, 0, 1, 2)
            grid.addWidget(self.contribution_plot, 4, 0, 1, 2)
            grid.setRowStretch(2, 1)
            grid.setRowStretch(4, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide, side_by_side = self.width() >= WIDE_PIXELS, self.width() >= SIDE_BY_SIDE_PIXELS
        if (wide, side_by_side) != (self.wide, self.side_by_side):
            self.wide = wide
            self._arrange(side_by_side)
            if self._context is not None and self.layer is not None:
                self._draw()   # the captions and the formula, long or short

    def _say(self, label: QLabel, long: str, short: str, tip: str | None = None) -> None:
        """A caption in full in a wide panel, shortened in a narrow one; the tooltip says it all."""
        label.setText(long if self.wide else short)
        label.setToolTip(tip or long)

    # --- what the workspace hands over ---------------------------------------------------------
    def show_context(self, context) -> None:
        self._context = context
        self._draw()

    def _draw(self) -> None:
        with np.errstate(invalid="ignore", over="ignore"):   # a diverged run's NaN and inf
            self._draw_unit()

    def show_nothing(self, why: str) -> None:
        self._context = None
        self._forget()
        self.title.setText(translate("Views", "A selected unit"))
        self._show_hint(why)

    def _on_cursor_changed(self, names) -> None:
        if self._context is not None and names & {"layer", "unit"}:
            self._draw()   # at once: the workspace's answer follows within 50 ms

    def _forget(self) -> None:
        self.layer = self.unit = self.pre_activation = self.activation = self.bias = None
        self.incoming_weights = self.shown_image = self.contributions = None
        self.top_digits = self.top_activations = self.shown_step = None

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.pages.setCurrentWidget(self.hint)

    # --- drawing ------------------------------------------------------------------------------------
    def _draw_unit(self) -> None:
        context, cursor = self._context, self.session.cursor
        layer, unit = cursor.layer, cursor.unit
        model = context.model
        n_layers = len(model.weights)
        if layer is None or unit is None or not (0 <= layer < n_layers and 0 <= unit < model.weights[layer].shape[1]):
            self._forget()
            self.title.setText(translate("Views", "A selected unit"))
            self._show_hint(translate("Views", HINT) if layer is None or unit is None
                            else translate("Views", "The selected unit is not in this model.") + " "
                            + translate("Views", HINT))
            return
        result = context.answer
        is_output = layer == n_layers - 1
        names = class_labels(context.data.class_names if context.data is not None else (),
                             model.weights[-1].shape[1])
        inputs = np.asarray(result.x if layer == 0 else result.layers[layer - 1], np.float64)
        w = np.asarray(model.weights[layer][:, unit], np.float64)
        bias = float(model.biases[layer][unit]) if model.biases else None
        terms = inputs * w
        z = float(terms.sum() + (bias or 0.0))
        activation_name = (model.output if is_output else model.hidden).name
        a = float(activate(activation_name, z))
        self.layer, self.unit, self.bias = layer, unit, bias
        self.pre_activation, self.activation = z, a
        self.incoming_weights = w
        self.shown_step = context.moment.step
        width = model.weights[layer].shape[1]
        if is_output:
            named = names[unit] != str(unit)
            self._say(self.title, translate("Views", "Output unit {unit}: the score of class {name}").format(
                          unit=unit, name=names[unit]),
                      translate("Views", "Output {unit}").format(unit=unit) + (f": {names[unit]}" if named else ""))
        else:
            full = translate("Views", "Hidden layer {layer}, unit {unit} of {width}").format(
                layer=layer + 1, unit=unit, width=f"{width:,}")
            self._say(self.title, full, translate("Views", "Hidden {layer}, unit {unit}").format(layer=layer + 1,
                                                                                                  unit=unit), full)
        self.formula.setText(self._formula(context, layer, terms, inputs, w, bias, z, a, activation_name,
                                           is_output, names))
        self._draw_weights(context, layer, w)
        self._draw_contributions(context, layer, unit, a, is_output, names)
        self._draw_gallery(context, layer, unit)
        self.pages.setCurrentWidget(self.content)

    def _formula(self, context, layer, terms, inputs, w, bias, z, a, activation_name, is_output, names) -> str:
        """z written out with its largest terms (by size), the others summed, then its activation."""
        used = np.flatnonzero(inputs != 0)
        order = used[np.argsort(-np.abs(terms[used]), kind="stable")]
        count = TERMS_SHOWN if self.wide else TERMS_SHOWN - 2
        shown, rest = order[:count], order[count:]
        parts = [f"{number(inputs[k])}×{_bracketed(w[k])}" for k in shown]
        if len(rest):
            parts.append(f"<i>{len(rest):,} more</i> {_bracketed(float(terms[rest].sum()))}")
        if bias is not None:
            parts.append(f"b {_bracketed(bias)}")
        what = "pixel × weight" if layer == 0 else "input × weight"
        zero = len(inputs) - len(used)
        self.formula.setToolTip(f"z = Σ {what}{' + bias' if bias is not None else ''} over all {len(inputs):,} "
                                f"inputs: the {len(shown)} largest terms are written out, the "
                                f"{len(rest):,} other non-zero ones summed" + (f"; {zero:,} inputs are 0" if zero else ""))
        lines = [f"<b>z</b> = Σ {what}{' + b' if bias is not None else ''} = {' + '.join(parts) or '0'}"
                 f" = <b>{number(z)}</b>"]
        if zero and self.wide:
            lines[0] += f" <span style='color:{NOTE}'>({zero:,} inputs are 0)</span>"
        name = ACTIVATION_NAMES.get(activation_name, activation_name)
        formula = ACTIVATION_FORMULAS.get(activation_name, "z")
        unit = self.unit
        if is_output:
            loss = context.record.model_config.loss_name() if context.record is not None else "softmax_ce"
            probabilities = context.answer.probabilities
            if loss == "softmax_ce" and probabilities is not None:
                p = f"<b>p = {100 * float(probabilities[unit]):.1f}%</b>"
                lines.append(f"softmax of the {len(probabilities)} scores: {p} that it is {html.escape(names[unit])}"
                             if self.wide else f"softmax: {p}")
            elif activation_name != "identity":
                lines.append(f"<b>{name}(z)</b> = {formula} = <b>{number(a)}</b>")
            else:
                lines.append(f"the output is z itself: <b>{number(a)}</b>"
                             + (f" (its target is 1 for a {html.escape(names[unit])})" if self.wide else ""))
        else:
            state = ""
            if activation_name == "relu":
                state = ("on" if a > 0 else "off: it passes nothing on") if self.wide else ("on" if a > 0 else "off")
            lines.append(f"<b>{name}(z)</b> = {formula} = <b>{number(a)}</b>"
                         + (f": {'the unit is ' if self.wide else ''}{state}" if state else ""))
        return "<br>".join(lines)

    def _draw_weights(self, context, layer, w) -> None:
        data = context.data
        shape = tuple(data.image_shape) if data is not None else None
        if layer == 0 and shape is not None and int(np.prod(shape)) == len(w):
            image = w.reshape(shape).astype(np.float32)
            limit = symmetric_limit(image)
            self.weights_item.setImage(image, levels=(-limit, limit), autoLevels=False)
            self.weights_box.setRange(xRange=(0, shape[1]), yRange=(0, shape[0]), padding=0.02)
            self.shown_image = image
            tip = translate("Views", "Its incoming weights, one per pixel: red positive, blue negative, white 0 (the "
                                     "colours run from −{limit} to +{limit})").format(limit=f"{limit:.3g}")
            self._say(self.weights_caption, translate("Views", "Weights in (red +, blue −)"),
                      translate("Views", "Weights in"), tip)
            self.weights_image.setToolTip(tip)
            self.weights_image.show()
            self.weights_bars.hide()
            return
        self.shown_image = None
        w = _drawable(w)
        brushes = [POSITIVE if v > 0 else NEGATIVE for v in w]
        self.weights_bar_item.setOpts(x=np.arange(len(w)), height=w, width=0.8, brushes=brushes, pen=None)
        plot = self.weights_bars.getPlotItem()
        plot.setXRange(-0.5, len(w) - 0.5, padding=0.01)
        low, high = float(min(w.min(), 0)), float(max(w.max(), 0))
        plot.setYRange(low, high if high > low else low + 1, padding=0.05)
        source = translate("Views", "hidden layer {layer}").format(layer=layer) if layer > 0 \
            else translate("Views", "the inputs")
        tip = translate("Views", "Its incoming weights, one bar per unit of {source} ({count}): red positive, blue "
                                 "negative").format(source=source, count=f"{len(w):,}")
        self._say(self.weights_caption, translate("Views", "Weights in (from hidden {layer})").format(layer=layer)
                  if layer > 0 else translate("Views", "Weights in"), translate("Views", "Weights in"), tip)
        self.weights_bars.setToolTip(tip)
        self.weights_image.hide()
        self.weights_bars.show()

    def _draw_contributions(self, context, layer, unit, a, is_output, names) -> None:
        model = context.model
        plot = self.contribution_plot.getPlotItem()
        if is_output:
            values = np.asarray(context.answer.logits, np.float64)
            x, labels = np.arange(len(values)), names
            brushes = [HIGHLIGHT if i == unit else MUTED for i in x]
            loss = context.record.model_config.loss_name() if context.record is not None else "softmax_ce"
            if loss == "softmax_ce":
                self._say(self.contribution_caption, translate("Views", "Its score among all the classes' scores"),
                          translate("Views", "All the scores"))
            else:
                self._say(self.contribution_caption, translate("Views", "Its output among all the classes' outputs"),
                          translate("Views", "All the outputs"))
            self.contributions = None
        else:
            outgoing = np.asarray(model.weights[layer + 1][unit], np.float64)
            self.contributions = a * outgoing
            if layer + 1 == len(model.weights) - 1:
                values, x, labels = self.contributions, np.arange(len(outgoing)), names
                long = translate("Views", "What it adds to each class (activation × weight)")
                short = translate("Views", "Adds to each class")
                tip = translate("Views", "activation × its weight into each class's score: what this unit adds to "
                                         "that score")
            else:
                top = np.argsort(-np.abs(self.contributions), kind="stable")[:NEXT_LAYER_BARS]
                values, x, labels = self.contributions[top], np.arange(len(top)), [str(int(j)) for j in top]
                long = translate("Views", "Direct contribution to the next layer (its {count} largest, by unit)") \
                    .format(count=len(top))
                short = translate("Views", "Adds to the next layer")
                tip = translate("Views", "Direct contribution to the next layer (hidden layer {layer}): activation × "
                                         "weight into each of its units, the {count} largest, labelled by unit") \
                    .format(layer=layer + 2, count=len(top))
            if a == 0:
                long, short = long + translate("Views", ": nothing, it is off"), short + translate("Views", ": 0 (off)")
            self._say(self.contribution_caption, long, short, tip)
            brushes = [POSITIVE if v > 0 else NEGATIVE for v in values]
        values = _drawable(values)
        self.contribution_bars.setOpts(x=x, height=values, width=0.7, brushes=brushes, pen=None)
        plot.getAxis("bottom").setTicks([self._tick_labels(plot, labels)])
        plot.setXRange(-0.6, len(values) - 0.4, padding=0)
        low, high = float(min(values.min(), 0)), float(max(values.max(), 0))
        if high - low <= 0:
            low, high = -1.0, 1.0
        plot.setYRange(low, high, padding=0.08)

    def _tick_labels(self, plot, labels) -> list:
        """The class names under the bars when they fit, else their numbers (the names are in the
        tooltips of the other views): "T-shirt/top" cannot stand under a 20 px bar."""
        metrics = QFontMetricsF(axis_font())
        slot = max(plot.getViewBox().width(), self.contribution_plot.width() - 40) / max(len(labels), 1)
        if max(metrics.horizontalAdvance(label) for label in labels) > slot - 4:
            labels = [str(i) for i in range(len(labels))] if not all(label.isdigit() for label in labels) else labels
        return list(enumerate(labels))

    # --- the held-out digits that excite it most ---------------------------------------------
    def _draw_gallery(self, context, layer, unit) -> None:
        data, record, moment = context.data, context.record, context.moment
        if data is None or not len(data.y_eval) or context.model.weights[0].shape[0] != data.X_eval.shape[1]:
            self.top_digits = self.top_activations = self._gallery_key = None
            self._clear_gallery()
            self._say(self.gallery_caption, translate("Views", "Held-out images that excite it most: no held-out set"),
                      translate("Views", "Top images: none"))
            return
        key = (id(record), moment.step, layer, unit, id(data))
        if key == self._gallery_key:
            return
        inputs_key = key[:3] + key[4:]
        if layer == 0:
            inputs = data.X_eval
        elif inputs_key == self._inputs_key:
            inputs = self._inputs
        else:
            self._ask_inputs(context, layer, inputs_key)
            if self._gallery_key is None or self._gallery_key[2:4] != (layer, unit):
                self._clear_gallery()      # another unit's digits would mislead
                self.top_digits = self.top_activations = self._gallery_key = None
            word = _images_word(data)
            self._say(self.gallery_caption,
                      translate("Views", "Held-out {images} that excite it most: finding them…").format(images=word),
                      translate("Views", "Top {images}…").format(images=word))
            return
        self._fill_gallery(context, layer, unit, inputs, key)

    def _fill_gallery(self, context, layer, unit, inputs, key) -> None:
        """One matrix-vector product over the held-out set (about 3 ms for 10,000 MNIST digits)."""
        model, data = context.model, context.data
        z = inputs @ model.weights[layer][:, unit]
        if model.biases:
            z = z + model.biases[layer][unit]
        count = min(GALLERY_SIZE, len(z))
        top = np.argpartition(-z, count - 1)[:count] if count < len(z) else np.arange(len(z))
        top = top[np.argsort(-z[top], kind="stable")]
        is_output = layer == len(model.weights) - 1
        activations = activate((model.output if is_output else model.hidden).name, z[top])
        self.top_digits, self.top_activations = top.astype(int), np.asarray(activations, np.float64)
        self._gallery_key = key
        images = np.asarray(data.X_eval[top], np.float32).reshape(len(top), *data.image_shape)
        names = class_labels(data.class_names, max(data.n_classes, int(data.y_eval.max()) + 1))
        tips = [translate("Views", "{split} image {index}: a {label}, activation {activation}").format(
                    split=translate("Views", data.eval_name), index=f"{i:,}", label=names[int(data.y_eval[i])],
                    activation=f"{activation:.3g}")
                for i, activation in zip(top, activations)]
        self._gallery_tiles, self._gallery_columns = (images, tips), None
        self._retile()
        word = _images_word(data)
        self._say(self.gallery_caption, translate("Views", "Held-out {images} that excite it most").format(images=word),
                  translate("Views", "Top {images}").format(images=word),
                  translate("Views", "the {count} of the {total} {split} images with the largest activation of this "
                                     "unit, largest first (hover over one for its number)")
                  .format(count=count, total=f"{len(z):,}", split=translate("Views", data.eval_name)))

    def _clear_gallery(self) -> None:
        self.gallery.clear_tiles()
        self._gallery_tiles = self._gallery_columns = None

    def _retile(self, *_) -> None:
        """The digits in the grid that makes them largest in the gallery's box (again at each resize)."""
        if self._gallery_tiles is None:
            return
        images, tips = self._gallery_tiles
        rect = self.gallery.view_box.boundingRect()
        columns = best_columns(len(images), images.shape[1:], rect.width(), rect.height())
        if columns != self._gallery_columns:
            self._gallery_columns = columns
            self.gallery.show_tiles(images, columns, (0, 1), (), tips)   # refits the view to a new grid

    def _ask_inputs(self, context, layer, inputs_key) -> None:
        """The held-out set through the layers before `layer`, in a BackgroundJob (one at a time:
        the newest request is made when the running one ends)."""
        self._wanted = inputs_key
        if self._job is not None:
            return
        weights, biases = context.model.weights, context.model.biases   # read-only arrays of the moment
        hidden, X = context.model.hidden.name, context.data.X_eval
        job = BackgroundJob(lambda: layer_inputs(weights, biases, hidden, X, layer), "unit gallery", owner=self)
        # bound methods: a view closed meanwhile is not called
        job.succeeded.connect(self._inputs_found)
        job.failed.connect(self._inputs_failed)
        self._job, self._job_key = job.start(), inputs_key

    def _inputs_found(self, inputs) -> None:
        self._inputs_ready(self._job_key, inputs)

    def _inputs_failed(self, error) -> None:
        self._inputs_ready(self._job_key, None)

    def _inputs_ready(self, inputs_key, inputs) -> None:
        self._job = self._job_key = None
        wanted, self._wanted = self._wanted, None
        if inputs is not None:
            self._inputs_key, self._inputs = inputs_key, inputs
        if self._context is None or wanted is None:
            return
        if inputs is None and wanted == inputs_key:
            word = _images_word(self._context.data)
            self._say(self.gallery_caption,
                      translate("Views", "Held-out {images} that excite it most: could not find them").format(
                          images=word),
                      translate("Views", "Top {images}: failed").format(images=word))
            return
        self._draw()   # the gallery from these inputs, or a new request for the newest moment

    @property
    def gallery_busy(self) -> bool:
        """The held-out digits that excite a unit of a deeper layer are being found."""
        return self._job is not None
