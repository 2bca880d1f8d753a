"""Held-out evaluations of past moments, made off the GUI thread and cached by (run, step)."""
from __future__ import annotations

import weakref
from collections import OrderedDict

from PySide6.QtCore import QObject, QTimer, Signal

from engine import evaluate

from .background import BackgroundJob
from ..state.record import model_of

DEBOUNCE_MS = 120            # a scrub settles this long before its moment is evaluated
CACHED_PER_RUN = 64          # evaluations kept per run (each holds a confusion matrix and the mistakes)


class MomentEvaluator(QObject):
    """`evaluation(record, step, data)` answers at once from the record or the cache; otherwise it
    asks for the evaluation (the newest request wins, after DEBOUNCE_MS) and `ready(record, step)`
    comes when it is made. One evaluation runs at a time, in a BackgroundJob.
    """
    ready = Signal(object, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cache = weakref.WeakKeyDictionary()   # record -> OrderedDict(step -> Evaluation)
        self._wanted = None       # (record, step, data) asked for last
        self._job = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS, timeout=self._start)

    def evaluation(self, record, step: int, data):
        """The held-out Evaluation of `record` at its recorded `step`, or None (then asked for)."""
        made = record.evaluation(step)
        if made is None:
            cached = self._cache.get(record)
            made = cached.get(step) if cached is not None else None
        if made is None:
            self._wanted = (record, step, data)
            self._timer.start()
        return made

    @property
    def busy(self) -> bool:
        """An evaluation is asked for or under way."""
        return self._timer.isActive() or self._job is not None

    def _start(self) -> None:
        if self._job is not None or self._wanted is None:
            return   # the running job starts the newest request when it ends
        record, step, data = self._wanted
        self._wanted = None
        # the moment is taken here, in the GUI thread that grows and thins the record; the model is
        # built from it and evaluated in the job
        moment, config = record.at(step), record.model_config
        job = BackgroundJob(lambda: evaluate(model_of(config, moment), config.loss_name(), data.X_eval,
                                             data.y_eval), "evaluate a moment", owner=self)
        job.succeeded.connect(lambda evaluation: self._done(record, step, evaluation))
        job.failed.connect(lambda error: self._done(record, step, None))
        self._job = job.start()

    def _done(self, record, step, evaluation) -> None:
        self._job = None
        if evaluation is not None:
            cached = self._cache.setdefault(record, OrderedDict())
            cached[step] = evaluation
            while len(cached) > CACHED_PER_RUN:
                cached.popitem(last=False)
            self.ready.emit(record, step)
        self._start()

    def cancel(self) -> None:
        self._timer.stop()
        self._wanted = None
        if self._job is not None:
            self._job.cancel()
            self._job = None
