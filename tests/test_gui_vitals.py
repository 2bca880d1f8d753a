"""The Vital signs tab: the gradient norms per step are the engine's (checked against a headless
Trainer on the same data), the update ratio is η‖∇W‖/‖W‖, the histograms are the moment's weights
and W₀, and the dead and saturated unit shares equal NumPy's on the held-out subsample."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import MLP, build_trainer  # noqa: E402
from engine.projection import fixed_subsample  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402
from trainer_gui.workspaces.vitals import unit_health  # noqa: E402

WAIT_MS = 30_000


def test_vital_signs_of_a_trained_mlp(qtbot, small_window):
    window = small_window(kind="mlp", hidden="24,16", epochs=2)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    open_workspace(qtbot, window, "Vital signs")
    view = window.vitals_view
    qtbot.waitUntil(lambda: view.health is not None and view.shown_step == 16, timeout=WAIT_MS)
    record, data = window.session.run, window.data

    # the gradient norms drawn are the engine's, step by step (a headless run of the same settings)
    model_config, train_config = window.run_configs
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    expected = np.array([trainer.step().grad_norms for _ in range(16)])
    for i, signs in enumerate(view.layers):
        _, drawn = signs.gradient_curve.getOriginalDataset()
        np.testing.assert_allclose(drawn, expected[:, i], rtol=1e-5)

    # the update ratio at a recorded moment: η ‖∇W‖ / ‖W‖ of that moment's weights
    step = record.steps[len(record) // 2]
    moment = record.at(step)
    ratio = view.ratios[0][step - 1]
    assert ratio == pytest.approx(train_config.learning_rate * expected[step - 1, 0]
                                  / np.linalg.norm(moment.weights[0]), rel=1e-5)

    # the histograms: the moment's weights against W₀
    edges, counts = view.layers[1].now.getOriginalDataset()
    np.testing.assert_array_equal(counts, np.histogram(record.at(16).weights[1].ravel(), edges)[0])
    edges, counts = view.layers[1].start.getOriginalDataset()
    np.testing.assert_array_equal(counts, np.histogram(record.at(0).weights[1].ravel(), edges)[0])

    # dead ReLUs on the held-out subsample, by hand
    X = data.X_eval[fixed_subsample(len(data.y_eval))].astype(np.float64)
    W1, W2 = (np.asarray(w, np.float64) for w in record.at(16).weights[:2])
    b1, b2 = (np.asarray(b, np.float64) for b in record.at(16).biases[:2])
    first = np.maximum(X @ W1 + b1, 0)
    second = np.maximum(first @ W2 + b2, 0)
    assert [h["dead"] for h in view.health] == pytest.approx([np.mean(first.max(axis=0) <= 0),
                                                              np.mean(second.max(axis=0) <= 0)])
    assert "dead" in widget(window, "unitHealth").text()

    # scrubbing back shows that moment's weights
    window.session.cursor.set(step=8)
    qtbot.waitUntil(lambda: view.shown_step == 8, timeout=WAIT_MS)
    edges, counts = view.layers[0].now.getOriginalDataset()
    np.testing.assert_array_equal(counts, np.histogram(record.at(8).weights[0].ravel(), edges)[0])


def test_vital_signs_draw_the_gradient_norms_of_the_steps_that_have_them(qtbot, small_window):
    """Batches of 20: the engine computes the norms on every 5th step (once per 100 examples); the
    curves draw those steps, at their own positions, and leave the others out (no gaps drawn as 0)."""
    window = small_window(kind="two-layer", hidden="32", epochs=1)
    window.model_panel.batch_spin.setValue(20)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    open_workspace(qtbot, window, "Vital signs")
    view = window.vitals_view
    qtbot.waitUntil(lambda: view.health is not None and view.shown_step == 40, timeout=WAIT_MS)

    model_config, train_config = window.run_configs
    assert train_config.batch_size == 20
    data = window.data
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    expected = np.array([trainer.step().grad_norms for _ in range(40)])
    has_norms = np.arange(40) % 5 == 0
    assert np.isfinite(expected[has_norms]).all() and np.isnan(expected[~has_norms]).all()
    for i, signs in enumerate(view.layers):
        x, drawn = signs.gradient_curve.getOriginalDataset()
        np.testing.assert_allclose(x, (np.flatnonzero(has_norms) + 1) / 40)
        np.testing.assert_allclose(drawn, expected[has_norms, i], rtol=1e-5)
        x, _ = signs.ratio_curve.getOriginalDataset()
        np.testing.assert_allclose(x, (np.flatnonzero(has_norms) + 1) / 40)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_unit_health_counts_saturated_outputs_and_dead_units(activation):
    rng = np.random.default_rng(0)
    model = MLP([12, 30, 4], hidden=activation, output="identity", seed=0, init="he")
    model.weights[0] *= 6                         # large pre-activations: many outputs at the bounds
    model.biases[0][:10] = -1e3                   # ten units far below zero on every input
    X = rng.random((200, 12)).astype(np.float32)
    (health,) = unit_health(model, X)
    Z = X.astype(np.float64) @ model.weights[0] + model.biases[0]
    if activation == "relu":
        assert health["dead"] == pytest.approx(np.mean(np.maximum(Z, 0).max(axis=0) <= 0)) and health["dead"] >= 10 / 30
    elif activation == "sigmoid":
        A = 0.5 * (1 + np.tanh(Z / 2))   # the logistic function, without overflow
        assert health["saturated"] == pytest.approx(np.mean((A < 0.01) | (A > 0.99)), abs=1e-3)
        assert health["saturated"] > 1 / 3
    else:
        assert health["saturated"] == pytest.approx(np.mean(np.abs(np.tanh(Z)) > 0.99), abs=1e-3)
