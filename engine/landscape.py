"""The loss along a straight line between two sets of parameters of one architecture:
θ(α) = (1 − α) θ_A + α θ_B, from before A (α < 0) to past B (α > 1)."""
from __future__ import annotations

import numpy as np

from .evaluation import evaluate
from .model import MLP

ALPHAS = np.round(np.linspace(-0.5, 1.5, 41), 10)   # steps of 0.05, 0 and 1 among them


def interpolate(a, b, alpha: float) -> list[np.ndarray]:
    """(1 − α) a + α b, array by array (float32 like the model's)."""
    return [((1.0 - alpha) * np.asarray(x, np.float64) + alpha * np.asarray(y, np.float64)).astype(np.float32)
            for x, y in zip(a, b)]


def loss_along_line(a, b, n_weights: int, hidden: str, output: str, loss, X, y, alphas=ALPHAS,
                    cancelled=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(alphas, loss, error) of the model θ(α) on (X, y) for each α.

    a, b: the parameters of the two ends (weights then biases, `n_weights` weights, shapes equal);
    hidden, output: the MLP's activations; loss: its loss name. cancelled: optional callable,
    polled between points (a True answer stops early: the points so far are returned).
    """
    if [np.shape(x) for x in a] != [np.shape(x) for x in b]:
        raise ValueError("the two ends have different architectures: no straight line joins them")
    alphas = np.asarray(alphas, np.float64)
    losses, errors = np.full(len(alphas), np.nan), np.full(len(alphas), np.nan)
    for i, alpha in enumerate(alphas):
        if cancelled is not None and cancelled():
            break
        params = interpolate(a, b, alpha)
        model = MLP.from_arrays(params[:n_weights], params[n_weights:], hidden=hidden, output=output)
        with np.errstate(over="ignore", invalid="ignore"):
            evaluation = evaluate(model, loss, X, y)
        losses[i], errors[i] = evaluation.loss, evaluation.error
    return alphas, losses, errors
