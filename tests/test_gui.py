"""The window on real MNIST, driven as a user would: offscreen, through pytest-qt.

Thin on purpose: the rules behind what is checked here are tested without Qt in test_gui_logic.py.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QObject, Qt, Slot  # noqa: E402

from engine import MODEL_KINDS, ModelConfig, TrainConfig, build_trainer  # noqa: E402
from trainer_gui.app import open_window  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_control import RunControl  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402
from trainer_gui.training_data import prepare_training_data  # noqa: E402
from trainer_gui.training.worker import TrainingWorker, start_in_thread  # noqa: E402

WAIT_MS = 30_000   # generous: CI machines are slow and shared; nothing here asserts a speed


@pytest.fixture
def window(qtbot, shared_data):
    """The main window at a laptop size with the real MNIST test split loaded."""
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    assert load_and_wait(qtbot, main, shared_data / "mnist")
    yield main
    main.close()


def click(qtbot, window, name):
    button = window.findChild(QObject, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_model(window, kind):
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData(kind))
    assert combo.currentText() == MODEL_KINDS[kind]
    if kind == "mlp":
        window.findChild(QObject, "hiddenEdit").setText("64,32")
    window.findChild(QObject, "epochsSpin").setValue(1000)   # long enough never to finish mid-test


def test_real_test_split_is_split_and_shown(window):
    assert window.data.counts() == {"train": 8000, "validation": 2000}
    assert window.findChild(QObject, "validationSpin").isEnabled()
    samples = window.data_panel.samples.image.image
    assert samples is not None and np.nanmax(samples) > 0.9     # real white strokes on black
    assert "8,000" in window.data_panel.counts_label.text()
    assert window.state is RunState.READY


def test_validation_control_resplits(window, qtbot):
    window.findChild(QObject, "validationSpin").setValue(10)
    assert window.data.counts() == {"train": 9000, "validation": 1000}


def test_bad_folder_is_reported_and_the_data_kept(window, qtbot, tmp_path):
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(b"not an idx file at all")
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x00")
    before = window.data
    assert not load_and_wait(qtbot, window, tmp_path)
    message = window.data_panel.message_label
    assert message.isVisible() and "t10k-images-idx3-ubyte" in message.text()
    assert window.data is before and window.state is RunState.READY


@pytest.mark.parametrize("kind", list(MODEL_KINDS))
def test_each_model_trains_pauses_steps_stops_and_resets(window, qtbot, kind):
    choose_model(window, kind)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.history is not None and len(window.history.batch_x) > 50
                    and len(window.history.eval_x) >= 2, timeout=WAIT_MS)

    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "pauseButton")
    trainer = window.trainer
    seen = trainer.samples_seen
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepButton")
    assert trainer.samples_seen == seen + trainer.batch_size

    epoch = trainer.epoch
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepEpochButton")
    assert trainer.epoch == epoch + 1 and trainer.batch == 0

    # run_paused arrives after every report of the worker; draw them without waiting for the timer
    window.redraw_now()
    # the batch losses drawn: every step while they fit two to a pixel, else each run of steps'
    # lowest and highest; the newest step last
    batch_curve, losses = window.loss_plot.batch_curve, window.session.run.curves.batch_loss.values
    assert len(losses) == trainer.steps and np.isfinite(batch_curve.yData).all()
    assert len(batch_curve.xData) == trainer.steps or len(batch_curve.xData) <= 2 * window.loss_plot.width()
    assert batch_curve.yData.min() == losses.min() and batch_curve.yData.max() == losses.max()
    assert batch_curve.xData[-1] == pytest.approx(trainer.steps / trainer.batches_per_epoch)
    assert window.mistakes_view.shown_count() > 0
    assert len(window.loss_plot.eval_curve.xData) == trainer.epoch + 1   # epoch 0 and each end
    assert len(window.error_plot.train_curve.xData) == trainer.epoch
    weights = window.weights_view.tiles.image.image
    assert weights is not None and np.nanmax(np.abs(weights)) > 0
    assert window.confusion_view.confusion.sum() == 2000
    assert window.findChild(QObject, "pauseButton").text() == "Resume"

    click(qtbot, window, "stopButton")
    assert window.training_thread is None and window.state is RunState.READY
    assert window.trainer is trainer                                # kept to look at
    click(qtbot, window, "resetButton")
    assert window.trainer is None
    assert window.loss_plot.batch_curve.xData is None and window.mistakes_view.shown_count() == 0


def test_step_before_start_begins_a_paused_run(window, qtbot):
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepButton")
    assert window.state is RunState.PAUSED
    assert window.trainer.samples_seen == window.trainer.batch_size


def test_keyboard_space_pauses_and_right_steps(window, qtbot):
    choose_model(window, "softmax")
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.state is RunState.PAUSED
    seen = window.trainer.samples_seen
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.trainer.samples_seen == seen + window.trainer.batch_size
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.state is RunState.RUNNING


def test_learning_rate_changes_while_training(window, qtbot):
    choose_model(window, "two-layer")
    click(qtbot, window, "startButton")
    lr_spin = window.findChild(QObject, "lrSpin")
    assert lr_spin.isEnabled() and not window.findChild(QObject, "batchSpin").isEnabled()
    lr_spin.setValue(0.05)
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.learning_rate == pytest.approx(0.05), timeout=WAIT_MS)


def test_inapplicable_controls_are_disabled(window):
    combo = window.findChild(QObject, "modelCombo")
    enabled = {}
    for kind in MODEL_KINDS:
        combo.setCurrentIndex(combo.findData(kind))
        enabled[kind] = {name: window.findChild(QObject, name).isEnabled()
                         for name in ("hiddenEdit", "activationCombo", "lossCombo", "biasCheck")}
    assert not any(enabled["softmax"].values()) and not any(enabled["linear"].values())
    assert enabled["two-layer"] == {"hiddenEdit": True, "activationCombo": False, "lossCombo": False,
                                    "biasCheck": False}
    assert all(enabled["mlp"].values())


@pytest.mark.parametrize("typed, kept", [("abc", ""), ("0", ""), ("-5", "5"), ("100,,", "100,")])
def test_invalid_hidden_sizes_cannot_be_typed(window, qtbot, typed, kept):
    choose_model(window, "mlp")
    edit = window.findChild(QObject, "hiddenEdit")
    edit.clear()
    qtbot.keyClicks(edit, typed)
    assert edit.text() == kept


def test_unfinished_hidden_sizes_give_a_message_not_a_run(window, qtbot):
    choose_model(window, "mlp")
    edit = window.findChild(QObject, "hiddenEdit")
    edit.clear()
    qtbot.keyClicks(edit, "64,")
    click(qtbot, window, "startButton")
    assert window.trainer is None and window.state is RunState.READY
    assert window.message_banner.isVisible() and "hidden layer sizes" in window.message_banner.text()


def test_divergence_pauses_the_run_with_advice(window, qtbot):
    choose_model(window, "linear")
    window.findChild(QObject, "lrSpin").setValue(10.0)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.message_banner.isVisible(), timeout=WAIT_MS)
    assert "lower the learning rate" in window.message_banner.text().lower()
    assert np.isfinite(window.trainer.model.weights[0]).all()   # the refused step left no trace
    assert window.state is RunState.PAUSED


def test_closing_mid_training_joins_the_worker_thread(qtbot, shared_data):
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert load_and_wait(qtbot, main, shared_data / "mnist")
    choose_model(main, "two-layer")
    main.start()
    qtbot.waitUntil(lambda: main.trainer is not None and main.trainer.steps > 10, timeout=WAIT_MS)
    thread = main.training_thread
    assert thread.isRunning()
    main.close()
    assert thread.isFinished() and main.training_thread is None


class _ThreadRecorder(QObject):
    """Notes the thread every worker signal is emitted from (direct) and delivered in (queued)."""

    def __init__(self):
        super().__init__()
        self.emitted_in, self.delivered_in = set(), set()

    def record_emission(self, *_):
        self.emitted_in.add(threading.get_ident())

    @Slot(object)
    def record_delivery(self, *_):
        self.delivered_in.add(threading.get_ident())


def test_worker_signals_are_emitted_from_the_worker_thread(qtbot, shared_data):
    """PySide6 6.12.0 on Python 3.11 aborts the process on exactly this; here it would fail CI."""
    data = prepare_training_data(__import__("engine").load_folder(shared_data / "mnist"))
    trainer = build_trainer(ModelConfig(kind="softmax"), TrainConfig(), data.X_train, data.y_train)
    control = RunControl(epochs=1000)
    worker = TrainingWorker(lambda: trainer, control, data.X_eval, data.y_eval)
    recorder = _ThreadRecorder()
    worker.progressed.connect(recorder.record_emission, Qt.ConnectionType.DirectConnection)
    worker.progressed.connect(recorder.record_delivery)
    thread = start_in_thread(worker)
    try:
        qtbot.waitUntil(lambda: len(recorder.delivered_in) > 0 and trainer.steps > 100, timeout=WAIT_MS)
    finally:
        control.stop()
        thread.quit()
        thread.wait()
    main_thread = threading.get_ident()
    assert recorder.emitted_in and main_thread not in recorder.emitted_in
    assert recorder.delivered_in == {main_thread}


def test_window_opened_on_a_bad_folder_says_why(qtbot, tmp_path):
    window = open_window(tmp_path)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)   # it loads in the background
    assert window.isVisible() and window.data is None
    assert "no MNIST-style IDX files" in window.data_panel.message_label.text()


def test_window_opens_on_the_dataset_it_is_given(qtbot, shared_data):
    window = open_window(shared_data)        # a folder of dataset folders: the first one is opened
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)
    assert window.data is not None and window.state is RunState.READY


def test_python_m_trainer_gui_is_the_command_line():
    result = subprocess.run([sys.executable, "-m", "trainer_gui", "--help"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0 and "--data" in result.stdout and "train" in result.stdout


def test_wide_layers_are_paged(window, qtbot):
    choose_model(window, "mlp")
    window.findChild(QObject, "hiddenEdit").setText("256,128")
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        click(qtbot, window, "stepButton")
    window.redraw_now()
    view = window.weights_view
    assert view.page_label.text() == "1–100 of 256"
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.page_label.text() == "201–256 of 256" and not view.next_button.isEnabled()


def test_a_pause_brings_the_weights_even_right_after_a_report_without_them(qtbot, shared_data, monkeypatch):
    """With no time to spare for copies, the worker's timed reports carry no weights; the report a
    pause forces must still bring them (a copy-less report at the same step must not count as sent),
    or the window would show an older moment than the one it paused at."""
    import trainer_gui.training.worker as worker_module
    monkeypatch.setattr(worker_module, "COPY_SHARE", 0.0)
    monkeypatch.setattr(worker_module, "COPY_ALLOWANCE", 0.0)
    monkeypatch.setattr(worker_module, "PUBLISH_INTERVAL", 1e-9)    # a timed report after every step
    data = prepare_training_data(__import__("engine").load_folder(shared_data / "mnist"))
    trainer = build_trainer(ModelConfig(kind="softmax"), TrainConfig(batch_size=10), data.X_train, data.y_train)
    control = RunControl(epochs=1000)
    worker = TrainingWorker(lambda: trainer, control, data.X_eval, data.y_eval)
    reports, paused = [], []
    worker.progressed.connect(reports.append, Qt.ConnectionType.DirectConnection)
    worker.paused.connect(lambda: paused.append(trainer.steps), Qt.ConnectionType.DirectConnection)
    thread = start_in_thread(worker)
    try:
        qtbot.waitUntil(lambda: trainer.steps > 30, timeout=WAIT_MS)
        control.pause()
        qtbot.waitUntil(lambda: bool(paused), timeout=WAIT_MS)
        assert trainer.steps % trainer.batches_per_epoch != 0      # mid-epoch: no epoch end forced a copy
        assert any(r.snapshot is None for r in reports)              # timed reports went without weights
        last = [r.snapshot for r in reports if r.snapshot is not None][-1]
        assert last.steps == paused[0]                               # the pause's report brought them
        np.testing.assert_array_equal(last.weights[0], trainer.model.weights[0])
    finally:
        control.stop()
        thread.quit()
        thread.wait()
