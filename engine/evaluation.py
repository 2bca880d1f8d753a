"""Evaluating a model on a labelled set: loss, error, confusion matrix, the mistakes worst first."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import get_loss, softmax

EVAL_CHUNK = 2000   # rows per forward pass: bounds the memory whatever the size of the set


@dataclass
class Misclassified:
    indices: np.ndarray     # (r,) int64 rows of the evaluated set, most confident mistake first
    predicted: np.ndarray   # (r,) int64 predicted labels
    confidence: np.ndarray  # (r,) float32 the model's probability (or score) for its prediction


@dataclass
class Evaluation:
    loss: float
    error: float
    confusion: np.ndarray   # (k, k) int64, rows the true label, columns the prediction
    misclassified: Misclassified


def check_labels(y, n_classes: int, what: str = "labels") -> None:
    """Raise ValueError, in words for the user, unless every label is a class of the model (0..k-1)."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) == 0:
        return
    if y.dtype.kind not in "iu":
        raise ValueError(f"the {what} are {y.dtype} numbers, not whole-number classes")
    low, high = int(y.min()), int(y.max())
    if low < 0 or high >= n_classes:
        raise ValueError(f"the {what} run from {low} to {high}, but the model has {n_classes} outputs "
                         f"(classes 0 to {n_classes - 1})")


def evaluate(model, loss, X, y) -> Evaluation:
    """Loss, error, confusion matrix and misclassified rows of model on (X, y), y integer labels.

    X (np.ndarray): (n, n_0) inputs; y: (n,) labels; loss: a loss name or Loss (its value is
    averaged over the set as the loss defines it).
    """
    loss = get_loss(loss)
    k = model.sizes[-1]
    check_labels(y, k)
    if len(X) != len(y) or len(y) == 0:
        raise ValueError(f"cannot evaluate {len(X)} inputs against {len(y)} labels")
    y = np.asarray(y).astype(np.intp)
    total_loss, confusion = 0.0, np.zeros((k, k), np.int64)
    wrong, predicted_wrong, confidence_wrong = [], [], []
    for start in range(0, len(X), EVAL_CHUNK):
        rows = slice(start, start + EVAL_CHUNK)
        output = model.forward(X[rows])
        total_loss += loss.value(output, loss.targets(y[rows], k, model.dtype)) * len(output)
        predicted = output.argmax(axis=1)
        confusion += np.bincount(y[rows] * k + predicted, minlength=k * k).reshape(k, k)
        mistakes = np.flatnonzero(predicted != y[rows])
        wrong.append(mistakes + start)
        predicted_wrong.append(predicted[mistakes])
        confidence_wrong.append(_confidence(loss, output[mistakes], predicted[mistakes]))
    wrong, predicted_wrong, confidence_wrong = (np.concatenate(a) for a in
                                                (wrong, predicted_wrong, confidence_wrong))
    worst_first = np.argsort(-confidence_wrong, kind="stable")
    return Evaluation(total_loss / len(X), len(wrong) / len(X), confusion,
                      Misclassified(wrong[worst_first], predicted_wrong[worst_first],
                                    confidence_wrong[worst_first]))


def _confidence(loss, output, predicted):
    """Softmax probability of the prediction under cross-entropy; else the output value itself."""
    if loss.name == "softmax_ce":
        output = softmax(output)
    return output[np.arange(len(predicted)), predicted].astype(np.float32)
