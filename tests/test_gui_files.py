"""The window's File and Dataset menus on real MNIST: save, open and continue a model, exports, and
downloads from a local HTTP server on 127.0.0.1; offscreen, through pytest-qt.

Every file dialog goes through MainWindow._ask_path, which these tests replace; every failure is
read from the window's message banner. The rules behind the views are tested in test_gui_logic.py,
the engine's saving and downloading in test_persist.py and test_datasets_download.py.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import csv  # noqa: E402
import hashlib  # noqa: E402
import http.server  # noqa: E402
import threading  # noqa: E402
from xml.etree import ElementTree  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import answer_dialogs, load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QObject, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

import engine.datasets as datasets  # noqa: E402
from engine import ModelConfig, TrainConfig, build_trainer, load_run, save_run  # noqa: E402
from engine.datasets import KnownDataset  # noqa: E402
from trainer_gui.download_dialog import DownloadDialog  # noqa: E402
from trainer_gui.file_actions import PNG_EXPORTS  # noqa: E402
from trainer_gui.training.guarded_trainer import GuardedTrainer  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.metrics_csv import COLUMNS  # noqa: E402
from trainer_gui.training.opened_run import describes_same_model  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402
from trainer_gui.transfer import (MIRROR_ENV, TransferMeter, describe_transfer, format_bytes,  # noqa: E402
                                  mirrors_from_environment)

WAIT_MS = 30_000
MNIST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")   # what ../shared/data/mnist has
HIDDEN = 32     # a small two-layer network: an epoch of 8,000 digits takes a blink


@pytest.fixture(autouse=True)
def no_datasets_elsewhere(tmp_path, monkeypatch):
    """The user cache is an empty folder of this test, and no environment variable names data."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(datasets, "cache_root", lambda: cache)
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    return cache


@pytest.fixture
def window(qtbot, shared_data):
    """The main window at a laptop size with the real MNIST test split loaded (8,000 train, 2,000
    validation) and a small two-layer network chosen."""
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    assert load_and_wait(qtbot, main, shared_data / "mnist")
    panel = main.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("two-layer"))
    panel.hidden_edit.setText(str(HIDDEN))
    panel.epochs_spin.setValue(3)
    yield main
    main.close()


def click(qtbot, window, name):
    button = window.findChild(QObject, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def step(qtbot, window, button="stepButton"):
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, button)


def reference_trainer(window, steps):
    """The same model trained without the window, `steps` batches from the start."""
    data = window.data
    model_config = ModelConfig(kind="two-layer", hidden=(HIDDEN,))
    train_config = TrainConfig(epochs=window.model_panel.epochs_spin.value())
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval,
                            n_outputs=data.n_classes)
    for _ in range(steps):
        trainer.step()
    return trainer


# --- save, open, continue -------------------------------------------------------------------------

def test_save_open_and_continue_training(window, qtbot, monkeypatch, tmp_path):
    step(qtbot, window, "stepEpochButton")
    step(qtbot, window)                      # mid-epoch: the file must hold where in the epoch it is
    saved_weights = [w.copy() for w in window.trainer.model.weights]
    seen, steps = window.trainer.samples_seen, window.trainer.steps
    assert (seen, steps) == (8100, 81)
    asked = answer_dialogs(window, monkeypatch, tmp_path / "run")   # no suffix typed: .npz is added
    window.menus.save_model.trigger()
    assert asked == ["save_model"] and (tmp_path / "run.npz").is_file()
    assert load_run(tmp_path / "run.npz").extra == {"data": str(window.data.dataset.path), "validation": 0.2}

    click(qtbot, window, "stopButton")
    click(qtbot, window, "resetButton")
    window.model_panel.model_combo.setCurrentIndex(window.model_panel.model_combo.findData("softmax"))
    window.model_panel.epochs_spin.setValue(7)
    answer_dialogs(window, monkeypatch, tmp_path / "run.npz")
    window.menus.open_model.trigger()

    # the saved run, as it was: weights, counters, settings, curves and evaluation
    assert not window.message_banner.isVisible()
    assert window.state is RunState.READY
    for restored, saved in zip(window.trainer.model.weights, saved_weights):
        np.testing.assert_array_equal(restored, saved)
    assert (window.trainer.samples_seen, window.trainer.steps) == (seen, steps)
    panel = window.model_panel
    assert panel.kind == "two-layer" and panel.hidden_edit.text() == str(HIDDEN)
    assert panel.epochs_spin.value() == 3
    assert window.loss_plot.train_curve.xData.tolist() == [1.0]     # the saved epoch's point
    assert window.error_plot.train_curve.xData.tolist() == [1.0]
    # evaluated off the GUI thread: the confusion matrix arrives a moment later, of the saved weights
    qtbot.waitUntil(lambda: window.redraw_now() or window.confusion_view.confusion is not None, timeout=WAIT_MS)
    assert window.confusion_view.confusion.sum() == 2000 and window.confusion_view.shown_step == steps
    assert window.mistakes_view.shown_count() > 0
    assert window.weights_view.tiles.image.image is not None
    assert "epoch 2 of 3" in window.status_label.text()

    # Step continues where it stopped, exactly as a run that was never saved
    step(qtbot, window)
    assert (window.trainer.samples_seen, window.trainer.steps) == (seen + 100, steps + 1)
    for continued, expected in zip(window.trainer.model.weights, reference_trainer(window, steps + 1).model.weights):
        np.testing.assert_allclose(continued, expected, rtol=1e-6, atol=1e-7)
    window.redraw_now()
    assert window.loss_plot.train_curve.xData.tolist() == [1.0]
    assert len(window.loss_plot.batch_curve.xData) == 1               # the new batch, after the saved epoch
    assert window.loss_plot.batch_curve.xData[0] == pytest.approx(1 + 2 / 80)


def test_start_continues_an_opened_model_for_more_epochs(window, qtbot, tmp_path):
    window.model_panel.epochs_spin.setValue(1)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    assert window.file_actions.save_model(tmp_path / "one-epoch.npz")
    click(qtbot, window, "resetButton")

    assert window.file_actions.open_model(tmp_path / "one-epoch.npz")
    window.model_panel.epochs_spin.setValue(2)         # the training settings may change; the model not
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    assert window.trainer.epoch == 2 and window.trainer.samples_seen == 16000
    window.redraw_now()
    assert window.error_plot.train_curve.xData.tolist() == [1.0, 2.0]


def test_saving_during_training_takes_the_state_between_two_steps(window, qtbot, monkeypatch, tmp_path):
    window.model_panel.epochs_spin.setValue(1000)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 100, timeout=WAIT_MS)
    assert window.menus.save_model.isEnabled() and not window.menus.open_model.isEnabled()
    answer_dialogs(window, monkeypatch, tmp_path / "running.npz")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)   # File ▸ Save model…
    assert window.state is RunState.RUNNING
    steps_after_save = window.trainer.steps
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > steps_after_save + 10, timeout=WAIT_MS)   # still training

    saved = load_run(tmp_path / "running.npz")
    state = saved.state
    assert state["steps"] == 80 * state["epoch"] + state["batch"] == state["optimizer_steps"]
    assert state["samples_seen"] == 100 * state["steps"] and len(saved.history) == state["epoch"]
    # the weights are those of exactly that many steps: not a mix of two steps
    expected = reference_trainer(window, state["steps"])
    for array, reference in zip(saved.weights, expected.model.weights):
        np.testing.assert_allclose(array, reference, rtol=1e-6, atol=1e-7)


def test_save_with_nothing_to_save_says_so(window, monkeypatch, tmp_path):
    asked = answer_dialogs(window, monkeypatch, tmp_path / "nothing.npz")
    assert not window.menus.save_model.isEnabled()
    assert not window.file_actions.save_model()
    assert asked == [] and "Nothing to save" in window.message_banner.text()


def test_open_model_without_data_opens_the_folder_it_was_trained_on(window, qtbot, tmp_path):
    step(qtbot, window)
    assert window.file_actions.save_model(tmp_path / "model.npz")
    fresh = MainWindow()
    qtbot.addWidget(fresh)
    fresh.show()
    assert fresh.file_actions.open_model(tmp_path / "model.npz")
    qtbot.waitUntil(lambda: fresh.trainer is not None, timeout=WAIT_MS)   # the data loads in the background
    assert fresh.data.dataset.path == window.data.dataset.path and fresh.trainer.steps == 1
    fresh.close()


def _model_for_16_pixels(path):
    X = np.random.default_rng(0).random((20, 16), dtype=np.float32)
    trainer = build_trainer(ModelConfig(kind="softmax"), TrainConfig(batch_size=10), X, np.arange(20) % 10)
    trainer.step()
    save_run(path, trainer, ModelConfig(kind="softmax"), TrainConfig(batch_size=10))


@pytest.mark.parametrize("make, expected", [
    (lambda path: path.write_bytes(b"PK\x03\x04 not really a zip"), "Could not open the model: broken.npz"),
    (lambda path: path.write_bytes(b""), "Could not open the model: broken.npz"),
    (_model_for_16_pixels, "reads images of 16 pixels"),
])
def test_a_bad_model_file_is_reported_and_the_session_kept(window, qtbot, monkeypatch, tmp_path, make, expected):
    step(qtbot, window)
    click(qtbot, window, "stopButton")
    trainer, weights = window.trainer, window.trainer.model.weights[0].copy()
    make(tmp_path / "broken.npz")
    answer_dialogs(window, monkeypatch, tmp_path / "broken.npz")
    window.menus.open_model.trigger()
    assert window.message_banner.isVisible() and expected in window.message_banner.text()
    assert window.trainer is trainer and window.state is RunState.READY
    np.testing.assert_array_equal(window.trainer.model.weights[0], weights)
    assert window.model_panel.hidden_edit.text() == str(HIDDEN)


def test_a_text_image_or_array_file_opened_as_a_model_is_said_not_to_be_one(window, monkeypatch,
                                                                           files_that_are_not_models):
    """Found: opening a text file as a model advised loading it "unsafely using allow_pickle="."""
    for path in files_that_are_not_models:
        answer_dialogs(window, monkeypatch, path)
        window.menus.open_model.trigger()
        text = window.message_banner.text()
        assert text.startswith(f"Could not open the model: {path.name}: not a saved model"), text
        assert "pickle" not in text.lower() and window.trainer is None


# --- exports --------------------------------------------------------------------------------------

def test_exports_write_pngs_of_the_views_and_a_csv_row_per_epoch(window, qtbot, monkeypatch, tmp_path):
    step(qtbot, window, "stepEpochButton")
    step(qtbot, window, "stepEpochButton")
    for name, action in window.menus.exports.items():
        suffix = ".csv" if name == "metrics" else ".png"
        answer_dialogs(window, monkeypatch, tmp_path / f"{name}{suffix}")
        action.trigger()
        assert not window.message_banner.isVisible(), window.message_banner.text()
    views = {name: widget_of(window) for name, (_, _, widget_of) in PNG_EXPORTS.items()}
    for name in ("loss", "error", "confusion", "weights", "mistakes"):
        path = tmp_path / f"{name}.png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = QImage(str(path))
        # twice the pixels of the view on screen: sharp on a slide
        assert (image.width(), image.height()) == (2 * views[name].width(), 2 * views[name].height()), name
        assert path.stat().st_size > 5_000        # drawn content, not a blank rectangle
    # SVG when the name says so: the plot's words are text, its curves paths
    answer_dialogs(window, monkeypatch, tmp_path / "loss.svg")
    window.menus.exports["loss"].trigger()
    svg = ElementTree.parse(tmp_path / "loss.svg").getroot()
    assert svg.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in svg.iter() if t.tag.endswith("text"))
    assert "epoch" in texts and "loss" in texts
    assert len([e for e in svg.iter() if e.tag.endswith("path") or e.tag.endswith("polyline")]) > 3
    with open(tmp_path / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(COLUMNS)
    assert [int(r["epoch"]) for r in rows] == [1, 2]
    assert [int(r["samples_seen"]) for r in rows] == [8000, 16000]
    history = window.trainer.history
    assert [float(r["test_error"]) for r in rows] == [record.test_error for record in history]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


@pytest.mark.parametrize("where", ["a file in the way", "missing folder"])
def test_an_export_that_cannot_be_written_is_reported(window, qtbot, tmp_path, where):
    """A folder that cannot hold the export: one that does not exist, or a path whose "folder" is
    a regular file (refused even to root, unlike a read-only folder)."""
    step(qtbot, window)
    folder = tmp_path / "out"
    if where == "a file in the way":
        folder.write_text("not a folder")
    trainer = window.trainer
    assert not window.file_actions.export_view("loss", folder / "loss.png")
    assert "Could not export the loss plot" in window.message_banner.text()
    assert not window.file_actions.export_metrics(folder / "metrics.csv")
    assert "Could not export the metrics" in window.message_banner.text()
    assert window.trainer is trainer and window.state is RunState.PAUSED
    if where == "a file in the way":
        assert folder.read_text() == "not a folder"
    else:
        assert not folder.exists()


# --- downloads ------------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    """/ok/FILE serves the file, /missing/FILE is a 404, and /slow/FILE sends 100 kB, then waits
    for `release` before the rest."""
    files: dict = {}
    release: threading.Event = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        body = self.files.get(name)
        if mode == "missing" or body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if mode == "slow":
                self.wfile.write(body[:100_000])
                self.wfile.flush()
                self.release.wait(10)
                body = body[100_000:]
            self.wfile.write(body)
        except OSError:   # the client gave up
            pass


@pytest.fixture
def server(shared_data, monkeypatch):
    """A local HTTP server with the real MNIST test files, and KNOWN['mnist'] made of just those two
    files with their MD5s computed here. server.url(mode) is a mirror address."""
    for proxy in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    files = {name: (shared_data / "mnist" / name).read_bytes() for name in MNIST_FILES}
    handler = type("TestHandler", (Handler,), {"files": files, "release": threading.Event()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    httpd.url = lambda mode: f"http://{host}:{port}/{mode}/"
    httpd.files, httpd.release = files, handler.release
    md5 = {name: hashlib.md5(data).hexdigest() for name, data in files.items()}
    monkeypatch.setitem(datasets.KNOWN, "mnist", KnownDataset("mnist", "MNIST (handwritten digits)",
                                                              ("http://127.0.0.1:9/unused/",), md5))
    yield httpd
    handler.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def progress_calls(monkeypatch):
    """Every progress report the download dialog receives: (file name, bytes done, bytes total)."""
    calls = []
    original = DownloadDialog._on_progressed

    def record(self, file_name, done, total):
        calls.append((file_name, done, total))
        original(self, file_name, done, total)

    monkeypatch.setattr(DownloadDialog, "_on_progressed", record)
    return calls


def start_download(window):
    window.menus.refresh_datasets()     # as opening the Dataset menu does
    window.menus.dataset_actions()["Download MNIST (handwritten digits)…"].trigger()
    dialog = window.file_actions.download_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_download_shows_progress_and_opens_the_dataset(qtbot, server, progress_calls, no_datasets_elsewhere,
                                                       monkeypatch):
    monkeypatch.setenv(MIRROR_ENV, server.url("ok"))
    window = MainWindow()       # a first start: nothing found, nothing loaded
    qtbot.addWidget(window)
    window.show()
    window.menus.refresh_datasets()
    assert "No datasets found" in window.menus.dataset_actions()
    dialog = start_download(window)
    with qtbot.waitSignal(dialog.downloaded, timeout=WAIT_MS) as blocker:
        pass
    folder = no_datasets_elsewhere / "mnist"
    assert blocker.args == [str(folder)]
    for name, data in server.files.items():
        assert hashlib.md5((folder / name).read_bytes()).hexdigest() == hashlib.md5(data).hexdigest()
    images = [(done, total) for name, done, total in progress_calls if name == MNIST_FILES[0]]
    assert len(images) > 1 and images[-1] == (len(server.files[MNIST_FILES[0]]),) * 2
    assert [done for done, _ in images] == sorted(done for done, _ in images)
    assert dialog.progress_bar.value() == 1000 and " of " in dialog.transfer_label.text()

    qtbot.waitUntil(lambda: window.data is not None, timeout=WAIT_MS)
    assert window.data.dataset.path == folder and window.data.counts() == {"train": 8000, "validation": 2000}
    assert window.file_actions.download_dialog is None and not window.message_banner.isVisible()
    window.menus.refresh_datasets()
    items = window.menus.dataset_actions()
    assert not any(text.startswith("Download MNIST") for text in items)
    assert [action.isChecked() for text, action in items.items() if text.startswith("MNIST")] == [True]
    window.close()


def test_a_cancelled_download_keeps_no_file_and_the_session(window, qtbot, server, progress_calls,
                                                            no_datasets_elsewhere, monkeypatch):
    monkeypatch.setenv(MIRROR_ENV, server.url("slow"))
    step(qtbot, window)
    click(qtbot, window, "stopButton")              # a run on screen, which the cancel must not touch
    data, trainer = window.data, window.trainer
    dialog = start_download(window)
    qtbot.waitUntil(lambda: len(progress_calls) > 0, timeout=WAIT_MS)
    assert MNIST_FILES[0] in dialog.file_label.text() and "file 1 of 2" in dialog.file_label.text()
    with qtbot.waitSignal(dialog.cancelled, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        server.release.set()                         # the next chunk arrives, and the cancel is seen
    folder = no_datasets_elsewhere / "mnist"
    assert not (folder / MNIST_FILES[0]).exists() and list(folder.glob("*.part")) == []
    assert "cancelled" in window.message_banner.text()
    assert window.data is data and window.trainer is trainer and window.state is RunState.READY


def test_a_failed_download_says_why_and_keeps_the_data(window, qtbot, server, monkeypatch):
    monkeypatch.setenv(MIRROR_ENV, server.url("missing"))
    data = window.data
    dialog = start_download(window)
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS):
        pass
    text = window.message_banner.text()
    assert "Could not download MNIST" in text and "Not Found" in text and MNIST_FILES[0] in text
    assert window.data is data


# --- the rules behind them, without Qt ---------------------------------------------------------------

def test_transfer_descriptions():
    assert format_bytes(950) == "950 B" and format_bytes(4_542) == "4.5 kB"
    assert format_bytes(9_912_422) == "9.9 MB"
    assert describe_transfer(1_200_000, 1_648_877, 850_000) == "1.2 MB of 1.6 MB   ·   850.0 kB/s"
    assert describe_transfer(4_000, 0, float("nan")) == "4.0 kB   ·   — /s"


def test_transfer_meter_adds_up_the_files():
    clock = iter([0.0, 2.0])      # started at 0 s, asked at 2 s
    meter = TransferMeter(now=lambda: next(clock))
    meter.update("a", 500)
    meter.update("a", 1000)
    meter.update("b", 1000)
    assert meter.received == 2000 and meter.bytes_per_second() == 1000.0


def test_mirrors_come_from_the_environment():
    assert mirrors_from_environment({}) is None
    assert mirrors_from_environment({MIRROR_ENV: "http://a/, http://b/"}) == ["http://a/", "http://b/"]


def test_same_model_compares_only_the_fields_the_kind_reads():
    assert describes_same_model(ModelConfig(kind="softmax", hidden=(50,)), ModelConfig(kind="softmax"))
    assert not describes_same_model(ModelConfig(kind="two-layer", hidden=(50,)), ModelConfig(kind="two-layer"))
    assert not describes_same_model(ModelConfig(kind="mlp"), ModelConfig(kind="two-layer"))


def test_a_guarded_trainer_steps_only_outside_a_consistent_read():
    X = np.random.default_rng(0).random((40, 16), dtype=np.float32)
    guarded = GuardedTrainer(build_trainer(ModelConfig(kind="softmax"), TrainConfig(batch_size=10), X,
                                           np.arange(40) % 10))
    stepped = threading.Event()
    worker = threading.Thread(target=lambda: (guarded.step(), stepped.set()))
    with guarded.consistent() as trainer:
        worker.start()
        assert not stepped.wait(0.2) and trainer.steps == 0    # the step waits for the read to end
    worker.join(5)
    assert stepped.is_set() and guarded.steps == 1
    guarded.learning_rate = 0.05                              # writes go through to the trainer
    assert guarded.optimizer.learning_rate == 0.05


def test_a_name_typed_without_suffix_takes_the_file_type_chosen_in_the_dialog(window, qtbot, monkeypatch,
                                                                              tmp_path):
    """Found in review: choosing "SVG drawings" and typing `loss` wrote a PNG."""
    from PySide6.QtWidgets import QFileDialog

    step(qtbot, window)
    answers = iter([(str(tmp_path / "loss"), "SVG drawings (*.svg)"),
                    (str(tmp_path / "error"), "PNG images, twice the screen's pixels (*.png)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: next(answers)))
    window.menus.exports["loss"].trigger()
    window.menus.exports["error"].trigger()
    assert ElementTree.parse(tmp_path / "loss.svg").getroot().tag.endswith("svg")
    assert (tmp_path / "error.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["error.png", "loss.svg"]
