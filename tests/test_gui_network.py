"""The network at work (networkView) and the selected unit (unitView) of the Inside workspace: after
training on real digits, a held-out digit on drawPad lights the most active units as Answer.layers
say; a QTest click on a unit selects it, and the unit view's pre-activation and activation are an
independent NumPy computation at the cursor's moment; softmax regression, a deeper MLP (its gallery
found off the GUI thread) and linear regression work too; nothing is clipped at 1280×800."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000
DIGIT = 7          # a held-out digit (a 0 in the first 1,000 MNIST test digits' validation split)


@pytest.fixture
def window(small_window):
    """The window at 1280×800 on 800 training and 200 validation digits."""
    return small_window()


def train(qtbot, window, kind="two-layer", hidden="32", epochs=2, **options):
    """Train a model of `kind` (8 steps an epoch), open the Inside tab and put held-out digit DIGIT
    on the pad."""
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(kind))
    if panel.hidden_edit.isEnabled():
        panel.hidden_edit.setText(hidden)
    for name, value in options.items():
        combo = getattr(panel, f"{name}_combo")
        combo.setCurrentIndex(combo.findData(value))
    panel.epochs_spin.setValue(epochs)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED and window.session.run.latest_step == 8 * epochs,
                    timeout=WAIT_MS)
    open_workspace(qtbot, window, "Inside")
    data = window.data
    widget(window, "drawPad").set_image(data.X_eval[DIGIT].reshape(data.image_shape))
    window.inside.refresh()
    return data.X_eval[DIGIT].astype(np.float64)


def forward(moment, x, hidden="relu"):
    """Each layer's output for x (float64), from the moment's arrays: the reference of these tests."""
    act = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}[hidden]
    outputs, a = [], np.asarray(x, np.float64)
    for i, W in enumerate(moment.weights):
        z = a @ np.asarray(W, np.float64)
        if moment.biases:
            z = z + moment.biases[i]
        a = z if i == len(moment.weights) - 1 else act(z)
        outputs.append(a)
    return outputs


def click_unit(qtbot, view, layer, unit):
    position = view.unit_position(layer, unit)
    assert position is not None, f"unit {unit} of layer {layer} is not shown"
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=position)


def moment_of(window):
    return window.session.run.at(window.session.cursor.step)


def test_the_most_active_units_are_shown_lit_by_their_activation(qtbot, window):
    x = train(qtbot, window)
    view = widget(window, "networkView")
    hidden, logits = forward(moment_of(window), x)
    shown = view.shown_units[0]
    assert len(shown) == view.limit == 16 < len(hidden)                   # 32 units: the 16 most active
    assert shown == np.argsort(-hidden, kind="stable")[:16].tolist()
    np.testing.assert_allclose(view.shown_activations[0], hidden[shown], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.shown_brightness[0], hidden[shown] / hidden.max(), rtol=1e-5, atol=1e-6)
    assert np.all(np.diff(view.shown_activations[0]) <= 0)               # the most active first
    texts = [item.text() for item in view.canvas.scene().items() if isinstance(item, QGraphicsSimpleTextItem)]
    assert "+ 16 more" in texts or "+16" in texts
    # the output: every class, in order, lit by its probability; the answer outlined
    assert view.shown_units[1] == list(range(10))
    p = np.exp(logits - logits.max())
    p /= p.sum()
    np.testing.assert_allclose(view.shown_brightness[1], p, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(view.shown_activations[1], logits, rtol=1e-5, atol=1e-5)
    assert view.shown_predicted == int(np.argmax(logits)) == widget(window, "probabilityView").probabilities.argmax()


def test_clicking_a_hidden_unit_selects_it_and_the_unit_view_computes_it(qtbot, window):
    x = train(qtbot, window)
    view, unit_view = widget(window, "networkView"), widget(window, "unitView")
    assert unit_view.pre_activation is None and "Click a unit in the network" in unit_view.hint.text()
    unit = view.shown_units[0][0]
    click_unit(qtbot, view, 0, unit)
    cursor = window.session.cursor
    assert (cursor.layer, cursor.unit) == (0, unit)
    assert view.shown_selection == (0, unit)                             # outlined at once
    assert (unit_view.layer, unit_view.unit) == (0, unit)

    moment = moment_of(window)
    W0, W1 = (np.asarray(W, np.float64) for W in moment.weights)
    z = x @ W0[:, unit]                                                  # the two-layer net has no biases
    np.testing.assert_allclose(unit_view.pre_activation, z, rtol=1e-5)
    assert unit_view.bias is None and z > 0
    np.testing.assert_allclose(unit_view.activation, max(z, 0.0), rtol=1e-5)
    np.testing.assert_array_equal(unit_view.shown_image, moment.weights[0][:, unit].reshape(28, 28))
    np.testing.assert_allclose(unit_view.contributions, max(z, 0.0) * W1[unit], rtol=1e-5, atol=1e-7)
    assert "z" in unit_view.formula.text() and "ReLU" in unit_view.formula.text()
    # the held-out digits that excite it most: one product over the held-out set
    every = np.maximum(window.data.X_eval.astype(np.float64) @ W0[:, unit], 0)
    np.testing.assert_allclose(unit_view.top_activations, np.sort(every)[::-1][:8], rtol=1e-5)
    assert every[unit_view.top_digits].min() >= np.sort(every)[::-1][7] - 1e-6

    # the timeline: the unit is computed again at the cursor's moment
    window.session.cursor.set(step=8)
    window.inside.refresh()
    W0_then = np.asarray(moment_of(window).weights[0], np.float64)
    assert moment_of(window).step == 8 and unit_view.shown_step == 8
    z_then = x @ W0_then[:, unit]
    np.testing.assert_allclose(unit_view.pre_activation, z_then, rtol=1e-5)
    np.testing.assert_allclose(unit_view.activation, max(z_then, 0.0), rtol=1e-5)

    # an output unit of the same network: its score, the probability softmax makes of it
    window.session.cursor.set(step=None)
    window.inside.refresh()
    click_unit(qtbot, view, 1, 3)
    assert (cursor.layer, cursor.unit) == (1, 3)
    hidden, logits = forward(moment_of(window), x)
    np.testing.assert_allclose(unit_view.pre_activation, logits[3], rtol=1e-5, atol=1e-6)
    assert unit_view.shown_image is None and unit_view.contributions is None   # bars of 32 weights
    np.testing.assert_allclose(unit_view.incoming_weights, moment_of(window).weights[1][:, 3])
    assert "softmax" in unit_view.formula.text()


def test_softmax_regression_an_output_units_weights_are_its_class_template(qtbot, window):
    x = train(qtbot, window, "softmax")
    view, unit_view = widget(window, "networkView"), widget(window, "unitView")
    assert view.shown_units == {0: list(range(10))}                        # inputs -> 10 outputs
    click_unit(qtbot, view, 0, 3)
    assert (window.session.cursor.layer, window.session.cursor.unit) == (0, 3)
    W = moment_of(window).weights[0]
    np.testing.assert_array_equal(unit_view.shown_image, W[:, 3].reshape(28, 28))
    np.testing.assert_allclose(unit_view.pre_activation, x @ W[:, 3].astype(np.float64), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(unit_view.activation, unit_view.pre_activation)   # the score itself
    assert unit_view.title.text().startswith("Output")


def test_a_deeper_mlp_and_its_gallery_found_off_the_gui_thread(qtbot, window):
    x = train(qtbot, window, "mlp", hidden="24,20", activation="tanh")
    view, unit_view = widget(window, "networkView"), widget(window, "unitView")
    moment = moment_of(window)
    assert moment.biases                                                 # the MLP learns biases
    a1, a2, logits = forward(moment, x, "tanh")
    assert sorted(view.shown_units) == [0, 1, 2]
    assert view.shown_units[0] == np.argsort(-np.abs(a1), kind="stable")[:16].tolist()
    np.testing.assert_allclose(view.shown_activations[1], a2[view.shown_units[1]], rtol=1e-5, atol=1e-6)

    unit = view.shown_units[1][0]                                          # second hidden layer
    click_unit(qtbot, view, 1, unit)
    W1, b1 = np.asarray(moment.weights[1], np.float64), np.asarray(moment.biases[1], np.float64)
    z = a1 @ W1[:, unit] + b1[unit]
    np.testing.assert_allclose(unit_view.pre_activation, z, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(unit_view.activation, np.tanh(z), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(unit_view.contributions, np.tanh(z) * moment.weights[2][unit], rtol=1e-5, atol=1e-6)
    qtbot.waitUntil(lambda: not unit_view.gallery_busy and unit_view.top_activations is not None, timeout=WAIT_MS)
    X = window.data.X_eval.astype(np.float64)
    every = np.tanh(np.tanh(X @ moment.weights[0] + moment.biases[0]) @ W1[:, unit] + b1[unit])
    np.testing.assert_allclose(unit_view.top_activations, np.sort(every)[::-1][:8], rtol=1e-4, atol=1e-5)

    # a unit of the first layer passes its activation on to the next hidden layer
    first = view.shown_units[0][0]
    click_unit(qtbot, view, 0, first)
    assert unit_view.contributions.shape == (20,)
    np.testing.assert_allclose(unit_view.contributions, a1[first] * moment.weights[1][first], rtol=1e-5, atol=1e-6)
    assert "next layer" in unit_view.contribution_caption.toolTip()


def test_linear_regression_outputs_are_values(qtbot, window):
    x = train(qtbot, window, "linear", epochs=1)
    view, unit_view = widget(window, "networkView"), widget(window, "unitView")
    (values,) = forward(moment_of(window), x)
    assert view.shown_units == {0: list(range(10))}
    np.testing.assert_allclose(view.shown_activations[0], values, rtol=1e-5, atol=1e-6)
    click_unit(qtbot, view, 0, 5)
    W, b = moment_of(window).weights[0], moment_of(window).biases[0]
    z = x @ W[:, 5].astype(np.float64) + float(b[5])
    np.testing.assert_allclose(unit_view.pre_activation, z, rtol=1e-5, atol=1e-6)
    assert unit_view.activation == unit_view.pre_activation and unit_view.bias == pytest.approx(float(b[5]))


@pytest.mark.parametrize("kind, hidden", [("two-layer", "32"), ("mlp", "64,32,16")])
def test_nothing_is_clipped_at_1280_by_800(qtbot, window, kind, hidden):
    train(qtbot, window, kind, hidden=hidden)
    view = widget(window, "networkView")
    click_unit(qtbot, view, 0, view.shown_units[0][0])
    window.inside.refresh()
    assert (window.width(), window.height()) == (1280, 800)     # no panel forces the window larger
    area = view.canvas.scene().sceneRect()
    assert area.width() == view.canvas.viewport().width() > 150
    texts = [item for item in view.canvas.scene().items() if isinstance(item, QGraphicsSimpleTextItem)]
    assert texts and all(area.contains(item.sceneBoundingRect()) for item in texts)
    assert all(not item.text().endswith("…") for item in texts)       # every label fits in full
    assert all(item.font().pointSizeF() >= 9 for item in texts)
    for layer, units in view.shown_units.items():                     # every unit fully inside
        for unit in units:
            assert area.contains(view.unit_scene_position(layer, unit))
    unit_view = widget(window, "unitView")
    assert unit_view.width() >= 180 and unit_view.formula.isVisible()

    # an empty pad: the panels say why they show nothing, wrapped inside the panel
    widget(window, "clearPadButton").click()
    window.inside.refresh()
    assert view.shown_units == {} and unit_view.pre_activation is None
    notes = [item for item in view.canvas.scene().items() if isinstance(item, QGraphicsTextItem)]
    assert len(notes) == 1 and "Draw a digit" in notes[0].toPlainText()
    assert area.contains(notes[0].sceneBoundingRect())
    assert "Draw a digit" in unit_view.hint.text() and unit_view.hint.isVisible()
