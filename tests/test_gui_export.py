"""File ▸ Export model ▸ ONNX… / PyTorch (safetensors)… in the window, offscreen through pytest-qt:
the menu items are clicked with the file dialog answered (MainWindow._ask_path replaced, as in
test_gui_files.py); the files written are run in onnxruntime and in PyTorch and compared with the
model on screen. The exporters themselves are tested in test_export.py.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import re  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import answer_dialogs, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402

from engine import build_trainer, softmax  # noqa: E402
from engine.export import EXTRA  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


def train_an_epoch(qtbot, window):
    button = widget(window, "stepEpochButton")
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def trained(small_window, qtbot):
    """A window whose MLP (16 hidden ReLU units, biases) has trained one epoch, paused."""
    window = small_window(kind="mlp", hidden=16, epochs=3)
    train_an_epoch(qtbot, window)
    assert window.state is RunState.PAUSED and window.trainer.model.biases
    return window


def digits(window, rows=25):
    return window.data.X_eval[:rows]


def test_the_export_model_items_wait_for_a_model(small_window, tmp_path):
    window = small_window(kind="mlp", hidden=16)
    menu = window.menus.export_model_menu
    assert [a.text() for a in menu.actions()] == ["ONNX…", "PyTorch (safetensors)…"]
    assert not menu.isEnabled() and not any(a.isEnabled() for a in window.menus.model_exports.values())
    assert not window.file_actions.export_model("onnx", tmp_path / "m.onnx")
    assert window.message_banner.text() == "Nothing to export yet: train a model or open one first."
    assert list(tmp_path.iterdir()) == []


def test_exporting_onnx_from_the_menu_writes_the_model_on_screen(trained, monkeypatch, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    window = trained
    asked = answer_dialogs(window, monkeypatch, tmp_path / "digits")      # no suffix typed: .onnx added
    action = window.menus.model_exports["onnx"]
    assert window.menus.export_model_menu.isEnabled() and action.isEnabled()
    action.trigger()
    assert asked == ["onnx"] and not window.message_banner.isVisible(), window.message_banner.text()
    path = tmp_path / "digits.onnx"
    assert str(path) in window.statusBar().currentMessage()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    X = digits(window)
    [theirs] = session.run(None, {"pixels": X})
    ours = softmax(window.trainer.model.forward(X))
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-7)
    assert window.state is RunState.PAUSED


def test_exporting_safetensors_shows_the_pytorch_code_that_loads_it(trained, qtbot, monkeypatch, tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("safetensors")
    window = trained
    answer_dialogs(window, monkeypatch, tmp_path / "digits.safetensors")
    window.menus.model_exports["safetensors"].trigger()
    assert not window.message_banner.isVisible(), window.message_banner.text()
    dialog = widget(window, "codeDialog")
    qtbot.waitUntil(dialog.isVisible)
    code_file = tmp_path / "digits.py"
    shown = widget(dialog, "codeText")
    assert shown.toPlainText() == code_file.read_text()
    assert shown.isReadOnly() and shown.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert str(tmp_path / "digits.safetensors") in dialog.intro.text()
    qtbot.mouseClick(widget(dialog, "copyCodeButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == code_file.read_text()
    monkeypatch.chdir(tmp_path)             # the code loads the tensors by their file name
    namespace = {}
    exec(shown.toPlainText(), namespace)
    X = digits(window)
    with torch.no_grad():
        theirs = namespace["model"](torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(theirs, window.trainer.model.forward(X), rtol=1e-5, atol=1e-6)
    dialog.close()


def test_a_missing_package_is_one_message_and_the_run_stays(trained, monkeypatch, tmp_path):
    window = trained
    trainer = window.trainer
    monkeypatch.setitem(sys.modules, "onnx", None)          # as if the export extra were not installed
    answer_dialogs(window, monkeypatch, tmp_path / "m.onnx")
    window.menus.model_exports["onnx"].trigger()
    assert window.message_banner.text() == ("Could not export the model: exporting to ONNX needs the onnx "
                                            f"package, which is not installed: {EXTRA}")
    assert window.trainer is trainer and window.state is RunState.PAUSED and list(tmp_path.iterdir()) == []
    assert widget(window, "stepButton").isEnabled()


def test_an_unwritable_path_or_a_cancelled_dialog_leaves_everything_as_it_was(trained, monkeypatch, tmp_path):
    window = trained
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    answer_dialogs(window, monkeypatch, blocker / "m.safetensors")
    window.menus.model_exports["safetensors"].trigger()
    text = window.message_banner.text()
    assert text == f"Could not export the model to {blocker / 'm.safetensors'}: Not a directory", text
    window.message_banner.setVisible(False)
    asked = answer_dialogs(window, monkeypatch, "")                       # Cancel
    window.menus.model_exports["onnx"].trigger()
    assert asked == ["onnx"] and not window.message_banner.isVisible()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"] and blocker.read_text() == "keep me"
    assert window.file_actions.code_dialog is None and window.state is RunState.PAUSED


def test_exporting_during_training_takes_the_weights_between_two_steps(small_window, qtbot, monkeypatch,
                                                                        tmp_path):
    """The weights written are those of exactly the step the status bar names (not a mix of two),
    and the run goes on."""
    numpy_api = pytest.importorskip("safetensors.numpy")
    window = small_window(kind="mlp", hidden=16, epochs=1000)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.steps > 20, timeout=WAIT_MS)
    answer_dialogs(window, monkeypatch, tmp_path / "running.safetensors")
    window.menus.model_exports["safetensors"].trigger()
    assert window.state is RunState.RUNNING and not window.message_banner.isVisible()
    steps = int(re.search(r"after ([\d,]+) steps", window.statusBar().currentMessage()).group(1).replace(",", ""))
    qtbot.waitUntil(lambda: window.trainer.steps > steps + 5, timeout=WAIT_MS)      # still training
    data = window.data
    reference = build_trainer(*window.run_configs, data.X_train, data.y_train, data.X_eval, data.y_eval,
                              n_outputs=data.n_classes)
    for _ in range(steps):
        reference.step()
    tensors = numpy_api.load_file(str(tmp_path / "running.safetensors"))
    for index, W, b in zip((0, 2), reference.model.weights, reference.model.biases):
        np.testing.assert_allclose(tensors[f"{index}.weight"], W.T, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(tensors[f"{index}.bias"], b, rtol=1e-6, atol=1e-7)
    window.file_actions.code_dialog.close()
