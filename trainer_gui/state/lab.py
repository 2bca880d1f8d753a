"""The neuron lab's edits of a model: switch a unit off, scale its incoming weights, shift its bias,
prune a layer's smallest weights; no Qt.

A "unit" is addressed as the Cursor addresses it: `layer` is a weight layer (0 = the first, W_0) and
`unit` one of that layer's outputs, i.e. column `unit` of weights[layer] (its incoming weights),
biases[layer][unit] (its bias) and, for a hidden unit, row `unit` of weights[layer + 1] (its
outgoing weights).

What each edit means:
  off    — a hidden unit's activation is 0: its outgoing row weights[layer + 1][unit, :] is zeroed,
           which is exactly that (the next layer reads a_unit · W[unit, :] and nothing else of it),
           whatever its incoming weights, bias or activation function. An output unit has no
           outgoing weights: its incoming column and its bias are zeroed, so its score z is 0,
           "no evidence either way" (under softmax it still competes, and wins where every other
           score is negative; under a sigmoid output it reads 0.5).
  scale  — its incoming weights weights[layer][:, unit] are multiplied by `scale` (the bias is not).
  shift  — `bias_shift` is added to biases[layer][unit] (models with biases only).
  prune  — the round(prune_fraction · size) weights of weights[prune_layer] smallest in magnitude
           in the moment's model (ties: the earlier in row-major order) are set to 0. Pruning is
           decided on the unedited layer and applied first; the unit edits then act on the result.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import MLP


@dataclass(frozen=True)
class LabEdits:
    """The edits of the neuron lab. layer/unit: the unit edited (None: none, and the unit edits do
    nothing); prune_layer: the weight layer pruned."""
    layer: int | None = None
    unit: int | None = None
    off: bool = False
    scale: float = 1.0
    bias_shift: float = 0.0
    prune_fraction: float = 0.0
    prune_layer: int = 0

    @property
    def unit_edited(self) -> bool:
        return self.layer is not None and self.unit is not None and (
            self.off or self.scale != 1.0 or self.bias_shift != 0.0)

    @property
    def neutral(self) -> bool:
        """Nothing is changed: the edited model computes what the moment's model computes."""
        return not self.unit_edited and self.prune_fraction <= 0.0

    def apply(self, model) -> MLP:
        return edited_model(model, self.layer, self.unit, self.off, self.scale, self.bias_shift,
                            self.prune_fraction, self.prune_layer)


def check_unit(model, layer: int, unit: int) -> None:
    """ValueError unless (layer, unit) is a unit of `model`."""
    if not 0 <= layer < len(model.weights):
        raise ValueError(f"the model has weight layers 0 to {len(model.weights) - 1}, not {layer}")
    if not 0 <= unit < model.weights[layer].shape[1]:
        raise ValueError(f"layer {layer} has units 0 to {model.weights[layer].shape[1] - 1}, not {unit}")


def prune_mask(weights: np.ndarray, fraction: float) -> np.ndarray:
    """Boolean mask (shaped like weights) of the round(fraction · size) entries smallest in |w|
    (ties: the earlier in row-major order)."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"the fraction pruned must be in [0, 1), got {fraction}")
    count = int(round(fraction * weights.size))
    mask = np.zeros(weights.size, bool)
    if count:
        order = np.argsort(np.abs(weights), axis=None, kind="stable")
        mask[order[:count]] = True
    return mask.reshape(weights.shape)


def edited_model(model, layer: int | None = None, unit: int | None = None, off: bool = False,
                 scale: float = 1.0, bias_shift: float = 0.0, prune_fraction: float = 0.0,
                 prune_layer: int = 0) -> MLP:
    """A new MLP on copies of `model`'s weights and biases with the edits of the module docstring
    (model's own arrays are never written; they may be read-only, as a recorded moment's are).

    layer, unit: the unit the off/scale/bias_shift edits act on (None: those edits are ignored).
    prune_fraction: in [0, 1), the share of weights[prune_layer] zeroed, smallest |w| first.
    Raises ValueError for a unit or layer the model does not have, or a bias shift of a model
    without biases.
    """
    weights = [np.array(w, copy=True) for w in model.weights]
    biases = [np.array(b, copy=True) for b in model.biases]
    if prune_fraction > 0.0:
        if not 0 <= prune_layer < len(weights):
            raise ValueError(f"the model has weight layers 0 to {len(weights) - 1}, not {prune_layer}")
        weights[prune_layer][prune_mask(model.weights[prune_layer], prune_fraction)] = 0.0
    if layer is not None and unit is not None:
        check_unit(model, layer, unit)
        if bias_shift != 0.0:
            if not biases:
                raise ValueError("the model has no biases to shift")
            biases[layer][unit] += np.float32(bias_shift)
        if scale != 1.0:
            weights[layer][:, unit] *= np.float32(scale)
        if off:
            if layer + 1 < len(weights):          # hidden: its activation is 0 for the next layer
                weights[layer + 1][unit, :] = 0.0
            else:                                  # output: its score is 0
                weights[layer][:, unit] = 0.0
                if biases:
                    biases[layer][unit] = 0.0
    return MLP.from_arrays(weights, biases, hidden=model.hidden.name, output=model.output.name)


def entropy_bits(probabilities) -> float:
    """−Σ p log₂ p of a distribution (0 · log 0 = 0)."""
    p = np.asarray(probabilities, np.float64)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def significant(value: float, digits: int = 4) -> str:
    """`value` in `digits` significant digits, compactly and with a real minus sign (0.1235, −12.35,
    1235); below 0.01 and from 10⁶ in powers of ten with one digit fewer (0.0003621 → 3.62e−4), which
    keeps the positive numbers of the softmax table within seven characters."""
    value = float(value)
    if value == 0.0 or not np.isfinite(value):
        return "0" if value == 0.0 else str(value)
    if 1e-2 <= abs(value) < 1e6:
        text = f"{value:.{digits}g}"
    else:
        text = f"{value:.{max(digits - 2, 0)}e}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def accuracy_text(evaluation) -> str:
    return f"{100 * (1 - evaluation.error):.1f}%"


def _untranslated(context: str, text: str) -> str:
    return text


def what_if_text(eval_name: str, before, after, translate=_untranslated) -> str:
    """"validation accuracy 95.3% → 91.8% · loss 0.163 → 0.291" for two engine Evaluations
    (after None: still being computed). translate: the window's translate(context, text)
    (trainer_gui.i18n; this module imports no Qt), which also names the split."""
    split = translate("Views", eval_name)
    if after is None:
        return (translate("Views", "{split} accuracy {before} → … · loss {loss} → …").format(
                    split=split, before=accuracy_text(before), loss=f"{before.loss:.3g}")
                if before is not None else translate("Views", "{split} accuracy: computing…").format(split=split))
    return translate("Views", "{split} accuracy {before} → {after} · loss {loss_before} → {loss_after}").format(
        split=split, before=accuracy_text(before), after=accuracy_text(after), loss_before=f"{before.loss:.3g}",
        loss_after=f"{after.loss:.3g}")


def answer_text(answer, labels) -> str:
    """"7 (99%)": an Answer's predicted class and its probability (or output value, for a model
    whose outputs are values)."""
    shown = answer.values[answer.predicted]
    sure = f"{100 * shown:.0f}%" if answer.probabilities is not None else significant(shown, 3)
    return f"{labels[answer.predicted]} ({sure})"
