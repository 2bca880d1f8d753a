"""Losses: each computes its value and writes the gradient of that value into a buffer.

Conventions (as PyTorch's): softmax cross-entropy is the mean over the batch; MSE and binary
cross-entropy are means over all elements of the (m, k) output. Integer labels given to MSE or BCE
are one-hot encoded. Values are returned as Python floats, accumulated in float64.
"""
import numpy as np


def one_hot(y: np.ndarray, k: int, dtype=np.float32) -> np.ndarray:
    """(m,) integer labels -> (m, k) one-hot matrix."""
    Y = np.zeros((len(y), k), dtype=dtype)
    Y[np.arange(len(y)), y] = 1
    return Y


def softmax(Z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax(Z / T) as a new array, computed from Z − max so that it never overflows.

    Z (np.ndarray): (m, k) logits. temperature: T > 0; T > 1 flattens, T < 1 sharpens.
    """
    shifted = (Z - Z.max(axis=-1, keepdims=True)) / temperature
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class Loss:
    name = ""
    # True when the gradient written is with respect to the output activation's input
    # (the loss absorbs that activation, as BCE absorbs the sigmoid), so the model skips its backprop.
    absorbs_output_activation = False

    def targets(self, Y: np.ndarray, k: int, dtype) -> np.ndarray:
        """Labels or targets in the form this loss reads."""
        return Y

    def value(self, A: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss of outputs A (m, k) against targets Y."""
        raise NotImplementedError

    def value_and_grad(self, A: np.ndarray, Y: np.ndarray, G: np.ndarray, scale: float = 1.0) -> float:
        """Return the mean loss; write scale · ∂loss/∂A (m, k) into G."""
        raise NotImplementedError

    def per_sample(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """(m,) float64: each row's own loss; their mean is `value(A, Y)`."""
        raise NotImplementedError


class SoftmaxCrossEntropy(Loss):
    """ℓ(z, y) = log Σⱼ exp zⱼ − z_y on logits; ∂ℓ/∂Z = (softmax(Z) − I_y) / m."""
    name = "softmax_ce"

    def targets(self, Y, k, dtype):
        Y = np.asarray(Y)
        if Y.ndim != 1 or not np.issubdtype(Y.dtype, np.integer):
            raise ValueError("softmax cross-entropy needs a 1-D array of integer labels")
        return Y

    def value(self, A, y):
        return self.value_and_grad(A, y, np.empty_like(A))

    def __init__(self):
        self._offsets = {}   # (m, k, column-major) -> (row offsets, label stride) in G's memory

    def _label_positions(self, G, y):
        """Positions of G[i, y_i] in G's memory (G C- or F-contiguous): flat indexing is cheapest."""
        m, k = G.shape
        column_major = G.flags.f_contiguous and k > 1
        cached = self._offsets.get((m, k, column_major))
        if cached is None:
            cached = self._offsets[m, k, column_major] = \
                (np.arange(m), m) if column_major else (np.arange(0, m * k, k), 1)
        offsets, stride = cached
        y = y.astype(np.intp, copy=False)   # y·m overflows small label dtypes such as uint8
        return np.add(offsets, y * stride if stride != 1 else y)

    def value_and_grad(self, A, y, G, scale=1.0):
        return float(np.add.reduce(self._per_sample_and_grad(A, y, G, scale))) / len(y)

    def per_sample(self, A, y):
        return self._per_sample_and_grad(A, y, np.empty_like(A), 1.0).astype(np.float64)

    def _per_sample_and_grad(self, A, y, G, scale):
        """Each row's loss (m,); writes scale · ∂(mean loss)/∂A into G.

        The training step's hot path at small batches, where each NumPy call's overhead outweighs
        its arithmetic: as few calls as possible (the (m, 1) row figures broadcast without an index
        per use, the ufuncs reduce directly), each rounding as the plain formulas'."""
        # The model keeps its outputs column-major, which makes these row reductions vector-wide.
        step = scale / len(y)
        np.subtract(A, np.maximum.reduce(A, axis=1, keepdims=True), out=G)
        flat, labels = G.ravel(order="K"), self._label_positions(G, y)
        label_logit = flat.take(labels)                  # z_y − max z, (m,)
        np.exp(G, out=G)
        sums = np.add.reduce(G, axis=1, keepdims=True)   # (m, 1)
        np.multiply(G, np.divide(step, sums), out=G)     # scale · softmax / m
        flat[labels] -= step                             # scale · (softmax − I_y) / m
        sums = np.log(sums, out=sums).ravel()
        sums -= label_logit
        return sums


class MeanSquaredError(Loss):
    """mean((A − Y)²) over all elements; ∂/∂A = 2 (A − Y) / (m k)."""
    name = "mse"

    def targets(self, Y, k, dtype):
        Y = np.asarray(Y)
        return one_hot(Y, k, dtype) if Y.ndim == 1 else Y.astype(dtype, copy=False)

    def value(self, A, Y):
        diff = A - Y
        return float(np.mean(diff * diff, dtype=np.float64))

    def per_sample(self, A, Y):
        diff = A - Y
        return np.mean(diff * diff, axis=1, dtype=np.float64)

    def value_and_grad(self, A, Y, G, scale=1.0):
        np.subtract(A, Y, out=G)
        loss = float(np.mean(G * G, dtype=np.float64))
        G *= 2.0 * scale / G.size
        return loss


class BinaryCrossEntropy(MeanSquaredError):
    """−mean(Y log P + (1 − Y) log(1 − P)) over all elements, P the sigmoid output.

    Logs are clamped at −100 as PyTorch's binary_cross_entropy does. The gradient is taken through
    the sigmoid at once, ∂/∂Z = (P − Y) / (m k), which stays exact where P saturates to 0 or 1.
    """
    name = "bce"
    absorbs_output_activation = True

    @staticmethod
    def _elementwise(P, Y):
        log_p = np.maximum(np.log(P, where=P > 0, out=np.full_like(P, -np.inf)), -100.0)
        log_q = np.maximum(np.log1p(-P, where=P < 1, out=np.full_like(P, -np.inf)), -100.0)
        return -(Y * log_p + (1.0 - Y) * log_q)

    def value(self, P, Y):
        return float(np.mean(self._elementwise(P, Y), dtype=np.float64))

    def per_sample(self, P, Y):
        return np.mean(self._elementwise(P, Y), axis=1, dtype=np.float64)

    @staticmethod
    def per_sample_of_logits(Z, Y):
        """Each row's loss from the sigmoid's input Z, log(1 + e^z) − y·z (the loss the gradient
        (P − Y)/(m k) belongs to, exact where P rounds to 0 or 1 and the logs are clamped): what a
        numerical check of that gradient differentiates."""
        return np.mean(np.logaddexp(0.0, Z) - Y * Z, axis=1, dtype=np.float64)

    def value_and_grad(self, P, Y, G, scale=1.0):
        loss = self.value(P, Y)
        np.subtract(P, Y, out=G)
        G *= scale / G.size
        return loss


LOSSES = {cls.name: cls for cls in (SoftmaxCrossEntropy, MeanSquaredError, BinaryCrossEntropy)}


def get_loss(name) -> Loss:
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]()
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
