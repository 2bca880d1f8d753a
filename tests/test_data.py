"""IDX reading and writing, parse_mnist, load_folder and the train/validation split.

The reference for every file is the IDX format itself: tests build the expected bytes by hand
(conftest.encode_idx) and compare against what the engine writes and reads.
"""
import gzip
import struct
import signal
import time
import tracemalloc
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import hypothesis.extra.numpy as hnp

from engine import (IDXFormatError, load_folder, parse_mnist, read_idx, split_train_validation,
                    write_idx)

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


def sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        values = rng.standard_normal(shape) * 1e3
        values.flat[0] = -0.0
        return values.astype(dtype)
    info = np.iinfo(dtype)
    values = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    values.flat[0], values.flat[-1] = info.min, info.max  # the extremes survive the trip
    return values


@contextmanager
def time_limit(seconds):
    """Fail (instead of hanging the suite) if the block runs longer than `seconds` (where SIGALRM exists)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- round trips --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4), (2, 1, 3, 2)], ids=str)
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_write_idx_produces_the_format_bytes_and_reads_back(tmp_path, idx_bytes, dtype, shape, suffix):
    array = sample(dtype, shape)
    path = tmp_path / f"data.idx{suffix}"
    write_idx(path, array)

    content = path.read_bytes()
    if suffix == ".gz":
        assert content[:2] == b"\x1f\x8b", "a .gz name must give a gzip file"
        content = gzip.decompress(content)
    assert content == idx_bytes(array)

    back = read_idx(path)
    assert back.shape == array.shape
    assert (back.dtype.kind, back.dtype.itemsize) == (array.dtype.kind, array.dtype.itemsize)
    np.testing.assert_array_equal(back, array)
    if array.dtype.kind == "f":
        assert np.signbit(back.flat[0]), "-0.0 must keep its sign"


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_reads_hand_made_files(tmp_path, idx_bytes, dtype, compress):
    array = sample(dtype, (4, 3), seed=1)
    content = idx_bytes(array)
    path = tmp_path / "hand.idx"  # no .gz in the name: gzip must be detected from the content
    path.write_bytes(gzip.compress(content) if compress else content)
    np.testing.assert_array_equal(read_idx(path), array)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(array=hnp.arrays(dtype=st.sampled_from(DTYPES), shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0,
                                                                            max_side=6)),
       compress=st.booleans())
def test_any_array_survives_the_round_trip(tmp_path, idx_bytes, array, compress):
    path = tmp_path / ("any.idx.gz" if compress else "any.idx")
    write_idx(path, array)
    content = path.read_bytes()
    assert (gzip.decompress(content) if compress else content) == idx_bytes(array)
    back = read_idx(path)
    assert back.shape == array.shape and back.dtype.kind == array.dtype.kind
    np.testing.assert_array_equal(back, array)


def test_read_idx_detects_raw_content_despite_a_gz_name(tmp_path, idx_bytes):
    array = np.arange(6, dtype=np.uint8).reshape(2, 3)
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(idx_bytes(array))
    np.testing.assert_array_equal(read_idx(path), array)


def test_write_idx_accepts_big_endian_arrays(tmp_path):
    array = np.array([[1, -2], [300, -32768]], dtype=">i2")
    write_idx(tmp_path / "be.idx", array)
    np.testing.assert_array_equal(read_idx(tmp_path / "be.idx"), array.astype(np.int16))


# --- parse_mnist ------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_parse_mnist_scales_and_flattens(make_idx, tiny_mnist, suffix):
    images, labels = tiny_mnist
    X, y = parse_mnist(make_idx(f"img{suffix}", images), make_idx(f"lab{suffix}", labels))

    assert X.dtype == np.float32 and X.shape == (12, 12)
    assert y.dtype == np.uint8 and y.shape == (12,)
    expected = images.reshape(12, 12).astype(np.float64) / 255.0
    np.testing.assert_allclose(X, expected, rtol=1e-6, atol=0)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(y, labels)


# --- bad input ----------------------------------------------------------------------------------

def assert_idx_error(path, reader=read_idx, *args):
    with time_limit(10), pytest.raises(IDXFormatError) as caught:
        reader(path, *args)
    assert path.name in str(caught.value), f"message does not name the file: {caught.value}"
    return caught.value


def test_idx_format_error_is_a_value_error():
    assert issubclass(IDXFormatError, ValueError)


def test_wrong_magic_number(tmp_path, idx_bytes):
    content = bytearray(idx_bytes(np.zeros(5, np.uint8)))
    content[0:2] = b"\x12\x34"
    path = tmp_path / "wrong-magic"
    path.write_bytes(bytes(content))
    assert_idx_error(path)


@pytest.mark.parametrize("code", [0x00, 0x07, 0x0A, 0x0F, 0xFF])
def test_unknown_dtype_code(tmp_path, idx_bytes, code):
    path = tmp_path / f"code-{code:02x}"
    path.write_bytes(idx_bytes(np.zeros(4, np.uint8), code=code))
    assert_idx_error(path)


@pytest.mark.parametrize("compress", [False, True])
def test_data_shorter_than_the_header_says(tmp_path, idx_bytes, compress):
    content = idx_bytes(np.arange(20, dtype=np.uint8), shape=(25,))
    path = tmp_path / "short-data"
    path.write_bytes(gzip.compress(content) if compress else content)
    assert_idx_error(path)


@pytest.mark.parametrize("compress", [False, True])
def test_data_longer_than_the_header_says(tmp_path, idx_bytes, compress):
    content = idx_bytes(np.arange(20, dtype=np.uint8).reshape(4, 5), shape=(3, 5))
    path = tmp_path / "trailing-bytes"
    path.write_bytes(gzip.compress(content) if compress else content)
    assert_idx_error(path)


def test_header_cut_in_the_middle_of_the_dimensions(tmp_path, idx_bytes):
    content = idx_bytes(np.zeros((2, 2, 2), np.uint8))[:10]
    path = tmp_path / "cut-header"
    path.write_bytes(content)
    assert_idx_error(path)


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("shape", [(0x7FFFFFFF,), (0xFFFFFFFF,), (0x7FFFFFFF, 28, 28),
                                   (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)], ids=str)
def test_header_claiming_billions_fails_fast_without_allocating(tmp_path, idx_bytes, shape, compress):
    content = idx_bytes(np.zeros(64, np.uint8), shape=shape)
    path = tmp_path / "billions"
    path.write_bytes(gzip.compress(content) if compress else content)

    tracemalloc.start()
    try:
        started = time.perf_counter()
        assert_idx_error(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, f"peak allocation {peak:,} bytes for a {len(content)}-byte file"
    assert elapsed < 2.0


def test_random_text_is_neither_gzip_nor_idx(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("These are not the digits you are looking for.\n" * 5)
    assert_idx_error(path)


def test_truncated_gzip(tmp_path, idx_bytes):
    rng = np.random.default_rng(3)
    compressed = gzip.compress(idx_bytes(rng.integers(0, 256, (50, 8, 8), dtype=np.uint8)))
    path = tmp_path / "cut.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    assert_idx_error(path)


def test_corrupted_gzip(tmp_path, idx_bytes):
    rng = np.random.default_rng(4)
    compressed = bytearray(gzip.compress(idx_bytes(rng.integers(0, 256, (50, 8, 8), dtype=np.uint8))))
    compressed[20:40] = bytes(20)
    path = tmp_path / "garbled.gz"
    path.write_bytes(bytes(compressed))
    assert_idx_error(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty-idx1-ubyte"
    path.write_bytes(b"")
    assert_idx_error(path)


def test_missing_file(tmp_path):
    assert_idx_error(tmp_path / "no-such-file-idx3-ubyte.gz")


def test_parse_mnist_missing_label_file(make_idx, tiny_mnist, tmp_path):
    images, _ = tiny_mnist
    missing = tmp_path / "labels-that-are-not-there"
    assert_idx_error(missing, lambda path: parse_mnist(make_idx("img", images), path))


def test_parse_mnist_count_mismatch(make_idx, tiny_mnist):
    images, labels = tiny_mnist
    image_path, label_path = make_idx("imgs", images), make_idx("labs", labels[:-1])
    with pytest.raises(IDXFormatError) as caught:
        parse_mnist(image_path, label_path)
    message = str(caught.value)
    assert image_path.name in message or label_path.name in message
    counts = message.replace(str(image_path), "").replace(str(label_path), "")
    assert "12" in counts and "11" in counts, f"message should give both counts: {message}"


def test_parse_mnist_label_file_given_as_images(make_idx, tiny_mnist):
    _, labels = tiny_mnist
    label_path = make_idx("labels-idx1", labels)
    other_labels = make_idx("more-labels-idx1", labels)
    assert_idx_error(label_path, lambda path: parse_mnist(path, other_labels))


def test_parse_mnist_image_file_given_as_labels(make_idx, tiny_mnist):
    images, _ = tiny_mnist
    image_path = make_idx("images-idx3", images)
    second = make_idx("images-again-idx3", images)
    assert_idx_error(second, lambda path: parse_mnist(image_path, path))


# --- load_folder ----------------------------------------------------------------------------------

def write_pair(folder, split, images, labels, sep="-", suffix=".gz"):
    write_idx(folder / f"{split}-images{sep}idx3-ubyte{suffix}", images)
    write_idx(folder / f"{split}-labels{sep}idx1-ubyte{suffix}", labels)


def test_load_folder_with_train_and_test(tmp_path, tiny_mnist):
    images, labels = tiny_mnist
    write_pair(tmp_path, "train", images, labels)
    write_pair(tmp_path, "t10k", images[:5], labels[:5], suffix="")

    data = load_folder(tmp_path)
    assert data.train.X.shape == (12, 12) and data.test.X.shape == (5, 12)
    np.testing.assert_allclose(data.train.X, images.reshape(12, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.train.y, labels)
    np.testing.assert_allclose(data.test.X, images[:5].reshape(5, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.test.y, labels[:5])
    assert tuple(data.image_shape) == (3, 4)
    assert data.n_classes == 10


def test_load_folder_with_only_test_files(tmp_path, tiny_mnist):
    images, labels = tiny_mnist
    write_pair(tmp_path, "t10k", images, labels, sep=".", suffix="")

    data = load_folder(tmp_path)
    assert data.train is None
    np.testing.assert_array_equal(data.test.y, labels)
    assert data.test.X.shape == (12, 12)
    assert tuple(data.image_shape) == (3, 4)


@pytest.mark.parametrize("contents", ["empty", "unrelated files"])
def test_load_folder_with_nothing_usable(tmp_path, contents):
    folder = tmp_path / "my-digits"
    folder.mkdir()
    if contents == "unrelated files":
        (folder / "README.txt").write_text("nothing here")
        write_idx(folder / "weights.idx", np.zeros((2, 2), np.float32))
    with pytest.raises(IDXFormatError) as caught:
        load_folder(folder)
    assert "my-digits" in str(caught.value)


def test_load_folder_with_a_bad_file_names_it(tmp_path, tiny_mnist):
    images, labels = tiny_mnist
    write_pair(tmp_path, "t10k", images, labels, suffix="")
    bad = tmp_path / "t10k-labels-idx1-ubyte"
    bad.write_bytes(bad.read_bytes()[:-3])
    with pytest.raises(IDXFormatError) as caught:
        load_folder(tmp_path)
    assert bad.name in str(caught.value)


# --- split_train_validation ------------------------------------------------------------------------

@pytest.mark.parametrize("fraction, n_val", [(0.2, 10), (0.5, 25), (0.1, 5)])
def test_split_train_validation_takes_the_last_fraction(fraction, n_val):
    X = np.arange(50 * 3, dtype=np.float32).reshape(50, 3)
    y = np.arange(50, dtype=np.uint8)
    X_train, y_train, X_val, y_val = split_train_validation(X, y, fraction)

    assert X_train.shape == (50 - n_val, 3) and X_val.shape == (n_val, 3)
    np.testing.assert_array_equal(X_train, X[: 50 - n_val])
    np.testing.assert_array_equal(y_train, y[: 50 - n_val])
    np.testing.assert_array_equal(X_val, X[50 - n_val:])
    np.testing.assert_array_equal(y_val, y[50 - n_val:])
    for part, whole in ((X_train, X), (y_train, y), (X_val, X), (y_val, y)):
        assert np.shares_memory(part, whole), "expected views, not copies"


def test_zero_items_with_enormous_other_dimensions_is_a_format_error(tmp_path):
    """A header (0, 2³²−1, 2³²−1, 2³²−1) declares no data, but no array can have that shape."""
    path = tmp_path / "empty-but-huge-idx4-ubyte"
    path.write_bytes(struct.pack(">HBB4I", 0, 0x08, 4, 0, *[2 ** 32 - 1] * 3))
    with pytest.raises(IDXFormatError, match="empty-but-huge"):
        read_idx(path)


def test_splits_with_different_image_sizes_are_refused(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((3, 14, 14), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(3, np.uint8))
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((2, 28, 28), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(2, np.uint8))
    with pytest.raises(IDXFormatError, match="t10k-images-idx3-ubyte.*28×28.*14×14"):
        load_folder(tmp_path)
