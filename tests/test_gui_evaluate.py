"""The Evaluate tab and the confusion drill-down, checked against NumPy computations from the
recorded weights: accuracy per class, a clicked confusion cell's digits (here and in the Train tab),
the confidence threshold, the robustness curves' unspoiled points and the layer map (a click selects
a digit)."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, small_window):
    """800 training and 200 validation digits, a 784-32-10 two-layer net trained 2 epochs, the
    Evaluate tab open and drawn."""
    main = small_window(kind="two-layer", hidden="32", epochs=2)
    qtbot.mouseClick(widget(main, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.state is RunState.COMPLETED, timeout=WAIT_MS)
    open_workspace(qtbot, main, "Evaluate")
    view = main.evaluate_view
    qtbot.waitUntil(lambda: view.shown_step == 16 and not view.robustness.busy and not view.map_panel.busy
                    and view.robustness.curves is not None and view.map_panel.coords is not None, timeout=WAIT_MS)
    return main


def probabilities(window, step):
    """The held-out softmax of the recorded moment `step`, in float64 NumPy."""
    W1, W2 = (np.asarray(w, np.float64) for w in window.session.run.at(step).weights)
    logits = np.maximum(window.data.X_eval.astype(np.float64) @ W1, 0) @ W2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def click_cell(qtbot, view, true, predicted):
    """Click the confusion cell (true, predicted) with the mouse."""
    scene = view.plot.vb.mapViewToScene(QPointF(predicted, true))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))


def test_accuracy_per_class_and_the_summary(window):
    p, y = probabilities(window, 16), window.data.y_eval.astype(int)
    predicted = p.argmax(axis=1)
    expected = [np.mean(predicted[y == c] == c) if np.any(y == c) else np.nan for c in range(10)]
    np.testing.assert_allclose(widget(window, "perClassView").accuracies, expected, atol=1e-12)
    assert widget(window, "evalAccuracy").text() == f"{np.mean(predicted == y):.2%}"
    wrong_and_sure = np.count_nonzero((predicted != y) & (p.max(axis=1) >= 0.9))
    assert f"{wrong_and_sure:,} of them at least 90% sure" in widget(window, "evalSummary").text()


@pytest.mark.parametrize("tab", ["Evaluate", "Train"])
def test_a_clicked_confusion_cell_shows_exactly_its_digits_and_a_second_click_all_of_them(qtbot, window, tab):
    if tab == "Train":
        open_workspace(qtbot, window, "Train")
        window.redraw_now()
        confusion, gallery = window.confusion_view, window.mistakes_view
    else:
        confusion, gallery = widget(window, "evalConfusionView"), widget(window, "evalMistakesView")
    p, y = probabilities(window, 16), window.data.y_eval.astype(int)
    predicted = p.argmax(axis=1)
    counts = np.bincount(y * 10 + predicted, minlength=100).reshape(10, 10) * (1 - np.eye(10, dtype=int))
    true, guess = np.unravel_index(np.argmax(counts), counts.shape)
    expected = np.flatnonzero((y == true) & (predicted == guess))
    expected = expected[np.argsort(-p[expected, guess], kind="stable")]
    all_before = gallery.shown_count()

    click_cell(qtbot, confusion, true, guess)
    assert confusion.selected == (true, guess)
    shown = gallery.shown_rows
    assert len(shown) == min(len(expected), len(gallery.cells)) and gallery.shown_count() == len(shown)
    assert set(shown.tolist()) <= set(expected.tolist())
    np.testing.assert_array_equal(shown, expected[:len(shown)])
    assert f"{len(expected)} digit" in gallery.title.text()

    click_cell(qtbot, confusion, true, guess)              # again: every mistake
    assert confusion.selected is None and gallery.cell is None and gallery.shown_count() == all_before

    click_cell(qtbot, confusion, true, true)               # a diagonal cell: its right answers
    right = np.flatnonzero((y == true) & (predicted == true))
    assert set(gallery.shown_rows.tolist()) <= set(right.tolist()) and len(gallery.shown_rows) > 0
    all_button = gallery.all_button
    assert all_button.isVisible()
    qtbot.mouseClick(all_button, Qt.MouseButton.LeftButton)
    assert gallery.cell is None and confusion.selected is None and not all_button.isVisible()


def test_the_confidence_threshold_reports_coverage_and_accuracy(window):
    p, y = probabilities(window, 16), window.data.y_eval.astype(int)
    slider = widget(window, "confidenceSlider")
    slider.setValue(80)
    sure, predicted = p.max(axis=1), p.argmax(axis=1)
    answered = sure >= 0.8
    threshold, coverage, accuracy = window.evaluate_view.confidence.shown
    assert threshold == 0.8 and coverage == pytest.approx(answered.mean(), abs=1e-9)
    assert accuracy == pytest.approx(np.mean(predicted[answered] == y[answered]), abs=1e-9)
    assert f"{coverage:.1%}" in widget(window, "confidenceLabel").text()


def test_robustness_starts_at_the_plain_accuracy_and_falls(window):
    p, y = probabilities(window, 16), window.data.y_eval.astype(int)
    plain = np.mean(p.argmax(axis=1) == y)
    curves = window.evaluate_view.robustness.curves
    assert set(curves) == {"noise", "rotation", "shift", "thickness"}
    for name, (settings, accuracy) in curves.items():
        assert accuracy[np.flatnonzero(settings == 0)[0]] == pytest.approx(plain, abs=1e-12)
        extreme = accuracy[np.argmax(np.abs(settings))]
        assert extreme < plain - 0.1, f"{name}: {accuracy}"
    combo, slider = widget(window, "robustnessProbe"), widget(window, "robustnessSetting")
    combo.setCurrentIndex(combo.findData("rotation"))
    slider.setValue(slider.maximum())
    assert "45" in widget(window, "robustnessSettingLabel").text()


def test_the_map_places_the_digits_by_pca_and_a_click_selects_one(qtbot, window):
    from engine.projection import fixed_subsample

    panel = window.evaluate_view.map_panel
    rows = fixed_subsample(len(window.data.y_eval))
    np.testing.assert_array_equal(panel.rows, rows)
    # the hidden layer's activations, by hand; the map's spread along its axes is the top two
    # singular values of the centred activations (alignment turns the cloud, never scales it)
    W1 = np.asarray(window.session.run.at(16).weights[0], np.float64)
    A = np.maximum(window.data.X_eval[rows].astype(np.float64) @ W1, 0)
    singular = np.linalg.svd(A - A.mean(axis=0), compute_uv=False)
    coords = panel.coords - panel.coords.mean(axis=0)
    np.testing.assert_allclose(np.linalg.svd(coords, compute_uv=False), singular[:2], rtol=1e-4)
    view = widget(window, "mapView")
    target = int(np.argmax(np.linalg.norm(coords, axis=1)))   # the outermost point: nothing on top
    scene = view.getPlotItem().vb.mapViewToScene(QPointF(*panel.coords[target]))
    where = view.mapFromScene(scene)

    # the mouse rests on the point (a move event delivered to the view itself: QTest's moves go
    # through the window, where the map may lie below the scroll area's fold)
    QApplication.sendEvent(view.viewport(), QMouseEvent(QEvent.Type.MouseMove, QPointF(where),
                                                        QPointF(view.viewport().mapToGlobal(where)),
                                                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                                        Qt.KeyboardModifier.NoModifier))
    assert panel.shown_digit == int(rows[target])                   # hovering shows the digit
    np.testing.assert_array_equal(panel.digit_image.image, window.data.X_eval[rows[target]].reshape(28, 28))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))
    assert window.session.cursor.index == int(rows[target])


def test_scrubbing_back_evaluates_that_moment(qtbot, window):
    view = window.evaluate_view
    window.session.cursor.set(step=8)
    qtbot.waitUntil(lambda: view.shown_step == 8, timeout=WAIT_MS)
    p, y = probabilities(window, 8), window.data.y_eval.astype(int)
    assert widget(window, "evalAccuracy").text() == f"{np.mean(p.argmax(axis=1) == y):.2%}"


def test_a_tsne_map_when_scikit_learn_is_installed(qtbot, window):
    pytest.importorskip("sklearn")
    combo = widget(window, "mapMethod")
    combo.setCurrentIndex(combo.findData("tsne"))
    panel = window.evaluate_view.map_panel
    qtbot.waitUntil(lambda: not panel.busy and "t-SNE of" in panel.status.text(), timeout=WAIT_MS)
    assert panel.coords.shape == (len(window.data.y_eval), 2)
    assert window.evaluate_view.map_panel.view.getPlotItem().getAxis("bottom").labelText == "t-SNE 1"


def test_going_back_before_a_moment_is_drawn_shows_the_moment_chosen_last(qtbot, window):
    """Found in review: the tab draws a moment in parts; scrubbing to step 8 and straight back to
    live (before step 8's parts were drawn) left step 8 on screen for good."""
    view, record = window.evaluate_view, window.session.run
    assert view.shown_step == 16
    window.session.cursor.set(step=8)
    # step 8 evaluated (off the GUI thread), then its draw begun: its first part only, the rest queued
    qtbot.waitUntil(lambda: window.evaluator.evaluation(record, 8, window.data) is not None, timeout=WAIT_MS)
    view.shown_step = 16   # as if step 8's evaluation had not reached the tab yet
    view._staged_step = None
    view.refresh()
    assert view._staged_step == 8 and view.shown_step == 16
    window.session.cursor.set(step=None)                               # and the teacher goes back
    qtbot.waitUntil(lambda: view._staged_step is None, timeout=WAIT_MS)
    qtbot.wait(100)
    assert view.shown_step == 16
    p, y = probabilities(window, 16), window.data.y_eval.astype(int)
    assert widget(window, "evalAccuracy").text() == f"{np.mean(p.argmax(axis=1) == y):.2%}"
