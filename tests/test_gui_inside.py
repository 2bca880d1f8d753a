"""The Inside workspace: a stroke drawn on drawPad gets an answer, a held-out digit's answer is the
model's own softmax at the cursor's moment (checked against a headless engine Trainer), and it
follows the timeline; linear regression shows values, not probabilities."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import class_images, load_and_wait, open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPoint, Qt  # noqa: E402

from engine import build_trainer, evaluate  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def window(small_window):
    """The window on 800 training and 200 validation digits with a small two-layer net trained for
    two epochs (8 steps each), and the Inside tab open."""
    return small_window(kind="two-layer", hidden="32", epochs=2)


def train(qtbot, window):
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED and window.session.run.latest_step == 16,
                    timeout=WAIT_MS)
    open_workspace(qtbot, window, "Inside")


def headless_softmax(window, steps, x):
    model_config, train_config = window.run_configs
    data = window.data
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    for _ in range(steps):
        trainer.step()
    z = x.astype(np.float64) @ trainer.model.weights[0].astype(np.float64)
    z = np.maximum(z, 0) @ trainer.model.weights[1].astype(np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def test_a_stroke_drawn_with_the_mouse_gets_an_answer(qtbot, window):
    train(qtbot, window)
    pad, view = widget(window, "drawPad"), widget(window, "probabilityView")
    window.inside.refresh()
    assert view.probabilities is None                  # an empty pad answers nothing
    assert "Draw a digit" in view.note.text()
    side = min(pad.width(), pad.height())
    left, top = (pad.width() - side) // 2, (pad.height() - side) // 2
    points = [QPoint(left + side // 2, top + side // 5 + i * side // 20) for i in range(13)]   # a "1"
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])
    qtbot.waitUntil(lambda: view.probabilities is not None, timeout=WAIT_MS)   # within ~50 ms of drawing
    assert view.probabilities.sum() == pytest.approx(1.0, abs=1e-5) and np.isfinite(view.probabilities).all()
    seen = window.inside.input_view.shown
    assert seen.shape == (28, 28) and seen.max() > 0.5 and seen[:, :4].max() == 0   # centred, not at an edge
    qtbot.mouseClick(widget(window, "undoStrokeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.probabilities is None, timeout=WAIT_MS)


def test_a_held_out_digit_gets_the_models_own_softmax_and_follows_the_timeline(qtbot, window):
    train(qtbot, window)
    data = window.data
    x = data.X_eval[7]
    widget(window, "drawPad").set_image(x.reshape(data.image_shape))
    window.inside.refresh()
    view = widget(window, "probabilityView")
    np.testing.assert_allclose(view.probabilities, headless_softmax(window, 16, x), rtol=1e-5, atol=1e-7)
    assert view.shown_step == 16
    window.session.cursor.set(step=8)                  # the timeline: the end of epoch 1
    window.inside.refresh()
    assert view.shown_step == 8
    np.testing.assert_allclose(view.probabilities, headless_softmax(window, 8, x), rtol=1e-5, atol=1e-7)
    window.session.cursor.set(step=0)                  # the untrained model
    window.inside.refresh()
    np.testing.assert_allclose(view.probabilities, headless_softmax(window, 0, x), rtol=1e-5, atol=1e-7)


def test_random_and_next_mistake_put_held_out_digits_on_the_pad(qtbot, window):
    train(qtbot, window)
    qtbot.mouseClick(widget(window, "randomDigitButton"), Qt.MouseButton.LeftButton)
    index = window.session.cursor.index
    assert index is not None
    np.testing.assert_array_equal(window.inside.pad.digit.ravel(), window.data.X_eval[index])
    qtbot.mouseClick(widget(window, "nextMistakeButton"), Qt.MouseButton.LeftButton)
    wrong = set(window.session.run.latest_evaluation()[1].misclassified.indices.tolist())
    assert window.session.cursor.index in wrong
    window.inside.refresh()
    view = widget(window, "probabilityView")
    assert view.predicted_label.text() != str(int(window.data.y_eval[window.session.cursor.index]))


def test_linear_regression_shows_values_not_probabilities(qtbot, window):
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("linear"))
    train(qtbot, window)
    data = window.data
    widget(window, "drawPad").set_image(data.X_eval[3].reshape(data.image_shape))
    window.inside.refresh()
    view = widget(window, "probabilityView")
    assert view.probabilities is None and view.values is not None and "not probabilities" in view.note.text()


def test_next_mistake_uses_the_mistakes_of_the_moment_shown(qtbot, window, small_digit_folders):
    """Scrubbed back to a step the run did not evaluate, Next mistake waits for that moment's own
    evaluation (made off the GUI thread), not the last one the run made before it."""
    train(qtbot, window)
    window.session.cursor.set(step=5)
    qtbot.mouseClick(widget(window, "nextMistakeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.cursor.index is not None, timeout=WAIT_MS)
    model_config, train_config = window.run_configs
    data = window.data
    reference = build_trainer(model_config, train_config, data.X_train, data.y_train)
    for _ in range(5):
        reference.step()
    wrong = evaluate(reference.model, "softmax_ce", data.X_eval, data.y_eval).misclassified.indices
    assert window.session.cursor.index == int(np.sort(wrong)[0])
    assert load_and_wait(qtbot, window, small_digit_folders[1])        # other data: nothing is selected
    assert window.session.cursor.index is None and window.inside.source_label.text() == ""


def test_drawing_on_16_by_16_images_scales_the_digit_box(qtbot, small_window, make_idx_folder):
    labels = np.arange(200) % 10
    folder = make_idx_folder("small16", train=(class_images(labels, (16, 16)), labels),
                             t10k=(class_images(labels[:50], (16, 16), seed=1), labels[:50]))
    main = small_window(kind="softmax", epochs=1)
    assert load_and_wait(qtbot, main, folder)
    qtbot.mouseClick(widget(main, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.state is RunState.COMPLETED, timeout=WAIT_MS)
    open_workspace(qtbot, main, "Inside")
    canvas = np.zeros((280, 280), np.float32)
    canvas[60:220, 130:150] = 1.0                      # a stroke
    widget(main, "drawPad").set_image(canvas)
    main.inside.refresh()
    view = widget(main, "probabilityView")
    assert view.probabilities is not None and main.inside.input_view.shown.shape == (16, 16)
