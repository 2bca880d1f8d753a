"""The Vital signs workspace: per layer, the weights now against W₀, the gradient norm and the
update-to-weight ratio per step, and the hidden units that are dead (ReLU) or saturated (sigmoid,
tanh). They make vanishing gradients, dying ReLUs and too-high learning rates visible."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.projection import fixed_subsample

from ..i18n import translate
from ..state.record import model_of
from ..training.cached_jobs import CachedJobs
from ..views import MomentLine, PlainLogAxis, style_plot
from . import DrawnWhenShown

HEALTHY_RATIO = 1e-3       # the usual guide for ‖ΔW‖/‖W‖ per step
SATURATED = 0.01           # an output within 1% of its activation's bounds is saturated
BINS = 60


def unit_health(model, X) -> list[dict]:
    """Per hidden layer of `model` on inputs X: its activation, the share of units never active
    (ReLU: output 0 on every input) and the share of outputs within 1% of the activation's bounds
    (sigmoid: below 0.01 or above 0.99; tanh: |a| above 0.99)."""
    health = []
    for i, A in enumerate(model.layer_outputs(X)[:-1]):
        name = model.hidden.name
        dead = float(np.mean(A.max(axis=0) <= 0)) if name == "relu" else float("nan")
        if name == "sigmoid":
            saturated = float(np.mean((A < SATURATED) | (A > 1 - SATURATED)))
        elif name == "tanh":
            saturated = float(np.mean(np.abs(A) > 1 - SATURATED))
        else:
            saturated = float("nan")
        health.append({"layer": i, "activation": name, "dead": dead, "saturated": saturated})
    return health


class LayerSigns:
    """The three plots of one weight layer."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, layer: int):
        self.histogram = layout.addPlot(row=row, col=0, enableMenu=False)
        style_plot(self.histogram, translate("Vitals", "W{layer} now (blue) and W₀ (grey)").format(layer=layer + 1),
                   translate("Vitals", "weight"), translate("Vitals", "count"))
        self.histogram.getAxis("bottom").enableAutoSIPrefix(False)
        self.now = self.histogram.plot(stepMode="center", pen=pg.mkPen("#1f5fa8", width=2), name="now")
        self.start = self.histogram.plot(stepMode="center", pen=pg.mkPen("#a0a0a0", width=2, style=Qt.PenStyle.DashLine))
        self.gradient = layout.addPlot(row=row, col=1, axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        style_plot(self.gradient, translate("Vitals", "‖∇W{layer}‖ per step").format(layer=layer + 1),
                   translate("Views", "epoch"), translate("Vitals", "norm"))
        self.gradient.setLogMode(y=True)
        self.gradient_curve = self.gradient.plot(pen=pg.mkPen("#e07b00", width=1))
        self.ratio = layout.addPlot(row=row, col=2, axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        style_plot(self.ratio, translate("Vitals", "η‖∇W{layer}‖ / ‖W{layer}‖ per step").format(layer=layer + 1),
                   translate("Views", "epoch"), translate("Vitals", "update ÷ weights"))
        self.ratio.setLogMode(y=True)
        self.ratio_curve = self.ratio.plot(pen=pg.mkPen("#2a9d3a", width=1))
        self.ratio.addLine(y=np.log10(HEALTHY_RATIO), pen=pg.mkPen("#b00020", width=1, style=Qt.PenStyle.DashLine))
        for plot in (self.histogram, self.gradient, self.ratio):
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        for curve in (self.gradient_curve, self.ratio_curve):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
        self.lines = [MomentLine(self.gradient), MomentLine(self.ratio)]


class VitalsWorkspace(DrawnWhenShown, QWidget):
    """Vital signs of the cursor's moment of the run, layer by layer.

    For tests and scripts: `layers` (LayerSigns per weight layer), `ratios` (per layer, the update
    ratio per step drawn), `health` (unit_health of the shown moment, or None), `shown_step`.
    """

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("vitalsWorkspace")
        self.session = session
        self.layers: list[LayerSigns] = []
        self.ratios, self.health, self.shown_step = [], None, None
        self._norms = {}          # step -> ‖W_i‖ per layer, of the record shown
        self.title = QLabel(wordWrap=True, objectName="vitalsTitle")
        self.health_label = QLabel(wordWrap=True, objectName="unitHealth")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setObjectName("vitalsView")
        self._jobs = CachedJobs(self, "unit health", self._on_health)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.health_label)
        layout.addWidget(self.plots, 1)
        session.cursor.changed.connect(self._on_cursor_changed)
        session.data_changed.connect(self.refresh)

    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self.follow_run(self.session.cursor.run, "curves_changed", self.refresh)
            self._norms = {}
            self._jobs.cancel()
        if names & {"run", "step"}:
            self.refresh()

    def _build(self, count: int) -> None:
        if len(self.layers) == count:
            return
        self.plots.clear()
        self.layers = [LayerSigns(self.plots.ci, row, row) for row in range(count)]
        for column in range(3):
            self.plots.ci.layout.setColumnStretchFactor(column, 1)
        self.plots.setMinimumHeight(260 * count)

    def draw(self) -> None:
        record, data = self.session.cursor.run, self.session.data
        moment = record.at(self.session.cursor.step) if record is not None else None
        if moment is None or data is None:
            self.title.setText(translate("Vitals", "Train a run to see its vital signs."))
            self.health_label.setText("")
            self._build(0)
            self.shown_step = None
            return
        self._build(len(moment.weights))
        self.shown_step = moment.step
        start = record.at(0)
        self.title.setText(translate("Vitals", "Vital signs at epoch {epoch} (step {step}): the weights against W₀, "
                                               "the gradients and the size of each update. A ratio far above the "
                                               "dashed {healthy} means steps too large for the weights; far below, "
                                               "learning stalls.")
                           .format(epoch=f"{moment.position:.2f}", step=f"{moment.step:,}", healthy=f"{HEALTHY_RATIO:g}"))
        curves = record.curves
        x = curves.batch_x.values
        self.ratios = []
        weight_norms = self._weight_norms(record)
        line = None if self.session.cursor.live else moment.position
        for i, signs in enumerate(self.layers):
            now, first = np.asarray(moment.weights[i]).ravel(), np.asarray(start.weights[i]).ravel()
            low, high = float(min(now.min(), first.min())), float(max(now.max(), first.max()))
            edges = np.linspace(low, high if high > low else low + 1, BINS + 1)
            signs.now.setData(edges, np.histogram(now, edges)[0])
            signs.start.setData(edges, np.histogram(first, edges)[0])
            norms = curves.grad_norms[i].values if i < len(curves.grad_norms) else np.empty(0)
            shown = min(len(norms), len(x))
            positive = norms[:shown] > 0
            signs.gradient_curve.setData(x[:shown][positive], norms[:shown][positive])
            ratio = self._ratio(x[:shown], norms[:shown], curves.batch_rate.values[:shown], weight_norms, i)
            self.ratios.append(ratio)
            keep = np.isfinite(ratio) & (ratio > 0)
            signs.ratio_curve.setData(x[:shown][keep], ratio[keep])
            for moment_line in signs.lines:
                moment_line.show_at(line)
        self._ask_health(record, moment)

    def _weight_norms(self, record):
        """(positions, norms (moments, layers)) of the recorded moments, computed once per moment."""
        steps = record.steps
        for step in steps:
            if step not in self._norms:
                moment = record.at(step)
                self._norms[step] = (moment.position, [float(np.linalg.norm(w)) for w in moment.weights])
        known = [self._norms[step] for step in steps]
        return np.array([p for p, _ in known]), np.array([n for _, n in known])

    @staticmethod
    def _ratio(x, grad_norms, rates, weight_norms, layer) -> np.ndarray:
        """η_t ‖∇W_t‖ / ‖W‖ per step, ‖W‖ interpolated between the recorded moments (the size of
        plain SGD's update against the weights it changes)."""
        positions, norms = weight_norms
        if not len(positions) or not len(x):
            return np.full(len(x), np.nan)
        weights = np.interp(x, positions, norms[:, layer])
        with np.errstate(divide="ignore", invalid="ignore"):
            return rates * grad_norms / weights

    def _ask_health(self, record, moment) -> None:
        cached = self._jobs.get(record, moment.step)
        if cached is not None:
            self._show_health(cached)
            return
        data, config = self.session.data, record.model_config
        X = data.X_eval

        def compute(stop):
            return unit_health(model_of(config, moment), X[fixed_subsample(len(X))])

        self._jobs.request(record, moment.step, compute)

    def _on_health(self, record, step, health) -> None:
        if health is not None and record is self.session.cursor.run and step == self.shown_step:
            self._show_health(health)

    def _show_health(self, health) -> None:
        self.health = health
        if not health:
            self.health_label.setText(translate("Vitals", "No hidden layer: every unit is an output."))
            return
        parts = []
        for layer in health:
            name = translate("Vitals", "hidden layer {layer} ({activation})").format(layer=layer['layer'] + 1,
                                                                                     activation=layer['activation'])
            if layer["activation"] == "relu":
                parts.append(translate("Vitals", "{layer}: {share} of its units dead (never active on 2,000 held-out "
                                                 "digits)").format(layer=name, share=f"{layer['dead']:.0%}"))
            elif np.isfinite(layer["saturated"]):
                parts.append(translate("Vitals", "{layer}: {share} of its outputs saturated (within 1% of its bounds)")
                             .format(layer=name, share=f"{layer['saturated']:.0%}"))
            else:
                parts.append(translate("Vitals", "{layer}: linear, it cannot die or saturate").format(layer=name))
        self.health_label.setText("; ".join(parts) + ".")
