"""The window against what froze it in hostile testing: a model that cannot fit in memory, data with
256 classes, loading on the GUI thread. Driven as a user would, offscreen through pytest-qt."""
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt

from engine import write_idx
from trainer_gui.main_window import MainWindow
from trainer_gui.state.run_state import RunState

from conftest import load_and_wait

WAIT_MS = 30_000   # generous: CI machines are shared; the bounds that matter are asserted separately


@pytest.fixture
def window(qtbot, small_digit_folders):
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    assert load_and_wait(qtbot, main, small_digit_folders[0])
    return main


def test_a_model_too_large_for_memory_is_refused_at_once_with_a_message(window, qtbot):
    """Found: 12 hidden layers of 9,999 units blocked the GUI thread ~21 s, then a MemoryError on the
    console while the window still said "Ready"."""
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("mlp"))
    hidden = window.findChild(QObject, "hiddenEdit")
    hidden.setFocus()
    hidden.selectAll()
    qtbot.keyClicks(hidden, ",".join(["9999"] * 12))
    qtbot.keyClick(hidden, Qt.Key.Key_Tab)
    started = time.perf_counter()
    qtbot.mouseClick(window.findChild(QObject, "startButton"), Qt.MouseButton.LeftButton)
    seconds = time.perf_counter() - started
    banner = window.message_banner.text()
    assert "Cannot start" in banner and "GB of memory" in banner and "fewer or narrower" in banner
    assert window.state is RunState.READY and window.training_thread is None and window.trainer is None
    assert seconds < 2, f"the refusal took {seconds:.1f} s"
    # the user narrows the layers and starts again: it trains
    hidden.setFocus()
    hidden.selectAll()
    qtbot.keyClicks(hidden, "32")
    qtbot.keyClick(hidden, Qt.Key.Key_Tab)
    qtbot.mouseClick(window.findChild(QObject, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 5, timeout=WAIT_MS)
    assert not window.message_banner.isVisible()
    window.stop()


def test_the_model_is_built_in_the_worker_thread_not_the_gui_thread(window, qtbot, monkeypatch):
    import engine.config
    built_in = []
    real_build = engine.config.ModelConfig.build

    def recording_build(self, *args):
        built_in.append(threading.current_thread() is threading.main_thread())
        return real_build(self, *args)

    monkeypatch.setattr(engine.config.ModelConfig, "build", recording_build)
    qtbot.mouseClick(window.findChild(QObject, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps == 1, timeout=WAIT_MS)
    assert built_in == [False]
    window.stop()


def test_running_out_of_memory_while_building_says_so(window, qtbot, monkeypatch):
    import engine.config

    def no_memory(self, *args):
        raise MemoryError()

    monkeypatch.setattr(engine.config.ModelConfig, "build", no_memory)
    qtbot.mouseClick(window.findChild(QObject, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.READY and window.training_thread is None, timeout=WAIT_MS)
    assert "not enough memory" in window.message_banner.text()


def test_data_with_256_classes_trains_and_draws_without_freezing(window, qtbot, tmp_path):
    """Found: labels up to 255 made the confusion matrix 65,536 text items: a 19–27 s freeze."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (600, 28, 28), dtype=np.uint8)
    labels = (np.arange(600) % 256).astype(np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels)
    assert load_and_wait(qtbot, window, tmp_path)
    assert window.data.n_classes == 256
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("softmax"))
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(window.findChild(QObject, "stepEpochButton"), Qt.MouseButton.LeftButton)
    started = time.perf_counter()
    window.redraw_now()
    seconds = time.perf_counter() - started
    view = window.confusion_view
    assert view.confusion.shape == (256, 256) and view.confusion.sum() == len(window.data.y_eval)
    assert len(view.cell_texts) <= 900
    assert seconds < 2, f"drawing took {seconds:.1f} s"


def test_data_loads_off_the_gui_thread_and_the_window_keeps_answering(window, qtbot, small_digit_folders,
                                                                     monkeypatch):
    import trainer_gui.data_commands as data_commands
    loaded_in, release = [], threading.Event()
    real_load = data_commands.load_data

    def slow_load(path):
        loaded_in.append(threading.current_thread() is threading.main_thread())
        release.wait(10)   # a large file: the GUI thread must not wait for it
        return real_load(path)

    monkeypatch.setattr(data_commands, "load_data", slow_load)
    with qtbot.waitSignal(window.data_loaded, timeout=WAIT_MS) as loaded:
        window.load_data(small_digit_folders[1])
        assert window.loading and "Loading" in window.status_label.text()
        qtbot.mouseClick(window.findChild(QObject, "startButton"), Qt.MouseButton.LeftButton)
        assert "still loading" in window.message_banner.text() and window.training_thread is None
        assert not window.data_panel.open_button.isEnabled()          # nothing else is opened meanwhile
        assert not window.file_actions.open_model(small_digit_folders[1] / "model.npz")
        assert "still loading" in window.message_banner.text()
        qtbot.wait(50)                                    # the event loop runs while the file loads
        release.set()
    assert loaded.args == [True] and loaded_in == [False]
    assert not window.loading and window.data.counts() == {"train": 600, "test": 200}
