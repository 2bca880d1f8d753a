"""The worker thread's life in the window: whatever ends a run (Close, Stop, Reset, another dataset,
another model) while it trains at full speed, in slow motion or paused, the worker stops within a
second, its QThread is joined, Qt warns about nothing and no thread is left behind. A stress test
runs 100 such cycles.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import random  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
import shiboken6  # noqa: E402
from PySide6.QtCore import QtMsgType  # noqa: E402

import trainer_gui.training.training_run  # noqa: E402
from trainer_gui.hyperparameters import SPEED_STEPS  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

STOP_LIMIT = 1.0          # seconds: the longest any action may take to end a run and join its thread
# In slow motion the worker sleeps up to 1 s between steps: ending it well within that shows the
# sleep was interrupted, not waited out.
SLEEP_INTERRUPTED = 0.5
WAIT_MS = 30_000          # generous waits for the run to get going: CI machines are slow and shared
SPEEDS = ("full", "slow", "paused")
ENDINGS = ("close", "stop", "reset", "load", "model")
# Warnings the offscreen platform plugin itself prints; they say nothing about this program.
PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)


@pytest.fixture
def started_threads(monkeypatch):
    """Every QThread the window starts, recorded as it is started."""
    threads = []
    start = trainer_gui.training.training_run.start_in_thread

    def recording(worker):
        threads.append(start(worker))
        return threads[-1]

    monkeypatch.setattr(trainer_gui.training.training_run, "start_in_thread", recording)
    return threads


def running(threads):
    """The recorded threads still running (a deleted QThread has finished)."""
    return [t for t in threads if shiboken6.isValid(t) and t.isRunning()]


def qt_warnings(qtlog):
    return [record.message for record in qtlog.records
            if record.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
            and record.message not in PLATFORM_NOISE]


def new_window(qtbot, folder):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    assert load_and_wait(qtbot, window, folder)
    window.model_panel.epochs_spin.setValue(1000)    # never finishes by itself during a test
    return window


def begin(window, qtbot, speed):
    """Start a run and wait until it is truly in the `speed` mode: stepping at full speed, asleep
    between the 1 s steps of slow motion, or paused and idle."""
    slider = window.controls.speed_slider
    slider.setValue(0 if speed == "slow" else SPEED_STEPS)
    window.start()
    assert window.state is RunState.RUNNING
    if speed == "full":
        qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps >= 3, timeout=WAIT_MS)
    elif speed == "slow":
        # the first step is reported at once (every step is, in slow motion); the worker then sleeps
        qtbot.waitUntil(lambda: len(window.history.batch_x) >= 1, timeout=WAIT_MS)
        qtbot.wait(100)
    else:
        with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
            window.toggle_pause()
        assert window.state is RunState.PAUSED


def other_model(window) -> str:
    return "softmax" if window.model_panel.kind != "softmax" else "two-layer"


def end_run(window, ending, other_folder, qtbot):
    """End the run as `ending` says; returns the seconds it took (the thread is joined by then)."""
    started = time.perf_counter()
    if ending == "close":
        window.close()
    elif ending == "stop":
        window.controls.buttons["stop"].click()
    elif ending == "reset":
        window.controls.buttons["reset"].click()
    elif ending == "load":
        # the run trains on while the folder loads in the background; what must be prompt is the
        # ending itself, once the data is in (the load's own time depends on the disk and the machine)
        reset, took = window.reset, []

        def timed_reset(*args, **kwargs):
            began = time.perf_counter()
            reset(*args, **kwargs)
            took.append(time.perf_counter() - began)

        window.reset = timed_reset
        try:
            assert load_and_wait(qtbot, window, other_folder)
        finally:
            del window.reset
        assert took, "loading other data did not end the run"
        return took[0]
    elif ending == "model":
        combo = window.model_panel.model_combo
        combo.setCurrentIndex(combo.findData(other_model(window)))
    return time.perf_counter() - started


def check_ui_after(window, ending, other_folder):
    """What the window shows once the run is over."""
    if ending == "close":
        assert not window.isVisible()
        return
    assert window.training_thread is None
    assert window.state is RunState.READY and window.controls.buttons["start"].isEnabled()
    assert window.model_panel.model_combo.isEnabled()
    if ending == "stop":
        assert window.trainer is not None            # kept to look at, as Stop promises
    else:
        assert window.trainer is None and window.loss_plot.batch_curve.xData is None
    if ending == "load":
        assert window.data.dataset.path == other_folder and window.data.eval_name == "test"
        assert window.model_panel.batch_spin.maximum() == 600
    if ending == "model":
        assert "model" in window.message_banner.text().lower() and window.message_banner.isVisible()


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("speed", SPEEDS)
def test_ending_a_run_joins_its_thread_within_a_second(qtbot, qtlog, small_digit_folders, started_threads,
                                                        speed, ending):
    digits, other = small_digit_folders
    baseline = threading.active_count()
    window = new_window(qtbot, digits)
    begin(window, qtbot, speed)
    assert running(started_threads) == [window.training_thread]

    seconds = end_run(window, ending, other, qtbot)

    assert seconds < (SLEEP_INTERRUPTED if speed == "slow" else STOP_LIMIT), f"{ending} took {seconds:.2f} s"
    assert running(started_threads) == []
    check_ui_after(window, ending, other)
    qtbot.wait(50)                                    # deliver whatever the worker still had queued
    if ending != "close":
        assert window.state is RunState.READY         # a late report did not revive the run
    assert qt_warnings(qtlog) == []
    assert threading.active_count() == baseline


def test_settings_are_locked_while_a_run_exists(qtbot, small_digit_folders):
    """Through the window, the model and the data can change only between runs."""
    window = new_window(qtbot, small_digit_folders[0])
    begin(window, qtbot, "paused")
    panel = window.model_panel
    assert not panel.model_combo.isEnabled() and not panel.hidden_edit.isEnabled()
    assert not window.data_panel.open_button.isEnabled()
    window.stop()
    assert panel.model_combo.isEnabled() and window.data_panel.open_button.isEnabled()


def test_a_failed_load_mid_run_leaves_the_run_going(qtbot, qtlog, small_digit_folders, started_threads, tmp_path):
    window = new_window(qtbot, small_digit_folders[0])
    begin(window, qtbot, "full")
    trainer, data = window.trainer, window.data
    assert not load_and_wait(qtbot, window, tmp_path)             # an empty folder
    assert window.trainer is trainer and window.data is data and window.state is RunState.RUNNING
    steps = trainer.steps
    qtbot.waitUntil(lambda: trainer.steps > steps, timeout=WAIT_MS)   # still training
    window.close()
    assert running(started_threads) == [] and qt_warnings(qtlog) == []


def test_a_report_of_a_stopped_run_never_stops_the_next_one(qtbot, qtlog, small_digit_folders, started_threads):
    """Stop, then Start before the old worker's last signals were delivered: the new run goes on."""
    window = new_window(qtbot, small_digit_folders[0])
    for _ in range(5):
        window.start()
        qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps >= 1, timeout=WAIT_MS)
        window.stop()
        window.start()                                # no event processed between the two
        qtbot.wait(100)
        assert window.state is RunState.RUNNING and window.training_thread is not None
        window.stop()
    window.close()
    assert running(started_threads) == [] and qt_warnings(qtlog) == []


def test_100_cycles_of_start_stop_reset_and_close(qtbot, qtlog, small_digit_folders, started_threads):
    """Mixed speeds and endings, a fresh window after each close; every ending within a second."""
    digits = small_digit_folders[0]
    rng = random.Random(5)
    baseline = threading.active_count()
    window = new_window(qtbot, digits)
    durations, began = [], time.perf_counter()
    for cycle in range(100):
        speed, ending = rng.choice(SPEEDS), rng.choice(ENDINGS + ("step",))
        if ending == "step":                          # Step before Start: a paused run of one batch
            with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
                window.step()
            ending = rng.choice(("stop", "reset", "close"))
        else:
            begin(window, qtbot, speed)
        if rng.random() < 0.3:                        # the pace changes under the run
            window.controls.speed_slider.setValue(rng.randrange(SPEED_STEPS + 1))
        durations.append(end_run(window, ending, rng.choice(small_digit_folders), qtbot))
        assert running(started_threads) == [], f"cycle {cycle}: {ending} left a thread running"
        if ending == "close":
            window = new_window(qtbot, digits)
        if cycle % 10 == 0:
            qtbot.wait(10)
    window.close()

    assert len(started_threads) == 100
    assert max(durations) < STOP_LIMIT, f"slowest ending took {max(durations):.2f} s"
    assert running(started_threads) == []
    assert qt_warnings(qtlog) == []
    assert threading.active_count() == baseline
    print(f"100 cycles in {time.perf_counter() - began:.1f} s; endings took at most {max(durations) * 1000:.0f} ms, "
          f"median {np.median(durations) * 1000:.0f} ms")


def test_an_error_in_the_worker_ends_the_run_and_says_why(qtbot, qtlog, small_digit_folders, started_threads):
    window = new_window(qtbot, small_digit_folders[0])
    begin(window, qtbot, "full")

    def broken_step(*args, **kwargs):
        raise MemoryError("no room for the next batch")

    window.trainer.step = broken_step                 # the worker's next step raises
    qtbot.waitUntil(lambda: window.state is RunState.READY, timeout=WAIT_MS)
    assert "not enough memory" in window.message_banner.text()
    assert window.training_thread is None and running(started_threads) == []
    window.close()
    assert qt_warnings(qtlog) == []
