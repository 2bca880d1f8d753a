"""The L-layer perceptron Z_{i+1} = σ_i(Z_i W_i + b_i), with backpropagation into reused buffers."""
from __future__ import annotations

import math

import numpy as np

from .activations import get_activation
from .losses import get_loss

# init name -> standard deviation of N(0, std²) for a (fan_in, fan_out) weight matrix
INITS = {
    "normal": lambda fan_in, fan_out: np.sqrt(1.0 / fan_in),      # N(0, 1/fan_in)
    "scaled": lambda fan_in, fan_out: np.sqrt(1.0 / fan_out),     # randn / √fan_out, as the two-layer notes
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),
    "xavier": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),
    "zeros": lambda fan_in, fan_out: 0.0,
}
MAX_CACHED_BATCH_SIZES = 4


def _square_sum(a: np.ndarray) -> float:
    """Σ a² over every element, summed in a's dtype (a float, inf when that overflows)."""
    flat = a.ravel(order="K")   # a view of a C- or F-contiguous array
    return float(np.vdot(flat, flat))


class _Buffers:
    """Work arrays for one batch size: each layer's output and the gradient flowing into it."""

    def __init__(self, sizes, m, dtype):
        # The last layer is column-major: its few columns make row-wise reductions (softmax) slow
        # in row-major order; matmul reads and writes either order at the same speed.
        order = ["C"] * (len(sizes) - 2) + ["F"]
        self.outputs = [np.empty((m, n), dtype, o) for n, o in zip(sizes[1:], order)]  # A_{i+1}
        self.grads = [np.empty((m, n), dtype, o) for n, o in zip(sizes[1:], order)]    # ∂ℓ/∂Z_{i+1}
        # with dropout only (made on first use): each hidden layer's scaled mask and dropped output
        self.masks: list[np.ndarray] = []
        self.dropped: list[np.ndarray] = []
        # per weight layer: whether MLP.weight_grads_finite bounds its gradient AᵀE (n_i, n_{i+1}) by
        # its inputs A (m, n_i) and error signal E (m, n_{i+1}): when they are the smaller arrays, and
        # few enough numbers are summed that rounding stays within a factor 2 (u · Σ lengths ≤ 1/8)
        finfo = np.finfo(dtype)
        self.bounded = [m * (a + b) < a * b and (a * b + m * (a + b) + m) * finfo.eps / 2 <= 1 / 8
                        for a, b in zip(sizes[:-1], sizes[1:])]
        self.limit = float(finfo.max) / 4

    def dropout_buffers(self, sizes, dtype):
        if not self.masks:
            m = len(self.outputs[0])
            self.masks = [np.empty((m, n), dtype) for n in sizes[1:-1]]
            self.dropped = [np.empty((m, n), dtype) for n in sizes[1:-1]]
        return self.masks, self.dropped


class MLP:
    """A fully connected network.

    Args:
        sizes: layer widths [n_0, ..., n_L]; weights[i] has shape (n_i, n_{i+1}).
        hidden, output: activation names ("relu", "sigmoid", "tanh", "identity").
        bias: whether each layer has a bias vector b_i (n_{i+1},).
        seed: seed of the initialisation; init: one of INITS.
        dtype: float32 (default) or float64 (for gradient checks).
        dropout: the probability p of dropping each hidden unit in a training step (inverted
            dropout: the kept units are scaled by 1/(1 − p)); 0 = none. dropout_seed: its masks' seed.
            See `set_dropout`.
    """

    def __init__(self, sizes, hidden="relu", output="identity", bias=True, seed=0,
                 init="normal", dtype=np.float32, dropout=0.0, dropout_seed=0):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer sizes must be at least two positive integers, got {sizes}")
        if init not in INITS:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {', '.join(INITS)}")
        rng = np.random.default_rng(seed)
        weights = [(rng.standard_normal((a, b)) * INITS[init](a, b)).astype(dtype)
                   for a, b in zip(sizes[:-1], sizes[1:])]
        biases = [np.zeros(b, dtype) for b in sizes[1:]] if bias else []
        self._setup(weights, biases, hidden, output)
        self.init, self.seed = init, seed
        self.set_dropout(dropout, dropout_seed)

    @classmethod
    def from_arrays(cls, weights, biases=(), hidden="relu", output="identity") -> MLP:
        """Wrap existing weight (and bias) arrays without copying: training updates them in place."""
        model = cls.__new__(cls)
        model._setup(list(weights), list(biases), hidden, output)
        model.init, model.seed = "given", None
        return model

    def _setup(self, weights, biases, hidden, output):
        for a, b in zip(weights[:-1], weights[1:]):
            if a.shape[1] != b.shape[0]:
                raise ValueError(f"weight shapes {a.shape} and {b.shape} do not chain")
        if biases and [b.shape for b in biases] != [(w.shape[1],) for w in weights]:
            raise ValueError("bias shapes do not match the weights")
        self.weights, self.biases = weights, biases
        self.sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        self.dtype = weights[0].dtype
        self.hidden, self.output = get_activation(hidden), get_activation(output)
        self.weight_grads = [np.empty_like(w) for w in weights]
        self.bias_grads = [np.empty_like(b) for b in biases]
        self._buffers: dict[int, _Buffers] = {}
        self._last_step = None   # (X, buffers, dropped outputs or None) of the last backprop_step
        self.dropout, self.dropout_rng = 0.0, None

    def set_dropout(self, p: float, seed=0) -> None:
        """Drop each hidden layer's outputs with probability p in training steps
        (`backprop_step(..., training=True)`), the kept ones scaled by 1/(1 − p) so that the expected
        output is the plain one; the masks come from np.random.default_rng(seed) (`dropout_rng`).
        `forward`, `layer_outputs` and every evaluation never drop. p = 0 turns it off."""
        p = float(p)
        if not (math.isfinite(p) and 0 <= p < 1):
            raise ValueError(f"dropout must be a probability in [0, 1), got {p}")
        self.dropout = p
        self.dropout_rng = np.random.default_rng(seed) if p else None

    @property
    def bias(self) -> bool:
        return bool(self.biases)

    @property
    def parameters(self) -> list[np.ndarray]:
        return self.weights + self.biases

    @property
    def gradients(self) -> list[np.ndarray]:
        """Gradient buffers aligned with `parameters`, filled by `backprop_step`."""
        return self.weight_grads + self.bias_grads

    def _buffers_for(self, m: int) -> _Buffers:
        if m not in self._buffers:
            if len(self._buffers) >= MAX_CACHED_BATCH_SIZES:
                self._buffers.clear()
            self._buffers[m] = _Buffers(self.sizes, m, self.dtype)
        return self._buffers[m]

    def _forward(self, X, buffers: _Buffers, trace=None, masks=None, dropped=None) -> np.ndarray:
        """The forward pass into the buffers; with dropout `masks`, hidden layer i's output A_i stays
        in buffers.outputs[i] (for σ') and D_i = A_i ⊙ M_i (in dropped[i]) feeds layer i + 1."""
        A = X
        last = len(self.weights) - 1
        for i, (W, Z) in enumerate(zip(self.weights, buffers.outputs)):
            np.matmul(A, W, out=Z)                     # (m, n_{i+1})
            if self.biases:
                Z += self.biases[i]
            if trace is not None:
                trace("pre_activation", i, Z)
            A = (self.output if i == last else self.hidden).apply(Z)
            if masks is not None and i < last:
                A = np.multiply(A, masks[i], out=dropped[i])
        return A

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output (m, n_L) after the output activation, as a new array."""
        return self._forward(X, self._buffers_for(len(X))).copy()

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output A_1 … A_L (m, n_i), after its activation, as new arrays: what the
        network computes on the way to its answer (the last is `forward(X)`)."""
        buffers = self._buffers_for(len(X))
        self._forward(X, buffers)
        return [A.copy() for A in buffers.outputs]

    def backprop_step(self, X, Y, loss, grad_scale=1.0, trace=None,
                      training: bool = False) -> tuple[float, np.ndarray]:
        """One forward and backward pass over a batch into the reused buffers.

        Fills `weight_grads` / `bias_grads` with grad_scale · ∇loss (scaling the small output gradient
        costs far less than scaling every weight gradient, so an optimizer can ask for −η·∇ at once).

        Args:
            X (np.ndarray): (m, n_0) inputs. Y: targets in the loss's form (Loss.targets).
            trace: None, or a callable trace(kind, layer, array) shown each intermediate array as it
                is computed (valid only during the call: copy what you keep): "pre_activation"
                (Z_i W_i + b_i), "output_grad" (the gradient reaching layer i's output, before its
                activation's derivative; not for an output activation the loss absorbs) and "error"
                (the gradient of the pre-activation), each (m, n_{i+1}). engine.probe uses it.
            training: a training step: with `dropout` set, hidden outputs are dropped (a fresh mask
                from `dropout_rng` for each call) and the gradients are those of the dropped network.
        Returns:
            (loss value, output (m, n_L)); the output is a buffer, valid until the next call.
        """
        buffers = self._buffers_for(len(X))
        masks = dropped = None
        if training and self.dropout and len(self.weights) > 1:
            masks, dropped = self._draw_masks(buffers)
        self._last_step = (X, buffers, dropped)   # what weight_grads_finite bounds the gradients by
        A = self._forward(X, buffers, trace, masks, dropped)
        G = buffers.grads[-1]
        value = loss.value_and_grad(A, Y, G, grad_scale)
        last = len(self.weights) - 1
        if not loss.absorbs_output_activation:
            if trace is not None:
                trace("output_grad", last, G)
            self.output.backprop(A, G)
        for i in range(last, -1, -1):  # G is ∂ℓ/∂(Z_i W_i + b_i), after σ_i's derivative
            if trace is not None:
                trace("error", i, G)
            inputs = X if i == 0 else (buffers.outputs if masks is None else dropped)[i - 1]
            np.matmul(inputs.T, G, out=self.weight_grads[i])
            if self.biases:
                np.sum(G, axis=0, out=self.bias_grads[i])
            if i > 0:
                G_below = buffers.grads[i - 1]
                np.matmul(G, self.weights[i].T, out=G_below)
                if masks is not None:
                    G_below *= masks[i - 1]             # ∂ℓ/∂A_i = (∂ℓ/∂D_i) ⊙ M_i
                if trace is not None:
                    trace("output_grad", i - 1, G_below)
                self.hidden.backprop(buffers.outputs[i - 1], G_below)
                G = G_below
        return value, A

    def weight_grad_squares(self) -> list[float]:
        """Σ g² of each weight gradient the last `backprop_step` wrote (‖∇W_i‖² times grad_scale²),
        summed in the gradients' dtype: inf when that overflows."""
        return [_square_sum(g) for g in self.weight_grads]

    def weight_grads_finite(self) -> bool:
        """Whether every `weight_grad_squares()` of the last `backprop_step` is finite (the same
        answer), reading less where it can: a layer's gradient is AᵀE, its inputs A (m, n_i) times
        its error signal E (m, n_{i+1}), and ‖AᵀE‖² ≤ ‖A‖² ‖E‖² (Cauchy–Schwarz, each entry's sum
        bounded by its two columns' norms); when A and E are the smaller arrays (small batches) and
        that bound is below a quarter of the dtype's largest number, the gradient's Σ g² is finite,
        every rounding included (they move it by less than a factor 2: _Buffers.bounded). Otherwise,
        and when the bound overflows or is nan, the gradient itself is summed."""
        X, buffers, dropped = self._last_step or (None, None, None)
        for i, g in enumerate(self.weight_grads):
            if buffers is not None and buffers.bounded[i]:
                A = X if i == 0 else (buffers.outputs if dropped is None else dropped)[i - 1]
                # inputs of a narrower dtype (integers wrap around) do not bound anything
                if (A.dtype == self.dtype or np.can_cast(self.dtype, A.dtype)) \
                        and _square_sum(A) * _square_sum(buffers.grads[i]) < buffers.limit:
                    continue
            if not math.isfinite(_square_sum(g)):
                return False
        return True

    def _draw_masks(self, buffers: _Buffers) -> tuple[list, list]:
        """Fresh inverted-dropout masks: 1/(1 − p) where a unit is kept (probability 1 − p), else 0."""
        masks, dropped = buffers.dropout_buffers(self.sizes, self.dtype)
        keep = self.dtype.type(1.0 / (1.0 - self.dropout))
        for M in masks:
            self.dropout_rng.random(out=M, dtype=M.dtype.type)    # U(0, 1); float32 or float64
            np.multiply(M >= self.dropout, keep, out=M)
        return masks, dropped


    def check_loss(self, loss):
        """The Loss object for `loss`, refusing pairings that have no meaning."""
        loss = get_loss(loss)
        if loss.absorbs_output_activation and self.output.name != "sigmoid":
            raise ValueError(f"the {loss.name} loss needs a sigmoid output, not {self.output.name}")
        return loss

    def loss_and_grads(self, X, Y, loss):
        """(loss value, weight gradients, bias gradients) of a batch, as new arrays.

        loss: "softmax_ce" (Y integer labels), "mse" or "bce" (Y targets shaped like the output,
        or integer labels, which are one-hot encoded).
        """
        loss = self.check_loss(loss)
        value, _ = self.backprop_step(X, loss.targets(Y, self.sizes[-1], self.dtype), loss)
        return value, [g.copy() for g in self.weight_grads], [g.copy() for g in self.bias_grads]

    def __repr__(self):
        return (f"MLP({self.sizes}, hidden={self.hidden.name!r}, output={self.output.name!r}, "
                f"bias={self.bias})")
