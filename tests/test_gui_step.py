"""The Step workspace: a step taken with Step (→) is taken apart. Its output error signal is the
probabilities minus the one-hot label (checked against NumPy by hand from the recorded weights
before the step), the ΔW shown is the difference of the two recorded snapshots, the gradient check
passes, a digit is selected with the mouse, a freely run step says it cannot be inspected, and Step
one example trains on a single digit."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPointF, Qt  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000
OUTPUT_ERROR = "error at the output, ∂ℓ/∂logits"


@pytest.fixture
def window(small_window):
    """800 training digits, a 784-32-10 two-layer net (batches of 100)."""
    return small_window(kind="two-layer", hidden="32", epochs=3)


def press_step(qtbot, window, steps_after):
    qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.PAUSED and window.session.run is not None
                    and window.session.run.latest_step == steps_after, timeout=WAIT_MS)


def shown(qtbot, window, step):
    """Wait until the Step tab shows `step` taken apart."""
    view = window.step_view
    qtbot.waitUntil(lambda: view.inspection is not None and view.inspection.step == step and not view.busy,
                    timeout=WAIT_MS)
    return view


def click_tile(qtbot, view, tile):
    """Click the centre of the tile-th digit of the batch grid, as a person does."""
    grid = view.batch_view
    (h, w), columns, _ = grid._layout
    row, col = divmod(tile, columns)
    centre = QPointF(col * (w + grid.gap) + w / 2, row * (h + grid.gap) + h / 2)
    position = grid.mapFromScene(grid.view_box.mapViewToScene(centre))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=position)


def by_hand(window, step):
    """Probabilities and losses of the batch of `step` under the weights before it, in float64 NumPy
    from the record's snapshots and the training rows (independent of the engine's code)."""
    record, data = window.session.run, window.data
    rows = record.batch_of(step).rows
    W1, W2 = (np.asarray(w, np.float64) for w in record.at(step - 1).weights)
    X, y = data.X_train[rows].astype(np.float64), data.y_train[rows].astype(int)
    logits = np.maximum(X @ W1, 0) @ W2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p, y, -np.log(p[np.arange(len(y)), y])


def test_step_twice_select_a_digit_and_read_the_backward_pass(qtbot, window):
    press_step(qtbot, window, 1)
    press_step(qtbot, window, 2)
    open_workspace(qtbot, window, "Step")
    view = shown(qtbot, window, 2)
    assert "Step 2" in widget(window, "stepHeader").text()

    p, y, losses = by_hand(window, 2)
    assert view.inspection.size == 100
    np.testing.assert_allclose(view.inspection.probe.losses, losses, rtol=1e-4, atol=1e-5)
    assert window.session.cursor.sample == int(np.argmax(losses))   # the hardest digit comes selected

    click_tile(qtbot, view, 37)                    # in batch order: the 38th digit
    assert window.session.cursor.sample == 37
    one_hot = np.eye(10)[y[37]]
    shown_error = view.backward_view.rows[OUTPUT_ERROR]
    np.testing.assert_allclose(shown_error, p[37] - one_hot, rtol=1e-4, atol=1e-5)
    assert "probabilities minus the one-hot label" in widget(window, "backwardSummary").text()
    assert f"digit 38 of the batch" in view.forward_box.title()
    # the ReLU mask shown is where the hidden units were on for that digit
    record, data = window.session.run, window.data
    x = data.X_train[record.batch_of(2).rows[37]].astype(np.float64)
    hidden = x @ np.asarray(record.at(1).weights[0], np.float64)
    mask = next(values for title, values in view.backward_view.rows.items() if title.startswith("× ReLU′"))
    np.testing.assert_array_equal(mask, (hidden > 0).astype(float))

    # the update: ΔW of the first layer is the difference of the two recorded moments
    before, after = record.at(1), record.at(2)
    assert (before.step, after.step) == (1, 2)
    np.testing.assert_array_equal(view.shown_change, after.weights[0] - before.weights[0])
    table = widget(window, "updateTable")
    assert table.rowCount() == 2
    delta = np.linalg.norm(after.weights[1] - before.weights[1])
    assert float(table.item(1, 3).text()) == pytest.approx(delta, rel=1e-2)


def test_the_gradient_check_button_says_pass(qtbot, window):
    press_step(qtbot, window, 1)
    open_workspace(qtbot, window, "Step")
    shown(qtbot, window, 1)
    label = widget(window, "gradCheckLabel")
    qtbot.mouseClick(widget(window, "gradCheckButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Gradient check:" in label.text(), timeout=WAIT_MS)
    assert "pass" in label.text() and "FAIL" not in label.text()


def test_sorting_by_loss_puts_the_worst_digit_first_and_a_click_still_selects_it(qtbot, window):
    press_step(qtbot, window, 1)
    open_workspace(qtbot, window, "Step")
    view = shown(qtbot, window, 1)
    combo = widget(window, "batchOrder")
    combo.setCurrentIndex(combo.findData("loss"))
    losses = view.inspection.probe.losses
    assert np.all(np.diff(losses[view.order]) <= 0)
    click_tile(qtbot, view, 1)                     # the second worst
    assert window.session.cursor.sample == int(np.argsort(-losses, kind="stable")[1])


def test_a_step_taken_while_running_freely_cannot_be_inspected_and_says_why(qtbot, window):
    open_workspace(qtbot, window, "Step")
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    record = window.session.run
    assert record.inspected_steps == []
    window.session.cursor.set(step=record.steps[len(record) // 2])
    reason = widget(window, "stepReason")
    qtbot.waitUntil(lambda: "batch was not kept" in reason.text(), timeout=WAIT_MS)
    assert reason.isVisible() and window.step_view.inspection is None
    assert not widget(window, "batchView").isVisible()


def test_step_lands_the_cursor_on_the_new_step_even_from_a_past_moment(qtbot, window):
    press_step(qtbot, window, 1)
    press_step(qtbot, window, 2)
    open_workspace(qtbot, window, "Step")
    window.session.cursor.set(step=1)              # looking back at the first step
    shown(qtbot, window, 1)
    qtbot.keyClick(window.step_view, Qt.Key.Key_Right)   # → is Step wherever the focus is
    qtbot.waitUntil(lambda: window.session.run.latest_step == 3, timeout=WAIT_MS)
    assert window.session.cursor.live
    shown(qtbot, window, 3)


def test_step_one_example_trains_on_a_single_digit(qtbot, window):
    press_step(qtbot, window, 1)
    open_workspace(qtbot, window, "Step")
    shown(qtbot, window, 1)
    next_rows = window.trainer.next_rows()
    qtbot.mouseClick(widget(window, "stepExampleButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.run.latest_step == 2, timeout=WAIT_MS)
    view = shown(qtbot, window, 2)
    assert view.inspection.size == 1 and "one example" in widget(window, "stepHeader").text()
    assert np.array_equal(window.session.run.batch_of(2).rows, next_rows[:1])
    assert window.trainer.batch == 1                # the epoch has not moved on: the next batch is whole
    # plain SGD on one digit: ΔW = −η ∇W of that digit alone
    layer = view.inspection.probe.layers[0]
    np.testing.assert_allclose(view.shown_change, -0.2 * layer.weight_grad, rtol=1e-3, atol=1e-6)
    assert len(view.backward_view.rows[OUTPUT_ERROR]) == 10
    press_step(qtbot, window, 3)
    assert np.array_equal(window.session.run.batch_of(3).rows, next_rows)
