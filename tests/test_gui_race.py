"""The optimiser race: Race optimisers in the Compare tab trains SGD, momentum, RMSProp and Adam on
the same model from the same start, in lockstep; each racer's weights equal a headless engine run of
its settings, the Compare tab names them by optimizer, and Stop race (or closing) joins the thread."""
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import build_trainer  # noqa: E402

WAIT_MS = 60_000


def test_a_race_of_four_optimizers(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=2)
    open_workspace(qtbot, window, "Compare")
    qtbot.mouseClick(widget(window, "raceButton"), Qt.MouseButton.LeftButton)
    race = window.race
    assert race is not None and widget(window, "raceButton").text() == "Stop race"
    records = race.records
    qtbot.waitUntil(lambda: window.race is None, timeout=WAIT_MS)
    view = window.compare_view
    view.refresh()
    assert view.names[:4] == ["SGD, lr 0.2", "SGD, lr 0.2, momentum 0.9", "RMSProp, lr 0.01", "Adam, lr 0.001"]
    # four runs, four held-out curves in the overlay, each its record's
    for record in records:
        held_out = view.curves[id(record)][0]
        assert held_out.isVisible()
        np.testing.assert_array_equal(held_out.getOriginalDataset()[1], record.curves.eval_loss.values)
    data = window.data
    starts = [r.at(0).weights[0] for r in records]
    assert all(np.array_equal(starts[0], s) for s in starts)           # one start for all
    for record in records:
        assert record.latest_step == 16 and len(record.curves.eval_loss.values) == 3   # W₀ and 2 epochs
        trainer = build_trainer(record.model_config, record.train_config, data.X_train, data.y_train,
                                data.X_eval, data.y_eval)
        for _ in range(16):
            trainer.step()
        for ours, engine in zip(record.at().weights, trainer.model.weights):
            np.testing.assert_allclose(ours, engine, rtol=1e-5, atol=1e-7)
    assert "race is over" in window.message_banner.text()


def test_stopping_a_race_and_closing_during_one_joins_its_thread(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=500)
    open_workspace(qtbot, window, "Compare")
    qtbot.mouseClick(widget(window, "raceButton"), Qt.MouseButton.LeftButton)
    records = window.race.records
    qtbot.waitUntil(lambda: all((r.latest_step or 0) > 0 for r in records), timeout=WAIT_MS)
    qtbot.mouseClick(widget(window, "raceButton"), Qt.MouseButton.LeftButton)   # Stop race
    assert window.race is None and not any(r.live for r in records)
    assert "stopped" in window.message_banner.text()
    assert not [t for t in threading.enumerate() if t.name == "optimiser race"]
    qtbot.mouseClick(widget(window, "raceButton"), Qt.MouseButton.LeftButton)   # again, then close
    thread = window.race.thread
    window.close()
    assert window.race is None or window.race.thread is None
    assert thread.isFinished()
