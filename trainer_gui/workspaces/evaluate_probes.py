"""The Evaluate workspace's two computed panels: robustness curves on spoiled digits and a 2-D map
of a layer, each computed off the GUI thread for the shown moment and cached by (run, step)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QToolTip, QVBoxLayout, QWidget

from engine.projection import align, fixed_subsample, layer_activations, layer_map, layer_names, tsne_2d, tsne_available
from engine.robustness import SPOILERS, robustness_curves, spoil

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..state.record import model_of
from ..training.cached_jobs import CachedJobs
from ..views import class_labels, pt, style_plot

# ten classes told apart at a glance (the "tab10" qualitative palette); more classes get hues
CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf")
TITLES = {"noise": QT_TRANSLATE_NOOP("Evaluate", "Gaussian noise"), "rotation": QT_TRANSLATE_NOOP("Evaluate", "Rotation"),
          "shift": QT_TRANSLATE_NOOP("Evaluate", "Shift"),
          "thickness": QT_TRANSLATE_NOOP("Evaluate", "Stroke thickness")}   # translated when shown


class _Sizes:
    """The layer widths of a recorded moment, as engine.projection.layer_names reads them."""

    def __init__(self, moment):
        self.sizes = [moment.weights[0].shape[0]] + [w.shape[1] for w in moment.weights]


class RobustnessPanel(QWidget):
    """A curve per way of spoiling the held-out digits (noise, rotation, shift, thickness): the
    accuracy at each setting, the chosen setting marked, and a held-out digit spoiled that way.

    `curves` is {name: (settings, accuracy)} on screen (None before), `shown_step` its moment.
    """

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.curves = self.shown_step = None
        self._computed = CachedJobs(self, "robustness", self._on_computed)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setObjectName("robustnessView")
        self.view.setFixedHeight(260)
        self._plots, self._lines, self._marks = {}, {}, {}
        for col, (name, spoiler) in enumerate(SPOILERS.items()):
            plot = self.view.addPlot(row=0, col=col, enableMenu=False)
            style_plot(plot, translate("Evaluate", TITLES[name]), spoiler.label.split(" (")[0],
                       translate("Evaluate", "accuracy") if col == 0 else "")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getAxis("bottom").enableAutoSIPrefix(False)   # σ 0.2, not 200 × 0.001
            ends = [float(spoiler.settings[0]), 0.0, float(spoiler.settings[-1])]
            plot.getAxis("bottom").setTicks([[(value, f"{value:g}") for value in dict.fromkeys(ends)]])
            plot.setYRange(0, 1, padding=0.02)
            self._plots[name] = plot
            self._lines[name] = plot.plot(pen=pg.mkPen("#1f5fa8", width=2), symbol="o", symbolSize=6,
                                          symbolBrush="#1f5fa8", symbolPen=None)
            self._marks[name] = plot.plot(pen=None, symbol="o", symbolSize=12, symbolBrush="#e07b00", symbolPen=None)
        self.probe_combo = QComboBox(objectName="robustnessProbe")
        for name in SPOILERS:
            self.probe_combo.addItem(translate("Evaluate", TITLES[name]), name)
        self.setting_slider = QSlider(Qt.Orientation.Horizontal, objectName="robustnessSetting")
        self.setting_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setting_label = QLabel(objectName="robustnessSettingLabel", wordWrap=True)
        self.preview = pg.GraphicsLayoutWidget()
        self.preview.setObjectName("robustnessPreview")
        self.preview.setFixedSize(130, 130)
        box = self.preview.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.preview_image = pg.ImageItem()
        box.addItem(self.preview_image)
        self.status = QLabel(wordWrap=True)
        self._settings = {name: int(np.flatnonzero(np.asarray(s.settings) == 0)[0]) for name, s in SPOILERS.items()}
        session.cursor.changed.connect(lambda names: self._draw_preview() if "index" in names else None)
        self.probe_combo.currentIndexChanged.connect(self._on_probe_changed)
        self.setting_slider.valueChanged.connect(self._on_setting_changed)
        controls = QVBoxLayout()
        controls.addWidget(self.probe_combo)
        controls.addWidget(self.setting_slider)
        controls.addWidget(self.setting_label)
        controls.addWidget(self.preview, alignment=Qt.AlignmentFlag.AlignHCenter)
        controls.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addLayout(controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._on_probe_changed()

    @property
    def busy(self) -> bool:
        return self._computed.busy

    @property
    def probe(self) -> str:
        return self.probe_combo.currentData()

    def setting(self, name: str | None = None):
        name = name or self.probe
        return SPOILERS[name].settings[self._settings[name]]

    def show_moment(self, record, step: int) -> None:
        cached = self._computed.get(record, step)
        if cached is not None:
            self._draw(step, cached)
            return
        data = self.session.data
        moment, config = record.at(step), record.model_config
        X, y, shape = data.X_eval, data.y_eval, data.image_shape
        self.status.setText(translate("Evaluate", "Spoiling the {count} held-out digits in four ways and answering "
                                                  "them…").format(count=f"{len(y):,}"))

        def compute(stop):
            return robustness_curves(model_of(config, moment), X, y, shape, cancelled=stop.is_set)

        self._computed.request(record, step, compute)

    def _on_computed(self, record, step, curves) -> None:
        if curves is not None and record is self.session.cursor.run:
            self._draw(step, curves)

    def _draw(self, step, curves) -> None:
        self.curves, self.shown_step = curves, step
        plain = next(iter(curves.values()))
        plain = float(plain[1][np.flatnonzero(plain[0] == 0)[0]])
        self.status.setText(translate("Evaluate", "Accuracy at step {step} on spoiled held-out digits (plain: "
                                                  "{plain}). Pick a way and a setting to see a digit spoiled so.")
                            .format(step=f"{step:,}", plain=f"{plain:.1%}"))
        for name, (settings, accuracy) in curves.items():
            self._lines[name].setData(np.asarray(settings, np.float64), accuracy)
        self._draw_marks()

    def _on_probe_changed(self) -> None:
        settings = SPOILERS[self.probe].settings
        self.setting_slider.blockSignals(True)
        self.setting_slider.setRange(0, len(settings) - 1)
        self.setting_slider.setValue(self._settings[self.probe])
        self.setting_slider.blockSignals(False)
        self._on_setting_changed(self.setting_slider.value())

    def _on_setting_changed(self, index: int) -> None:
        self._settings[self.probe] = index
        self._draw_marks()
        self._draw_preview()

    def _draw_marks(self) -> None:
        label = SPOILERS[self.probe].label
        text = f"{label} {self.setting():g}"
        for name, mark in self._marks.items():
            if self.curves is None:
                mark.setData([], [])
                continue
            settings, accuracy = self.curves[name]
            i = self._settings[name]
            mark.setData([float(settings[i])], [float(accuracy[i])])
            if name == self.probe:
                text += translate("Evaluate", ": {accuracy} right").format(accuracy=f"{accuracy[i]:.1%}")
        self.setting_label.setText(text)

    def catch_up(self) -> None:
        """Made after a digit was selected (LazyTab): preview it."""
        self._draw_preview()

    def _draw_preview(self) -> None:
        data = self.session.data
        if data is None or not len(data.y_eval):
            self.preview_image.clear()
            return
        index = self.session.cursor.index if self.session.cursor.index is not None else 0
        index = min(max(index, 0), len(data.y_eval) - 1)
        digit = data.X_eval[index].reshape(1, *data.image_shape)
        spoiled = spoil(digit, self.probe, self.setting(), start=index)[0]
        self.preview_image.setImage(spoiled, levels=(0, 1), autoLevels=False)

    def clear(self) -> None:
        self._computed.cancel()
        self.curves = self.shown_step = None
        for name in SPOILERS:
            self._lines[name].setData([], [])
            self._marks[name].setData([], [])
        self.status.setText("")
        self._draw_preview()


class MapPanel(QWidget):
    """The held-out digits (a fixed subsample) as points coloured by class, placed by PCA of a
    layer's activations; each map is turned to match the one shown before (orthogonal Procrustes),
    so scrubbing the timeline shows the classes separate without the cloud jumping or flipping.
    Hover a point for its digit; click it to select it (the cursor's `index`).

    `coords` (n, 2) and `rows` (n,) (held-out indices) are what is on screen.
    """

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.coords = self.rows = self.shown_step = None
        self._computed = CachedJobs(self, "layer map", self._on_computed)
        self._previous = None       # (record, layer, coords) of the map last drawn, to align to
        self.layer_combo = QComboBox(objectName="mapLayer")
        self.layer_combo.currentIndexChanged.connect(self._on_layer_changed)
        self.method_combo = QComboBox(objectName="mapMethod")
        self.method_combo.addItem("PCA", "pca")
        if tsne_available():
            self.method_combo.addItem(translate("Evaluate", "t-SNE (slower)"), "tsne")
        self.method_combo.setToolTip(translate("Evaluate", "PCA places the digits along the layer's two main "
                                                           "directions; t-SNE (with scikit-learn installed) keeps "
                                                           "neighbours together, in about 10 s a map"))
        self.method_combo.currentIndexChanged.connect(self._on_layer_changed)
        self.view = pg.PlotWidget(enableMenu=False)
        self.view.setObjectName("mapView")
        self.view.setMinimumHeight(300)
        plot = self.view.getPlotItem()
        style_plot(plot, "", translate("Evaluate", "first principal axis"), translate("Evaluate", "second"))
        plot.hideButtons()
        # one item per class, each with one brush: per-point brushes cost pyqtgraph ~100 µs a point
        self._classes: list[pg.ScatterPlotItem] = []
        self.selected = pg.ScatterPlotItem(size=16, pen=pg.mkPen("#202020", width=2), brush=None)
        self.selected.setZValue(10)
        plot.addItem(self.selected)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)
        self.view.scene().sigMouseMoved.connect(self._hover)
        self.legend = QLabel(wordWrap=True, objectName="mapLegend", textFormat=Qt.TextFormat.RichText)
        # the digit under the mouse (or the selected one), as the network reads it
        self.digit_view = pg.GraphicsLayoutWidget()
        self.digit_view.setObjectName("mapDigit")
        self.digit_view.setFixedSize(84, 84)
        digit_box = self.digit_view.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.digit_image = pg.ImageItem()
        digit_box.addItem(self.digit_image)
        self.shown_digit = None     # the held-out index the preview shows
        self.status = QLabel(wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Evaluate", "Layer")))
        top.addWidget(self.layer_combo, 1)
        top.addWidget(self.method_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.legend, 1)
        bottom.addWidget(self.digit_view)
        layout.addLayout(bottom)
        self._moment = None       # (record, step) shown or wanted
        session.cursor.changed.connect(self._on_cursor_changed)

    @property
    def busy(self) -> bool:
        return self._computed.busy

    @property
    def layer(self) -> int:
        return max(self.layer_combo.currentIndex(), 0)

    @property
    def method(self) -> str:
        return self.method_combo.currentData()

    def show_moment(self, record, step: int) -> None:
        self._moment = (record, step)
        names = layer_names(_Sizes(record.at(step)))
        if [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())] != names:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            self.layer_combo.setCurrentIndex(max(len(names) - 2, 0))   # the last hidden layer
            self.layer_combo.blockSignals(False)
        self._request()

    def _request(self) -> None:
        if self._moment is None:
            return
        record, step = self._moment
        layer, method, data = self.layer, self.method, self.session.data
        key = (step, layer, method)
        cached = self._computed.get(record, key)
        if cached is not None:
            self._draw(record, key, cached)
            return
        moment, config, X_eval = record.at(step), record.model_config, data.X_eval
        rows = fixed_subsample(len(data.y_eval))

        def compute(stop):
            model = model_of(config, moment)
            if method == "tsne":
                return rows, tsne_2d(layer_activations(model, X_eval[rows], layer))
            return rows, layer_map(model, X_eval[rows], layer)

        self.status.setText(translate("Evaluate", "Placing the digits…") if method == "pca" else
                            translate("Evaluate", "Placing the digits by t-SNE (about ten seconds)…"))
        self._computed.request(record, key, compute)

    def _on_layer_changed(self) -> None:
        self._previous = None     # another layer: nothing to align to
        self._request()

    def _on_computed(self, record, key, result) -> None:
        step, layer, method = key
        if result is not None and self._moment == (record, step) and (layer, method) == (self.layer, self.method):
            self._draw(record, key, result)

    def _draw(self, record, key, result) -> None:
        step, layer, method = key
        rows, projection = result
        coords = projection.coords
        if self._previous is not None and self._previous[:2] == (record, (layer, method)) \
                and len(self._previous[2]) == len(coords):
            coords = align(coords, self._previous[2])
        self._previous = (record, (layer, method), coords)
        plot = self.view.getPlotItem()
        plot.setLabel("bottom", translate("Evaluate", "first principal axis") if method == "pca" else "t-SNE 1",
                      **{"font-size": pt(11)})
        plot.setLabel("left", translate("Evaluate", "second") if method == "pca" else "t-SNE 2", **{"font-size": pt(11)})
        self.coords, self.rows, self.shown_step = coords, rows, step
        data = self.session.data
        y = data.y_eval[rows].astype(int)
        k = int(max(y.max() + 1, _Sizes(record.at(step)).sizes[-1])) if len(y) else 1
        colours = [pg.mkColor(CLASS_COLOURS[c]) if k <= len(CLASS_COLOURS) else
                   pg.intColor(c, hues=max(k, 2), values=1, maxValue=230) for c in range(k)]
        while len(self._classes) < k:
            item = pg.ScatterPlotItem(size=5, pen=None)
            plot.addItem(item)
            self._classes.append(item)
        for c, item in enumerate(self._classes):
            mine = coords[y == c] if c < k else np.empty((0, 2))
            item.setData(pos=mine, brush=pg.mkBrush(colours[c]) if c < k else None)
        ratio = projection.explained_variance_ratio
        what = (translate("Evaluate", "the two axes hold {share} of the variance of {layer}").format(
                    share=f"{ratio.sum():.0%}", layer=self.layer_combo.currentText())
                if method == "pca" else
                translate("Evaluate", "t-SNE of {layer}: near points are digits the layer sees alike; distances "
                                      "between clusters mean little").format(layer=self.layer_combo.currentText()))
        self.status.setText(translate("Evaluate", "{count} held-out digits at step {step}; {what}.").format(
            count=f"{len(rows):,}", step=f"{step:,}", what=what))
        labels = class_labels(data.class_names, k)
        self.legend.setText("&nbsp; ".join(f"<span style='color:{colours[c].name()}'>●</span>&nbsp;{labels[c]}"
                                           for c in range(k)))
        self._draw_selected()

    def _draw_selected(self) -> None:
        index = self.session.cursor.index
        if self.rows is None or index is None or index not in set(self.rows.tolist()):
            self.selected.setData(x=[], y=[])
            return
        i = int(np.searchsorted(self.rows, index))
        self.selected.setData(pos=self.coords[i:i + 1])

    def catch_up(self) -> None:
        """Made after a digit was selected (LazyTab): show it."""
        self._on_cursor_changed(frozenset({"index"}))

    def _on_cursor_changed(self, names) -> None:
        if "index" in names:
            self._draw_selected()
            self.show_digit(self.session.cursor.index)

    def point_at(self, scene_pos, reach: float = 6.0):
        """The held-out index of the point nearest a scene position within `reach` screen pixels,
        or None."""
        if self.coords is None or not len(self.coords):
            return None
        box = self.view.getPlotItem().vb
        where = box.mapSceneToView(scene_pos)
        width, height = box.viewPixelSize()
        if not (width > 0 and height > 0):
            return None
        distance = ((self.coords[:, 0] - where.x()) / width) ** 2 + ((self.coords[:, 1] - where.y()) / height) ** 2
        nearest = int(np.argmin(distance))
        return int(self.rows[nearest]) if distance[nearest] <= reach ** 2 else None

    def _on_clicked(self, event) -> None:
        index = self.point_at(event.scenePos())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.session.cursor.set(index=index)

    def show_digit(self, index) -> None:
        """The held-out digit `index` in the preview (None: nothing)."""
        data = self.session.data
        self.shown_digit = index
        if index is None or data is None:
            self.digit_image.clear()
            return
        self.digit_image.setImage(data.X_eval[index].reshape(data.image_shape), levels=(0, 1), autoLevels=False)

    def _hover(self, scene_pos) -> None:
        index = self.point_at(scene_pos)
        self.show_digit(index if index is not None else self.session.cursor.index)
        if index is None:
            QToolTip.hideText()
            return
        data = self.session.data
        label = class_labels(data.class_names, int(data.y_eval.max()) + 1)[int(data.y_eval[index])]
        where = self.view.mapToGlobal(self.view.mapFromScene(scene_pos))
        QToolTip.showText(where, translate("Evaluate", "{split} digit {index}: a {label} (click to select it)").format(
            split=translate("Views", data.eval_name), index=f"{index:,}", label=label), self.view)

    def clear(self) -> None:
        self._computed.cancel()
        self._moment = self._previous = None
        self.coords = self.rows = self.shown_step = None
        for item in self._classes:
            item.setData(x=[], y=[])
        self.selected.setData(x=[], y=[])
        self.status.setText("")
        self.legend.setText("")
        self.show_digit(None)
