"""QSettings round trip: a second window restores what the first was closed with (geometry, model
and training settings, speed, validation share, the last data folder) and lists recent files."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import load_and_wait, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from trainer_gui.app import open_window  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402

WAIT_MS = 30_000


def type_into(qtbot, field, text):
    line = field.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def test_a_second_window_restores_what_the_first_was_closed_with(qtbot, small_digit_folders, own_settings):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(1100, 760)
    assert load_and_wait(qtbot, first, small_digit_folders[1])
    panel = first.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("mlp"))
    panel.hidden_edit.setText("64,32")
    panel.activation_combo.setCurrentIndex(panel.activation_combo.findData("tanh"))
    type_into(qtbot, widget(first, "lrSpin"), "0.05")
    type_into(qtbot, widget(first, "batchSpin"), "50")
    type_into(qtbot, widget(first, "epochsSpin"), "7")
    widget(first, "speedSlider").setValue(40)
    widget(first, "darkThemeAction").trigger()
    first.close()
    assert (own_settings / "settings.ini").is_file()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    restored = second.model_panel
    assert restored.kind == "mlp" and restored.hidden_edit.text() == "64,32"
    assert restored.activation_combo.currentData() == "tanh"
    assert restored.lr_spin.value() == pytest.approx(0.05)
    assert (restored.batch_spin.value(), restored.epochs_spin.value()) == (50, 7)
    assert widget(second, "speedSlider").value() == 40
    # restoreGeometry keeps a window on its screen: the offscreen screen is 800 px wide, narrower than
    # the window may be, so the height (which fits) is what can be compared here
    assert second.height() == 760
    # the learning rate was chosen: another model keeps it
    restored.model_combo.setCurrentIndex(restored.model_combo.findData("linear"))
    assert restored.lr_spin.value() == pytest.approx(0.05)
    second.menus.refresh_recent()
    entries = [a.text() for a in second.menus.recent_menu.actions()]
    assert any(str(small_digit_folders[1].name) in text and text.startswith("Data") for text in entries)
    assert widget(second, "darkThemeAction").isChecked() and second.appearance.theme == "dark"
    widget(second, "lightThemeAction").trigger()   # the next tests' windows are light again
    second.close()


def test_open_window_reopens_the_last_data_folder_and_recent_opens_it(qtbot, small_digit_folders,
                                                                     monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_TRAINER_DATA", str(tmp_path / "nothing-here"))
    first = MainWindow()
    qtbot.addWidget(first)
    assert load_and_wait(qtbot, first, small_digit_folders[1])
    first.close()
    window = open_window()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.data is not None, timeout=WAIT_MS)
    assert window.data.dataset.path == small_digit_folders[1]
    assert load_and_wait(qtbot, window, small_digit_folders[0])
    window.menus.refresh_recent()
    recent = [a for a in window.menus.recent_menu.actions() if small_digit_folders[1].name in a.text()]
    with qtbot.waitSignal(window.data_loaded, timeout=WAIT_MS):
        recent[0].trigger()
    assert window.data.dataset.path == small_digit_folders[1]
    window.close()


def test_a_damaged_settings_file_is_ignored(qtbot, own_settings):
    own_settings.mkdir(parents=True, exist_ok=True)
    (own_settings / "settings.ini").write_text("[General]\nmodel={not json\ntraining=[1, 2\nspeed=fast\n"
                                               "recent=\"[{\\\"kind\\\": 3}]\"\n")
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.model_panel.kind == "two-layer" and window.settings.recent() == []
    window.close()


def test_settings_out_of_range_keep_the_defaults_and_a_bad_geometry_is_ignored(qtbot, own_settings):
    import json
    from PySide6.QtCore import QSettings
    settings = QSettings(str(own_settings / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("geometry", "hello")
    settings.setValue("model", json.dumps({"kind": "mlp", "hidden": [100000, 100000]}))
    settings.setValue("training", json.dumps({"learning_rate": 1e-9, "batch_size": 100000, "epochs": 100000,
                                              "learning_rate_chosen": True}))
    settings.sync()
    window = MainWindow()                               # opens: nothing here stops it
    qtbot.addWidget(window)
    panel = window.model_panel
    assert panel.kind == "mlp" and panel.model_config().hidden == (100,)    # widths it can read back
    assert (panel.lr_spin.value(), panel.batch_spin.value(), panel.epochs_spin.value()) == (0.2, 100, 10)
    assert not panel.learning_rate_chosen                # an out-of-range rate was not the user's choice
    window.close()
