"""The Step workspace: the step under the cursor taken apart, forward and backward, with the update
it made and an in-app gradient check."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from engine.probe import GRADCHECK_EPSILON, GRADCHECK_TOLERANCE, GRADCHECK_WEIGHTS, gradient_check

from ..i18n import translate
from ..state.record import model_of
from ..state.step_inspection import inspect, step_parts, why_not
from ..tiles import symmetric_limit
from ..training.background import BackgroundJob
from ..views import WEIGHT_COLORMAP, class_labels
from ..views.signal_rows import Row, SignalRows
from ..views.tiled_image import TiledImage
from . import DrawnWhenShown

CHANGED_UNITS = 8          # first-layer units whose change is drawn (those that changed most)
BATCH_COLUMNS = 10         # digits per row of the batch grid
IN_ORDER, BY_LOSS = "order", "loss"


def _figure(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "–"


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


class StepWorkspace(DrawnWhenShown, QWidget):
    """The step of the cursor's moment, from the weights before it to the weights after it.

    Args:
        session: the window's Session (its data, and the cursor's run, step and `sample`, the
            selected example of the step's batch, a position in it).
    Signals:
        step_example_requested(): Step one example was pressed (the window takes that step).

    For tests and scripts: `inspection` (state.step_inspection.Inspection) is the step shown, or
    None; `order` the batch positions in the order the grid shows them.
    """
    step_example_requested = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("stepWorkspace")
        self.session = session
        self.inspection = None
        self.order = np.arange(0)
        self._key = None          # (record, step) inspected or being inspected
        self._job = self._check_job = None
        self._stale = True
        self._build()
        session.cursor.changed.connect(self._on_cursor_changed)
        session.data_changed.connect(self._forget)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = QLabel(translate("Step", "No step yet"), objectName="stepHeader", wordWrap=True)
        font = QFont()
        font.setPointSize(13)
        font.setBold(True)
        self.header.setFont(font)
        self.reason = QLabel(objectName="stepReason", wordWrap=True)
        self.example_button = QPushButton(translate("Step", "Step one example"), objectName="stepExampleButton",
                                          toolTip=translate("Step", "The next step on a single digit (the first of "
                                                                    "the next batch): plain stochastic gradient "
                                                                    "descent on one example"))
        self.check_button = QPushButton(translate("Step", "Gradient check"), objectName="gradCheckButton",
                                        toolTip=translate("Step", "Compare the backpropagated gradients of this batch "
                                                                  "with central differences (ε = {epsilon}, float64) "
                                                                  "for {count} weights drawn at random and every bias")
                                        .format(epsilon=f"{GRADCHECK_EPSILON:g}", count=GRADCHECK_WEIGHTS))
        self.check_label = QLabel(objectName="gradCheckLabel", wordWrap=True)
        for button in (self.example_button, self.check_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space stays the run's pause
        self.example_button.clicked.connect(self.step_example_requested)
        self.check_button.clicked.connect(self.check_gradients)

        self.batch_view = TiledImage()
        self.batch_view.setObjectName("batchView")
        self.batch_view.setMinimumHeight(560)   # a tile wide enough for "7→3 0.25"
        self.batch_view.scene().sigMouseClicked.connect(self._on_batch_clicked)
        self.selection_box = pg.RectROI((0, 0), (1, 1), movable=False, resizable=False, rotatable=False,
                                        pen=pg.mkPen("#e07b00", width=3))
        for handle in self.selection_box.getHandles():
            self.selection_box.removeHandle(handle)
        self.batch_view.view_box.addItem(self.selection_box)
        self.selection_box.hide()
        self.order_combo = QComboBox(objectName="batchOrder")
        self.order_combo.addItem(translate("Step", "in batch order"), IN_ORDER)
        self.order_combo.addItem(translate("Step", "highest loss first"), BY_LOSS)
        self.order_combo.currentIndexChanged.connect(self._draw_batch)
        self.batch_label = QLabel(wordWrap=True, objectName="batchSummary")

        self.forward_view = SignalRows(object_name="forwardView")
        self.forward_label = QLabel(wordWrap=True, objectName="forwardSummary")
        self.backward_view = SignalRows(object_name="backwardView")
        self.backward_label = QLabel(wordWrap=True, objectName="backwardSummary")
        self.input_view = TiledImage()
        self.input_view.setObjectName("stepInputView")
        self.input_view.setFixedSize(200, 200)

        self.change_view = TiledImage()
        self.change_view.setObjectName("updateView")
        self.share_view = TiledImage()
        self.share_view.setObjectName("shareView")
        for view in (self.change_view, self.share_view):
            view.image.setColorMap(pg.colormap.get(WEIGHT_COLORMAP))
            view.setFixedHeight(230)
        self.change_label = QLabel(wordWrap=True)
        self.share_label = QLabel(wordWrap=True)
        self.update_table = QTableWidget(0, 5, objectName="updateTable")
        self.update_table.setHorizontalHeaderLabels([translate("Step", "layer"), "‖∇W‖", translate("Step", "‖W‖ before"),
                                                     "‖ΔW‖", "‖ΔW‖ / ‖W‖"])
        self.update_table.verticalHeader().hide()
        self.update_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.update_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.update_table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.update_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rule_label = QLabel(wordWrap=True, objectName="updateRule", textFormat=Qt.TextFormat.RichText)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.example_button)
        top.addWidget(self.check_button)
        batch_box = QGroupBox(translate("Step", "The batch: each digit with its label → prediction and its loss "
                                                "(click one)"))
        batch_layout = QVBoxLayout(batch_box)
        order_row = QHBoxLayout()
        order_row.addWidget(self.batch_label, 1)
        order_row.addWidget(QLabel(translate("Step", "Show")))
        order_row.addWidget(self.order_combo)
        batch_layout.addLayout(order_row)
        batch_layout.addWidget(self.batch_view, 1)

        self.forward_box = QGroupBox(translate("Step", "Forward, for the selected digit"))
        forward_layout = QHBoxLayout(self.forward_box)
        input_column = QVBoxLayout()
        input_column.addWidget(self.input_view)
        input_column.addWidget(self.forward_label)
        input_column.addStretch(1)
        self.forward_label.setFixedWidth(200)
        forward_layout.addLayout(input_column)
        forward_layout.addWidget(self.forward_view, 1)
        self.backward_box = QGroupBox(translate("Step", "Backward, for the same digit"))
        backward_layout = QVBoxLayout(self.backward_box)
        backward_layout.addWidget(self.backward_label)
        backward_layout.addWidget(self.backward_view, 1)

        update_box = QGroupBox(translate("Step", "The update"))
        update_layout = QVBoxLayout(update_box)
        update_layout.addWidget(self.rule_label)
        update_layout.addWidget(self.update_table)
        images = QHBoxLayout()
        for label, view in ((self.change_label, self.change_view), (self.share_label, self.share_view)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(view, 1)
            images.addLayout(column, 1)
        update_layout.addLayout(images)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reason)
        layout.addWidget(self.check_label)
        layout.addWidget(batch_box)
        layout.addWidget(self.forward_box)
        layout.addWidget(self.backward_box)
        layout.addWidget(update_box)
        layout.addStretch(1)
        self._parts = [batch_box, self.forward_box, self.backward_box, update_box, self.check_button]
        self._show_reason(why_not(None, None, translate))

    # --- following the session -------------------------------------------------------------------
    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self.follow_run(self.session.cursor.run, "moment_added", self._on_moment_added)
            self._forget()
        if names & {"run", "step"}:
            self.refresh()
        elif "sample" in names and self.inspection is not None:
            self._draw_sample()

    def _on_moment_added(self, step: int) -> None:
        if self.session.cursor.live:
            self.refresh()

    def _forget(self) -> None:
        if self._job is not None:
            self._job.cancel()
        if self._check_job is not None:
            self._check_job.cancel()
        self._job = self._check_job = self._key = self.inspection = None
        self._stale = True
        self.check_label.setText("")

    def draw(self) -> None:
        """Take the cursor's step apart (off the GUI thread) and draw it (through refresh())."""
        record, data = self.session.cursor.run, self.session.data
        step = record.moment_step(self.session.cursor.step) if record is not None else None
        if record is not None and step is not None and self._key == (record, step):
            return   # shown, or on its way
        reason = why_not(record, step, translate) if data is not None \
            else translate("Step", "Load data and train a run first.")
        if reason is not None:
            self._forget()
            self._show_reason(reason)
            return
        self._forget()
        self._key = (record, step)
        parts = step_parts(record, step)
        self.header.setText(translate("Step", "Step {step}: taking it apart…").format(step=f"{step:,}"))
        job = BackgroundJob(lambda: inspect(parts, data.X_train, data.y_train), "inspect a step", owner=self)
        job.succeeded.connect(lambda found: self._on_inspected(job, found))
        job.failed.connect(lambda error: self._on_failed(job, error))
        self._job = job.start()

    @property
    def busy(self) -> bool:
        """A step is being taken apart, or its gradients checked."""
        return self._job is not None or self._check_job is not None

    def _on_failed(self, job, error) -> None:
        if job is self._job:
            self._job = None
            self._show_reason(translate("Step", "This step cannot be taken apart: {error}").format(error=error))

    def _on_inspected(self, job, inspection) -> None:
        if job is not self._job:
            return
        self._job = None
        self.inspection = inspection
        for part in self._parts:
            part.setVisible(True)
        notes = []
        if not inspection.exact:
            notes.append(translate("Step", "The record keeps this older step's weights in half precision (float16): "
                                           "ΔW is approximate, and the forward pass uses the rounded weights."))
        if getattr(inspection.train_config, "dropout", 0.0) and len(inspection.probe.layers) > 1:
            notes.append(translate("Step", "This run drops {share} of the hidden units at random in each step: the "
                                           "passes shown use them all, so ΔW differs from −η∇W shown.")
                         .format(share=f"{inspection.train_config.dropout:.0%}"))
        if inspection.batch.inputs is not None:
            notes.append(translate("Step", "The batch is shown as the step trained on it, after augmentation."))
        self.reason.setText(" ".join(notes))
        self.reason.setVisible(bool(notes))
        self._draw_header()
        self._draw_batch()
        self._draw_update_table()
        sample = self.session.cursor.sample
        if sample is None or not 0 <= sample < inspection.size:
            # the digit the step learns most from, selected (the cursor's event draws it)
            self.session.cursor.set(sample=int(np.argmax(inspection.probe.losses)))
        else:
            self._draw_sample()

    def _show_reason(self, text: str) -> None:
        self.inspection = None
        self.header.setText(translate("Step", "Step inspector"))
        self.reason.setText(text)
        self.reason.setVisible(True)
        for part in self._parts:
            part.setVisible(False)
        self.batch_view.clear_tiles()
        self.selection_box.hide()
        self.forward_view.clear_rows()
        self.backward_view.clear_rows()
        self.change_view.clear_tiles()
        self.share_view.clear_tiles()

    # --- drawing ---------------------------------------------------------------------------------
    @property
    def _labels(self) -> list[str]:
        data, k = self.session.data, self.inspection.probe.outputs.shape[1]
        return class_labels(data.class_names if data is not None else (), k)

    def _draw_header(self) -> None:
        found = self.inspection
        before = found.before
        wrong = int(np.count_nonzero(found.probe.predictions != found.labels))
        kind = translate("Step", "one example") if found.size == 1 else \
            translate("Step", "a batch of {size}").format(size=found.size)
        self.header.setText(translate("Step", "Step {step}: epoch {epoch}, batch {batch}: {kind}, learning rate {rate}")
                            .format(step=f"{found.step:,}", epoch=before.epoch + 1, batch=before.batch + 1, kind=kind,
                                    rate=f"{found.learning_rate:g}"))
        self.batch_label.setText(translate("Step", "Batch loss {loss} (the mean of the {size} losses below); {wrong} "
                                                   "of {size} wrong before the step.")
                                 .format(loss=f"{found.probe.loss:.4g}", size=found.size, wrong=wrong))

    def _draw_batch(self) -> None:
        found = self.inspection
        if found is None:
            return
        losses = found.probe.losses
        by_loss = self.order_combo.currentData() == BY_LOSS
        self.order = np.argsort(-losses, kind="stable") if by_loss else np.arange(found.size)
        shape = self._image_shape()
        images = found.X[self.order].reshape(len(self.order), *shape)
        labels = self._labels
        captions, tips = [], []
        for j in self.order:
            true, predicted = int(found.labels[j]), int(found.probe.predictions[j])
            captions.append(f"{labels[true]}→{labels[predicted]} {losses[j]:.1f}")   # label→prediction loss
            tips.append(translate("Step", "digit {j} of the batch (training row {row}): a {true}, predicted "
                                          "{predicted}, loss {loss}")
                        .format(j=j + 1, row=f"{int(found.batch.rows[j]):,}", true=labels[true],
                                predicted=labels[predicted], loss=f"{losses[j]:.4g}"))
        columns = min(BATCH_COLUMNS, max(1, len(images)))
        self.batch_view.show_tiles(images, columns, (0, 1), captions, tips)
        self._place_selection()

    def _image_shape(self) -> tuple[int, int]:
        data = self.session.data
        n = self.inspection.X.shape[1]
        if data is not None and int(np.prod(data.image_shape)) == n:
            return tuple(data.image_shape)
        return (1, n)

    def _place_selection(self) -> None:
        sample = self.session.cursor.sample
        if self.inspection is None or sample is None or not 0 <= sample < self.inspection.size:
            self.selection_box.hide()
            return
        tile = int(np.flatnonzero(self.order == sample)[0])
        h, w = self._image_shape()
        gap = self.batch_view.gap
        row, col = divmod(tile, min(BATCH_COLUMNS, self.inspection.size))
        self.selection_box.setPos((col * (w + gap) - 0.5, row * (h + gap) - 0.5))
        self.selection_box.setSize((w + 1, h + 1))
        self.selection_box.show()

    def _on_batch_clicked(self, event) -> None:
        if self.inspection is None:
            return
        tile = self.batch_view.tile_at(event.scenePos())
        if tile is not None:
            self.session.cursor.set(sample=int(self.order[tile]))

    def _draw_sample(self) -> None:
        found, j = self.inspection, self.session.cursor.sample
        if found is None or j is None or not 0 <= j < found.size:
            return
        self._place_selection()
        labels, true = self._labels, int(found.labels[j])
        shape = self._image_shape()
        self.input_view.show_tiles(found.X[j].reshape(1, *shape), 1, (0, 1))
        self.forward_box.setTitle(translate("Step", "Forward, for digit {j} of the batch (a {true})")
                                  .format(j=j + 1, true=labels[true]))
        self.backward_box.setTitle(translate("Step", "Backward, for the same digit: the error signals, output to "
                                                     "input"))
        self.forward_view.show_rows(self._forward_rows(j))
        self.backward_view.show_rows(self._backward_rows(j))
        self._draw_changes(j)

    def _forward_rows(self, j: int) -> list[Row]:
        probe, labels = self.inspection.probe, self._labels
        true = int(self.inspection.labels[j])
        rows = []
        last = len(probe.layers) - 1
        for i, layer in enumerate(probe.layers[:-1]):
            n = layer.outputs.shape[1]
            on = int(np.count_nonzero(layer.outputs[j] > 0)) if layer.activation == "relu" else None
            words = f"; {on} of {n} on" if on is not None else ""
            rows.append(Row(f"layer {i + 1}: Z{_subscript(i + 2)} = {layer.activation}(Z{_subscript(i + 1)}W"
                            f"{_subscript(i + 1)}{' + b' if layer.bias_grad is not None else ''}), "
                            f"{n} units{words}", layer.outputs[j], signed=layer.activation not in ("relu", "sigmoid")))
        output = probe.layers[last]
        if probe.loss_name == "softmax_ce":
            rows.append(Row("output: the probabilities softmax(logits)", probe.probabilities[j], "bars",
                            labels=labels, highlight=true))
        else:
            rows.append(Row(f"output: {output.activation}(Z{_subscript(last + 1)}W{_subscript(last + 1)}"
                            f"{' + b' if output.bias_grad is not None else ''})", output.outputs[j], "bars",
                            labels=labels, highlight=true))
        loss = probe.losses[j]
        if probe.loss_name == "softmax_ce":
            p = probe.probabilities[j, true]
            text = f"loss = −log p({labels[true]}) = −log {p:.4g} = {loss:.4g}"
        elif probe.loss_name == "mse":
            text = f"loss = mean over the {output.outputs.shape[1]} outputs of (output − one-hot)² = {loss:.4g}"
        else:
            text = f"loss = binary cross-entropy against the one-hot label = {loss:.4g}"
        self.forward_label.setText(translate("Step", "The digit, as the network reads it.\n\nPredicted {predicted}; "
                                                     "{loss}").format(predicted=labels[int(probe.predictions[j])],
                                                                      loss=text))
        return rows

    def _backward_rows(self, j: int) -> list[Row]:
        probe, labels = self.inspection.probe, self._labels
        true = int(self.inspection.labels[j])
        layers = probe.layers
        last = len(layers) - 1
        output = layers[last]
        rows = [Row("error at the output, ∂ℓ/∂logits", output.error[j], "bars", labels=labels, highlight=true)]
        if probe.loss_name == "softmax_ce":
            words = translate("Step", "Softmax cross-entropy: the error at the output is the probabilities minus the "
                                      "one-hot label, p − y. The true class ({true}) gets p − 1 < 0, pushing its score "
                                      "up; every other class gets its own probability, pushing it down.") \
                .format(true=labels[true])
        elif output.output_grad is None:
            words = translate("Step", "Binary cross-entropy takes the sigmoid in: the error at the output is (p − y)/k, "
                                      "the outputs minus the one-hot label over the number of outputs.")
        else:
            words = translate("Step", "Mean squared error: the output's gradient is 2(output − y)/k; times the "
                                      "{activation} derivative it is the error at the output.") \
                .format(activation=output.activation)
        for i in range(last - 1, -1, -1):
            layer = layers[i]
            n = layer.outputs.shape[1]
            derivative = layer.derivative[j]
            if layer.activation == "relu":
                zeroed = int(np.count_nonzero(derivative == 0))
                mask = f"× ReLU′: 1 where the unit was on, 0 where off: it stops the signal at {zeroed} of {n} units"
            elif layer.activation == "identity":
                mask = "× identity′ = 1: the signal passes unchanged"
            else:
                bound = "1/4" if layer.activation == "sigmoid" else "1"
                mask = f"× {layer.activation}′ ≤ {bound}: it shrinks the signal (mean {np.mean(derivative):.2f})"
            rows += [Row(f"signal reaching layer {i + 1}'s output: (error above) · W{_subscript(i + 2)}ᵀ",
                         layer.output_grad[j]),
                     Row(mask, derivative, signed=False),
                     Row(f"= error of layer {i + 1}, ∂ℓ/∂(Z{_subscript(i + 1)}W{_subscript(i + 1)})", layer.error[j])]
        self.backward_label.setText(words)
        return rows

    def _draw_update_table(self) -> None:
        found = self.inspection
        figures = found.layer_figures()
        self.update_table.setRowCount(len(figures))
        for r, figure in enumerate(figures):
            cells = [f"W{_subscript(r + 1)}", _figure(figure["grad_norm"]), _figure(figure["weight_norm"]),
                     _figure(figure["delta_norm"]), _figure(figure["ratio"])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.update_table.setItem(r, c, item)
        config, eta = found.train_config, found.learning_rate
        momentum, decay = getattr(config, "momentum", 0.0), getattr(config, "weight_decay", 0.0)
        gradient = "∇W" + (f" + {decay:g} W" if decay else "")
        if momentum:
            rule = (f"v ← {momentum:g} v + {gradient};&nbsp;&nbsp; W ← W − η v, with η = {eta:g}: the step "
                    f"moves along the velocity, not the gradient alone")
        else:
            first = figures[0]
            rule = (f"W ← W − η ({gradient}) with η = {eta:g}: for W₁, ‖ΔW₁‖ = {eta:g} × "
                    f"{_figure(first['grad_norm'])} = {_figure(eta * first['grad_norm'])}"
                    + ("" if decay else f" (measured: {_figure(first['delta_norm'])})"))
        self.rule_label.setText(f"<b>Update rule</b>: {rule}. ‖ΔW‖/‖W‖ near 1e-3 is the usual healthy pace.")

    def _draw_changes(self, j: int) -> None:
        """ΔW of the first layer for the units that changed most, and the selected digit's share."""
        found = self.inspection
        change = found.weight_changes[0]
        n_in, units = change.shape
        shape = self._image_shape()
        if int(np.prod(shape)) != n_in:
            shape = (1, n_in)
        count = min(CHANGED_UNITS, units)
        norms = np.linalg.norm(change, axis=0)
        chosen = np.argsort(-norms, kind="stable")[:count]
        per_class = len(found.probe.layers) == 1
        names = self._labels if per_class else [f"unit {u}" for u in range(units)]
        images = np.ascontiguousarray(change[:, chosen].T).reshape(count, *shape)
        limit = symmetric_limit(images)
        self.change_view.show_tiles(images, count if count <= 4 else -(-count // 2), (-limit, limit),
                                    [names[u] for u in chosen],
                                    [f"{names[u]}: ‖ΔW‖ = {norms[u]:.3g}" for u in chosen])
        self.change_label.setText(f"ΔW₁ = W after − W before, for the {count} "
                                  f"{'classes' if per_class else 'units'} it changed most (from the two "
                                  f"recorded moments)")
        gradient = found.probe.layers[0].weight_grad
        sample = found.sample_share(j)           # its term of ∇W₁
        step_part = -found.learning_rate * sample
        shares = [float(np.vdot(sample[:, u], gradient[:, u]) / np.vdot(gradient[:, u], gradient[:, u]))
                  if np.any(gradient[:, u]) else 0.0 for u in chosen]
        share_images = np.ascontiguousarray(step_part[:, chosen].T).reshape(count, *shape)
        share_limit = symmetric_limit(share_images)   # its own scale: one digit is about 1/m of the step
        self.share_view.show_tiles(share_images, count if count <= 4 else -(-count // 2), (-share_limit, share_limit),
                                   [f"{100 * share:.0f}%" for share in shares],
                                   [f"{names[u]}: this digit gives {100 * share:.1f}% of the step "
                                    f"(the {found.size} digits' shares add up to 100%)" for u, share in zip(chosen, shares)])
        self.share_label.setText(f"What digit {j + 1} alone adds, −η · x ⊗ error / m (on its own colour scale), "
                                 f"and its share of each unit's step")
        self.shown_change = change

    # --- gradient check --------------------------------------------------------------------------
    def check_gradients(self) -> None:
        """Numerical against backpropagated gradients of the batch shown, off the GUI thread."""
        found = self.inspection
        if found is None or self._check_job is not None:
            return
        model = model_of(self.session.cursor.run.model_config, found.before)
        loss = self.session.cursor.run.model_config.loss_name()
        self.check_label.setText(translate("Step", "Checking the gradients by central differences…"))
        job = BackgroundJob(lambda: gradient_check(model, loss, found.X, found.labels), "gradient check", owner=self)
        job.succeeded.connect(lambda result: self._on_checked(job, result))
        job.failed.connect(lambda error: self._on_checked(job, None, error))
        self._check_job = job.start()

    def _on_checked(self, job, result, error=None) -> None:
        if job is not self._check_job:
            return
        self._check_job = None
        if result is None:
            self.check_label.setText(translate("Step", "The gradient check could not run: {error}").format(error=error))
            return
        verdict = translate("Step", "pass") if result.passed else translate("Step", "FAIL")
        skipped = translate("Step", "; {count} left out where a ReLU switched within ±ε").format(count=result.skipped) \
            if result.skipped else ""
        self.check_label.setText(translate(
            "Step", "Gradient check: {verdict}. Largest relative error {error} ({worst}) {compared} {tolerance}, over "
            "{count} parameters compared by central differences{skipped}.").format(
                verdict=verdict, error=f"{result.max_relative_error:.1e}", worst=result.worst,
                compared='≤' if result.passed else '>', tolerance=f"{GRADCHECK_TOLERANCE:g}", count=result.checked,
                skipped=skipped))
        self.check_label.setStyleSheet("color: #1b7a2b;" if result.passed else "color: #b00020; font-weight: bold;")
