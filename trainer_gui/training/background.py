"""Work the GUI thread must not do (load a large file, open a model), run in a thread of its own."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class BackgroundJob(QObject):
    """Runs function() in a daemon thread; `succeeded(result)` or `failed(exception)` then arrive,
    queued, on the thread that made the job (the GUI thread).

    A daemon thread, not a QThread: a job still running when the application exits is abandoned
    rather than aborting the process, and a job the window no longer waits for (it was superseded,
    or the window closed) finishes harmlessly: the thread holds the only reference to this object
    its receivers need, and `cancel()` silences it.
    """
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, function, name: str = "background job"):
        super().__init__()
        self._function, self._cancelled = function, False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

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
            outcome, value = self.failed, error
        else:
            outcome, value = self.succeeded, result
        if not self._cancelled:
            outcome.emit(value)
