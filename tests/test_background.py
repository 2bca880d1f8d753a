"""BackgroundJob: results arrive in the GUI thread, and never after the job's owner is gone (a
result that reached a closed window raised "Signal source has been deleted" in the event loop)."""
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QObject  # noqa: E402

from trainer_gui.training.background import BackgroundJob  # noqa: E402


def test_a_result_arrives_in_the_gui_thread(qtbot):
    job = BackgroundJob(lambda: threading.current_thread() is threading.main_thread())
    with qtbot.waitSignal(job.succeeded, timeout=5000) as result:
        job.start()
    assert result.args == [False]                      # computed off the GUI thread


def test_an_error_arrives_as_failed(qtbot):
    job = BackgroundJob(lambda: 1 / 0)
    with qtbot.waitSignal(job.failed, timeout=5000) as result:
        job.start()
    assert isinstance(result.args[0], ZeroDivisionError)


def test_nothing_arrives_once_the_owner_is_destroyed(qtbot):
    owner, release, received = QObject(), threading.Event(), []

    def work():
        release.wait(5)
        return 42

    job = BackgroundJob(work, owner=owner)
    job.succeeded.connect(received.append)
    job.failed.connect(received.append)
    job.start()
    with qtbot.waitSignal(owner.destroyed, timeout=5000):
        owner.deleteLater()
    release.set()
    job._thread.join(5)
    qtbot.wait(100)                                    # a queued result would be delivered by now
    assert received == [] and not job.running
