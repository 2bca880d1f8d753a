"""Work the GUI thread must not do (load a large file, open a model), run in a thread of its own."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal, Slot


class BackgroundJob(QObject):
    """Runs function() in a daemon thread; `succeeded(result)` or `failed(exception)` then arrive,
    queued, on the thread that made the job (the GUI thread).

    A daemon thread, not a QThread: a job still running when the application exits is abandoned
    rather than aborting the process, and a job the window no longer waits for (it was superseded,
    or the window closed) finishes harmlessly: the thread holds the only reference to this object
    its receivers need, and `cancel()` silences it. With an `owner` (a QObject), the job is
    cancelled when the owner is destroyed, so a result never reaches a closed window. Whether it
    was cancelled is decided when the result is delivered, in the GUI thread.
    """
    succeeded = Signal(object)
    failed = Signal(object)
    _ended = Signal(bool, object)   # (succeeded, value), from the job's thread to deliver()

    def __init__(self, function, name: str = "background job", owner: QObject | None = None):
        super().__init__()
        self._function, self._cancelled = function, False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._ended.connect(self._deliver)   # queued: this object lives in the GUI thread
        if owner is not None:
            owner.destroyed.connect(self.cancel)

    def start(self) -> BackgroundJob:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Whatever the job finds or fails with is no longer wanted: nothing will be emitted."""
        self._cancelled = True

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._function()
        except Exception as error:   # noqa: BLE001 - MemoryError too: handed to the GUI thread to word
            ok, value = False, error
        else:
            ok, value = True, result
        if not self._cancelled:
            try:
                self._ended.emit(ok, value)
            except RuntimeError:   # the job's Qt object is gone (the application is closing): nobody waits
                pass

    @Slot(bool, object)
    def _deliver(self, ok: bool, value) -> None:
        if not self._cancelled:
            (self.succeeded if ok else self.failed).emit(value)
