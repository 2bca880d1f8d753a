"""The softmax table and the neuron lab of the Inside workspace, on a small two-layer net trained on
real digits: a first-layer unit switched off with the mouse gives the held-out accuracy of a NumPy
forward pass with that unit zeroed, Reset edits brings "after" back to "before", the table's
probabilities are engine.softmax of the logits at the temperature shown, and the temperature
changes the table only."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import softmax  # noqa: E402
from trainer_gui.state.lab import significant  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402
from trainer_gui.views.softmax_table import slider_position, slider_temperature  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def window(small_window):
    """As tests/test_gui_inside.py's: 800 training and 200 validation digits, a two-layer net with
    32 hidden units trained two epochs of 8 steps (call train)."""
    return small_window(kind="two-layer", hidden="32", epochs=2)


def train(qtbot, window, digit=7):
    """Train, open the Inside tab and put held-out digit `digit` on the pad."""
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED and window.session.run.latest_step == 16,
                    timeout=WAIT_MS)
    open_workspace(qtbot, window, "Inside")
    window.session.cursor.set(index=digit)
    window.inside.refresh()


def held_out_accuracy(window, zeroed=None):
    """Accuracy of the cursor's moment on the held-out set by a float64 NumPy forward pass, with
    hidden unit `zeroed` (if any) forced to 0."""
    moment = window.session.run.at(window.session.cursor.step)
    W0, W1 = (np.asarray(w, np.float64) for w in moment.weights)
    H = np.maximum(window.data.X_eval.astype(np.float64) @ W0, 0.0)
    if zeroed is not None:
        H[:, zeroed] = 0.0
    return float(np.mean((H @ W1).argmax(axis=1) == window.data.y_eval))


def open_tab(qtbot, window, name):
    """Click the tab of the panel `name` (softmaxTable or neuronLab) in the Inside workspace."""
    tabs = widget(window, "insidePanelTabs")
    index = tabs.indexOf(widget(window, name))
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(index).center())
    assert tabs.currentIndex() == index


def settled(lab):
    return not lab.busy and lab.after is not None


def test_a_unit_switched_off_with_the_mouse_and_reset(qtbot, window):
    train(qtbot, window)
    open_tab(qtbot, window, "neuronLab")
    lab, label = widget(window, "neuronLab"), widget(window, "whatIfLabel")
    off, reset = widget(window, "unitOffCheck"), widget(window, "resetEditsButton")
    assert not off.isEnabled() and "Select a unit" in widget(window, "labUnitLabel").text()
    assert not widget(window, "unitBiasSpin").isEnabled()    # the two-layer net has no biases
    assert "no biases" in widget(window, "unitBiasSpin").toolTip()
    # the unit whose loss costs most, so that the edit shows
    unit = min(range(32), key=lambda u: (held_out_accuracy(window, u), u))
    before, after = held_out_accuracy(window), held_out_accuracy(window, unit)
    assert after < before
    window.session.cursor.set(layer=0, unit=unit)
    qtbot.waitUntil(lambda: off.isEnabled() and settled(lab), timeout=WAIT_MS)
    assert f"hidden unit {unit} of layer 1" in widget(window, "labUnitLabel").text()
    moment = window.session.run.at(window.session.cursor.step)
    saved = [np.array(w) for w in moment.weights]

    qtbot.mouseClick(off, Qt.MouseButton.LeftButton)
    assert off.isChecked()
    qtbot.waitUntil(lambda: settled(lab) and lab.shown_edits.off, timeout=WAIT_MS)
    assert (lab.shown_edits.layer, lab.shown_edits.unit) == (0, unit)
    assert 1 - lab.before.error == pytest.approx(before)
    assert 1 - lab.after.error == pytest.approx(after)
    text = label.text()
    assert text.startswith("validation accuracy") and f"{100 * before:.1f}% → {100 * after:.1f}%" in text
    assert "→" in widget(window, "labDigitLabel").text()
    # the record's arrays (the moment's model) are untouched
    for kept, now in zip(saved, window.session.run.at(window.session.cursor.step).weights):
        np.testing.assert_array_equal(kept, now)

    qtbot.mouseClick(reset, Qt.MouseButton.LeftButton)
    assert not off.isChecked()
    qtbot.waitUntil(lambda: settled(lab) and lab.shown_edits.neutral, timeout=WAIT_MS)
    assert lab.after.error == lab.before.error and lab.after.loss == lab.before.loss
    assert f"{100 * before:.1f}% → {100 * before:.1f}%" in label.text()


def test_scale_and_prune_at_a_past_moment_newest_request_wins(qtbot, window, monkeypatch):
    train(qtbot, window)
    open_tab(qtbot, window, "neuronLab")
    lab = widget(window, "neuronLab")
    scale, prune = widget(window, "unitScaleSpin"), widget(window, "pruneSpin")
    window.session.cursor.set(step=5, layer=0, unit=3)     # a moment inside epoch 1, on the timeline
    moment = window.session.run.at(5)
    assert 0 < moment.step < 8 and window.session.run.evaluation(moment.step) is None   # "before" made here
    qtbot.waitUntil(lambda: scale.isEnabled() and settled(lab) and lab.shown_step == moment.step, timeout=WAIT_MS)
    assert 1 - lab.before.error == pytest.approx(held_out_accuracy(window))
    import trainer_gui.views.neuron_lab as neuron_lab
    started = []

    class CountedJob(neuron_lab.BackgroundJob):
        def start(self):
            started.append(self)
            return super().start()
    monkeypatch.setattr(neuron_lab, "BackgroundJob", CountedJob)
    for value in (0.5, 1.5, 2.0, 0.0):           # typed in quickly: one evaluation, of the last values
        scale.setValue(value)
    for value in range(10, 60, 10):
        prune.setValue(value)
    qtbot.waitUntil(lambda: settled(lab) and lab.shown_edits.prune_fraction == 0.5, timeout=WAIT_MS)
    assert lab.shown_edits.scale == 0.0 and lab.shown_edits.prune_layer == 0
    assert len(started) == 1
    # by hand: half of layer 1's weights, the smallest, zeroed, then unit 3's inputs scaled by 0
    W0, W1 = (np.array(w, np.float64) for w in moment.weights)
    order = np.argsort(np.abs(moment.weights[0]), axis=None, kind="stable")
    W0.ravel()[order[:round(0.5 * W0.size)]] = 0.0
    W0[:, 3] = 0.0
    H = np.maximum(window.data.X_eval.astype(np.float64) @ W0, 0.0)
    expected = np.mean((H @ W1).argmax(axis=1) == window.data.y_eval)
    assert 1 - lab.after.error == pytest.approx(expected)


def test_the_softmax_table_is_the_engines_softmax_at_the_temperature_shown(qtbot, window):
    train(qtbot, window)
    table, view = widget(window, "softmaxTable"), widget(window, "probabilityView")
    slider = widget(window, "temperatureSlider")
    shown = view.probabilities.copy()
    z = table.logits
    moment = window.session.run.at(window.session.cursor.step)
    x = window.data.X_eval[7].astype(np.float64)
    by_hand = np.maximum(x @ moment.weights[0].astype(np.float64), 0) @ moment.weights[1].astype(np.float64)
    np.testing.assert_allclose(z, by_hand, rtol=1e-4, atol=1e-5)     # the logits of the digit on the pad
    assert table.temperature == 1.0 and slider.value() == slider_position(1.0)
    np.testing.assert_allclose(table.probabilities, softmax(z), rtol=1e-12)
    np.testing.assert_allclose(table.probabilities, shown, rtol=1e-5, atol=1e-7)   # the model's own answer
    cells = table.table
    k = len(z)
    assert cells.rowCount() == k + 1
    for row in range(k):
        assert cells.item(row, 0).text() == significant(z[row])
        assert cells.item(row, 1).text() == significant(z[row] - z.max())
        assert cells.item(row, 3).text() == significant(table.probabilities[row])
    predicted = int(np.argmax(z))
    assert cells.item(predicted, 3).font().bold() and not cells.item((predicted + 1) % k, 3).font().bold()
    assert cells.item(k, 2).text() == significant(np.exp(z - z.max()).sum())
    entropy = -(softmax(z) * np.log2(softmax(z))).sum()
    assert table.entropy == pytest.approx(entropy)
    assert f"{entropy:.3g} bits" in widget(window, "entropyLabel").text()

    table.set_temperature(2.0)
    assert slider.value() == slider_position(2.0)
    np.testing.assert_allclose(table.probabilities, softmax(z / 2.0), rtol=1e-12)
    assert cells.item(k, 2).text() == significant(np.exp((z - z.max()) / 2).sum())
    slider.setValue(slider_position(0.1))         # the slider, as a hand moves it: T = 0.1
    assert table.temperature == pytest.approx(0.1)
    np.testing.assert_allclose(table.probabilities, softmax(z / slider_temperature(slider.value())), rtol=1e-12)
    slider.setValue(slider.maximum())
    assert table.temperature == pytest.approx(10.0)
    np.testing.assert_array_equal(view.probabilities, shown)    # the model's answer did not move
    window.inside.refresh()
    np.testing.assert_array_equal(view.probabilities, shown)
    assert table.temperature == pytest.approx(10.0)              # kept for the next answer


def test_numbers_are_readable_and_not_clipped_at_1280_by_800(qtbot, window):
    train(qtbot, window)
    open_tab(qtbot, window, "neuronLab")
    window.session.cursor.set(layer=0, unit=2)
    qtbot.waitUntil(lambda: settled(widget(window, "neuronLab")), timeout=WAIT_MS)
    qtbot.mouseClick(widget(window, "unitOffCheck"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(widget(window, "neuronLab")) and widget(window, "neuronLab").shown_edits.off,
                    timeout=WAIT_MS)
    for name in ("whatIfLabel", "labDigitLabel", "labUnitLabel", "labNote"):
        label = widget(window, name)
        assert label.isVisible() and label.font().pointSizeF() >= 9
        assert label.heightForWidth(label.width()) <= label.height() + 1, name   # all its lines fit
    open_tab(qtbot, window, "softmaxTable")
    table = widget(window, "softmaxTable")
    for T in (1.0, 0.1, 10.0):
        table.set_temperature(T)
        cells = table.table
        assert cells.font().pointSizeF() >= 9
        metrics = cells.fontMetrics()
        bold = cells.font()
        bold.setBold(True)
        from PySide6.QtGui import QFontMetrics
        bold_metrics = QFontMetrics(bold)
        for row in range(cells.rowCount()):
            for column in range(cells.columnCount()):
                text = cells.item(row, column).text()
                needed = max(metrics.horizontalAdvance(text), bold_metrics.horizontalAdvance(text))
                assert needed + 4 <= cells.columnWidth(column), (text, cells.columnWidth(column))
        assert not cells.horizontalScrollBar().isVisible()
        # every row in sight: no scrolling to reach the sum
        assert cells.verticalHeader().length() + cells.horizontalHeader().height() <= cells.viewport().height() \
            + cells.horizontalHeader().height()
        assert [cells.verticalHeaderItem(row).text() for row in range(cells.rowCount())] == \
            [*(str(i) for i in range(10)), "Σ"]
    assert window.width() == 1280                       # the window's minimum width fits 1280
    label = widget(window, "entropyLabel")
    assert label.isVisible() and label.font().pointSizeF() >= 9
    assert label.heightForWidth(label.width()) <= label.height() + 1


def test_linear_regression_has_no_softmax_and_its_bias_can_be_shifted(qtbot, window):
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("linear"))
    train(qtbot, window)
    table, lab = widget(window, "softmaxTable"), widget(window, "neuronLab")
    assert table.probabilities is None and not table.table.isVisible()
    assert "linear regression: its outputs are values, there is no softmax" in table.note.text()
    open_tab(qtbot, window, "neuronLab")
    window.session.cursor.set(layer=0, unit=4)
    bias = widget(window, "unitBiasSpin")
    qtbot.waitUntil(lambda: bias.isEnabled() and settled(lab), timeout=WAIT_MS)
    assert "output unit 4" in widget(window, "labUnitLabel").text()
    bias.setValue(5.0)       # class 4's score raised by 5: it wins nearly everywhere
    qtbot.waitUntil(lambda: settled(lab) and lab.shown_edits.bias_shift == 5.0, timeout=WAIT_MS)
    moment = window.session.run.at(window.session.cursor.step)
    W, b = np.asarray(moment.weights[0], np.float64), np.array(moment.biases[0], np.float64)
    b[4] += 5.0
    expected = np.mean((window.data.X_eval @ W + b).argmax(axis=1) == window.data.y_eval)
    assert 1 - lab.after.error == pytest.approx(expected)
    assert lab.after.error > lab.before.error


def test_binary_cross_entropy_outputs_are_their_own_probabilities(qtbot, window):
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("mlp"))
    panel.loss_combo.setCurrentIndex(panel.loss_combo.findData("bce"))
    train(qtbot, window)
    table = widget(window, "softmaxTable")
    assert table.probabilities is None and not table.table.isVisible()
    assert "each output is its own probability" in table.note.text()


def test_the_predicted_row_stays_readable_in_the_dark_theme(qtbot, window):
    """The predicted class's row has a light band: in the dark theme (light text) its own text must
    stay dark on it, and the other rows' text the theme's, readable on the dark table."""
    widget(window, "darkThemeAction").trigger()
    train(qtbot, window)
    open_tab(qtbot, window, "softmaxTable")
    table = widget(window, "softmaxTable")
    cells, predicted = table.table, int(np.argmax(table.logits))

    def text_and_back(item):
        text = item.foreground().color() if item.foreground().style() != Qt.BrushStyle.NoBrush \
            else cells.palette().color(cells.palette().ColorRole.Text)
        back = item.background().color() if item.background().style() != Qt.BrushStyle.NoBrush \
            else cells.palette().color(cells.palette().ColorRole.Base)
        return text.lightness(), back.lightness()

    text, back = text_and_back(cells.item(predicted, 3))
    assert back > 200 and abs(text - back) > 100
    text, back = text_and_back(cells.item((predicted + 1) % len(table.logits), 3))
    assert back < 80 and abs(text - back) > 100
    widget(window, "lightThemeAction").trigger()
