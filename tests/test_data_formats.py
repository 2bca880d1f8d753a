"""Data in other formats: CSV in the Kaggle "Digit Recognizer" layout, Keras's mnist.npz, image
folders (root/<class>/*.png), and engine.load_data, the one place that decides what a path holds.

The references are independent: CSV text and .npz archives written here with the standard library
and NumPy's own writers, the MNIST bytes decoded by hand from the gzip files, and pictures whose
MNIST-style result is worked out by hand.
"""
import gzip
import re
import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from engine import DataFormatError, load_csv, load_data, load_image_folder, load_npz
from engine import formats

HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


@pytest.fixture(scope="module")
def mnist_bytes(shared_data):
    """The 10,000 shared MNIST test digits (uint8 (n, 784)) and labels, decoded from the IDX bytes by hand."""
    with gzip.open(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(10000, 784)
    with gzip.open(shared_data / "mnist" / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels


def csv_text(images, labels=None, header=None) -> str:
    """Kaggle-layout CSV text written with plain string formatting."""
    n_pixels = images.shape[1]
    if header is None:
        header = ",".join((["label"] if labels is not None else []) + [f"pixel{i}" for i in range(n_pixels)])
    lines = [header]
    for i, row in enumerate(images):
        values = ([str(int(labels[i]))] if labels is not None else []) + [str(v) for v in row]
        lines.append(",".join(values))
    return "\n".join(lines) + "\n"


def small_rows(n=5, n_pixels=4, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, n_pixels), dtype=np.uint8)
    images[0, 0], images[-1, -1] = 0, 255
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    return images, labels


# --- CSV ------------------------------------------------------------------------------------------

def test_a_csv_made_from_the_mnist_idx_files_loads_to_identical_arrays(mnist_bytes, tmp_path, shared_data):
    from engine import load_folder

    images, labels = mnist_bytes
    path = tmp_path / "train.csv"
    path.write_text(csv_text(images[:3000], labels[:3000]))
    loaded = load_data(path)
    idx = load_folder(shared_data / "mnist").test
    assert loaded.image_shape == (28, 28)
    assert loaded.test is None and loaded.train.X.dtype == np.float32
    np.testing.assert_array_equal(loaded.train.X, idx.X[:3000])     # bit for bit, as the IDX reader scales
    np.testing.assert_array_equal(loaded.train.y, labels[:3000])
    np.testing.assert_array_equal(loaded.train.X, images[:3000].astype(np.float32) / np.float32(255))
    assert loaded.class_names == tuple("0123456789")


def test_a_42000_row_csv_loads_whole(mnist_bytes, tmp_path):
    """Kaggle's training file has 42,000 rows: every one arrives, in order (its load time is
    measured by benchmarks/bench_data.py, not asserted here)."""
    images, labels = mnist_bytes
    block = csv_text(images, labels).split("\n", 1)[1]           # 10,000 rows without the header
    rows = block.splitlines(keepends=True)
    path = tmp_path / "train.csv"
    path.write_text(HEADER + "\n" + block * 4 + "".join(rows[:2000]))
    loaded = load_csv(path)
    assert len(loaded.train) == 42000
    np.testing.assert_array_equal(loaded.train.y[:10000], labels)
    np.testing.assert_array_equal(loaded.train.y[40000:], labels[:2000])
    np.testing.assert_array_equal(loaded.train.X[41999], images[1999].reshape(-1) / np.float32(255))


def test_csv_rows_are_read_in_blocks_and_lines_numbered_across_them(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "CSV_BLOCK", 64)       # many blocks, lines cut between them
    images, labels = small_rows(n=40, n_pixels=9)
    text = csv_text(images, labels)
    path = tmp_path / "digits.csv"
    path.write_text(text)
    loaded = load_csv(path)
    np.testing.assert_array_equal(loaded.train.X, images.astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(loaded.train.y, labels)
    assert loaded.image_shape == (3, 3)

    lines = text.splitlines()
    lines[31] = lines[31] + ",7"                         # line 32 of the file: one value too many
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match=r"digits\.csv: line 32: 11 values, but the header names 10"):
        load_csv(path)


def test_blank_lines_are_skipped_even_a_whole_block_of_them(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "CSV_BLOCK", 16)
    path = tmp_path / "blank.csv"
    path.write_text("label,pixel0,pixel1,pixel2,pixel3\n1,2,3,4,5\n" + "\n" * 100 + "2,3,4,5,255\n\n\n")
    loaded = load_csv(path)
    np.testing.assert_array_equal(loaded.train.y, [1, 2])
    np.testing.assert_array_equal(loaded.train.X, np.array([[2, 3, 4, 5], [3, 4, 5, 255]], np.float32) / np.float32(255))
    path.write_text("label,pixel0,pixel1,pixel2,pixel3\n1,2,3,4,5\n" + "\n" * 100 + "2,3,x,5,255\n")
    with pytest.raises(DataFormatError, match="line 103, column pixel1: 'x' is not a number"):
        load_csv(path)


def test_csv_with_windows_line_ends_blank_lines_fractions_and_no_last_newline(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"label,pixel0,pixel1,pixel2,pixel3\r\n3,0,255,127.5,1\r\n\r\n4,10,20,30,40")
    loaded = load_csv(path)
    np.testing.assert_allclose(loaded.train.X, np.array([[0, 1, 0.5, 1 / 255], [10 / 255, 20 / 255, 30 / 255,
                                                                              40 / 255]]), rtol=1e-6)
    np.testing.assert_array_equal(loaded.train.y, [3, 4])


def test_a_csv_without_the_label_column_is_predict_only(tmp_path):
    images, _ = small_rows(n=3, n_pixels=16)
    path = tmp_path / "test.csv"
    path.write_text(csv_text(images))
    loaded = load_data(path)
    assert loaded.predict_only and loaded.train is None and loaded.test is None
    assert loaded.image_shape == (4, 4) and loaded.n_classes == 0
    np.testing.assert_array_equal(loaded.unlabelled, images.astype(np.float32) / np.float32(255))


BAD_ROWS = [   # (the third line of a 4-pixel CSV, what the message says)
    ("1,2,3,4", r"line 3: 4 values, but the header names 5 columns"),
    ("1,2,3,4,5,6", r"line 3: 6 values, but the header names 5 columns"),
    ("1,2,x,4,5", r"line 3, column pixel1: 'x' is not a number"),
    ("1,2,,4,5", r"line 3, column pixel1: '' is not a number"),
    ("1,2,nan,4,5", r"line 3, column pixel1: 'nan' is not a number"),
    ("1,2,3,256,5", r"line 3, column pixel2: pixel value 256 is outside 0–255"),
    ("1,2,3,4,-1", r"line 3, column pixel3: pixel value -1 is outside 0–255"),
    ("1,2,3,4,255.5", r"line 3, column pixel3: pixel value 255.5 is outside 0–255"),
    ("256,2,3,4,5", r"line 3: label 256 is not a class"),
    ("-1,2,3,4,5", r"line 3: label -1 is not a class"),
    ("2.5,2,3,4,5", r"line 3: label 2.5 is not a class"),
    ("cat,2,3,4,5", r"line 3, column label: 'cat' is not a number"),
]


@pytest.mark.parametrize("line, message", BAD_ROWS, ids=[message for _, message in BAD_ROWS])
def test_a_bad_csv_row_is_named_by_file_line_and_problem(line, message, tmp_path):
    path = tmp_path / "kaggle.csv"
    path.write_text("label,pixel0,pixel1,pixel2,pixel3\n0,1,2,3,4\n" + line + "\n5,1,2,3,4\n")
    with pytest.raises(DataFormatError) as caught:
        load_data(path)
    assert str(caught.value).startswith("kaggle.csv: ")
    assert str(path) in str(caught.value)
    assert re.search(message, str(caught.value)), str(caught.value)


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\n1,2,3,4,5\n", "line 1 is empty"),
    (b"0,1,2,3,4\n1,2,3,4,5\n", "line 1 holds numbers, not column names"),
    (b"label,pixel0,pixel1,pixel2\n1,2,3,4\n", "line 1 names 3 pixel columns, which make no square image"),
    (b"pixel0,label,pixel1,pixel2,pixel3\n1,2,3,4,5\n", "the label column must come first"),
    (b"label,pixel0,pixel1,pixel2,pixel3\n", "holds a header but no images"),
    (b"\xff\xfe\x00l\x00a\n", "line 1: not text"),
], ids=["empty", "blank header", "no header", "not square", "label not first", "no rows", "binary"])
def test_a_bad_csv_header_or_an_empty_csv_says_what_is_wrong(content, message, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=message):
        load_csv(path)


def test_a_csv_over_the_memory_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    images, labels = small_rows(n=300, n_pixels=784)
    path = tmp_path / "big.csv"
    path.write_text(csv_text(images, labels))
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "0.5")     # 300 × 785 floats need 0.94 MB
    with pytest.raises(DataFormatError, match=r"big\.csv: 300 lines of 784 pixels: 941 kB in memory .* "
                                               r"over the limit of 524 kB .*MNIST_TRAINER_MAX_DATA_MB"):
        load_csv(path)
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "1")
    assert len(load_csv(path).train) == 300


# --- Keras's mnist.npz -----------------------------------------------------------------------------

def test_a_keras_mnist_npz_loads_both_splits(tmp_path):
    rng = np.random.default_rng(3)
    x_train, x_test = (rng.integers(0, 256, size=(n, 5, 6), dtype=np.uint8) for n in (8, 4))
    y_train, y_test = rng.integers(0, 10, 8).astype(np.uint8), np.array([9, 0, 3, 3], np.uint8)
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    loaded = load_data(path)
    assert loaded.image_shape == (5, 6)
    np.testing.assert_array_equal(loaded.train.X, x_train.reshape(8, 30).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(loaded.test.X, x_test.reshape(4, 30).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(loaded.train.y, y_train)
    np.testing.assert_array_equal(loaded.test.y, y_test)
    assert loaded.class_names == tuple("0123456789")    # a folder named mnist is MNIST's digits


def test_an_npz_of_one_split_with_int64_labels_loads(tmp_path):
    x = np.arange(2 * 9, dtype=np.uint8).reshape(2, 3, 3)
    path = tmp_path / "digits.npz"
    np.savez(path, x_test=x, y_test=np.array([1, 2], np.int64))
    loaded = load_npz(path)
    assert loaded.train is None and loaded.test.y.dtype == np.uint8
    np.testing.assert_array_equal(loaded.test.y, [1, 2])


class Boom:
    def __reduce__(self):   # would run if the archive were unpickled
        return (exec, ("raise SystemExit('unpickled')",))


@pytest.mark.parametrize("arrays, message", [
    (dict(x_train=np.zeros((2, 3, 3), np.uint8)), "holds x_train but not y_train"),
    (dict(images=np.zeros((2, 3, 3), np.uint8)), "holds images; expected x_train, y_train, x_test and y_test"),
    (dict(x_train=np.zeros((2, 9), np.uint8), y_train=np.zeros(2, np.uint8)), r"x_train has shape \(2, 9\)"),
    (dict(x_train=np.zeros((2, 3, 3), np.float32), y_train=np.zeros(2, np.uint8)), "float32 values"),
    (dict(x_train=np.full((2, 3, 3), 300, np.int16), y_train=np.zeros(2, np.uint8)), "from 300 to 300, outside 0–255"),
    (dict(x_train=np.zeros((2, 3, 3), np.uint8), y_train=np.array([0, 256])), "labels from 0 to 256"),
    (dict(x_train=np.zeros((2, 3, 3), np.uint8), y_train=np.zeros(3, np.uint8)), "2 images but y_train 3 labels"),
    (dict(x_train=np.zeros((0, 3, 3), np.uint8), y_train=np.zeros(0, np.uint8)), "holds no images"),
    (dict(x_train=np.array([Boom(), Boom()], dtype=object), y_train=np.zeros(2, np.uint8)),
     "x_train holds Python objects"),
], ids=["missing labels", "other keys", "flat images", "floats", "out of range", "label range", "counts",
        "empty", "pickled objects"])
def test_a_bad_npz_says_what_is_wrong(arrays, message, tmp_path):
    path = tmp_path / "keras.npz"
    np.savez(path, **arrays)
    with pytest.raises(DataFormatError, match=message) as caught:
        load_data(path)
    assert str(caught.value).startswith("keras.npz: ")


def test_a_file_named_npz_that_is_no_archive_and_an_npz_over_the_limit_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "mnist.npz"
    path.write_text("not a zip")
    with pytest.raises(DataFormatError, match="mnist.npz: not an .npz file"):
        load_data(path)
    np.savez(path, x_train=np.zeros((1000, 28, 28), np.uint8), y_train=np.zeros(1000, np.uint8))
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "1")     # 784,000 pixels cost 3.9 MB as floats
    with pytest.raises(DataFormatError, match="over the limit of 1.05 MB"):
        load_data(path)
    damaged = tmp_path / "damaged.npz"
    content = path.read_bytes()
    damaged.write_bytes(content[:len(content) // 2])
    with pytest.raises(DataFormatError, match="damaged.npz: "):
        load_data(damaged)
    with zipfile.ZipFile(tmp_path / "other.npz", "w") as archive:
        archive.writestr("x_train.npy", b"\x93NUMPY garbage")
        archive.writestr("y_train.npy", b"\x93NUMPY garbage")
    with pytest.raises(DataFormatError, match="other.npz: x_train: not a NumPy array"):
        load_data(tmp_path / "other.npz")


# --- image folders ---------------------------------------------------------------------------------

def picture(square=(10, 10), canvas=40, light=False) -> np.ndarray:
    """A canvas with a bright (or, on a light canvas, dark) square of ink at its top left."""
    image = np.zeros((canvas, canvas), np.uint8)
    image[3:3 + square[0], 5:5 + square[1]] = 255
    return 255 - image if light else image


def test_an_image_folder_gives_centred_inputs_inverted_when_light_with_folder_names(tmp_path):
    root = tmp_path / "shapes"
    for name, light, suffix in (("circle", False, ".png"), ("square", True, ".bmp"), ("zigzag", True, ".PNG")):
        (root / name).mkdir(parents=True)
        Image.fromarray(picture(light=light)).save(root / name / f"a{suffix}")
    (root / "square" / "notes.txt").write_text("not a picture, not counted")
    (root / ".hidden").mkdir()
    loaded = load_data(root)
    # by hand: the 10×10 square is scaled to the 20×20 box and its centre of mass (9.5, 9.5) goes
    # to pixel (14, 14) rounded: rows and columns 4 to 23
    expected = np.zeros((28, 28), np.float32)
    expected[4:24, 4:24] = 1
    assert loaded.class_names == ("circle", "square", "zigzag") and loaded.n_classes == 3
    assert loaded.image_shape == (28, 28) and loaded.notes == ()
    np.testing.assert_array_equal(loaded.train.y, [0, 1, 2])
    for row in loaded.train.X:
        np.testing.assert_allclose(row.reshape(28, 28), expected, atol=1e-6)


def test_unreadable_pictures_are_skipped_and_counted_not_fatal(tmp_path):
    root = tmp_path / "pics"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    Image.fromarray(picture()).save(root / "a" / "good.png")
    Image.fromarray(picture(light=True)).convert("RGB").save(root / "b" / "good.jpg", quality=95)
    (root / "b" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (root / "b" / "empty.jpg").write_bytes(b"")
    loaded = load_image_folder(root)
    assert len(loaded.train) == 2 and loaded.class_names == ("a", "b")
    assert len(loaded.notes) == 1
    assert loaded.notes[0].startswith("2 of 4 pictures could not be read and were skipped: b/broken.png")
    assert "b/empty.jpg" in loaded.notes[0]
    for name in ("broken.png", "empty.jpg"):
        (root / "b" / name).unlink()
    (root / "a" / "good.png").write_bytes(b"garbage")
    (root / "b" / "good.jpg").write_bytes(b"garbage")
    with pytest.raises(DataFormatError, match="pics: none of its 2 pictures could be read"):
        load_data(root)


def test_an_image_folder_whose_class_folders_hold_no_pictures_says_so(tmp_path):
    (tmp_path / "scans" / "a").mkdir(parents=True)
    (tmp_path / "scans" / "a" / "readme.txt").write_text("no pictures")
    with pytest.raises(DataFormatError, match="scans: no pictures in sub-folders"):
        load_image_folder(tmp_path / "scans")
    with pytest.raises(DataFormatError, match="nor sub-folders of pictures"):
        load_data(tmp_path / "scans")


def test_an_image_folder_over_the_memory_limit_is_refused(tmp_path, monkeypatch):
    (tmp_path / "x" / "0").mkdir(parents=True)
    for i in range(200):
        (tmp_path / "x" / "0" / f"{i}.png").write_bytes(b"")
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "0.5")   # 200 × 784 floats: 627 kB
    with pytest.raises(DataFormatError, match=r"x: 200 pictures: 627 kB in memory"):
        load_data(tmp_path / "x")


def test_fifty_mnist_digits_as_pictures_are_classified_nearly_as_well_as_the_originals(mnist_bytes, tmp_path):
    from engine import ModelConfig, TrainConfig, build_trainer

    images, labels = mnist_bytes
    X = images.astype(np.float32) / np.float32(255)
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(100,), seed=0),
                            TrainConfig(learning_rate=0.2, batch_size=100, epochs=3, seed=0),
                            X[:9000], labels[:9000])
    for _ in range(3 * trainer.batches_per_epoch):
        trainer.step()
    picked = np.arange(9500, 9550)
    root = tmp_path / "digits"
    for n, i in enumerate(picked):
        digit = images[i].reshape(28, 28)
        if n % 3 == 1:
            digit = 255 - digit                                  # dark ink on white paper
        picture_ = Image.fromarray(digit)
        if n % 4 == 2:
            picture_ = picture_.resize((64, 64), Image.BICUBIC)   # a larger scan
        folder = root / str(labels[i])
        folder.mkdir(parents=True, exist_ok=True)
        picture_.save(folder / f"{i}.png")
    loaded = load_data(root)
    assert len(loaded.train) == 50 and loaded.notes == ()

    def accuracy(X_, y_, names=None):
        predicted = trainer.model.forward(X_).argmax(axis=1)
        if names is not None:                   # folder names are the digits; labels index them
            predicted = np.array([names.index(str(p)) if str(p) in names else -1 for p in predicted])
        return float(np.mean(predicted == y_))

    original = accuracy(X[picked], labels[picked])
    from_folder = accuracy(loaded.train.X, loaded.train.y, list(loaded.class_names))
    assert original >= 0.8, "the reference net is not trained"
    assert from_folder >= 0.9 * original, (from_folder, original)


# --- what a path is --------------------------------------------------------------------------------

def test_load_data_decides_by_what_the_path_is(tmp_path, make_idx_folder, tiny_mnist):
    images, labels = tiny_mnist
    folder = make_idx_folder("idx", t10k=(images, labels))
    assert len(load_data(folder).test) == 12
    assert len(load_data(folder / "t10k-labels-idx1-ubyte").test) == 12      # one IDX file: its folder
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataFormatError, match="notes.txt: not a folder of IDX files or of pictures .*, nor a data file this app reads"):
        load_data(tmp_path / "notes.txt")
    with pytest.raises(DataFormatError, match="nothing-here: not a folder nor a file"):
        load_data(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFormatError, match="no MNIST-style IDX files here .*, nor sub-folders of pictures"):
        load_data(tmp_path / "empty")


def test_a_csv_line_without_end_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "CSV_BLOCK", 4096)
    path = tmp_path / "endless.csv"
    path.write_text("label,pixel0,pixel1,pixel2,pixel3\n1,2,3,4,5\n" + "7," * 200_000)
    with pytest.raises(DataFormatError, match=r"endless\.csv: line 3: longer than 1.18 kB, too long for 5 values"):
        load_csv(path)


def test_a_csv_is_read_in_blocks_its_text_never_held_whole(mnist_bytes, tmp_path, monkeypatch):
    import tracemalloc

    images, labels = mnist_bytes
    path = tmp_path / "train.csv"
    path.write_text(csv_text(images[:3000], labels[:3000]))      # 5 MB of text, 9.4 MB of floats
    monkeypatch.setattr(formats, "CSV_BLOCK", 256 << 10)
    tracemalloc.start()
    try:
        loaded = load_csv(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    result = loaded.train.X.nbytes + loaded.train.y.nbytes
    text = path.stat().st_size
    assert text > 4_000_000
    assert peak < result + text / 2, f"peak {peak:,} bytes for a result of {result:,} and {text:,} bytes of text"


def test_an_npz_whose_header_is_garbled_is_refused_with_the_apps_own_error(tmp_path):
    """Found by hand: an .npy header with an unclosed bracket escaped as tokenize.TokenError from
    NumPy's header parser."""
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((2, 784), np.uint8))
    raw = buffer.getvalue().replace(b"'shape': (2, 784)", b"'shape': ((2, 784)")   # never closed
    path = tmp_path / "mnist.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for key in ("x_train", "y_train", "x_test", "y_test"):
            archive.writestr(f"{key}.npy", raw)
    with pytest.raises(DataFormatError, match="mnist.npz.*x_train: not a NumPy array"):
        load_data(path)
