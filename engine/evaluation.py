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
    predicted: np.ndarray | None = None    # (n,) int16 every row's predicted class
    confidence: np.ndarray | None = None   # (n,) float32 every row's probability (or score) for it

    @property
    def accuracy(self) -> float:
        return 1.0 - self.error

    def accuracy_per_class(self) -> np.ndarray:
        """(k,) float64: the share of each true class answered right (nan for a class with no rows)."""
        totals = self.confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, np.diag(self.confusion) / np.maximum(totals, 1), np.nan)

    def confident_errors(self, at_least: float = 0.9) -> int:
        """Mistakes made with a probability (or score) of at least `at_least` for the wrong answer."""
        return int(np.count_nonzero(self.misclassified.confidence >= at_least))

    @property
    def mean_confidence(self) -> float:
        return float(np.mean(self.confidence, dtype=np.float64)) if self.confidence is not None else float("nan")

    def answered(self, y, threshold: float) -> tuple[float, float]:
        """(coverage, accuracy) when the model answers only where its confidence is ≥ threshold:
        the share of rows answered, and the share of those answered right (nan if none)."""
        answered = self.confidence >= threshold
        coverage = float(np.mean(answered))
        right = self.predicted[answered] == np.asarray(y)[answered]
        return coverage, float(np.mean(right)) if right.size else float("nan")

    def coverage_curve(self, y) -> tuple[np.ndarray, np.ndarray]:
        """Accuracy against coverage as the threshold falls: answering the r most confident rows
        (r = 1 … n) covers r/n of them with the accuracy of those r. Ties keep the row order."""
        order = np.argsort(-self.confidence, kind="stable")
        right = (self.predicted[order] == np.asarray(y)[order]).astype(np.float64)
        counts = np.arange(1, len(order) + 1)
        return counts / len(order), np.cumsum(right) / counts

    def rows_of(self, y, true: int, predicted: int) -> np.ndarray:
        """The rows of true class `true` answered `predicted`, worst first: the most confident
        mistakes first, or for right answers (true == predicted) the least sure first."""
        y = np.asarray(y)
        if true != predicted:
            wrong = self.misclassified
            mask = (y[wrong.indices] == true) & (wrong.predicted == predicted)
            return wrong.indices[mask]
        rows = np.flatnonzero((y == true) & (self.predicted == predicted))
        return rows[np.argsort(self.confidence[rows], kind="stable")]


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
    all_predicted = np.empty(len(X), np.int16 if k <= np.iinfo(np.int16).max else np.int64)
    all_confidence = np.empty(len(X), np.float32)
    for start in range(0, len(X), EVAL_CHUNK):
        rows = slice(start, start + EVAL_CHUNK)
        output = model.forward(X[rows])
        total_loss += loss.value(output, loss.targets(y[rows], k, model.dtype)) * len(output)
        predicted = output.argmax(axis=1)
        confusion += np.bincount(y[rows] * k + predicted, minlength=k * k).reshape(k, k)
        mistakes = np.flatnonzero(predicted != y[rows])
        confidence = _confidence(loss, output, predicted)
        all_predicted[rows], all_confidence[rows] = predicted, confidence
        wrong.append(mistakes + start)
        predicted_wrong.append(predicted[mistakes])
        confidence_wrong.append(confidence[mistakes])
    wrong, predicted_wrong, confidence_wrong = (np.concatenate(a) for a in
                                                (wrong, predicted_wrong, confidence_wrong))
    worst_first = np.argsort(-confidence_wrong, kind="stable")
    return Evaluation(total_loss / len(X), len(wrong) / len(X), confusion,
                      Misclassified(wrong[worst_first], predicted_wrong[worst_first],
                                    confidence_wrong[worst_first]), all_predicted, all_confidence)


def predict(model, loss, X) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class (n,) int64, its probability or score (n,) float32) of every row of X, for
    images without labels; forward passes of EVAL_CHUNK rows. `loss` decides what the confidence is
    (a probability under softmax cross-entropy, else the output value)."""
    loss = get_loss(loss)
    predicted, confidence = np.empty(len(X), np.int64), np.empty(len(X), np.float32)
    for start in range(0, len(X), EVAL_CHUNK):
        rows = slice(start, start + EVAL_CHUNK)
        output = model.forward(X[rows])
        predicted[rows] = output.argmax(axis=1)
        confidence[rows] = _confidence(loss, output, predicted[rows])
    return predicted, confidence


def _confidence(loss, output, predicted):
    """Softmax probability of the prediction under cross-entropy; else the output value itself."""
    if loss.name == "softmax_ce":
        output = softmax(output)
    return output[np.arange(len(predicted)), predicted].astype(np.float32)
