"""One SGD step taken apart: every array of the forward and backward pass of a batch, and a
numerical check of the gradients.

`probe` runs the model's own `backprop_step` (one implementation of backpropagation) and copies
what it computes on the way through its `trace` hook, so its gradients are `MLP.loss_and_grads`'
to the bit. The notation is the reference notes': the forward pass Z_{i+1} = σ_i(Z_i W_i + b_i),
the error signals G, the gradients ∇W_i = Z_iᵀ(G_{i+1} ∘ σ_i')/m and the update W ← W − η∇W.
Error signals are per sample (the derivative of that sample's own loss ℓ_j, without the batch's
1/m), so that the output's is p − onehot(y) under softmax cross-entropy, as the notes write it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import softmax
from .model import MLP

GRADCHECK_EPSILON = 1e-5      # the central difference's step, in float64
GRADCHECK_TOLERANCE = 1e-6    # the largest relative error that passes
GRADCHECK_WEIGHTS = 200       # weights drawn at random (with every bias) for the check


@dataclass
class LayerProbe:
    """Layer i of a probed batch (m samples); per-sample arrays have a row per sample.

    inputs: Z_i (m, n_i), the layer's input (the batch itself for the first layer).
    pre_activation: Z_i W_i + b_i (m, n_{i+1}). outputs: Z_{i+1} = σ_i(pre_activation).
    output_grad: ∂ℓ_j/∂Z_{i+1}, the signal reaching the layer's output (the notes' G_{i+1});
        None for an output activation the loss takes in itself (BCE's sigmoid).
    derivative: σ_i'(pre_activation), the mask the signal is multiplied by on its way back
        (0/1 for ReLU; ≤ 1/4 for the sigmoid; ≤ 1 for tanh); None where output_grad is.
    error: ∂ℓ_j/∂(pre_activation) = output_grad ∘ derivative, the error signal of the layer.
    weight_grad, bias_grad: ∇W_i (n_i, n_{i+1}) and ∇b_i of the batch's mean loss (None without
        biases): inputsᵀ error / m and the mean of error's rows.
    """
    activation: str
    inputs: np.ndarray
    pre_activation: np.ndarray
    outputs: np.ndarray
    output_grad: np.ndarray | None
    derivative: np.ndarray | None
    error: np.ndarray
    weight_grad: np.ndarray
    bias_grad: np.ndarray | None

    def sample_weight_grad(self, j: int) -> np.ndarray:
        """Sample j's share of weight_grad (n_i, n_{i+1}): Z_i[j]ᵀ error[j] / m; the shares of all
        samples add up to weight_grad."""
        return np.outer(self.inputs[j], self.error[j]) / len(self.inputs)


@dataclass
class Probe:
    """A batch through the model: its layers (first to last), and per sample its loss and class."""
    layers: list[LayerProbe]
    loss_name: str
    loss: float               # the batch's mean loss, as backprop_step returns it
    losses: np.ndarray        # (m,) float64, each sample's own loss; their mean is `loss`
    predictions: np.ndarray   # (m,) int64: the output's largest entry
    targets: np.ndarray       # the targets in the loss's form: labels (m,) or (m, k)

    @property
    def outputs(self) -> np.ndarray:
        return self.layers[-1].outputs

    @property
    def probabilities(self) -> np.ndarray:
        """What the network answers: softmax of the logits under cross-entropy, else the output."""
        return softmax(self.outputs) if self.loss_name == "softmax_ce" else self.outputs


def probe(model: MLP, loss, X: np.ndarray, Y: np.ndarray) -> Probe:
    """Run one batch forward and backward through `model` and keep every intermediate array.

    loss: a loss name or Loss; Y: integer labels (m,) or targets (m, k). Nothing of the model
    changes but its gradient buffers (left holding this batch's gradients, as backprop_step does).
    """
    loss = model.check_loss(loss)
    targets = loss.targets(Y, model.sizes[-1], model.dtype)
    m, last = len(X), len(model.weights) - 1
    kept: dict[tuple[str, int], np.ndarray] = {}

    def trace(kind, layer, array):
        kept[kind, layer] = array.copy()

    value, output = model.backprop_step(X, targets, loss, 1.0, trace=trace)
    layers, inputs = [], X
    for i in range(last + 1):
        activation = model.output if i == last else model.hidden
        outputs = output.copy() if i == last else None
        if outputs is None:   # a hidden layer's output is the next layer's input, kept as computed
            outputs = activation.apply(kept["pre_activation", i].copy())
        output_grad = kept.get(("output_grad", i))
        derivative = None
        if output_grad is not None:
            derivative = np.ones_like(outputs)
            activation.backprop(outputs, derivative)   # σ' by the activation's own rule
            output_grad = output_grad * m
        layers.append(LayerProbe(activation.name, np.array(inputs, copy=True), kept["pre_activation", i], outputs,
                                 output_grad, derivative, kept["error", i] * m, model.weight_grads[i].copy(),
                                 model.bias_grads[i].copy() if model.biases else None))
        inputs = outputs
    losses = loss.per_sample(output, targets)
    return Probe(layers, loss.name, value, losses, output.argmax(axis=1), np.array(targets, copy=True))


@dataclass
class GradientCheck:
    """Numerical against analytic gradients of one batch, parameter array by parameter array.

    errors: name ("W1", "b1", …) -> the relative error ‖a − n‖ / max(‖a‖, ‖n‖) of the checked
    entries of that array, a (analytic) and n (numerical) as vectors. Measured over the array
    rather than entry by entry because a difference quotient cannot resolve a gradient far below
    the loss's rounding (≈ 1e-16 · ℓ / ε): an entry of 1e-8 has a relative error near 1e-5 in any
    float64 check, while every entry that carries weight in the step is resolved to ~1e-9.
    """
    errors: dict
    checked: int              # parameters compared
    skipped: int              # left out: a ReLU switched inside ±ε, where no difference quotient holds
    tolerance: float = GRADCHECK_TOLERANCE

    @property
    def max_relative_error(self) -> float:
        """The largest of `errors` (nan if any is nan; nan when nothing was compared)."""
        values = np.array(list(self.errors.values()), np.float64)
        return float(np.max(values)) if values.size else float("nan")

    @property
    def worst(self) -> str | None:
        """The name of the array with the largest relative error (a nan one first)."""
        return max(self.errors, key=lambda name: np.inf if np.isnan(self.errors[name]) else self.errors[name],
                   default=None)

    @property
    def passed(self) -> bool:
        """Something was compared and every array is within the tolerance (a nan fails)."""
        return self.checked > 0 and bool(self.max_relative_error <= self.tolerance)


def relative_error(analytic, numerical) -> float:
    """‖a − n‖ / max(‖a‖, ‖n‖); 0 when both are exactly 0."""
    analytic, numerical = np.ravel(np.asarray(analytic, np.float64)), np.ravel(np.asarray(numerical, np.float64))
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numerical))
    return float(np.linalg.norm(analytic - numerical) / scale) if scale > 0 else 0.0


def gradient_check(model: MLP, loss, X, Y, n_weights: int = GRADCHECK_WEIGHTS, epsilon: float = GRADCHECK_EPSILON,
                   seed: int = 0) -> GradientCheck:
    """Central differences (in float64) against backpropagation on the batch (X, Y), for
    `n_weights` weights drawn at random over the layers and every bias.

    Only the perturbed unit's column changes in its layer, so each difference quotient runs the
    network from that layer on, and sums the samples' loss differences (the samples the change
    does not reach cancel exactly). A ReLU that switches between +ε and −ε makes the quotient
    meaningless (the loss has a kink there): such parameters are skipped and counted.
    """
    model64 = MLP.from_arrays([np.array(w, np.float64) for w in model.weights],
                              [np.array(b, np.float64) for b in model.biases],
                              hidden=model.hidden.name, output=model.output.name)
    loss = model64.check_loss(loss)
    X = np.asarray(X, np.float64)
    targets = loss.targets(Y, model64.sizes[-1], np.float64)
    checked = probe(model64, loss, X, Y)
    rng = np.random.default_rng(seed)
    sizes = [w.size for w in model64.weights]
    drawn = rng.choice(sum(sizes), size=min(n_weights, sum(sizes)), replace=False)
    offsets = np.cumsum([0] + sizes)
    chosen = []   # (name, layer, row or None for a bias, column, analytic)
    for flat in np.sort(drawn):
        i = int(np.searchsorted(offsets, flat, side="right") - 1)
        a, b = np.unravel_index(flat - offsets[i], model64.weights[i].shape)
        chosen.append((f"W{i + 1}", i, int(a), int(b), checked.layers[i].weight_grad[a, b]))
    for i, layer in enumerate(checked.layers):
        if layer.bias_grad is not None:
            chosen += [(f"b{i + 1}", i, None, int(b), layer.bias_grad[b]) for b in range(len(layer.bias_grad))]
    pairs: dict[str, list] = {}
    skipped = 0
    for name, i, a, b, analytic in chosen:
        (plus, plus_masks), (minus, minus_masks) = (
            _loss_with_change(model64, loss, targets, checked, i, a, b, sign * epsilon) for sign in (1.0, -1.0))
        if any((p != q).any() for p, q in zip(plus_masks, minus_masks)):
            skipped += 1
            continue
        numerical = float(np.sum(plus - minus)) / (len(X) * 2 * epsilon)
        pairs.setdefault(name, []).append((analytic, numerical))
    errors = {name: relative_error(*zip(*values)) for name, values in pairs.items()}
    return GradientCheck(errors, sum(len(v) for v in pairs.values()), skipped)


def _loss_with_change(model, loss, targets, checked: Probe, i, a, b, delta):
    """Each sample's loss with W_i[a, b] (or b_i[b] when a is None) moved by delta, and the ReLU masks
    (which units are on) of the layers from i on."""
    layer = checked.layers[i]
    Z = layer.pre_activation.copy()
    Z[:, b] += delta * (layer.inputs[:, a] if a is not None else 1.0)
    last = len(model.weights) - 1
    masks = [Z > 0] if i < last and model.hidden.name == "relu" else []
    logits = Z.copy() if i == last else None   # the output layer's pre-activation
    A = (model.output if i == last else model.hidden).apply(Z)
    if i < last:
        tail = MLP.from_arrays(model.weights[i + 1:], model.biases[i + 1:], hidden=model.hidden.name,
                               output=model.output.name)
        relu, tail_last = model.hidden.name == "relu", len(tail.weights) - 1

        def trace(kind, layer, array):
            nonlocal logits
            if layer == tail_last:
                logits = array.copy()
            elif relu:
                masks.append(array > 0)

        A = tail._forward(A, tail._buffers_for(len(A)), trace)
    if loss.absorbs_output_activation:   # differentiate the loss the gradient belongs to (see BCE)
        return loss.per_sample_of_logits(logits, targets), masks
    return loss.per_sample(A, targets), masks
