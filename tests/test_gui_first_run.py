"""Issue 9's bugs as a newcomer meets them: typed values, the run shortcuts inside fields, the
suggested learning rate, what disabled controls show, opened and finished runs going on, the
window title, and the window at 1024×700. Keystrokes and clicks through QTest, as a person makes them.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import load_and_wait, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from engine import ModelConfig, TrainConfig, build_trainer, save_run  # noqa: E402
from engine.config import SUGGESTED_LEARNING_RATE  # noqa: E402
from trainer_gui.app import make_application  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, small_digit_folders):
    """The window on 800 training and 200 validation digits, softmax regression chosen, with the
    app's names and style sheet (its fonts set the widths)."""
    make_application()
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    main.activateWindow()   # the window a person types into is the active one
    qtbot.waitActive(main)
    assert load_and_wait(qtbot, main, small_digit_folders[0])
    panel = main.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("softmax"))
    yield main
    main.close()


def click(qtbot, window, name):
    qtbot.mouseClick(widget(window, name), Qt.MouseButton.LeftButton)


def type_into(qtbot, field, text, enter=False):
    """Click into a spin box, select what it shows and type `text`, as a person edits a field."""
    line = field.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)
    if enter:
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert field.hasFocus() or line.hasFocus()


def wait_built(qtbot, window):
    qtbot.waitUntil(lambda: window.trainer is not None, timeout=WAIT_MS)


# --- 1. what a field shows is what the run uses ----------------------------------------------
def test_typed_batch_size_and_epochs_are_used_when_start_is_clicked(qtbot, window):
    panel = window.model_panel
    type_into(qtbot, panel.batch_spin, "10")
    assert panel.batch_spin.lineEdit().text() == "10"
    click(qtbot, window, "startButton")      # with the mouse: the field never loses focus to a button
    wait_built(qtbot, window)
    assert window.trainer.batch_size == 10 and window.trainer.batches_per_epoch == 80
    assert window.run_configs[1].batch_size == 10
    window.stop()
    type_into(qtbot, panel.epochs_spin, "3")
    type_into(qtbot, panel.batch_spin, "25")
    click(qtbot, window, "stepButton")
    wait_built(qtbot, window)
    assert window.trainer.batches_per_epoch == 32 and window.run_configs[1].epochs == 3


def test_typed_learning_rate_reaches_a_paused_run_at_the_next_step(qtbot, window):
    click(qtbot, window, "stepButton")
    wait_built(qtbot, window)
    qtbot.waitUntil(lambda: window.trainer.steps == 1, timeout=WAIT_MS)
    type_into(qtbot, window.model_panel.lr_spin, "0.05")     # no Enter
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.trainer.steps == 2, timeout=WAIT_MS)
    assert window.trainer.learning_rate == pytest.approx(0.05)


# --- 2. Space and Right wherever the focus is ----------------------------------------------------
def test_space_pauses_while_a_field_has_focus_and_leaves_the_field_alone(qtbot, window):
    window.model_panel.epochs_spin.setValue(1000)
    click(qtbot, window, "startButton")
    wait_built(qtbot, window)
    lr_spin = window.model_panel.lr_spin
    type_into(qtbot, lr_spin, "0.05", enter=True)
    shown = lr_spin.lineEdit().text()
    qtbot.keyClick(lr_spin.lineEdit(), Qt.Key.Key_Space)
    assert window.state is RunState.PAUSED
    assert lr_spin.lineEdit().text() == shown and lr_spin.value() == pytest.approx(0.05)
    qtbot.keyClick(lr_spin.lineEdit(), Qt.Key.Key_Space)
    assert window.state is RunState.RUNNING
    window.stop()


def test_space_on_a_check_box_or_a_list_runs_the_shortcut_instead_of_editing_it(qtbot, window):
    panel = window.model_panel
    shuffle, combo = panel.shuffle_check, panel.schedule_combo
    ticked, chosen = shuffle.isChecked(), combo.currentIndex()
    shuffle.setFocus()
    qtbot.keyClick(shuffle, Qt.Key.Key_Space)      # Ready: Space has nothing to pause, and ticks nothing
    assert shuffle.isChecked() == ticked
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    assert combo.currentIndex() == chosen and not combo.view().isVisible()


def test_space_types_a_space_in_the_hidden_sizes_text(qtbot, window):
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("mlp"))
    edit = panel.hidden_edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.setText("64,")
    edit.end(False)
    qtbot.keyClick(edit, Qt.Key.Key_Space)
    qtbot.keyClicks(edit, "32")
    assert edit.text() == "64, 32" and window.state is RunState.READY


def test_right_steps_from_a_field_once_its_cursor_is_at_the_end(qtbot, window):
    click(qtbot, window, "stepButton")
    wait_built(qtbot, window)
    qtbot.waitUntil(lambda: window.trainer.steps == 1, timeout=WAIT_MS)
    line = window.model_panel.lr_spin.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    line.setCursorPosition(1)
    qtbot.keyClick(line, Qt.Key.Key_Right)         # moves the text cursor: there is text to its right
    assert line.cursorPosition() == 2
    line.end(False)
    qtbot.keyClick(line, Qt.Key.Key_Right)         # at the end: the run's shortcut
    qtbot.waitUntil(lambda: window.trainer.steps == 2, timeout=WAIT_MS)
    assert window.state is RunState.PAUSED


# --- 3. the chosen model's learning rate -------------------------------------------------------
def choose_with_keys(qtbot, combo, kind):
    """Select `kind` in a combo box with the arrow keys, as a person does without opening it."""
    combo.setFocus()
    key = Qt.Key.Key_Down if combo.findData(kind) > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentData() != kind:
        before = combo.currentIndex()
        qtbot.keyClick(combo, key)
        assert combo.currentIndex() != before, f"{kind} not reached"


def test_choosing_linear_regression_puts_its_suggested_rate_in_the_field(qtbot, window):
    panel = window.model_panel
    choose_with_keys(qtbot, panel.model_combo, "linear")
    assert panel.lr_spin.value() == pytest.approx(SUGGESTED_LEARNING_RATE["linear"]) == pytest.approx(0.1)
    choose_with_keys(qtbot, panel.model_combo, "mlp")
    assert panel.lr_spin.value() == pytest.approx(SUGGESTED_LEARNING_RATE["mlp"])
    type_into(qtbot, panel.lr_spin, "0.3")            # the user's own rate, not yet committed
    choose_with_keys(qtbot, panel.model_combo, "linear")
    assert panel.lr_spin.value() == pytest.approx(0.3)


# --- 13. disabled controls show what the model uses ---------------------------------------------
def test_disabled_controls_show_what_the_model_really_uses(qtbot, window):
    panel = window.model_panel
    choose_with_keys(qtbot, panel.model_combo, "mlp")
    panel.hidden_edit.setText("64,32")
    panel.activation_combo.setCurrentIndex(panel.activation_combo.findData("tanh"))
    panel.bias_check.setChecked(True)
    panel.loss_combo.setCurrentIndex(panel.loss_combo.findData("mse"))
    choose_with_keys(qtbot, panel.model_combo, "two-layer")
    assert not panel.bias_check.isChecked() and not panel.bias_check.isEnabled()      # it has no biases
    assert panel.activation_combo.currentData() == "relu" and panel.loss_combo.currentData() == "softmax_ce"
    choose_with_keys(qtbot, panel.model_combo, "softmax")
    assert panel.hidden_edit.text() == "" and panel.activation_combo.currentIndex() == -1   # no hidden layer
    assert not panel.bias_check.isChecked()
    choose_with_keys(qtbot, panel.model_combo, "linear")
    assert panel.loss_combo.currentText() == "mean squared error" and panel.bias_check.isChecked()
    choose_with_keys(qtbot, panel.model_combo, "mlp")          # the user's own settings come back
    assert panel.activation_combo.currentData() == "tanh" and panel.loss_combo.currentData() == "mse"
    assert panel.bias_check.isChecked() and panel.bias_check.isEnabled()
    assert panel.model_config().hidden == (64,)     # the two-layer network kept the first width


# --- 6 and 11. opened and finished runs go on --------------------------------------------------
def finish(qtbot, window):
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)


def test_a_finished_run_unlocks_the_settings_and_goes_on_when_epochs_are_raised(qtbot, window):
    panel = window.model_panel
    panel.epochs_spin.setValue(1)
    click(qtbot, window, "startButton")
    finish(qtbot, window)
    steps = window.trainer.steps
    for name in ("modelCombo", "batchSpin", "epochsSpin", "openButton", "startButton"):
        assert widget(window, name).isEnabled(), name
    assert window.menus.open_data.isEnabled() and window.menus.open_model.isEnabled()
    click(qtbot, window, "stepButton")                # one batch past the plan
    qtbot.waitUntil(lambda: window.history is not None and len(window.history.batch_x) == steps + 1,
                    timeout=WAIT_MS)
    window.redraw_now()
    status = widget(window, "statusLabel").text()
    assert "epoch 2 of 1" not in status and "epoch 2 (past the 1 planned)" in status
    click(qtbot, window, "startButton")               # nothing raised: it says what to do
    assert "raise Epochs" in widget(window, "messageBanner").text() and window.state is RunState.COMPLETED
    type_into(qtbot, panel.epochs_spin, "3")
    click(qtbot, window, "startButton")
    finish(qtbot, window)
    assert window.trainer.epoch == 3 and window.trainer.steps == 3 * window.trainer.batches_per_epoch
    assert len(window.history.epoch_x) == 3          # one run, not a new one from scratch


def test_changing_the_model_after_finished_trains_a_new_one(qtbot, window):
    panel = window.model_panel
    panel.epochs_spin.setValue(1)
    click(qtbot, window, "startButton")
    finish(qtbot, window)
    choose_with_keys(qtbot, panel.model_combo, "linear")
    assert window.state is RunState.COMPLETED and window.history is not None   # the plots stay meanwhile
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer is not None and window.run_configs[0].kind == "linear",
                    timeout=WAIT_MS)
    finish(qtbot, window)
    assert window.trainer.steps == window.trainer.batches_per_epoch


def test_an_opened_model_says_it_has_trained_its_epochs_and_goes_on_when_they_are_raised(
        qtbot, window, tmp_path, monkeypatch):
    data = window.data
    trainer = build_trainer(ModelConfig(kind="softmax"), TrainConfig(epochs=2), data.X_train, data.y_train,
                            data.X_eval, data.y_eval)
    trainer.run_epoch(), trainer.run_epoch()
    path = tmp_path / "two_epochs.npz"
    save_run(path, trainer, ModelConfig(kind="softmax"), TrainConfig(epochs=2))
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": str(path))
    assert window.file_actions.open_model()
    panel = window.model_panel
    assert panel.epochs_spin.value() == 2
    click(qtbot, window, "startButton")
    banner = widget(window, "messageBanner")
    assert banner.isVisible() and "already trained 2 epochs" in banner.text()
    assert window.state is RunState.READY and not window.training_thread
    type_into(qtbot, panel.epochs_spin, "3")
    click(qtbot, window, "startButton")
    finish(qtbot, window)
    per_epoch = window.trainer.batches_per_epoch
    assert window.trainer.steps == 3 * per_epoch       # continued, not retrained from scratch
    click(qtbot, window, "stopButton")                 # Stop, raise Epochs, Start: still the opened model
    type_into(qtbot, panel.epochs_spin, "4")
    click(qtbot, window, "startButton")
    finish(qtbot, window)
    assert window.trainer.steps == 4 * per_epoch and window.trainer.epoch == 4


# --- 9. the title ---------------------------------------------------------------------------------
def test_the_window_title_names_the_app_once(window):
    assert QApplication.instance().applicationDisplayName() == "MNIST trainer"   # make_application's
    title = window.windowTitle()
    assert str(window.data.dataset.path) in title
    # Qt appends the display name to a title not ending with it (QPlatformWindow::formatWindowTitle)
    shown = title if title.endswith("MNIST trainer") else f"{title} — MNIST trainer"
    assert shown.count("MNIST trainer") == 1


# --- 15 and 16. a small screen, steady buttons ----------------------------------------------------
def visible_rect(child: QWidget, window):
    """The part of `child` inside the window and inside every scroll area above it, in window coords."""
    from PySide6.QtCore import QRect
    rect = QRect(child.mapTo(window, child.rect().topLeft()), child.size())
    parent = child.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def test_the_window_works_at_1024_by_700(qtbot, window):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=5000)
    assert window.minimumSizeHint().width() <= 1024 and window.minimumSize().width() <= 1024
    for name in ("startButton", "pauseButton", "stepButton", "stepEpochButton", "stopButton", "resetButton",
                 "speedSlider", "modelCombo", "lrSpin"):
        child = widget(window, name)
        shown = visible_rect(child, window)
        assert shown.width() == child.width(), f"{name} is cut off horizontally"
    # the settings column scrolls vertically; every field's full width is inside it
    viewport = widget(window, "settingsColumn").parentWidget()
    left, right = viewport.mapTo(window, QPoint(0, 0)).x(), viewport.mapTo(window, QPoint(viewport.width(), 0)).x()
    for field in ("modelCombo", "hiddenEdit", "lrSpin", "batchSpin", "epochsSpin", "trainSeedSpin"):
        child = widget(window, field)
        start, end = child.mapTo(window, QPoint(0, 0)).x(), child.mapTo(window, QPoint(child.width(), 0)).x()
        assert left <= start and end <= right <= window.width(), field


def test_pause_and_resume_do_not_move_the_other_buttons(qtbot, window):
    window.model_panel.epochs_spin.setValue(1000)
    names = ("startButton", "pauseButton", "stepButton", "stepEpochButton", "stopButton", "resetButton")
    click(qtbot, window, "startButton")
    wait_built(qtbot, window)
    before = {name: widget(window, name).geometry() for name in names}
    click(qtbot, window, "pauseButton")
    assert widget(window, "pauseButton").text() == "Resume"
    QApplication.processEvents()
    assert {name: widget(window, name).geometry() for name in names} == before
    window.stop()


def test_the_status_shows_the_learning_rate_after_the_schedule(qtbot, window):
    panel = window.model_panel
    panel.schedule_combo.setCurrentIndex(panel.schedule_combo.findData("cosine"))
    panel.epochs_spin.setValue(2)
    for steps in (1, 2, 3):
        click(qtbot, window, "stepButton")
        qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps == steps, timeout=WAIT_MS)
    model_config, train_config = window.run_configs
    data = window.data
    reference = build_trainer(model_config, train_config, data.X_train, data.y_train)
    rate = [reference.step() for _ in range(3)][-1].learning_rate
    assert rate < train_config.learning_rate               # the cosine has started to fall
    qtbot.waitUntil(lambda: window.redraw_now() or f"learning rate {rate:.3g}" in
                    widget(window, "statusLabel").text(), timeout=WAIT_MS)


def test_every_setting_and_run_control_says_what_it_does(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QSlider
    controls = [w for w in window.findChildren(QWidget)
                if isinstance(w, (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractButton, QSlider))
                and w.objectName() and (window.model_panel.isAncestorOf(w) or window.controls.isAncestorOf(w)
                                        or window.timeline.isAncestorOf(w))
                and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox))]
    assert len(controls) >= 20
    silent = [w.objectName() for w in controls if len(w.toolTip()) < 15]
    assert silent == []
    assert "τ" in widget(window, "scheduleCombo").toolTip() and "ball" in widget(window, "momentumSpin").toolTip()


def test_the_help_menu_lists_the_shortcuts_the_window_has(qtbot, window):
    window.menus.shortcuts_action.trigger()
    box = window.findChild(QWidget, "helpBox")
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    text = box.text()
    for key in ("Space", "→", "Home / End", "Ctrl+Shift+O"):
        assert key in text
    assert window.menus.open_model.shortcut().toString() == "Ctrl+Shift+O"
    box.close()
    window.menus.views_action.trigger()
    assert "Confusion" in window.findChild(QWidget, "helpBox").text()


def test_demo_pace_slows_a_run_to_about_20_steps_a_second(qtbot, window):
    qtbot.mouseClick(widget(window, "demoSpeedButton"), Qt.MouseButton.LeftButton)
    assert widget(window, "speedSlider").value() < 100 and "50 ms" in window.controls.speed_label.text()
    window.model_panel.epochs_spin.setValue(100)
    click(qtbot, window, "startButton")
    wait_built(qtbot, window)
    qtbot.waitUntil(lambda: window.trainer.steps >= 2, timeout=WAIT_MS)   # it trains
    start = window.trainer.steps
    qtbot.wait(1000)
    taken = window.trainer.steps - start
    window.stop()
    # each step waits 50 ms, so a busy machine can only make it slower: never more than ~20 a second
    assert taken <= 25, taken
