"""Shared fixtures: where the real data lives, and tiny IDX files made on the spot."""
import os
import struct
import zlib
from pathlib import Path

# As the app does (trainer_gui/__init__.py): OpenBLAS's spinning worker threads collapse throughput
# when the other core is busy (the GUI thread, or a second test process). Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest

REPO = Path(__file__).resolve().parent.parent

# IDX dtype codes, from the format's definition (not from the engine).
IDX_CODES = {
    np.dtype(np.uint8): 0x08,
    np.dtype(np.int8): 0x09,
    np.dtype(np.int16): 0x0B,
    np.dtype(np.int32): 0x0C,
    np.dtype(np.float32): 0x0D,
    np.dtype(np.float64): 0x0E,
}


def _find_shared_data():
    configured = os.environ.get("TRAINER_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    default = REPO.parent / "shared" / "data"
    return default if default.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder holding mnist/ and fashion-mnist/ (the real data; never copied into the repo)."""
    folder = _find_shared_data()
    if folder is not None and (folder / "mnist").is_dir() and (folder / "fashion-mnist").is_dir():
        return folder
    message = (
        f"real MNIST data not found (looked in {folder or REPO.parent / 'shared' / 'data'}): "
        "set TRAINER_DATA_DIR to the folder holding mnist/ and fashion-mnist/"
    )
    if os.environ.get("REQUIRE_REAL_DATA") == "1":
        pytest.fail(message)
    pytest.skip(message)


def encode_idx(array, code=None, shape=None) -> bytes:
    """The bytes of an IDX file written by hand from the format's definition.

    `code` and `shape` override the header, to make files whose header lies.
    """
    array = np.asarray(array)
    code = IDX_CODES[array.dtype.newbyteorder("=")] if code is None else code
    shape = array.shape if shape is None else shape
    header = bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.fixture
def idx_bytes():
    """encode_idx as a fixture: hand-made IDX bytes, independent of the engine's writer."""
    return encode_idx


@pytest.fixture
def make_idx(tmp_path):
    """make_idx(name, array) writes `array` with engine.write_idx into tmp_path and returns the path."""
    from engine import write_idx

    def make(name, array):
        path = tmp_path / name
        write_idx(path, np.asarray(array))
        return path

    return make


@pytest.fixture
def tiny_mnist():
    """A tiny MNIST-like set: 12 images of 3×4 pixels covering 0..255, labels 0..9 and two more."""
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, size=(12, 3, 4), dtype=np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 1], dtype=np.uint8)
    return images, labels


def png_bytes() -> bytes:
    """A valid 1×1 grey PNG, built from the format's definition."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


@pytest.fixture
def files_that_are_not_models(tmp_path):
    """Files a user may pick as a model by mistake: a text file, an empty file, a PNG and a plain
    .npy array (NumPy's own loader calls the first three "pickled data" and advises allow_pickle)."""
    folder = tmp_path / "not-models"
    folder.mkdir()
    (folder / "readme.txt").write_text("MNIST trainer\n=============\nNotes, not a model.\n")
    (folder / "empty.npz").write_bytes(b"")
    (folder / "picture.png").write_bytes(png_bytes())
    np.save(folder / "array.npy", np.arange(12, dtype=np.float32).reshape(3, 4))
    return sorted(folder.iterdir())


@pytest.fixture(scope="session")
def small_digit_folders(shared_data, tmp_path_factory):
    """Two small datasets as folders of raw IDX files, quick to load again and again:
    1,000 MNIST test digits (one split: the window trains on 800 and validates on 200), and
    another folder of 600 train and 200 test digits."""
    from engine import read_idx, write_idx

    X = read_idx(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz")
    y = read_idx(shared_data / "mnist" / "t10k-labels-idx1-ubyte.gz")
    root = tmp_path_factory.mktemp("small_digits")
    parts = {("digits", "t10k"): slice(0, 1000), ("other", "train"): slice(1000, 1600),
             ("other", "t10k"): slice(1600, 1800)}
    for (name, split), rows in parts.items():
        (root / name).mkdir(exist_ok=True)
        write_idx(root / name / f"{split}-images-idx3-ubyte", X[rows])
        write_idx(root / name / f"{split}-labels-idx1-ubyte", y[rows])
    return root / "digits", root / "other"


def load_and_wait(qtbot, window, path, timeout=30_000) -> bool:
    """window.load_data(path), as the Open button does, waiting for the background load to end:
    True when the data is on screen, False when the data panel says why not."""
    with qtbot.waitSignal(window.data_loaded, timeout=timeout) as blocker:
        window.load_data(path)
    return blocker.args[0]


def class_images(labels, shape=(6, 6), seed=0) -> np.ndarray:
    """uint8 images that softmax regression tells apart within an epoch: class c lights pixel c
    over faint noise."""
    labels = np.asarray(labels)
    images = np.random.default_rng(seed).integers(0, 40, size=(len(labels), *shape), dtype=np.uint8)
    images.reshape(len(labels), -1)[np.arange(len(labels)), labels] = 255
    return images


@pytest.fixture
def make_idx_folder(tmp_path):
    """make_idx_folder(name, train=(images, labels), t10k=(images, labels)) writes raw IDX files into
    tmp_path/name (either split may be left out) and returns the folder."""
    from engine import write_idx

    def make(name, **splits):
        folder = tmp_path / name
        folder.mkdir()
        for split, (images, labels) in splits.items():
            write_idx(folder / f"{split}-images-idx3-ubyte", np.asarray(images, np.uint8))
            write_idx(folder / f"{split}-labels-idx1-ubyte", np.asarray(labels, np.uint8))
        return folder

    return make


def answer_dialogs(window, monkeypatch, path):
    """Make every file dialog of `window` answer `path` ("" is Cancel), as a person choosing it
    would; returns the kinds of dialog asked for."""
    asked = []

    def ask_path(kind, start=""):
        asked.append(kind)
        return str(path)

    monkeypatch.setattr(window, "_ask_path", ask_path)
    return asked


def widget(window, name):
    """The child of `window` with objectName `name`, as a GUI test finds a control; fails if absent."""
    from PySide6.QtCore import QObject

    found = window.findChild(QObject, name)
    assert found is not None, f"no widget named {name!r}"
    return found


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory, monkeypatch):
    """Each test's windows remember their settings in a folder of the test's own, never the user's
    (beside tmp_path, not in it: tests look at what their tmp_path holds)."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("MNIST_TRAINER_SETTINGS", str(folder))
    return folder


def open_workspace(qtbot, window, title: str) -> None:
    """Click the workspace tab called `title`, as a person does."""
    from PySide6.QtCore import Qt

    tabs = widget(window, "workspaceTabs")
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


@pytest.fixture
def small_window(qtbot, small_digit_folders):
    """small_window(kind=None, hidden=None, epochs=None): a MainWindow at 1280×800 on 800 training
    and 200 validation digits (batches of 100: 8 steps an epoch), with these settings chosen; it is
    closed after the test."""
    from trainer_gui.main_window import MainWindow

    def make(kind=None, hidden=None, epochs=None):
        main = MainWindow()
        qtbot.addWidget(main)
        main.resize(1280, 800)
        main.show()
        assert load_and_wait(qtbot, main, small_digit_folders[0])
        panel = main.model_panel
        if kind is not None:
            panel.model_combo.setCurrentIndex(panel.model_combo.findData(kind))
        if hidden is not None:
            panel.hidden_edit.setText(str(hidden))
        if epochs is not None:
            panel.epochs_spin.setValue(epochs)
        made.append(main)
        return main

    made = []
    yield make
    for main in made:
        main.close()
