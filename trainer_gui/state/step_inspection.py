"""One recorded step of a run taken apart: its batch rebuilt, the forward and backward pass of the
weights before it (engine.probe), and the change it made; no Qt."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.probe import Probe, probe

from .record import Moment, StepBatch, model_of


@dataclass
class Inspection:
    """Step `step` of a run: from the weights `before` (after step − 1) to `after`, on `batch`.

    X, labels: the batch's inputs and labels, in the order the step used them.
    probe: the forward and backward pass of `before` on the batch (engine.probe.Probe).
    weight_changes: per layer W_after − W_before (ΔW), from the two recorded moments.
    exact: both moments are recorded in float32 (a thinned record keeps old ones as float16).
    """
    step: int
    batch: StepBatch
    before: Moment
    after: Moment
    X: np.ndarray
    labels: np.ndarray
    probe: Probe
    weight_changes: list
    train_config: object
    exact: bool = True

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def learning_rate(self) -> float:
        return self.batch.learning_rate

    def layer_figures(self) -> list[dict]:
        """Per weight layer: ‖∇W‖ (of the batch's mean loss), ‖W‖ before, ‖ΔW‖ and ‖ΔW‖/‖W‖."""
        figures = []
        for i, (layer, change) in enumerate(zip(self.probe.layers, self.weight_changes)):
            weights = np.linalg.norm(self.before.weights[i])
            delta = float(np.linalg.norm(change))
            figures.append({"layer": i, "grad_norm": float(np.linalg.norm(layer.weight_grad)),
                            "weight_norm": float(weights), "delta_norm": delta,
                            "ratio": delta / float(weights) if weights > 0 else float("nan")})
        return figures

    def sample_share(self, j: int, layer: int = 0) -> np.ndarray:
        """What sample j alone adds to ∇W of `layer` (its shares over the batch add up to ∇W)."""
        return self.probe.layers[layer].sample_weight_grad(j)


def _untranslated(context: str, text: str) -> str:
    return text


def why_not(record, step: int | None, translate=_untranslated) -> str | None:
    """Why step `step` of `record` cannot be taken apart, in words; None when it can.
    translate: the window's translate(context, text) (trainer_gui.i18n; this module imports no Qt)."""
    if record is None or step is None:
        return translate("Step", "Start a run and press Step (→): the step it takes is taken apart here.")
    if step == 0:
        return translate("Step", "This is the untrained network, before any step. Press Step (→) to take one step "
                                 "and see it taken apart here.")
    if record.batch_of(step) is None:
        return translate("Step", "Step {step} was taken while the run ran freely, so its batch was not kept. Pause, "
                                 "then press Step (→): every step taken one at a time can be taken apart.") \
            .format(step=f"{step:,}")
    if record.moment_step(step - 1) != step - 1 or record.moment_step(step) != step:
        return translate("Step", "The weights before or after step {step} are no longer in the record (a long run "
                                 "keeps fewer moments of its older epochs).").format(step=f"{step:,}")
    return None


@dataclass(frozen=True)
class StepParts:
    """What a step's inspection needs from the record, taken on the thread that grows it (the GUI
    thread): the two moments are read-only copies, so the rest can run on any thread."""
    step: int
    batch: StepBatch
    before: Moment
    after: Moment
    model_config: object
    train_config: object
    exact: bool


def step_parts(record, step: int) -> StepParts:
    """The parts of step `step` of `record` (raises ValueError, in words, when it cannot be taken
    apart: see why_not). Cheap: call it where the record is grown."""
    reason = why_not(record, step)
    if reason is not None:
        raise ValueError(reason)
    return StepParts(step, record.batch_of(step), record.at(step - 1), record.at(step), record.model_config,
                     record.train_config, record.exact(step - 1) and record.exact(step))


def inspect(parts: StepParts, X_train: np.ndarray, y_train: np.ndarray) -> Inspection:
    """Rebuild the step's batch from the training set and run it through the weights before the
    step (engine.probe); the costly part, for a thread of its own when the batch is large."""
    rows = parts.batch.rows
    if len(rows) and int(rows.max()) >= len(X_train):
        raise ValueError(f"step {parts.step:,} used rows of a larger training set than the one loaded now")
    X = X_train[rows] if parts.batch.inputs is None else parts.batch.inputs   # augmented: as trained on
    labels = np.asarray(y_train)[rows]
    config = parts.model_config
    found = probe(model_of(config, parts.before), config.loss_name(), X, labels)
    changes = [np.asarray(a, np.float32) - np.asarray(b, np.float32)
               for a, b in zip(parts.after.weights, parts.before.weights)]
    return Inspection(parts.step, parts.batch, parts.before, parts.after, X, labels, found, changes,
                      parts.train_config, parts.exact)


def inspect_step(record, step: int, X_train: np.ndarray, y_train: np.ndarray) -> Inspection:
    """step_parts then inspect, on one thread."""
    return inspect(step_parts(record, step), X_train, y_train)
