"""What the window does when the user asks for something wrong: a learning rate that makes training
diverge, values no model can be built from, folders that hold no data or damaged files.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import gzip  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

import engine.data  # noqa: E402
from engine import write_idx  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000   # generous: CI machines are slow and shared; nothing here asserts a speed


@pytest.fixture
def window(qtbot, small_digit_folders):
    """The window on 1,000 digits (800 to train on, 200 to validate on)."""
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.show()
    assert load_and_wait(qtbot, main, small_digit_folders[0])
    main.model_panel.epochs_spin.setValue(1000)
    yield main
    main.close()


def choose_model(window, kind, hidden=None):
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(kind))
    if hidden is not None:
        panel.hidden_edit.setText(hidden)


def type_into(qtbot, spin, text):
    """Replace a spin box's text by typing, then press Enter, as a user would."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


# --- training that diverges -----------------------------------------------------------------------

def plotted_arrays(window):
    """Every array the loss and error plots were given."""
    curves = [window.loss_plot.batch_curve, window.loss_plot.smoothed_curve, window.loss_plot.train_curve,
              window.loss_plot.eval_curve, window.error_plot.train_curve, window.error_plot.eval_curve]
    return [data for curve in curves for data in (curve.xData, curve.yData) if data is not None]


def diverge(window, qtbot, kind, learning_rate):
    """Start a run at `learning_rate` and wait until the window says it diverged."""
    choose_model(window, kind, "100" if kind == "two-layer" else None)
    lr_spin = window.model_panel.lr_spin
    if learning_rate > lr_spin.maximum():   # beyond what the spin box allows: a script lifts the cap
        lr_spin.setMaximum(learning_rate)
    lr_spin.setValue(learning_rate)
    # free running pauses only there (1,000 epochs are far away); run_paused follows every report
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        window.start()
    assert window.message_banner.isVisible()
    window.redraw_now()


@pytest.mark.parametrize("kind, learning_rate", [("linear", 50.0),        # the example
                                                 ("two-layer", 1e8)])
def test_a_diverging_run_pauses_explains_and_draws_only_finite_numbers(window, qtbot, recwarn, capfd,
                                                                        kind, learning_rate):
    diverge(window, qtbot, kind, learning_rate)

    message = window.message_banner.text().lower()
    assert "diverge" in message and f"learning rate of {learning_rate:g}" in message
    assert "lower the learning rate" in message
    assert window.state is RunState.PAUSED and window.controls.buttons["pause"].text() == "Resume"
    assert window.trainer.steps >= 1                               # some steps were fine before it
    assert all(np.isfinite(p).all() for p in window.trainer.model.parameters)

    arrays = plotted_arrays(window)
    assert len(window.loss_plot.batch_curve.yData) == window.trainer.steps
    assert all(np.isfinite(a).all() for a in arrays), "a NaN or infinity reached a plot"
    image = window.weights_view.tiles.image.image              # the gaps between tiles are NaN (clear)
    units = min(window.trainer.model.weights[0].shape[1], 100)
    assert not np.isinf(image).any() and np.isfinite(image).sum() == units * 28 * 28
    assert np.nanmax(np.abs(image)) > 0          # W − W₀: the steps taken before the refused one
    assert np.isfinite(window.weights_view.colorbar.levels()).all()
    assert "nan" not in window.status_label.text().lower()

    runtime_warnings = [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    assert runtime_warnings == [], [str(w.message) for w in runtime_warnings]
    assert "RuntimeWarning" not in capfd.readouterr().err


def test_resuming_at_the_same_rate_diverges_again_and_says_so_again(window, qtbot):
    diverge(window, qtbot, "linear", 50.0)
    steps = window.trainer.steps
    window.toggle_pause()
    assert window.state is RunState.RUNNING and not window.message_banner.isVisible()
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        pass
    assert window.state is RunState.PAUSED and "lower the learning rate" in window.message_banner.text().lower()
    assert window.trainer.steps == steps


def test_resuming_with_a_smaller_rate_goes_on_from_the_last_finite_weights(window, qtbot):
    diverge(window, qtbot, "two-layer", 1e8)
    steps = window.trainer.steps
    window.model_panel.lr_spin.setValue(0.001)     # reaches the worker before its next step
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > steps + 20, timeout=WAIT_MS)
    assert window.state is RunState.RUNNING and not window.message_banner.isVisible()
    assert all(np.isfinite(p).all() for p in window.trainer.model.parameters)


# --- values no model can be built from --------------------------------------------------------------

@pytest.mark.parametrize("typed, kept", [("abc", ""), ("0", ""), ("-5", "5"), ("100,,", "100,"),
                                         ("64, 0", "64, "), ("12345", "1234")])
def test_hidden_sizes_accept_only_what_can_be_built(window, qtbot, typed, kept):
    choose_model(window, "mlp")
    edit = window.model_panel.hidden_edit
    edit.clear()
    qtbot.keyClicks(edit, typed)
    assert edit.text() == kept
    window.start()
    if edit.hasAcceptableInput():              # what is left is a real model: it trains
        assert window.state is RunState.RUNNING
        window.stop()
    else:                                      # unfinished text: a message, not a run
        assert window.state is RunState.READY and window.training_thread is None
        assert "hidden layer sizes" in window.message_banner.text()


def test_start_with_empty_hidden_sizes_says_what_is_missing(window, qtbot):
    choose_model(window, "two-layer")
    window.model_panel.hidden_edit.clear()
    qtbot.mouseClick(window.controls.buttons["start"], Qt.MouseButton.LeftButton)
    assert window.state is RunState.READY and window.trainer is None
    assert "Cannot start: hidden layer sizes" in window.message_banner.text()
    window.model_panel.hidden_edit.setText("32")
    window.start()                             # the message goes with the next run
    assert window.state is RunState.RUNNING and not window.message_banner.isVisible()


def test_batch_size_never_exceeds_the_training_data(window, qtbot, small_digit_folders):
    batch_spin = window.model_panel.batch_spin
    assert batch_spin.maximum() == len(window.data.y_train) == 800
    type_into(qtbot, batch_spin, "5000")
    assert 1 <= batch_spin.value() <= 800
    batch_spin.setValue(800)
    window.data_panel.validation_spin.setValue(50)       # 500 left to train on
    assert batch_spin.maximum() == 500 and batch_spin.value() == 500
    assert load_and_wait(qtbot, window, small_digit_folders[1])     # 600 train digits
    assert batch_spin.maximum() == 600
    window.start()                                        # the largest batch there is: one per epoch
    qtbot.waitUntil(lambda: window.trainer is not None, timeout=WAIT_MS)   # built in the worker
    assert window.state is RunState.RUNNING and window.trainer.batches_per_epoch == 2


@pytest.mark.parametrize("typed", ["0", "0.00001", "-1", "0.0000"])
def test_a_learning_rate_of_zero_cannot_be_entered(window, qtbot, typed):
    lr_spin = window.model_panel.lr_spin
    type_into(qtbot, lr_spin, typed)
    assert lr_spin.value() > 0
    lr_spin.setValue(0.0)                                 # code cannot set it either
    assert lr_spin.value() > 0
    window.start()
    qtbot.waitUntil(lambda: window.trainer is not None, timeout=WAIT_MS)
    assert window.trainer.learning_rate > 0


# --- folders and files that cannot be loaded --------------------------------------------------------

def write_pair(folder, images, labels, split="t10k"):
    folder.mkdir(parents=True, exist_ok=True)
    write_idx(folder / f"{split}-images-idx3-ubyte", images)
    write_idx(folder / f"{split}-labels-idx1-ubyte", labels)
    return folder


def digits(n):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def no_idx_files(folder, monkeypatch):
    folder.mkdir()
    (folder / "notes.txt").write_text("nothing to train on")
    return folder


def corrupt_idx(folder, monkeypatch):
    write_pair(folder, *digits(20))
    (folder / "t10k-images-idx3-ubyte").write_bytes(b"\x89PNG\r\n\x1a\n not an idx file")
    return folder


def truncated_gzip(folder, monkeypatch):
    write_pair(folder, *digits(20))
    images = folder / "t10k-images-idx3-ubyte"
    packed = gzip.compress(images.read_bytes())
    images.unlink()
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(packed[:len(packed) // 2])
    return folder


def unreadable_file(folder, monkeypatch):
    write_pair(folder, *digits(20))
    images = folder / "t10k-images-idx3-ubyte"
    images.chmod(0)
    if os.access(images, os.R_OK):   # root reads anything: refuse it where the engine opens it
        real_open = engine.data.open_regular

        def refusing_open(file):
            if os.fspath(file) == os.fspath(images):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file)
        monkeypatch.setattr(engine.data, "open_regular", refusing_open)
    return folder


def labels_missing(folder, monkeypatch):
    write_pair(folder, *digits(20))
    (folder / "t10k-labels-idx1-ubyte").unlink()
    return folder


def counts_differ(folder, monkeypatch):
    images, labels = digits(20)
    return write_pair(folder, images, labels[:19])


def a_file_not_a_folder(folder, monkeypatch):
    folder.write_bytes(b"")
    return folder


BAD_FOLDERS = {   # how to make it -> words the message must contain
    no_idx_files: ["no MNIST-style IDX files"],
    corrupt_idx: ["t10k-images-idx3-ubyte", "not an IDX file"],
    truncated_gzip: ["t10k-images-idx3-ubyte.gz"],
    unreadable_file: ["t10k-images-idx3-ubyte", "cannot be read"],
    labels_missing: ["t10k-images-idx3-ubyte", "labels"],
    counts_differ: ["20 images", "19"],
    a_file_not_a_folder: ["not a folder"],
}


def assert_refused(window, words, data, trainer, state):
    message = window.data_panel.message_label
    assert message.isVisible() and all(word in message.text() for word in words), message.text()
    assert window.data is data and window.trainer is trainer and window.state is state


@pytest.mark.parametrize("make_bad", BAD_FOLDERS, ids=lambda make: make.__name__)
def test_a_bad_folder_is_named_and_the_data_and_run_are_kept(window, qtbot, tmp_path, monkeypatch, make_bad):
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        window.step()                                        # a paused run of one batch
    data, trainer, thread = window.data, window.trainer, window.training_thread
    steps = len(window.history.batch_x)

    assert not load_and_wait(qtbot, window, make_bad(tmp_path / "bad", monkeypatch))

    assert_refused(window, BAD_FOLDERS[make_bad], data, trainer, RunState.PAUSED)
    assert window.training_thread is thread and thread.isRunning()
    assert len(window.history.batch_x) == steps
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        window.step()                                        # the run goes on
    assert trainer.steps == 2


@pytest.mark.parametrize("make_bad", BAD_FOLDERS, ids=lambda make: make.__name__)
def test_a_bad_folder_chosen_in_the_dialog_is_named_and_the_data_kept(window, qtbot, tmp_path, monkeypatch,
                                                                       make_bad):
    window.start()
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 0, timeout=WAIT_MS)
    window.stop()                                            # Open is enabled between runs only
    data, trainer = window.data, window.trainer
    bad = make_bad(tmp_path / "bad", monkeypatch)
    asked = []   # the window's one door to its file dialogs, answered as a user would
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(kind) or os.fspath(bad))

    with qtbot.waitSignal(window.data_loaded, timeout=WAIT_MS):   # it loads in the background
        qtbot.mouseClick(window.data_panel.open_button, Qt.MouseButton.LeftButton)

    assert asked == ["data_folder"]
    assert_refused(window, BAD_FOLDERS[make_bad], data, trainer, RunState.READY)
    assert window.loss_plot.batch_curve.xData is not None   # the stopped run's plots are still there


def test_a_cancelled_dialog_changes_nothing(window, qtbot, monkeypatch):
    data = window.data
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": "")   # Cancel
    qtbot.mouseClick(window.data_panel.open_button, Qt.MouseButton.LeftButton)
    assert window.data is data and window.state is RunState.READY
    assert not window.data_panel.message_label.isVisible()
