"""Fuzzing the IDX reader: generated, mutated, gzip-wrapped and garbage files, huge size claims and
gzip bombs. The only exception read_idx and parse_mnist may raise is IDXFormatError; what they do
return must be what an independent reading of the format (written here) says the file holds; memory
stays far below what a lying header claims; no file takes more than a second.

Each fuzz test counts the files it made and checks that the run made enough: the default run makes
over 10,000 files in all and takes well under a minute. Hypothesis runs derandomized (the same
examples every time, no example database), so a CI failure reproduces locally.

A longer run: FUZZ_EXAMPLES=N sets the number of examples of every fuzz test (default a few hundred
to 1,500 each), for instance

    FUZZ_EXAMPLES=200000 python -m pytest tests/test_fuzz_idx.py -q
"""
import gzip
import math
import os
import struct
import time
import tracemalloc
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import IDXFormatError, parse_mnist, read_idx

# The IDX format's dtype codes, from its definition (http://yann.lecun.com/exdb/mnist/)
CODES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MEMORY_LIMIT = 50 * 2**20


def examples(default: int) -> int:
    return int(os.environ.get("FUZZ_EXAMPLES", default))


def fuzz_settings(default_examples: int):
    return settings(max_examples=examples(default_examples), deadline=1000, derandomize=True,
                    database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- an independent reading of the format ----------------------------------------------------------

def reference(data: bytes):
    """The array raw IDX bytes hold, or None when they are not a valid IDX file."""
    if len(data) < 4 or data[0] or data[1] or data[2] not in CODES or data[3] == 0:
        return None
    ndim = data[3]
    if len(data) < 4 + 4 * ndim:
        return None
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    dtype = np.dtype(CODES[data[2]])
    if len(data) - 4 - 4 * ndim != math.prod(shape) * dtype.itemsize:
        return None
    try:
        return np.frombuffer(data, dtype, offset=4 + 4 * ndim).reshape(shape)
    except ValueError:          # more dimensions than NumPy can hold: not readable as an array
        return None


def decompressed(data: bytes):
    """The bytes a gzip file holds, or None when it is not valid gzip."""
    try:
        return gzip.decompress(data)
    except Exception:
        return None


def same_array(got, expected) -> bool:
    """Equal shape and bytes, in native byte order (so NaN payloads compare too)."""
    native = expected.astype(expected.dtype.newbyteorder("="))
    return got.shape == native.shape and got.dtype == native.dtype and got.tobytes() == native.tobytes()


def check_file(path, data: bytes) -> None:
    """Write `data`, read it back: an IDXFormatError, or exactly the array the format says."""
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        got = read_idx(path)
    except IDXFormatError as error:
        got = error
    assert time.perf_counter() - start < 1.0

    is_gzip = data[:2] == b"\x1f\x8b"
    raw = decompressed(data) if is_gzip else data
    expected = None if raw is None else reference(raw)
    if isinstance(got, IDXFormatError):
        assert path.name in str(got)
        # a valid file may only be refused when it is gzip compressed beyond what deflate can do
        assert expected is None or (is_gzip and expected.nbytes > 1000 * len(data)), \
            f"refused a valid file: {got}"
    else:
        assert expected is not None, f"accepted an invalid file as {got.shape} {got.dtype}"
        assert same_array(got, expected)


# --- strategies --------------------------------------------------------------------------------------

@st.composite
def idx_files(draw, max_elements=300):
    """The bytes of a valid IDX file, built from the format's definition."""
    code = draw(st.sampled_from(sorted(CODES)))
    shape = draw(st.lists(st.integers(0, 7), min_size=1, max_size=5))
    while math.prod(shape) > max_elements:
        shape[shape.index(max(shape))] //= 2
    dtype = np.dtype(CODES[code])
    payload = draw(st.one_of(
        st.binary(min_size=math.prod(shape) * dtype.itemsize, max_size=math.prod(shape) * dtype.itemsize),
        st.just(bytes(math.prod(shape) * dtype.itemsize))))
    return bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + payload


U32 = st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2, 28, 10**9, 2**31, 2**32 - 1]))
MUTATIONS = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.integers(0, 40), st.integers(1, 255)),          # mostly the header
    st.tuples(st.just("flip anywhere"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("dimension"), st.integers(0, 4), U32),
    st.tuples(st.just("dtype code"), st.integers(0, 255)),
    st.tuples(st.just("dimension count"), st.integers(0, 255)),
    st.tuples(st.just("append"), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 16)),
)


def mutate(data: bytes, mutations) -> bytes:
    data = bytearray(data)
    for kind, *args in mutations:
        at = int(args[0] * len(data)) if isinstance(args[0], float) else args[0]
        if kind == "truncate":
            del data[at:]
        elif kind in ("flip", "flip anywhere") and at < len(data):
            data[at] ^= args[1]
        elif kind == "dimension" and len(data) >= 8 + 4 * at:
            data[4 + 4 * at:8 + 4 * at] = struct.pack(">I", args[1])
        elif kind == "dtype code" and len(data) > 2:
            data[2] = args[0]
        elif kind == "dimension count" and len(data) > 3:
            data[3] = args[0]
        elif kind == "append":
            data += args[0]
        elif kind == "insert":
            data[at:at] = args[1]
        elif kind == "delete":
            del data[at:at + args[1]]
    return bytes(data)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def fuzz(tmp_path, default_examples, strategy, check):
    """Run `check(path, drawn)` over the examples and return how many files were checked."""
    made = []

    @fuzz_settings(default_examples)
    @given(strategy)
    def run(drawn):
        made.append(check(tmp_path / "fuzzed-ubyte", drawn))

    run()
    return sum(made)


# --- the fuzz tests ----------------------------------------------------------------------------------

def test_generated_valid_files_read_back_exactly(tmp_path):
    def check(path, data):
        check_file(path, data)
        check_file(path, gz(data))
        assert reference(data) is not None
        return 2

    assert fuzz(tmp_path, 1000, idx_files(), check) >= min(2000, 2 * examples(1000))


def test_mutated_files_raise_only_idx_format_errors(tmp_path):
    def check(path, drawn):
        data, mutations, gzip_mutations = drawn
        check_file(path, mutate(data, mutations))                 # a damaged file
        check_file(path, gz(mutate(data, mutations)))             # the same, compressed
        check_file(path, mutate(gz(data), gzip_mutations))        # a damaged compressed file
        return 3

    strategy = st.tuples(idx_files(), st.lists(MUTATIONS, min_size=1, max_size=3),
                         st.lists(MUTATIONS, min_size=1, max_size=2))
    assert fuzz(tmp_path, 1500, strategy, check) >= min(4500, 3 * examples(1500))


def test_garbage_raises_only_idx_format_errors(tmp_path):
    def check(path, garbage):
        check_file(path, garbage)
        check_file(path, b"\x1f\x8b" + garbage)                   # claims to be gzip
        check_file(path, gz(garbage))                             # real gzip, garbage inside
        check_file(path, b"\x00\x00" + garbage)                   # starts like IDX
        return 4

    strategy = st.one_of(st.binary(max_size=600), st.binary(min_size=600, max_size=4000))
    assert fuzz(tmp_path, 800, strategy, check) >= min(3200, 4 * examples(800))


def test_parse_mnist_on_fuzzed_pairs(tmp_path):
    def check(path, drawn):
        n, rows, cols, image_mutations, label_mutations, compress = drawn
        rng = np.random.default_rng(n * 1000 + rows * 10 + cols)
        images = bytes([0, 0, 8, 3]) + struct.pack(">3I", n, rows, cols) + rng.bytes(n * rows * cols)
        labels = bytes([0, 0, 8, 1]) + struct.pack(">I", n) + rng.integers(0, 10, n, np.uint8).tobytes()
        images, labels = mutate(images, image_mutations), mutate(labels, label_mutations)
        image_path, label_path = tmp_path / "images-idx3-ubyte", tmp_path / "labels-idx1-ubyte"
        image_path.write_bytes(gz(images) if compress else images)
        label_path.write_bytes(gz(labels) if compress else labels)
        image_array, label_array = reference(images), reference(labels)
        valid = (image_array is not None and label_array is not None
                 and image_array.ndim == 3 and image_array.dtype == np.uint8
                 and label_array.ndim == 1 and label_array.dtype == np.uint8
                 and len(image_array) == len(label_array))
        try:
            X, y = parse_mnist(image_path, label_path)
        except IDXFormatError:
            assert not valid or len(label_array) == 0, "refused a valid pair"   # no images: either
        else:
            assert valid
            expected = image_array.reshape(len(image_array), -1).astype(np.float64) / 255
            np.testing.assert_allclose(X, expected, rtol=1e-6)
            np.testing.assert_array_equal(y, label_array)
        return 2

    strategy = st.tuples(st.integers(0, 20), st.integers(1, 6), st.integers(1, 6),
                         st.lists(MUTATIONS, max_size=2), st.lists(MUTATIONS, max_size=2), st.booleans())
    assert fuzz(tmp_path, 600, strategy, check) >= min(1200, 2 * examples(600))


def test_huge_size_claims_allocate_nothing_for_them(tmp_path):
    """Headers claiming from 10⁹ to 2⁹⁶ bytes over a few bytes of data, raw and gzipped."""
    def check(path, drawn):
        code, dims, payload = drawn
        header = bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)
        claimed = math.prod(dims) * np.dtype(CODES[code]).itemsize
        assert claimed >= 10**9
        for data in (header + payload, gz(header + payload)):
            tracemalloc.reset_peak()
            check_file(path, data)
            peak = tracemalloc.get_traced_memory()[1]
            assert peak < MEMORY_LIMIT, f"{peak:,} bytes used for a file claiming {claimed:,}"
        return 2

    huge = st.integers(10**9, 2**32 - 1)
    strategy = st.tuples(
        st.sampled_from(sorted(CODES)),
        st.one_of(st.tuples(huge, st.just(28), st.just(28)).map(list),
                  st.lists(st.integers(1, 2**32 - 1), min_size=1, max_size=3).filter(
                      lambda dims: math.prod(dims) >= 10**9),
                  st.tuples(huge).map(list)),
        st.binary(max_size=2000))
    tracemalloc.start()
    try:
        assert fuzz(tmp_path, 300, strategy, check) >= min(600, 2 * examples(300))
    finally:
        tracemalloc.stop()


# --- hand-made hard cases ---------------------------------------------------------------------------

def measured_read(path):
    """read_idx(path) → (IDXFormatError or array, seconds, peak bytes traced)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = read_idx(path)
    except IDXFormatError as error:
        result = error
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, seconds, peak


def gzip_of_zeros(header: bytes, n_zeros: int) -> bytes:
    """gzip of header + n_zeros zero bytes, made in pieces (never n_zeros bytes at once)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)          # 31: gzip container
    parts, block = [compressor.compress(header)], bytes(1 << 20)
    for _ in range(n_zeros // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(bytes(n_zeros % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


@pytest.mark.parametrize("images", [10**9, 2**32 - 1, 10**6])
def test_a_gzip_bomb_claiming_many_images_is_refused_quickly_and_cheaply(tmp_path, images):
    """A 64 KB .gz that inflates to 64 MB of zeros behind a header claiming `images` 28×28 images:
    more than the file can hold, refused before decompressing or allocating."""
    header = bytes([0, 0, 8, 3]) + struct.pack(">3I", images, 28, 28)
    path = tmp_path / "bomb-idx3-ubyte.gz"
    path.write_bytes(gzip_of_zeros(header, 64 * 2**20))
    assert path.stat().st_size < 100_000
    result, seconds, peak = measured_read(path)
    assert isinstance(result, IDXFormatError) and "claims" in str(result)
    assert seconds < 1.0 and peak < MEMORY_LIMIT


def test_a_gzip_bomb_longer_than_its_header_says_is_refused(tmp_path):
    """The header claims 2,000 images (1.5 MB), the stream goes on with 64 MB of zeros."""
    header = bytes([0, 0, 8, 3]) + struct.pack(">3I", 2000, 28, 28)
    path = tmp_path / "long-idx3-ubyte.gz"
    path.write_bytes(gzip_of_zeros(header, 64 * 2**20))
    result, seconds, peak = measured_read(path)
    assert isinstance(result, IDXFormatError) and "more data" in str(result)
    assert seconds < 1.0 and peak < MEMORY_LIMIT


def test_a_gzip_file_claiming_more_than_it_holds_does_not_allocate_the_claim(tmp_path):
    """200 KB of incompressible bytes behind a header claiming 100 MB: the claim is within what
    deflate could expand 200 KB to, but the data is not there; memory must follow the data read,
    not the header's word."""
    rng = np.random.default_rng(0)
    header = bytes([0, 0, 8, 3]) + struct.pack(">3I", 127_551, 28, 28)        # 100 MB claimed
    path = tmp_path / "liar-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(header + rng.bytes(200_000), compresslevel=1, mtime=0))
    result, seconds, peak = measured_read(path)
    assert isinstance(result, IDXFormatError) and "truncated" in str(result)
    assert seconds < 1.0
    assert peak < MEMORY_LIMIT, f"{peak:,} bytes allocated for a file holding 200 KB"


@pytest.mark.parametrize("ndim, dims", [(65, 1), (100, 1), (255, 1), (70, 0)])
def test_more_dimensions_than_numpy_holds_is_a_format_error(tmp_path, ndim, dims):
    """The header allows 255 dimensions, NumPy arrays at most 64: a clear IDXFormatError."""
    data = bytes([0, 0, 8, ndim]) + struct.pack(f">{ndim}I", *[dims] * ndim) + bytes(dims)
    path = tmp_path / "many-dims-ubyte"
    for content in (data, gz(data)):
        path.write_bytes(content)
        with pytest.raises(IDXFormatError, match="many-dims-ubyte"):
            read_idx(path)
