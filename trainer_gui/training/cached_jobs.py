"""Results computed off the GUI thread for a run's moments, one job at a time, cached per run."""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from .background import BackgroundJob


class CachedJobs:
    """One result per (record, key) computed in a BackgroundJob: the newest request wins (an older
    job is told to stop), results are cached per record (weakly: a dropped run frees them)."""

    def __init__(self, owner, name: str, done, cached: int = 16):
        self._owner, self._name, self._done, self._cached = owner, name, done, cached
        self._cache = weakref.WeakKeyDictionary()
        self._job = self._stop = None
        self.wanted = None

    def get(self, record, key):
        cached = self._cache.get(record)
        return cached.get(key) if cached is not None else None

    def request(self, record, key, compute) -> None:
        """compute(stop: threading.Event) runs in a thread; done(record, key, result) follows."""
        if self.wanted == (record, key) and self._job is not None:
            return
        self.cancel()
        self.wanted = (record, key)
        stop = self._stop = threading.Event()
        job = BackgroundJob(lambda: compute(stop), self._name, owner=self._owner)
        job.succeeded.connect(lambda result: self._finish(job, record, key, result))
        job.failed.connect(lambda error: self._finish(job, record, key, None))
        self._job = job.start()

    def _finish(self, job, record, key, result) -> None:
        if job is not self._job:
            return
        self._job = None
        if result is not None:
            cached = self._cache.setdefault(record, OrderedDict())
            cached[key] = result
            while len(cached) > self._cached:
                cached.popitem(last=False)
        self._done(record, key, result)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._stop.set()
        self._job = self.wanted = None
