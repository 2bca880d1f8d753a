"""A learning rate that wrecks the run gets a hint with a one-click fix: the button starts a new
run at the rate it names, and that run learns."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 60_000


def type_rate(window, text):
    spin = widget(window, "lrSpin")
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), text)
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def test_a_rate_that_switches_the_relus_off_gets_a_fix_that_works(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=2)
    type_rate(window, "20")
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    button = widget(window, "hintFixButton")
    qtbot.waitUntil(button.isVisible, timeout=WAIT_MS)
    # the error really is at chance: the hint is about this run, not a guess
    errors = window.session.run.curves.eval_error.values
    assert errors[-1] >= 0.85
    assert "no better than guessing" in widget(window, "messageBanner").text()
    assert button.text() == "Start again at learning rate 0.2"
    first = window.session.run
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert widget(window, "lrSpin").value() == pytest.approx(0.2)
    assert window.session.run is not first and not button.isVisible()
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    assert window.session.run.curves.eval_error.values[-1] < 0.7   # it learns now (chance: 0.9)
    assert not button.isVisible()                                   # and needs no hint


def test_a_step_that_would_overflow_offers_a_rate_that_does_not(qtbot, small_window):
    """A tenth of the rate, or the model's suggested rate if lower: a tenth of 100 (10) overflows
    linear regression again (found in review), its suggested 0.1 does not."""
    window = small_window(kind="linear", epochs=2)
    type_rate(window, "100")
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    button = widget(window, "hintFixButton")
    qtbot.waitUntil(button.isVisible, timeout=WAIT_MS)
    assert "would have made the loss diverge" in widget(window, "messageBanner").text()
    assert button.text() == "Start again at learning rate 0.1"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert widget(window, "lrSpin").value() == pytest.approx(0.1)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    assert "diverge" not in widget(window, "messageBanner").text() and not button.isVisible()
    assert window.session.run.curves.eval_error.values[-1] < 0.85   # better than guessing


def test_changing_a_setting_takes_the_offered_fix_away(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=1)
    type_rate(window, "20")
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    button = widget(window, "hintFixButton")
    qtbot.waitUntil(button.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    type_rate(window, "0.05")                 # the teacher chose a rate of their own
    assert not button.isVisible()


def test_stepping_shows_the_recent_steps_close_up_and_running_the_whole_run(qtbot, small_window):
    from trainer_gui.views.loss_plot import CLOSE_UP_STEPS

    window = small_window(kind="two-layer", hidden="16", epochs=20)   # 8 steps an epoch, 160 in all
    plot = window.loss_plot.getPlotItem()
    for _ in range(6):
        with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
            qtbot.mouseClick(widget(window, "stepEpochButton"), Qt.MouseButton.LeftButton)
    window.redraw_now()
    low, high = plot.viewRange()[0]
    assert low <= 0 and high >= 20          # a whole epoch at a time: the whole planned run
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)
    window.redraw_now()
    last = window.session.run.curves.batch_x.values[-1]
    assert last == pytest.approx(6 + 1 / 8)
    low, high = plot.viewRange()[0]
    assert low == pytest.approx(last - CLOSE_UP_STEPS / 8) and last < high <= last + 0.5
    # the curve's y range fits the steps in view, not the first steps' loss of 2.3
    shown = window.session.run.curves.batch_loss.values[window.session.run.curves.batch_x.values >= low]
    assert 10 ** plot.viewRange()[1][1] < 2 * shown.max()
    qtbot.mouseClick(widget(window, "pauseButton"), Qt.MouseButton.LeftButton)   # Resume
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    window.redraw_now()
    low, high = plot.viewRange()[0]
    assert low <= 0 and high >= 20


def test_the_close_up_ends_with_the_run_that_was_stepped(qtbot, small_window):
    """Found in review: Step, Stop, then a twin (or an opened model) stayed in close-up."""
    window = small_window(kind="two-layer", hidden="16", epochs=20)
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)
    assert window.loss_plot.close_up
    qtbot.mouseClick(widget(window, "stopButton"), Qt.MouseButton.LeftButton)
    window.start_twin()
    assert not window.loss_plot.close_up
    window.reset()
