"""Trainer: advances training one minibatch per `step()`; the object the GUI and the CLI drive."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .augment import Augmenter, check_amounts, image_shape_for
from .evaluation import Evaluation, check_labels, evaluate

# the gradient norms are computed at least once per this many training examples (Trainer's default
# grad_norm_every): a norm reads every weight gradient, as much as a small batch's update does, and
# a curve of every tenth step of 10 examples is as smooth as one of every step of 100
GRAD_NORM_EXAMPLES = 100

@dataclass
class StepResult:
    epoch: int              # 0-based epoch this step belonged to
    batch: int              # 0-based batch index within that epoch
    loss: float
    error: float            # fraction of the batch misclassified (nan for non-label targets)
    learning_rate: float    # the rate this step used
    grad_norms: list[float]  # ‖∇W_i‖ per weight layer; nan on the steps that skip them (Trainer)
    epoch_end: bool         # this step finished an epoch
    finite: bool            # the loss and every gradient are finite
    rows: np.ndarray | None = None   # the batch's rows of X_train, when the step was asked to keep them
    # the inputs the step trained on (a copy), when it kept its rows and augmentation changed them
    inputs: np.ndarray | None = None


@dataclass
class EpochRecord:
    """One finished epoch: the mean of its batch figures, and the held-out set's (nan without one)."""
    epoch: int               # 1-based: the number of epochs done when it was recorded
    samples_seen: int
    train_loss: float
    train_error: float
    test_loss: float
    test_error: float
    learning_rate: float     # the rate the epoch's last step used


@dataclass
class Snapshot:
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    steps: int
    epoch: int
    samples_seen: int


class Trainer:
    """Minibatch training over (X_train, y_train), one batch per `step()`.

    Args:
        model: an MLP (with dropout set, its training steps drop hidden units).
        loss: a loss name or Loss. optimizer: an optim.Optimizer (SGD, Adam, ...) over model.parameters.
        X_train (np.ndarray): (n, n_0) inputs, used in place (never copied per epoch).
        y_train (np.ndarray): (n,) integer labels, or (n, n_L) regression targets.
        batch_size: rows per step; the last, shorter batch of an epoch is used too.
        shuffle: visit the rows in a fresh random order each epoch (off: the classic in-order batches).
        seed: seed of the shuffling (and, as [seed, 2], of the augmentation's generator).
        track_metrics: compute each step's error and gradient norms (off: they are nan, for the
            classic functions, which report nothing, and only a non-finite loss refuses a step).
        grad_norm_every: k: the gradient norms of every k-th step (those with `steps` a multiple of
            k, every step kept with keep_rows and every step refused for its loss or gradients); the
            others' are nan. Default: at least once per GRAD_NORM_EXAMPLES examples (every step from
            batches of 100). Whether a step is refused does not depend on k (MLP.weight_grads_finite).
        image_shape: (h, w) of the flat input images, for augmentation; default square when the
            number of inputs is a perfect square.
        augment_shift, augment_rotation, augment_noise: each batch, copied into the reused batch
            buffer, gets per image a random shift of up to this many pixels in each axis, a random
            rotation of up to ± this many degrees and Gaussian noise of this σ (clipped to [0, 1]),
            from a generator seeded by `seed` (engine.augment.Augmenter); all 0: no augmentation.
        early_stopping: N > 0: at the epoch end at which the held-out loss has not improved on its
            best for N epochs, `stopped_early` turns True (the caller decides to stop); 0: off.
        restore_best: keep a copy of the parameters at the best held-out loss (`best_parameters`)
            and, when training stops early, put them back into the model.
    """

    def __init__(self, model, loss, optimizer, X_train, y_train, X_test=None, y_test=None,
                 batch_size=100, shuffle=False, seed=0, track_metrics=True, image_shape=None,
                 augment_shift=0, augment_rotation=0.0, augment_noise=0.0, early_stopping=0,
                 restore_best=False, grad_norm_every=None):
        if len(X_train) != len(y_train) or len(X_train) == 0:
            raise ValueError(f"training data has {len(X_train)} inputs and {len(y_train)} targets")
        if not 1 <= batch_size <= len(X_train):
            raise ValueError(f"batch size must be between 1 and the {len(X_train)} training examples, "
                             f"got {batch_size}")
        self.model, self.loss, self.optimizer = model, model.check_loss(loss), optimizer
        self.X_train, self.y_train, self.X_test, self.y_test = X_train, y_train, X_test, y_test
        self.n_classes = model.sizes[-1]
        check_labels(y_train, self.n_classes, "training labels")
        if y_test is not None:
            check_labels(y_test, self.n_classes, "held-out labels")
        self.targets = self.loss.targets(self._as_labels(y_train), self.n_classes, model.dtype)
        self.batch_size, self.shuffle = int(batch_size), shuffle
        self.rng = np.random.default_rng(seed)
        self.batches_per_epoch = -(-len(X_train) // self.batch_size)
        self.epoch = self.batch = self.steps = self.samples_seen = 0
        self._order = self.rng.permutation(len(X_train)) if shuffle else None
        check_amounts(augment_shift, augment_rotation, augment_noise)
        self.augmenter = None
        if augment_shift or augment_rotation or augment_noise:
            self.image_shape = image_shape_for(X_train.shape[1], image_shape)
            self.augmenter = Augmenter(self.image_shape, augment_shift, augment_rotation, augment_noise,
                                       seed=[seed, 2])
        else:
            self.image_shape = tuple(image_shape) if image_shape is not None else None
        self._X_batch = np.empty((self.batch_size, X_train.shape[1]),
                                 X_train.dtype) if shuffle or self.augmenter else None
        if int(early_stopping) != early_stopping or early_stopping < 0:
            raise ValueError(f"early stopping's patience is a whole number of epochs ≥ 0, got {early_stopping}")
        self.early_stopping, self.restore_best = int(early_stopping), bool(restore_best)
        self.best_loss = math.inf           # the lowest held-out loss at an epoch end so far
        self.best_epoch = 0                 # the epoch (1-based) it was reached at; 0: none yet
        self.best_parameters: list[np.ndarray] = []   # their copy, with restore_best
        self.best_evaluation: Evaluation | None = None
        self.stopped_early = False
        self.track_metrics = track_metrics
        self.history: list[EpochRecord] = []
        # the parameters before the first step (weights then biases), when known: build_trainer
        # keeps them and a restored run brings its file's; saved with the model (persist.save_run)
        self.initial: list[np.ndarray] = []
        self.last_evaluation: Evaluation | None = None   # of the held-out set, at the last epoch end
        self._epoch_sums = [0.0, 0.0]                     # Σ batch loss·m, Σ batch errors·m
        self._gradients = model.gradients                 # the model's buffers, aligned with its parameters
        if grad_norm_every is None:
            grad_norm_every = -(-GRAD_NORM_EXAMPLES // self.batch_size)
        if int(grad_norm_every) != grad_norm_every or grad_norm_every < 1:
            raise ValueError(f"gradient norms are computed every k ≥ 1 steps, got {grad_norm_every}")
        self.grad_norm_every = int(grad_norm_every)
        self._layers = len(model.weights)

    @staticmethod
    def _as_labels(y):
        y = np.asarray(y)
        return y.astype(np.intp) if y.ndim == 1 else y

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        if not value > 0:
            raise ValueError(f"learning rate must be positive, got {value}")
        self.optimizer.learning_rate = float(value)

    def _next_batch(self, size: int):
        start = self.batch * self.batch_size
        stop = min(start + size, len(self.X_train))
        if not self.shuffle:
            if self.augmenter is None:
                return self.X_train[start:stop], self.targets[start:stop]
            X = self._X_batch[:stop - start]
            X[...] = self.X_train[start:stop]
            return self.augmenter(X), self.targets[start:stop]
        rows = self._order[start:stop]
        X = self._X_batch[:stop - start]
        np.take(self.X_train, rows, axis=0, out=X, mode="clip")   # "raise" copies the batch first
        if self.augmenter is not None:
            self.augmenter(X)
        return X, self.targets[rows]

    def next_rows(self, size: int | None = None) -> np.ndarray:
        """The rows of X_train the next step will use (a new array): the batch can be rebuilt."""
        start = self.batch * self.batch_size
        stop = min(start + (size or self.batch_size), len(self.X_train))
        return np.arange(start, stop) if not self.shuffle else self._order[start:stop].copy()

    def step(self, keep_rows: bool = False, size: int | None = None) -> StepResult:
        """Run exactly one minibatch of SGD and return its figures.

        A step that would make the run diverge (its loss, gradients or update not finite, or, at an
        epoch end, a held-out loss that overflows) is not applied: the parameters stay the last
        finite ones, the counters do not move, and the result says `finite=False`.

        keep_rows: the result carries the batch's rows (`rows`), for the step to be inspected.
        size: a step on only the first `size` examples of the next batch (1: plain SGD on one
            example); it counts as a step but leaves the epoch where it is: the next batch is the
            whole one, and the epoch's mean loss does not include it.
        """
        partial = size is not None and int(size) < self.batch_size
        if partial and int(size) < 1:
            raise ValueError(f"a step needs at least one example, got {size}")
        rows = self.next_rows(size) if keep_rows else None
        X, Y = self._next_batch(int(size) if partial else self.batch_size)
        optimizer, model = self.optimizer, self.model
        learning_rate = optimizer.current_learning_rate()
        scale = optimizer.gradient_scale()
        loss, output = model.backprop_step(X, Y, self.loss, scale, training=True)
        finite = math.isfinite(loss)
        error, norms = math.nan, [math.nan] * self._layers
        if self.track_metrics:
            error = self._batch_error(output, Y)
            # a step is refused when a gradient's Σ g² overflows; the norms come from those sums, and
            # the steps between them settle it, alike, mostly from smaller arrays
            exact = keep_rows or self.steps % self.grad_norm_every == 0
            finite = finite and (exact or model.weight_grads_finite())
            if exact or not finite:    # a step refused for its gradients or loss reports its norms
                squares = model.weight_grad_squares()
                finite = finite and math.isfinite(sum(squares))
                norms = [math.sqrt(square) / abs(scale) for square in squares]
        epoch_end = not partial and self.batch + 1 == self.batches_per_epoch
        result = StepResult(self.epoch, self.batch, loss, error, learning_rate, norms, epoch_end, finite, rows,
                            X.copy() if keep_rows and self.augmenter is not None else None)
        if finite:
            result.finite = self._apply(scale, epoch_end, len(X), loss, error, learning_rate, not partial)
        return result

    def _apply(self, scale, epoch_end, m, loss, error, learning_rate, advance=True) -> bool:
        """Update the parameters and counters; False (and nothing changed) if that diverges."""
        evaluate = epoch_end and self.X_test is not None
        if evaluate:   # once an epoch: cheap
            state = self.optimizer.params + self.optimizer.state
            before = [a.copy() for a in state]
        if not self.optimizer.step(self._gradients, scale):
            return False
        evaluation = self.evaluate(self.X_test, self.y_test) if evaluate else None
        if evaluation is not None and not math.isfinite(evaluation.loss):
            for array, saved in zip(state, before):
                array[...] = saved
            self.optimizer.steps -= 1
            return False
        self.steps += 1
        self.samples_seen += m
        if advance:
            self.batch += 1
            sums = self._epoch_sums
            sums[0] += loss * m
            sums[1] += error * m
        if epoch_end:
            self._end_epoch(learning_rate, evaluation)
        return True

    def _end_epoch(self, learning_rate, evaluation):
        self.epoch, self.batch = self.epoch + 1, 0
        if self.shuffle:
            self._order = self.rng.permutation(len(self.X_train))
        train_loss, train_error = (total / len(self.X_train) for total in self._epoch_sums)
        self._epoch_sums[:] = 0.0, 0.0
        test_loss = test_error = float("nan")
        if evaluation is not None:
            self.last_evaluation = evaluation
            test_loss, test_error = evaluation.loss, evaluation.error
        self.history.append(EpochRecord(self.epoch, self.samples_seen, float(train_loss),
                                        float(train_error), test_loss, test_error, learning_rate))
        if evaluation is not None:
            self._track_best(evaluation)

    def _track_best(self, evaluation: Evaluation) -> None:
        """Keep the best held-out loss (and, with restore_best, its parameters); stop early after
        `early_stopping` epochs without improvement."""
        if evaluation.loss < self.best_loss:
            self.best_loss, self.best_epoch, self.best_evaluation = evaluation.loss, self.epoch, evaluation
            if self.restore_best:
                if not self.best_parameters:
                    self.best_parameters = [p.copy() for p in self.model.parameters]
                else:
                    for kept, p in zip(self.best_parameters, self.model.parameters):
                        kept[...] = p
        elif self.early_stopping and not self.stopped_early \
                and self.epoch - self.best_epoch >= self.early_stopping:
            self.stopped_early = True
            if self.restore_best:
                self.restore_best_parameters()

    def restore_best_parameters(self) -> bool:
        """Put the parameters of the best held-out loss back into the model, in place (the
        optimizer's state and the counters stay); False when none were kept (restore_best off, or
        no held-out loss yet). `last_evaluation` becomes the best one's, when it is known."""
        if not self.best_parameters:
            return False
        for p, kept in zip(self.model.parameters, self.best_parameters):
            p[...] = kept
        if self.best_evaluation is not None:
            self.last_evaluation = self.best_evaluation
        return True

    def _batch_error(self, output, Y) -> float:
        if Y.ndim == 1:
            return float(np.count_nonzero(output.argmax(axis=1) != Y)) / len(Y)
        if self.y_train.ndim == 1:   # one-hot targets of labels
            return float(np.count_nonzero(output.argmax(axis=1) != Y.argmax(axis=1))) / len(Y)
        return float("nan")

    def run_epoch(self) -> list[StepResult]:
        """Step until the current epoch ends, or until a step is not finite."""
        results = []
        while not results or not (results[-1].epoch_end or not results[-1].finite):
            results.append(self.step())
        return results

    def evaluate(self, X, y) -> Evaluation:
        """Loss, error, confusion matrix and the misclassified rows of (X, y) with integer labels y."""
        return evaluate(self.model, self.loss, X, y)

    def position(self) -> tuple[dict, np.ndarray | None]:
        """Where the run stands, for a saved run to continue exactly: JSON-ready counters (with the
        epoch's running sums and the shuffling's random state), and the epoch's row order."""
        counters = {"steps": self.steps, "epoch": self.epoch, "batch": self.batch,
                    "samples_seen": self.samples_seen, "n_classes": self.n_classes,
                    "learning_rate": self.learning_rate, "optimizer_steps": self.optimizer.steps,
                    "epoch_sums": list(self._epoch_sums),
                    "shuffle_rng": self.rng.bit_generator.state if self.shuffle else None,
                    "optimizer": self.optimizer.name,
                    "best_loss": self.best_loss if math.isfinite(self.best_loss) else None,
                    "best_epoch": self.best_epoch, "stopped_early": self.stopped_early,
                    "dropout_rng": self.model.dropout_rng.bit_generator.state
                    if getattr(self.model, "dropout_rng", None) is not None else None,
                    "augment_rng": self.augmenter.rng.bit_generator.state if self.augmenter else None}
        return counters, self._order

    def move_to(self, counters: dict, order: np.ndarray | None = None) -> None:
        """Continue from a `position()`; a saved order for data of another length is not used.
        (The best parameters early stopping keeps are set apart: `best_parameters`.)"""
        self.steps, self.epoch = counters["steps"], counters["epoch"]
        self.samples_seen = counters["samples_seen"]
        self.batch = counters["batch"] if counters["batch"] < self.batches_per_epoch else 0
        self.optimizer.steps = counters["optimizer_steps"]
        self.learning_rate = counters["learning_rate"]
        loss_sum, error_sum = counters.get("epoch_sums", (0.0, 0.0))
        self._epoch_sums = [float(loss_sum), float(error_sum)]
        best = counters.get("best_loss")
        self.best_loss = math.inf if best is None else float(best)
        self.best_epoch = counters.get("best_epoch", 0)
        self.stopped_early = bool(counters.get("stopped_early", False))
        if counters.get("dropout_rng") and getattr(self.model, "dropout_rng", None) is not None:
            self.model.dropout_rng.bit_generator.state = counters["dropout_rng"]
        if counters.get("augment_rng") and self.augmenter is not None:
            self.augmenter.rng.bit_generator.state = counters["augment_rng"]
        if self.shuffle and counters.get("shuffle_rng") and order is not None \
                and len(order) == len(self.X_train):
            self.rng.bit_generator.state = counters["shuffle_rng"]
            self._order = order.astype(np.intp)

    def snapshot(self) -> Snapshot:
        """Copies of the parameters, safe to hand to another thread."""
        return Snapshot([w.copy() for w in self.model.weights], [b.copy() for b in self.model.biases],
                        self.steps, self.epoch, self.samples_seen)
