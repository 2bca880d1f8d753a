"""The timeline: every view follows the cursor to an earlier moment of the run and back to live,
Play replays to the live end, and a past moment the run did not evaluate is evaluated off the GUI
thread. Checked against a headless engine Trainer run with the same settings."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import build_trainer, evaluate  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000
VIEWS = ("loss_plot", "error_plot", "weights_view", "mistakes_view", "confusion_view")


@pytest.fixture
def window(small_window):
    """The window on 800 training and 200 validation digits: softmax regression, batches of 100
    (8 steps an epoch), 3 epochs."""
    return small_window(kind="softmax", epochs=3)


def headless(window, steps):
    """A Trainer with the window's settings, trained `steps` steps without the window."""
    model_config, train_config = window.run_configs
    data = window.data
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    for _ in range(steps):
        trainer.step()
    return trainer


def shown_steps(window):
    window.redraw_now()
    return {name: getattr(window, name).shown_step for name in VIEWS}


def train_to_the_end(qtbot, window):
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.trainer.steps == 24 and window.session.run.latest_step == 24, timeout=WAIT_MS)


def test_scrubbing_to_the_end_of_epoch_one_shows_that_moment_in_every_view(qtbot, window):
    train_to_the_end(qtbot, window)
    slider, record = widget(window, "timelineSlider"), window.session.run
    assert {0, 8, 16, 24} <= set(record.steps)         # W₀ and every epoch end are recorded
    qtbot.waitUntil(lambda: slider.maximum() == len(record) - 1, timeout=WAIT_MS)   # it follows the record
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Home)
    while window.session.cursor.step < 8:               # one recorded moment per Right
        before = window.session.cursor.step
        qtbot.keyClick(slider, Qt.Key.Key_Right)
        assert window.session.cursor.step > before
    assert window.session.cursor.step == 8 and window.trainer.steps == 24   # Right moved, it did not train
    qtbot.waitUntil(lambda: set(shown_steps(window).values()) == {8}, timeout=WAIT_MS)
    reference = headless(window, 8)
    np.testing.assert_allclose(window.weights_view.shown_weights, reference.model.weights[0], rtol=1e-6, atol=1e-7)
    expected = evaluate(reference.model, "softmax_ce", window.data.X_eval, window.data.y_eval)
    np.testing.assert_array_equal(window.confusion_view.confusion, expected.confusion)
    assert window.loss_plot.moment_line.isVisible() and window.loss_plot.moment_line.value() == pytest.approx(1.0)
    assert "step 8" in widget(window, "timelineLabel").text()

    qtbot.mouseClick(widget(window, "liveButton"), Qt.MouseButton.LeftButton)
    assert window.session.cursor.live
    assert set(shown_steps(window).values()) == {24} and not window.loss_plot.moment_line.isVisible()
    qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)   # live: the views follow
    qtbot.waitUntil(lambda: shown_steps(window)["weights_view"] == 25, timeout=WAIT_MS)


def test_a_moment_the_run_did_not_evaluate_is_evaluated_off_the_gui_thread(qtbot, window):
    step_button = widget(window, "stepButton")
    for expected in (1, 2, 3):
        qtbot.mouseClick(step_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.session.run is not None and window.session.run.latest_step == expected,
                        timeout=WAIT_MS)
    record = window.session.run
    assert record.steps == [0, 1, 2, 3]
    window.session.cursor.set(step=2)
    qtbot.waitUntil(lambda: shown_steps(window)["mistakes_view"] == 2, timeout=WAIT_MS)
    assert shown_steps(window) == dict.fromkeys(VIEWS, 2)
    reference = headless(window, 2)
    expected = evaluate(reference.model, "softmax_ce", window.data.X_eval, window.data.y_eval)
    np.testing.assert_array_equal(window.confusion_view.confusion, expected.confusion)


def test_play_replays_the_run_to_the_live_end_and_end_returns_to_live(qtbot, window):
    train_to_the_end(qtbot, window)
    slider = widget(window, "timelineSlider")
    window.session.cursor.set(step=0)
    # 2 epochs a second: 1.5 s for the 3 epochs (at 5 a second a stall of the busy suite's GUI thread
    # for 0.6 s made Play, which follows the clock, reach the live end at its first tick)
    widget(window, "playSpeedCombo").setCurrentIndex(2)
    seen = set()
    window.session.cursor.changed.connect(lambda names: seen.add(window.session.cursor.step))
    qtbot.mouseClick(widget(window, "playButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.cursor.live, timeout=WAIT_MS)
    assert len(seen - {None}) >= 2 and not widget(window, "playButton").isChecked()
    window.session.cursor.set(step=8)
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_End)
    assert window.session.cursor.live and widget(window, "liveButton").isChecked()


def test_with_no_time_to_spare_for_copies_the_epoch_ends_and_pauses_are_still_recorded(qtbot, window, monkeypatch):
    """The worker copies the weights between reports only within COPY_SHARE of its time, after a
    first COPY_ALLOWANCE (a wide network's copies are megabytes); the moments that must be there
    are recorded whatever it says: W₀, every epoch end, the weights at a pause and around a step
    taken to be inspected."""
    import trainer_gui.training.worker as worker
    monkeypatch.setattr(worker, "COPY_SHARE", 0.0)
    monkeypatch.setattr(worker, "COPY_ALLOWANCE", 0.0)
    window.model_panel.epochs_spin.setValue(2)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.session.run.latest_step == 16, timeout=WAIT_MS)
    record = window.session.run
    assert record.steps == [0, 8, 16]                   # no moment between them: none was affordable
    qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: record.latest_step == 17, timeout=WAIT_MS)
    assert record.steps == [0, 8, 16, 17]               # the step taken apart, after the weights before it
    reference = headless(window, 17)
    for got, expected in zip(record.at(17).weights, reference.model.weights):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_a_tab_opened_for_the_first_time_at_an_earlier_moment_shows_that_moment(qtbot, window):
    """The tabs after Train are built when first shown, in the middle of whatever the session holds:
    opened after the timeline went back to epoch 1's end, they show that moment, and follow on."""
    train_to_the_end(qtbot, window)
    assert not any(tab.built for tab in window._lazy_tabs.values())   # none opened yet
    window.session.cursor.set(step=8)
    tabs = widget(window, "workspaceTabs")
    tabs.setCurrentIndex(3)                                           # Evaluate
    qtbot.waitUntil(lambda: window.evaluate_view.shown_step == 8, timeout=WAIT_MS)
    expected = evaluate(headless(window, 8).model, "softmax_ce", window.data.X_eval, window.data.y_eval)
    assert widget(window, "evalAccuracy").text() == f"{1 - expected.error:.2%}"
    window.session.cursor.set(step=None)                              # back to live
    tabs.setCurrentIndex(4)                                           # Vital signs
    qtbot.waitUntil(lambda: window.vitals_view.shown_step == 24, timeout=WAIT_MS)
    qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)   # live, it follows the run
    qtbot.waitUntil(lambda: window.vitals_view.shown_step == 25, timeout=WAIT_MS)


def test_dragging_the_timeline_while_training_moves_the_weights_and_the_loss_line_at_each_key(qtbot, small_window):
    """While the run trains, every move of the timeline (here Left on the slider, a tick apart, as a
    drag sends them) redraws the weights and the loss plot's moment line at the next tick, not only
    one view a tick."""
    window = small_window(kind="softmax", epochs=1000)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 60, timeout=WAIT_MS)
    slider = widget(window, "timelineSlider")
    qtbot.waitUntil(lambda: slider.maximum() > 10, timeout=WAIT_MS)   # the timeline holds the moments
    slider.setFocus()
    record = window.session.run
    for _ in range(6):
        qtbot.keyClick(slider, Qt.Key.Key_Left)
        qtbot.wait(45)                                    # one tick of the redraw timer (33 ms)
        assert window.state is RunState.RUNNING
        shown = record.moment_step(window.session.cursor.step)
        assert window.weights_view.shown_step == shown
        assert window.loss_plot.shown_step == shown and window.loss_plot.moment_line.isVisible()
    window.stop()
