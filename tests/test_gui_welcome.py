"""The welcome page a first run shows: the datasets found, one click each, a Download button for
each known dataset missing, and Open a folder…; the workspaces replace it once data is loaded."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

import engine.datasets as datasets  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, small_digit_folders, monkeypatch, tmp_path):
    """A first run: no data loaded; the environment names the folder holding the small datasets."""
    monkeypatch.setattr(datasets, "cache_root", lambda: tmp_path / "empty-cache")
    monkeypatch.setattr(datasets, "DEBIAN_FASHION", tmp_path / "no-debian")
    monkeypatch.setenv(datasets.DATA_ENV, str(small_digit_folders[0].parent))
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    yield main
    main.close()


def test_a_first_run_shows_the_welcome_page_and_one_click_opens_data(qtbot, window, small_digit_folders):
    stack, welcome = widget(window, "workspaceStack"), widget(window, "welcomePage")
    assert stack.currentWidget() is welcome and not widget(window, "workspaceTabs").isVisible()
    texts = [button.text() for button in welcome.buttons.values()]
    assert "Open digits" in texts and "Open other" in texts and "Open a folder…" in texts
    assert {f"Download {d.title}" for d in datasets.KNOWN.values()} <= set(texts)
    assert not widget(window, "sampleDigits").isVisible()          # no empty plot with made-up axes
    with qtbot.waitSignal(window.data_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(welcome.buttons[f"open:{small_digit_folders[0]}"], Qt.MouseButton.LeftButton)
    assert window.data.dataset.path == small_digit_folders[0]
    assert stack.currentWidget() is widget(window, "workspaceTabs") and widget(window, "sampleDigits").isVisible()


def test_the_download_and_folder_buttons_ask_for_them(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(window.file_actions, "download", lambda name: asked.append(("download", name)))
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(("ask", kind)) or "")
    welcome = widget(window, "welcomePage")
    qtbot.mouseClick(welcome.buttons["download:mnist"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(welcome.buttons["folder"], Qt.MouseButton.LeftButton)
    assert asked == [("download", "mnist"), ("ask", "data_folder")]
    assert widget(window, "workspaceStack").currentWidget() is welcome       # nothing was chosen
