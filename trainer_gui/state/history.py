"""The points the loss and error plots draw, gathered from the worker's reports; no Qt.

Nothing here computes a loss or an error: batch figures come from the engine's StepResults, epoch
figures from its EpochRecords, the untrained model's from an Evaluation. The history only places
them on an epoch axis and keeps a smoothed copy of the noisy batch loss.
"""
from __future__ import annotations

import math

import numpy as np

from .progress import EvaluationReport

SMOOTHING = 0.95   # weight of the past in the smoothed batch loss: about a 20-batch window


class GrowingArray:
    """A float64 array appended to in amortised O(1); `values` is a view, not a copy."""

    def __init__(self, capacity: int = 1024):
        self._data = np.empty(capacity)
        self._size = 0

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=np.float64)
        needed = self._size + len(values)
        if needed > len(self._data):
            grown = np.empty(max(needed, 2 * len(self._data)))
            grown[:self._size] = self._data[:self._size]
            self._data = grown
        self._data[self._size:needed] = values
        self._size = needed

    @property
    def values(self) -> np.ndarray:
        return self._data[:self._size]

    def __len__(self) -> int:
        return self._size


DRAWN_BUCKETS = 4096   # buckets (two points each) a decimated curve keeps before its newest points
FULL_TAIL = 2048       # the newest points a decimated curve keeps as they are (a close-up's steps)


class Decimated:
    """What a plot draws of a growing curve (x and y GrowingArrays, x increasing): its newest
    FULL_TAIL points as they are and, before them, the lowest and the highest point of each bucket
    of `bucket` points, in their order, so every spike stays visible. When there would be more
    than DRAWN_BUCKETS buckets, neighbours are merged (the bucket doubles): a curve of any length is
    drawn from at most 2·DRAWN_BUCKETS + bucket + FULL_TAIL points, and keeping it costs O(new
    points). The full curve stays in the arrays (exports, statistics)."""

    def __init__(self, x: GrowingArray, y: GrowingArray):
        self._x, self._y = x, y
        self.bucket = 1
        self._done = 0                      # points folded into buckets so far
        self._bx = np.empty((0, 2))         # per bucket: x of its two points, in order
        self._by = np.empty((0, 2))         # and their y (the bucket's min and max)

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to draw: the buckets' points, then the newest points."""
        self._fold()
        x, y = self._x.values, self._y.values
        return (np.concatenate([self._bx.ravel(), x[self._done:]]),
                np.concatenate([self._by.ravel(), y[self._done:]]))

    def _fold(self) -> None:
        ready = (len(self._y) - FULL_TAIL - self._done) // self.bucket
        if ready > 0:
            end = self._done + ready * self.bucket
            shape = (ready, self.bucket)
            bx, by = _extremes(self._x.values[self._done:end].reshape(shape),
                               self._y.values[self._done:end].reshape(shape))
            self._bx, self._by = np.concatenate([self._bx, bx]), np.concatenate([self._by, by])
            self._done = end
        while len(self._bx) > DRAWN_BUCKETS:
            pairs = len(self._bx) // 2 * 2    # an odd last bucket stays as it is
            merged = _extremes(self._bx[:pairs].reshape(-1, 4), self._by[:pairs].reshape(-1, 4))
            self._bx = np.concatenate([merged[0], self._bx[pairs:]])
            self._by = np.concatenate([merged[1], self._by[pairs:]])
            self.bucket *= 2


def thinned(x: np.ndarray, y: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about `points` points of the curve (x, y) (a Decimated curve), for a plot `points`/2
    pixels wide: the lowest and the highest point of each run of k neighbours, k a power of two
    (so the runs move only when k doubles: the curve does not shimmer as it grows). A curve that
    short already is returned as it is."""
    n = len(y)
    if n <= points:
        return x, y
    k = 1 << math.ceil(math.log2(n / max(points // 2, 1)))
    full = n // k * k
    parts = [_extremes(x[:full].reshape(-1, k), y[:full].reshape(-1, k))]
    if full < n:
        parts.append(_extremes(x[full:].reshape(1, -1), y[full:].reshape(1, -1)))
    return np.concatenate([p[0].ravel() for p in parts]), np.concatenate([p[1].ravel() for p in parts])


def _extremes(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of (rows, k) points: its lowest and highest point as ((rows, 2) x, (rows, 2) y),
    the earlier of the two first (NaNs ignored; a row of NaNs gives NaN)."""
    with np.errstate(invalid="ignore"):
        filled_low, filled_high = np.where(np.isnan(y), np.inf, y), np.where(np.isnan(y), -np.inf, y)
    low, high = filled_low.argmin(axis=1), filled_high.argmax(axis=1)
    first, second = np.minimum(low, high), np.maximum(low, high)
    rows = np.arange(len(y))
    return (np.stack([x[rows, first], x[rows, second]], axis=1),
            np.stack([y[rows, first], y[rows, second]], axis=1))


class TrainingHistory:
    """Per-batch and per-epoch curves of one run; x is measured in epochs (fractional per batch)."""

    def __init__(self, batches_per_epoch: int):
        self.batches_per_epoch = batches_per_epoch
        self.batch_x, self.batch_loss, self.batch_loss_smoothed = (GrowingArray() for _ in range(3))
        # what the loss plot draws of them: the same cost at 10 thousand steps and at 10 million
        self.batch_curve = Decimated(self.batch_x, self.batch_loss)
        self.smoothed_curve = Decimated(self.batch_x, self.batch_loss_smoothed)
        self.epoch_x, self.train_loss, self.train_error = (GrowingArray(64) for _ in range(3))
        self.eval_x, self.eval_loss, self.eval_error = (GrowingArray(64) for _ in range(3))
        # per step: ‖∇W_i‖ of each weight layer (nan on the steps the engine computes none: the
        # Trainer's grad_norm_every), and the learning rate used (vital signs)
        self.grad_norms: list[GrowingArray] = []
        self.batch_rate = GrowingArray()
        self._average = 0.0       # the biased running average behind the smoothed curve
        self._weight = 1.0        # SMOOTHING ** steps, to unbias it (as TensorBoard does)
        self.revision = 0         # changes whenever a point is added: views redraw only then

    def add_steps(self, results) -> None:
        """Append StepResults in order; steps the engine refused as non-finite are not drawn."""
        results = [r for r in results if r.finite]
        if not results:
            return
        losses = np.array([r.loss for r in results])
        x = np.array([(r.epoch * self.batches_per_epoch + r.batch + 1) / self.batches_per_epoch
                      for r in results])
        smoothed = np.empty_like(losses)
        for i, loss in enumerate(losses):
            self._average = SMOOTHING * self._average + (1 - SMOOTHING) * loss
            self._weight *= SMOOTHING
            smoothed[i] = self._average / (1 - self._weight)
        self.batch_x.extend(x)
        self.batch_loss.extend(losses)
        self.batch_loss_smoothed.extend(smoothed)
        norms = np.array([r.grad_norms for r in results], np.float64).reshape(len(results), -1)
        if not self.grad_norms:
            # a run continued from a file joins here: its earlier steps have no norms
            self.grad_norms = [GrowingArray() for _ in range(norms.shape[1])]
            for array in (*self.grad_norms, self.batch_rate):
                array.extend(np.full(len(self.batch_x) - len(results) - len(array), np.nan))
        for array, column in zip(self.grad_norms, norms.T):
            array.extend(column)
        self.batch_rate.extend([r.learning_rate for r in results])
        self.revision += 1

    def add_epochs(self, records) -> None:
        """Append the engine's EpochRecords: train figures, and held-out ones where it has them."""
        for record in records:
            self.epoch_x.extend([record.epoch])
            self.train_loss.extend([record.train_loss])
            self.train_error.extend([record.train_error])
            if math.isfinite(record.test_loss):
                self.eval_x.extend([record.epoch])
                self.eval_loss.extend([record.test_loss])
                self.eval_error.extend([record.test_error])
        if records:
            self.revision += 1

    def add_evaluation(self, report: EvaluationReport) -> None:
        """The untrained model's evaluation starts the held-out curves at epoch 0; the epoch ends'
        arrive as EpochRecords, and evaluations at pauses only update the views."""
        if report.steps != 0 or len(self.eval_x):
            return
        self.eval_x.extend([0.0])
        self.eval_loss.extend([report.evaluation.loss])
        self.eval_error.extend([report.evaluation.error])
        self.revision += 1
