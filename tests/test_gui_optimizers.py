"""Optimizers, regularisation and early stopping from the window: choosing Adam suggests its own
rate and trains with it (checked against a headless Trainer), and a run whose held-out loss stops
improving pauses with a message naming the best epoch."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import build_trainer  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


def choose(combo, value):
    combo.setCurrentIndex(combo.findData(value))


def test_adam_from_the_window_trains_as_the_engine_does(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=1)
    choose(widget(window, "optimizerCombo"), "adam")
    assert widget(window, "lrSpin").value() == pytest.approx(0.001)      # Adam's own starting rate
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    model_config, train_config = window.run_configs
    assert train_config.optimizer == "adam" and train_config.learning_rate == pytest.approx(0.001)
    data = window.data
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    trainer.run_epoch()
    for ours, engine in zip(window.session.run.at().weights, trainer.model.weights):
        np.testing.assert_allclose(ours, engine, rtol=1e-5, atol=1e-7)


def test_a_run_that_stops_improving_pauses_early_and_says_which_epoch_was_best(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="64", epochs=200)
    choose(widget(window, "optimizerCombo"), "adam")
    lr = widget(window, "lrSpin")
    lr.selectAll()
    qtbot.keyClicks(lr, "0.01")                  # fast enough to overfit 800 digits in a few epochs
    widget(window, "earlyStoppingSpin").setValue(2)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    banner = window.message_banner
    qtbot.waitUntil(lambda: "Stopped early" in banner.text(), timeout=60_000)
    qtbot.waitUntil(lambda: window.state is RunState.PAUSED, timeout=WAIT_MS)
    losses = window.session.run.curves.eval_loss.values[1:]      # after each epoch (the first is W₀'s)
    best = int(np.argmin(losses)) + 1
    assert f"the best was epoch {best}" in banner.text()
    assert len(losses) == best + 2 < 200
