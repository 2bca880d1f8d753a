"""A Trainer shared by two threads: the worker steps it, the window saves it between steps; no Qt."""
from __future__ import annotations

import threading
from contextlib import contextmanager


class GuardedTrainer:
    """Wraps an engine Trainer so that whatever changes it holds one lock.

    The worker thread calls `step`, `evaluate`, `snapshot` and sets `learning_rate` as on a Trainer;
    every other attribute reads through. The GUI thread enters `consistent()` to read the whole
    state at once (to save it): it waits for the step under way to end, and the next one waits for
    it, so a save never sees weights half updated or counters from another step than the weights.
    An uncontended lock costs well under a microsecond, next to a step's milliseconds.
    """

    def __init__(self, trainer):
        object.__setattr__(self, "_trainer", trainer)
        object.__setattr__(self, "_lock", threading.RLock())

    @contextmanager
    def consistent(self):
        """The engine Trainer, held still between two steps for the duration of the `with` block."""
        with self._lock:
            yield self._trainer

    def step(self, keep_rows: bool = False, size: int | None = None):
        with self._lock:
            return self._trainer.step(keep_rows, size)

    def evaluate(self, X, y):
        with self._lock:   # evaluation runs the model forward through its reused buffers
            return self._trainer.evaluate(X, y)

    def snapshot(self):
        with self._lock:
            return self._trainer.snapshot()

    def __getattr__(self, name):
        return getattr(self._trainer, name)

    def __setattr__(self, name, value):
        with self._lock:
            setattr(self._trainer, name, value)
