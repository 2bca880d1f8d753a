"""Twin runs: Start twin in the Compare tab trains A (the settings column) and B (the twin panel) in
lockstep on the same batches; identical settings give identical records step by step, Pause, Step
and Step epoch act on both, and each half equals a headless engine run of its own settings."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from engine import build_trainer  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 60_000


def click(qtbot, window, name):
    qtbot.mouseClick(widget(window, name), Qt.MouseButton.LeftButton)


def open_twin_panel(qtbot, window):
    open_workspace(qtbot, window, "Compare")
    click(qtbot, window, "twinButton")
    assert widget(window, "twinPanel").isVisible()


def headless(record, data, steps):
    """The engine's own run of a record's settings, `steps` plain steps."""
    trainer = build_trainer(record.model_config, record.train_config, data.X_train, data.y_train,
                            data.X_eval, data.y_eval)
    for _ in range(steps):
        trainer.step()
    return trainer


def test_a_twin_of_identical_settings_gives_identical_records(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=2)
    open_twin_panel(qtbot, window)
    # shown, B is a copy of A as A stands (two-layer 16, not the startup's 100)
    assert widget(window, "twinHiddenEdit").text() == "16"
    assert widget(window, "twinDifference").text().startswith("B = A: identical")
    click(qtbot, window, "startTwinButton")
    qtbot.waitUntil(lambda: window._state is RunState.COMPLETED, timeout=WAIT_MS)
    a, b = window.session.run, window.session.twin
    assert a is not b and b is not None
    assert a.latest_step == b.latest_step == 16
    # step by step: the same moments with the same weights, the same batch losses and evaluations
    assert a.steps == b.steps and len(a.steps) > 3
    for step in a.steps:
        for wa, wb in zip(a.at(step).weights, b.at(step).weights):
            np.testing.assert_array_equal(wa, wb)
    np.testing.assert_array_equal(a.curves.batch_loss.values, b.curves.batch_loss.values)
    np.testing.assert_array_equal(a.curves.eval_loss.values, b.curves.eval_loss.values)
    assert len(a.curves.eval_loss.values) == 3   # W₀ and two epochs
    # the Compare tab overlays both, named A and B
    view = window.compare_view
    view.refresh()
    assert [name[:2] for name in view.names[-2:]] == ["A:", "B:"]
    assert all(view.curves[id(r)][0].isVisible() for r in (a, b))


def test_b_differs_as_typed_and_pause_step_and_step_epoch_act_on_both(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=1000)   # far from its end at Pause
    open_twin_panel(qtbot, window)
    lr = widget(window, "twinLrSpin")
    lr.lineEdit().selectAll()
    QTest.keyClicks(lr.lineEdit(), "0.5")   # typed, not committed with Enter: Start twin takes it
    click(qtbot, window, "startTwinButton")
    assert "B = A except: lr 0.5" in widget(window, "twinDifference").text()
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):   # all the worker did is reported
        click(qtbot, window, "pauseButton")
    a, b = window.session.run, window.session.twin
    assert b.train_config.learning_rate == 0.5 and a.train_config.learning_rate == 0.2
    before = a.latest_step
    assert b.latest_step == before

    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: a.latest_step == before + 1 and b.latest_step == before + 1, timeout=WAIT_MS)
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepEpochButton")
    qtbot.waitUntil(lambda: a.latest_step == b.latest_step and a.latest_step % 8 == 0, timeout=WAIT_MS)
    steps = a.latest_step
    assert steps > before + 1
    # each half is its own settings' engine run, on the same batches in the same order
    data = window.data
    for record in (a, b):
        trainer = headless(record, data, steps)
        for ours, engine in zip(record.at().weights, trainer.model.weights):
            np.testing.assert_allclose(ours, engine, rtol=1e-5, atol=1e-7)
        assert record.at().epoch == trainer.epoch
    assert not np.allclose(a.at().weights[0], b.at().weights[0])   # and the rates made a difference
    view = window.compare_view
    view.refresh()
    assert [name for name in view.names[-2:]] == ["A: lr 0.2", "B: lr 0.5"]


def test_a_twin_b_that_diverges_stops_and_a_trains_on(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=2)
    open_twin_panel(qtbot, window)
    model = widget(window, "twinModelCombo")
    model.setCurrentIndex(model.findData("linear"))   # overflows at a rate of 100 within 16 steps
    lr = widget(window, "twinLrSpin")
    lr.lineEdit().selectAll()
    QTest.keyClicks(lr.lineEdit(), "100")
    QTest.keyClick(lr.lineEdit(), Qt.Key.Key_Return)
    click(qtbot, window, "startTwinButton")
    qtbot.waitUntil(lambda: "B's step" in window.message_banner.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window._state is RunState.PAUSED, timeout=WAIT_MS)
    a, b = window.session.run, window.session.twin
    stopped_at = b.latest_step
    click(qtbot, window, "pauseButton")   # Resume: A alone
    qtbot.waitUntil(lambda: window._state is RunState.COMPLETED, timeout=WAIT_MS)
    assert a.latest_step == 16 and b.latest_step == stopped_at < 16
    assert all(np.isfinite(w).all() for w in b.at().weights)
