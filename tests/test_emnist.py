"""EMNIST: its IDX files (images stored transposed, letters labelled 1–26) read the right way up with
their class names, its download (one zip archive shared by its sets, from which each set's four
files are taken), and the number of outputs following its classes.

EMNIST itself is not available offline: the files here are small ones written in its layout, by
hand from the IDX format (conftest.encode_idx), and the archive is served by a local server.
"""
import gzip
import hashlib
import http.server
import io
import threading
import zipfile

import numpy as np
import pytest

from conftest import encode_idx
from engine import DataFormatError, load_data, load_folder
from engine import datasets
from engine.classes import CLASS_NAMES

LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def emnist_files(name, images, labels, split="train"):
    """{file name: gzip bytes} of an EMNIST split: each image written transposed, as EMNIST stores them."""
    stored = np.ascontiguousarray(np.asarray(images, np.uint8).transpose(0, 2, 1))
    return {f"emnist-{name}-{split}-images-idx3-ubyte.gz": gzip.compress(encode_idx(stored), mtime=0),
            f"emnist-{name}-{split}-labels-idx1-ubyte.gz": gzip.compress(encode_idx(np.asarray(labels, np.uint8)),
                                                                      mtime=0)}


def upright_images(n, shape=(4, 5), seed=0):
    """Images that are not symmetric (a transposed one differs), non-square to catch swapped axes."""
    return np.random.default_rng(seed).integers(0, 256, size=(n, *shape), dtype=np.uint8)


def write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def test_emnist_letters_load_upright_with_classes_from_zero_and_their_names(tmp_path):
    images, test_images = upright_images(6), upright_images(3, seed=1)
    labels, test_labels = [1, 2, 26, 5, 1, 3], [26, 1, 2]
    folder = write(tmp_path / "letters", {**emnist_files("letters", images, labels),
                                          **emnist_files("letters", test_images, test_labels, "test")})
    loaded = load_data(folder)
    assert loaded.image_shape == (4, 5)
    np.testing.assert_array_equal(loaded.train.X, images.reshape(6, 20).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(loaded.test.X, test_images.reshape(3, 20).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(loaded.train.y, [0, 1, 25, 4, 0, 2])
    np.testing.assert_array_equal(loaded.test.y, [25, 0, 1])
    assert loaded.known == "emnist-letters" and loaded.class_names == LETTERS and loaded.n_classes == 26


def test_emnist_balanced_and_digits_keep_their_labels_and_have_47_and_10_classes(tmp_path):
    images = upright_images(3)
    balanced = load_folder(write(tmp_path / "b", emnist_files("balanced", images, [0, 36, 46], "test")))
    assert balanced.n_classes == 47 and balanced.train is None
    np.testing.assert_array_equal(balanced.test.y, [0, 36, 46])
    # from emnist-balanced-mapping.txt: 10–35 are the capitals, then a b d e f g h n q r t
    assert balanced.class_names[10] == "A" and balanced.class_names[35] == "Z"
    assert [balanced.class_names[i] for i in (36, 38, 43, 46)] == ["a", "d", "n", "t"]
    digits = load_folder(write(tmp_path / "d", emnist_files("digits", images, [0, 9, 3])))
    assert digits.class_names == tuple("0123456789")
    np.testing.assert_array_equal(digits.train.X, images.reshape(3, 20).astype(np.float32) / np.float32(255))


@pytest.mark.parametrize("name, labels, message", [
    ("letters", [0, 1, 2], "labels run from 0 to 2; EMNIST letters has 26 classes, labelled 1 to 26"),
    ("letters", [1, 27, 2], "labels run from 1 to 27; EMNIST letters has 26 classes, labelled 1 to 26"),
    ("balanced", [0, 47, 2], "labels run from 0 to 47; EMNIST balanced has 47 classes, labelled 0 to 46"),
])
def test_emnist_labels_outside_the_sets_classes_are_named(tmp_path, name, labels, message):
    folder = write(tmp_path / name, emnist_files(name, upright_images(3), labels))
    with pytest.raises(DataFormatError, match=message) as caught:
        load_data(folder)
    assert f"emnist-{name}-train-labels-idx1-ubyte.gz" in str(caught.value)


def test_a_folder_with_several_emnist_sets_asks_for_one(tmp_path):
    folder = write(tmp_path / "gzip", {**emnist_files("letters", upright_images(2), [1, 2]),
                                       **emnist_files("digits", upright_images(2), [1, 2])})
    with pytest.raises(DataFormatError, match="holds the EMNIST sets digits, letters: open a folder holding one"):
        load_data(folder)


# --- the dataset menu's download --------------------------------------------------------------------

@pytest.fixture
def archive_server(monkeypatch):
    """A local server of a small gzip.zip in EMNIST's layout (gzip/emnist-SET-…), and KNOWN's EMNIST sets
    pointed at it with its MD5; requests lists the files asked for."""
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    content = {}
    for name, labels in (("letters", [1, 26, 3]), ("digits", [0, 9, 4])):
        content.update(emnist_files(name, upright_images(3), labels))
        content.update(emnist_files(name, upright_images(2, seed=5), labels[:2], "test"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in content.items():
            archive.writestr(f"gzip/{name}", data)
    body, requests = buffer.getvalue(), []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            requests.append(self.path)
            if not self.path.endswith("/gzip.zip"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/emnist/"
    for name in ("letters", "digits"):
        real = datasets.KNOWN[f"emnist-{name}"]
        monkeypatch.setitem(datasets.KNOWN, real.name, datasets.KnownDataset(
            real.name, real.title, (url,), {"gzip.zip": hashlib.md5(body).hexdigest()},
            {"gzip.zip": len(body)}, real.extract))
    yield requests
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_the_known_emnist_sets_come_from_nists_archive():
    for name in ("letters", "balanced", "digits"):
        known = datasets.KNOWN[f"emnist-{name}"]
        assert known.md5 == {"gzip.zip": "58c8d27c78d21e728a6bc7b3cc06412e"}   # as torchvision checks it
        assert known.mirrors[0] == "https://biometrics.nist.gov/cs_links/EMNIST/"
        assert known.files == tuple(f"emnist-{name}-{split}-{kind}-ubyte.gz" for split in ("train", "test")
                                    for kind in ("images-idx3", "labels-idx1"))
        assert len(CLASS_NAMES[known.name]) == {"letters": 26, "balanced": 47, "digits": 10}[name]


def test_emnist_downloads_its_sets_files_from_one_archive_fetched_once(tmp_path, archive_server):
    folder = datasets.download("emnist-letters", tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(datasets.KNOWN["emnist-letters"].files)
    loaded = load_data(folder)
    assert loaded.class_names == LETTERS
    np.testing.assert_array_equal(loaded.train.y, [0, 25, 2])
    np.testing.assert_array_equal(loaded.train.X, upright_images(3).reshape(3, 20).astype(np.float32)
                                  / np.float32(255))
    assert archive_server == ["/emnist/gzip.zip"]
    digits = datasets.download("emnist-digits", tmp_path)            # the archive kept is used again
    assert archive_server == ["/emnist/gzip.zip"]
    assert load_data(digits).class_names == tuple("0123456789")
    assert datasets.download("emnist-letters", tmp_path) == folder   # present: nothing is fetched
    assert archive_server == ["/emnist/gzip.zip"]
    found = {location.name for location in datasets.find_datasets(tmp_path)}
    assert found == {"emnist-letters", "emnist-digits"}              # not the archives' folder


def test_a_model_on_emnist_letters_has_26_outputs_whichever_letters_are_present(tmp_path, capsys):
    from engine import load_run
    from trainer_gui.cli import main

    rng = np.random.default_rng(0)
    labels = np.array([1, 2, 3] * 20)                                  # only A, B and C
    images = rng.integers(0, 40, size=(60, 6, 6), dtype=np.uint8)
    images.reshape(60, -1)[np.arange(60), labels] = 255
    folder = write(tmp_path / "letters", emnist_files("letters", images, labels))
    status = main(["train", "--data", str(folder), "--model", "softmax", "--epochs", "1", "--batch", "10",
                   "--out", str(tmp_path / "run")])
    assert status == 0
    saved = load_run(tmp_path / "run" / "model.npz")
    assert saved.weights[0].shape == (36, 26)
    assert "  25 " in capsys.readouterr().out           # the confusion matrix has rows for all 26 letters


def test_the_window_offers_emnist_and_trains_on_letters_with_26_outputs(qtbot, tmp_path):
    pytest.importorskip("pytestqt")
    from PySide6.QtCore import QObject, Qt

    from conftest import load_and_wait
    from trainer_gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        window.menus.refresh_datasets()
        offered = set(window.menus.dataset_actions())
        assert {"Download EMNIST Letters (handwritten letters)…", "Download EMNIST Balanced (digits and letters)…",
                "Download EMNIST Digits (handwritten digits)…"} <= offered
        rng = np.random.default_rng(1)
        labels = np.array([1, 2, 3, 4] * 25)                      # A to D of the 26 letters
        images = rng.integers(0, 40, size=(100, 6, 6), dtype=np.uint8)
        images.reshape(100, -1)[np.arange(100), labels] = 255
        folder = write(tmp_path / "emnist-letters", emnist_files("letters", images, labels))
        assert load_and_wait(qtbot, window, folder)
        data = window.data
        assert data.n_classes == 26 and data.class_names == LETTERS
        np.testing.assert_array_equal(data.X_train, images[:80].reshape(80, 36).astype(np.float32) / np.float32(255))
        assert "0\N{NO-BREAK SPACE}A" in window.data_panel.classes_label.text()
        combo = window.findChild(QObject, "modelCombo")
        combo.setCurrentIndex(combo.findData("softmax"))
        with qtbot.waitSignal(window.run_paused, timeout=30_000):
            qtbot.mouseClick(window.findChild(QObject, "stepEpochButton"), Qt.MouseButton.LeftButton)
        assert window.trainer.model.sizes == [36, 26]
        window.redraw_now()
        assert window.confusion_view.confusion.shape == (26, 26)
    finally:
        window.close()


def test_a_file_too_large_for_the_usual_deadline_gets_one_at_256_kib_a_second():
    assert datasets.file_deadline(datasets.KNOWN["mnist"], "train-images-idx3-ubyte.gz") == 15 * 60
    emnist = datasets.KNOWN["emnist-letters"]
    assert datasets.file_deadline(emnist, "gzip.zip") == pytest.approx(561_753_746 / (256 * 1024))   # 35.7 min
