"""CSV files, .npz archives and image folders opened as a user does: File ▸ Open data file… and the
data panel's Open in the window, --data on the command line; a bad file is named, never fatal."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from conftest import class_images, load_and_wait  # noqa: E402
from trainer_gui.cli import main  # noqa: E402

pytest.importorskip("pytestqt")

WAIT_MS = 30_000


def write_csv(path, images, labels=None):
    """Kaggle layout, written with plain string formatting."""
    flat = images.reshape(len(images), -1)
    header = (["label"] if labels is not None else []) + [f"pixel{i}" for i in range(flat.shape[1])]
    rows = [",".join(header)]
    for i, row in enumerate(flat):
        rows.append(",".join(([str(labels[i])] if labels is not None else []) + [str(v) for v in row]))
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def labelled(tmp_path):
    labels = np.arange(200) % 4
    return class_images(labels, shape=(6, 6)), labels


@pytest.fixture
def window(qtbot):
    from trainer_gui.main_window import MainWindow

    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    yield main
    main.close()


def test_a_csv_opened_from_the_file_menu_is_trained_on(window, qtbot, tmp_path, monkeypatch, labelled):
    images, labels = labelled
    path = write_csv(tmp_path / "train.csv", images, labels)
    asked = []
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(kind) or os.fspath(path))
    with qtbot.waitSignal(window.data_loaded, timeout=WAIT_MS) as loaded:
        window.menus.open_data_file.trigger()
    assert asked == ["data_file"] and loaded.args == [True]
    data = window.data
    assert data.counts() == {"train": 160, "validation": 40} and data.image_shape == (6, 6)
    assert data.n_classes == 4
    np.testing.assert_array_equal(data.X_train, images[:160].reshape(160, 36).astype(np.float32) / np.float32(255))
    assert window.windowTitle() == str(path)


def test_an_npz_and_an_image_folder_open_with_their_classes_and_notes(window, qtbot, tmp_path, labelled):
    images, labels = labelled
    np.savez(tmp_path / "letters.npz", x_train=images[:150], y_train=labels[:150],
             x_test=images[150:], y_test=labels[150:])
    assert load_and_wait(qtbot, window, tmp_path / "letters.npz")
    assert window.data.counts() == {"train": 150, "test": 50}

    root = tmp_path / "pictures"
    for name in ("cat", "dog"):
        (root / name).mkdir(parents=True)
        for i in range(5):
            square = np.zeros((30, 30), np.uint8)
            square[5 + i:15 + i, 5:15 if name == "cat" else 25] = 255
            Image.fromarray(square).save(root / name / f"{i}.png")
    (root / "dog" / "torn.png").write_bytes(b"\x89PNG torn")
    assert load_and_wait(qtbot, window, root)
    panel = window.data_panel
    assert window.data.class_names == ("cat", "dog") and window.data.image_shape == (28, 28)
    assert panel.message_label.isVisible()
    assert "1 of 11 pictures could not be read and were skipped: dog/torn.png" in panel.message_label.text()
    assert "cat" in panel.classes_label.text() and "dog" in panel.classes_label.text()


@pytest.mark.parametrize("content, message", [
    ("label,pixel0,pixel1,pixel2,pixel3\n1,0,0,0,0\n1,0,0,0\n", "bad.csv: line 3: 4 values, but the header names 5"),
    ("pixel0,pixel1,pixel2,pixel3\n0,0,0,0\n", "bad.csv has no label column: its 1 images can be classified, "
                                                "not trained or evaluated on. Train a model (or open one)"),
])
def test_a_bad_or_unlabelled_csv_is_named_in_the_data_panel_and_the_data_kept(window, qtbot, tmp_path,
                                                                                labelled, content, message):
    images, labels = labelled
    assert load_and_wait(qtbot, window, write_csv(tmp_path / "good.csv", images, labels))
    before = window.data
    (tmp_path / "bad.csv").write_text(content)
    assert not load_and_wait(qtbot, window, tmp_path / "bad.csv")
    assert window.data is before
    assert message in window.data_panel.message_label.text()


def test_the_command_line_trains_on_a_csv_and_names_a_bad_one_in_one_line(tmp_path, capsys, labelled):
    images, labels = labelled
    good = write_csv(tmp_path / "train.csv", images, labels)
    status = main(["--data", str(good), "train", "--model", "softmax", "--epochs", "1", "--batch", "20",
                   "--out", str(tmp_path / "run")])
    out = capsys.readouterr().out
    assert status == 0 and "160 train, 40 validation" in out
    assert (tmp_path / "run" / "model.npz").is_file()
    status = main(["evaluate", str(tmp_path / "run" / "model.npz")])   # the data it names: the CSV
    assert status == 0 and "validation: loss" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text("label,pixel0,pixel1,pixel2,pixel3\n1,0,0,0,0\n1,0,x,0,0\n")
    status = main(["train", "--data", str(bad), "--out", str(tmp_path / "bad-run")])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("mnist-trainer train: bad.csv: line 3, column pixel1: 'x' is not a number")
    assert not (tmp_path / "bad-run").exists()


def test_the_command_line_reports_skipped_pictures(tmp_path, capsys):
    root = tmp_path / "pics"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        for i in range(5):
            image = np.zeros((28, 28), np.uint8)
            image[4 + i:14 + i, 4:(14 if name == "a" else 24)] = 255
            Image.fromarray(image).save(root / name / f"{i}.bmp")
    (root / "a" / "bad.jpg").write_text("no picture")
    status = main(["train", "--data", str(root), "--model", "softmax", "--epochs", "1", "--batch", "4",
                   "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert status == 0
    assert "1 of 11 pictures could not be read and were skipped: a/bad.jpg" in captured.err


@pytest.mark.parametrize("shape, kind", [((20, 20), "csv"), ((32, 32), "npz"), ((24, 16), "npz")])
def test_images_of_other_sizes_train_as_they_are_and_are_shown_in_their_shape(window, qtbot, tmp_path,
                                                                               shape, kind):
    from PySide6.QtCore import QObject, Qt

    labels = np.arange(300) % 10
    images = class_images(labels, shape=shape)
    labels[250:] = (labels[250:] + 1) % 10          # held-out examples labelled wrong: mistakes to show
    if kind == "csv":
        path = write_csv(tmp_path / "digits.csv", images, labels)
    else:
        path = tmp_path / "digits.npz"
        np.savez(path, x_train=images[:240], y_train=labels[:240], x_test=images[240:], y_test=labels[240:])
    assert load_and_wait(qtbot, window, path)
    assert window.data.image_shape == shape
    assert window.data_panel.samples._layout[0] == shape          # the gallery of examples
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("softmax"))
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(window.findChild(QObject, "stepEpochButton"), Qt.MouseButton.LeftButton)
    assert window.trainer.model.sizes == [shape[0] * shape[1], 10]
    window.redraw_now()
    weights = window.weights_view
    assert weights.image_shape == shape and weights.tiles._layout[0] == shape
    shown = [cell.image.image for cell in window.mistakes_view.cells if cell.image.image is not None]
    assert shown and all(image.shape == shape for image in shown)      # the gallery of mistakes


def softmax_predictions(saved_weights, X):
    """What a softmax-regression model answers, computed here from its weight matrix."""
    return np.argmax(X @ saved_weights, axis=1)


def train_one_epoch(window, qtbot):
    from PySide6.QtCore import QObject, Qt

    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("softmax"))
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(window.findChild(QObject, "stepEpochButton"), Qt.MouseButton.LeftButton)


def test_a_csv_without_labels_shows_the_models_predictions_and_saves_them(window, qtbot, tmp_path, monkeypatch,
                                                                          labelled):
    images, labels = labelled
    assert load_and_wait(qtbot, window, write_csv(tmp_path / "train.csv", images, labels))
    before = window.data
    train_one_epoch(window, qtbot)
    unlabelled = class_images(np.arange(50) % 4, shape=(6, 6), seed=9)
    path = write_csv(tmp_path / "test.csv", unlabelled)
    assert not load_and_wait(qtbot, window, path)          # no data to train on was loaded
    assert window.data is before and window.trainer is not None
    dialog = window.predictions_dialog
    assert dialog is not None and dialog.isVisible()
    expected = softmax_predictions(window.trainer.model.weights[0],
                                   unlabelled.reshape(50, 36).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(dialog.predicted, expected)
    assert "50 images without labels" in dialog.summary.text() and "Evaluation is disabled" in dialog.summary.text()
    assert dialog.gallery.captions == [str(c) for c in expected[:36]]
    assert "the first 36 of them" in dialog.summary.text()   # the gallery says it is not all of them
    assert "Predictions window" in window.data_panel.message_label.text()

    from PySide6.QtCore import Qt

    target = tmp_path / "submission.csv"
    asked = []
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(kind) or os.fspath(target))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["predictions_csv"]
    lines = target.read_text().splitlines()
    assert lines[0] == "ImageId,Label" and len(lines) == 51
    assert lines[1:] == [f"{i + 1},{c}" for i, c in enumerate(expected)]
    assert str(target) in window.message_banner.text()


def test_a_csv_without_labels_whose_images_do_not_fit_the_model_is_refused(window, qtbot, tmp_path, labelled):
    images, labels = labelled
    assert load_and_wait(qtbot, window, write_csv(tmp_path / "train.csv", images, labels))
    train_one_epoch(window, qtbot)
    path = write_csv(tmp_path / "small.csv", np.zeros((3, 16), np.uint8))
    assert not load_and_wait(qtbot, window, path)
    assert "the model reads 36 inputs, but the images of small.csv have 16 pixels" in \
        window.data_panel.message_label.text()
    assert window.predictions_dialog is None


def test_the_command_line_prints_predictions_for_a_csv_without_labels(tmp_path, capsys, labelled):
    from engine import load_run

    images, labels = labelled
    good = write_csv(tmp_path / "train.csv", images, labels)
    assert main(["train", "--data", str(good), "--model", "softmax", "--epochs", "1", "--batch", "20",
                 "--out", str(tmp_path / "run")]) == 0
    capsys.readouterr()
    unlabelled = class_images(np.arange(30) % 4, shape=(6, 6), seed=4)
    test = write_csv(tmp_path / "test.csv", unlabelled)
    assert main(["evaluate", str(tmp_path / "run" / "model.npz"), "--data", str(test)]) == 0
    captured = capsys.readouterr()
    W = load_run(tmp_path / "run" / "model.npz").weights[0]
    expected = softmax_predictions(W, unlabelled.reshape(30, 36).astype(np.float32) / np.float32(255))
    assert captured.out.splitlines() == ["ImageId,Label"] + [f"{i + 1},{c}" for i, c in enumerate(expected)]
    assert "test.csv has no labels, so there is nothing to evaluate" in captured.err
    assert main(["train", "--data", str(test), "--out", str(tmp_path / "run2")]) == 1
    assert "test.csv has no label column" in capsys.readouterr().err


def test_the_inside_tab_opened_first_after_loading_20_by_20_images_draws_them_20_by_20(window, qtbot, tmp_path):
    """The Inside tab is built when first shown: opened after a 20×20 dataset was loaded, before any
    run, its draw pad already makes 20×20 digits (the data changed before the tab existed)."""
    from PySide6.QtCore import QObject

    labels = np.arange(100) % 10
    assert load_and_wait(qtbot, window, write_csv(tmp_path / "digits.csv", class_images(labels, shape=(20, 20)), labels))
    assert not window._lazy_tabs["inside"].built
    window.findChild(QObject, "workspaceTabs").setCurrentIndex(1)
    assert window.inside.pad.digit_shape == (20, 20)
