"""The classic functional API (softmax_loss, nn_epoch, ...), built on the same model and trainer."""
import numpy as np

from .losses import SoftmaxCrossEntropy
from .model import MLP
from .optim import SGD
from .trainer import Trainer


def softmax_loss(Z: np.ndarray, y: np.ndarray) -> float:
    """Average softmax cross-entropy of logits Z (m, k) against integer labels y (m,)."""
    return SoftmaxCrossEntropy().value(Z, np.asarray(y, dtype=np.intp))


def loss_err(h: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(average softmax loss, error rate) of logits h (m, k) against labels y (m,)."""
    return softmax_loss(h, y), float(np.mean(h.argmax(axis=1) != y))


def _sgd_epoch(X, y, model, lr, batch):
    """One epoch of plain SGD over the batches in order, updating the model's arrays in place."""
    Trainer(model, "softmax_ce", SGD(model.parameters, lr), X, y, batch_size=min(batch, len(X)),
            track_metrics=False).run_epoch()


def softmax_regression_epoch(X, y, theta, lr=0.1, batch=100) -> None:
    """One epoch of SGD for softmax regression: θ ← θ − lr · Xᵀ(Z − I_y)/B per batch, in place.

    X (np.ndarray[np.float32]): (m, n); y (np.ndarray[np.uint8]): (m,); theta: (n, k).
    """
    _sgd_epoch(X, y, MLP.from_arrays([theta], output="identity"), lr, batch)


def nn_epoch(X, y, W1, W2, lr=0.1, batch=100) -> None:
    """One epoch of SGD for z = W2ᵀ ReLU(W1ᵀ x), updating W1 (n, d) and W2 (d, k) in place."""
    _sgd_epoch(X, y, MLP.from_arrays([W1, W2], hidden="relu", output="identity"), lr, batch)


def least_squares(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form linear regression with bias: argmin ‖X W + b − Y‖², via lstsq in float64.

    X: (N, m); Y: (N, n) or (N,). Returns W (m, n) (or (m,)) and b (n,) (or scalar).
    """
    X64 = np.asarray(X, dtype=np.float64)
    augmented = np.hstack([X64, np.ones((len(X64), 1))])
    solution, *_ = np.linalg.lstsq(augmented, np.asarray(Y, dtype=np.float64), rcond=None)
    return solution[:-1], solution[-1]
