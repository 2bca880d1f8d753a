"""IDX files (the MNIST format): read, write, parse, find in a folder, split.

An IDX file is a 4-byte magic number (two zero bytes, a dtype code, the number of dimensions),
one big-endian uint32 per dimension, then the data in big-endian order. Files may be gzip-compressed.
Every problem with a file raises `IDXFormatError`, whose message names the file and the problem.
"""
from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .classes import CLASS_NAMES, class_names, recognise
from .files import NotARegularFile, open_regular

# IDX dtype code -> big-endian NumPy dtype
IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"
# deflate cannot expand data by more than about 1032:1, so a gzip file of c bytes holds at most
# this many times c bytes; a header claiming more is lying and is refused before any allocation.
MAX_GZIP_RATIO = 1100
CHUNK = 1 << 20
MAX_DIMENSIONS = 32   # NumPy 1.x's limit on array dimensions (2.x allows 64); MNIST needs 3
# What one file may cost in memory once read (and, for images, converted to float32): a header
# claiming more is refused before anything is allocated. Full MNIST's training images cost 235 MB.
DATA_LIMIT_ENV = "MNIST_TRAINER_MAX_DATA_MB"
DEFAULT_DATA_LIMIT_MB = 1024


def data_limit() -> int:
    """The memory, in bytes, one IDX file may cost: $MNIST_TRAINER_MAX_DATA_MB MiB (default 1024)."""
    try:
        megabytes = float(os.environ.get(DATA_LIMIT_ENV) or DEFAULT_DATA_LIMIT_MB)
    except ValueError:
        megabytes = DEFAULT_DATA_LIMIT_MB
    return int(max(megabytes, 0) * 2 ** 20)


def _size(n_bytes: float) -> str:
    """Bytes in the units a person reads: '7.5 GB', '950 MB', '12 kB'."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{int(n_bytes)} bytes"


class DataFormatError(ValueError):
    """A data file or folder the app cannot read; the message names the file (and line) and the problem."""


class IDXFormatError(DataFormatError):
    """A file is not a valid IDX file (or not the IDX file that was expected)."""


def _fail(path, problem: str, error=IDXFormatError) -> DataFormatError:
    return error(f"{Path(path).name}: {problem} (file: {path})")


def _read_exactly(stream, n: int, path, what: str) -> bytes:
    data = stream.read(n)
    if len(data) != n:
        raise _fail(path, f"file ends after {len(data)} of the {n} bytes of its {what}")
    return data


def _read_payload(stream, n_bytes: int, path, size_known: bool) -> bytearray:
    """Read exactly n_bytes, then check that nothing follows.

    When the file's size already vouches for n_bytes (a raw file) the buffer is allocated at once;
    otherwise (gzip) it grows only as data really arrives, so a lying header costs nothing.
    """
    if size_known:
        buffer = bytearray(n_bytes)
        view, filled = memoryview(buffer), 0
        while filled < n_bytes and (got := stream.readinto(view[filled:filled + CHUNK])):
            filled += got
    else:
        buffer = bytearray()
        while len(buffer) < n_bytes and (chunk := stream.read(min(CHUNK, n_bytes - len(buffer)))):
            buffer += chunk
        filled = len(buffer)
    if filled < n_bytes:
        raise _fail(path, f"truncated: the header promises {n_bytes} bytes of data, "
                          f"the file holds only {filled}")
    if stream.read(1):
        raise _fail(path, f"the file holds more data than the {n_bytes} bytes its header describes")
    return buffer


def _parse_header(stream, path, max_payload: int, extra_per_item: int) -> tuple[np.dtype, tuple[int, ...]]:
    zero, code, ndim = struct.unpack(">HBB", _read_exactly(stream, 4, path, "magic number"))
    if zero != 0:
        raise _fail(path, f"not an IDX file: magic number 0x{zero:04X}{code:02X}{ndim:02X} "
                          "does not start with two zero bytes")
    if code not in IDX_DTYPES:
        raise _fail(path, f"unknown IDX dtype code 0x{code:02X} "
                          f"(known: {', '.join(f'0x{c:02X}' for c in IDX_DTYPES)})")
    if not 1 <= ndim <= MAX_DIMENSIONS:
        raise _fail(path, f"the header declares {ndim} dimensions; this reader takes 1 to {MAX_DIMENSIONS}")
    shape = struct.unpack(f">{ndim}I", _read_exactly(stream, 4 * ndim, path, "dimensions"))
    dtype = IDX_DTYPES[code]
    n_bytes = math.prod(shape) * dtype.itemsize
    if math.prod(max(n, 1) for n in shape) * dtype.itemsize >= 2 ** 62:   # even with a zero among them
        raise _fail(path, f"the header's dimensions {shape} exceed what an array can hold")
    if n_bytes > max_payload:
        raise _fail(path, f"the header claims shape {shape} ({n_bytes:,} bytes of data) "
                          f"but the file can hold at most {max_payload:,} bytes")
    cost, limit = math.prod(shape) * (dtype.itemsize + extra_per_item), data_limit()
    if cost > limit:
        raise _fail(path, f"the header claims shape {shape}: {_size(cost)} in memory once read"
                          + (" and converted to floats" if extra_per_item else "")
                          + f", over the limit of {_size(limit)} for one file (to open it anyway, set "
                          f"{DATA_LIMIT_ENV} to a larger number of MiB)")
    return dtype, shape


def read_idx(path, _extra_per_item: int = 0) -> np.ndarray:
    """Read an IDX file (raw or gzip, detected by content) into an array of its native dtype.

    Only regular files are read (a FIFO or a device is refused before it can block). A header
    whose data would cost more memory than `data_limit()` is refused before any allocation
    (`_extra_per_item`: bytes per item the caller will add, e.g. 4 for a float32 copy).
    """
    try:
        path = os.fspath(path)
        with open_regular(path) as raw:
            size = os.fstat(raw.fileno()).st_size
            is_gzip = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            if is_gzip:
                with gzip.GzipFile(fileobj=raw) as stream:
                    return _read_stream(stream, path, MAX_GZIP_RATIO * size, False, _extra_per_item)
            return _read_stream(raw, path, size, True, _extra_per_item)
    except FileNotFoundError:
        raise IDXFormatError(f"{Path(path).name}: no such file (file: {path})") from None
    except NotARegularFile as error:
        raise _fail(path, str(error)) from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _fail(path, f"damaged gzip data ({error})") from None
    except MemoryError:
        raise _fail(path, "there is not enough memory to read it") from None
    except OSError as error:
        raise _fail(path, f"cannot be read ({error.strerror or error})") from None
    except (ValueError, TypeError) as error:   # e.g. a name with a null byte, or not a path at all
        if isinstance(error, IDXFormatError):
            raise
        raise IDXFormatError(f"{path!r}: not a usable file name ({error})") from None


def _read_stream(stream, path, max_payload: int, size_known: bool, extra_per_item: int) -> np.ndarray:
    dtype, shape = _parse_header(stream, path, max_payload, extra_per_item)
    payload = _read_payload(stream, math.prod(shape) * dtype.itemsize, path, size_known)
    array = np.frombuffer(payload, dtype=dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=False)


def write_idx(path, array) -> None:
    """Write `array` as an IDX file; gzip-compressed when the name ends in .gz."""
    array = np.asarray(array)
    codes = {dtype.newbyteorder("=").str: code for code, dtype in IDX_DTYPES.items()}
    code = codes.get(array.dtype.newbyteorder("=").str)
    if code is None:
        raise ValueError(f"IDX cannot store dtype {array.dtype}")
    header = struct.pack(f">HBB{array.ndim}I", 0, code, array.ndim, *array.shape)
    data = header + array.astype(IDX_DTYPES[code], copy=False).tobytes()
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "wb") as out:
        out.write(data)


def parse_mnist(image_filename, label_filename) -> tuple[np.ndarray, np.ndarray]:
    """Load an MNIST-style pair of IDX files.

    Returns:
        X (np.ndarray[np.float32]): (n, rows*cols), pixel / 255, so in [0, 1].
        y (np.ndarray[np.uint8]): (n,), the labels.
    """
    X, y, _ = _load_pair(image_filename, label_filename)
    return X, y


def _load_pair(image_filename, label_filename):
    """parse_mnist, plus the (rows, cols) of one image."""
    images = read_idx(image_filename, _extra_per_item=np.dtype(np.float32).itemsize)
    if images.ndim != 3:
        raise _fail(image_filename, f"expected 3-D images (n, rows, cols), found {images.ndim}-D data"
                                    + (" (this looks like a label file)" if images.ndim == 1 else ""))
    if images.dtype != np.uint8:
        raise _fail(image_filename, f"expected unsigned-byte pixels, found {images.dtype}")
    labels = read_idx(label_filename)
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise _fail(label_filename, f"expected 1-D unsigned-byte labels, found {labels.ndim}-D "
                                    f"{labels.dtype} data" + (" (this looks like an image file)"
                                                              if labels.ndim == 3 else ""))
    if len(images) == 0:
        raise _fail(image_filename, "holds no images")
    if len(images) != len(labels):
        raise _fail(image_filename, f"{len(images)} images but {Path(label_filename).name} "
                                    f"holds {len(labels)} labels")
    try:
        X = images.reshape(len(images), -1).astype(np.float32)
    except MemoryError:
        raise _fail(image_filename, "there is not enough memory to convert its pixels to floats") from None
    X /= 255.0
    return X, labels, images.shape[1:]


@dataclass
class Split:
    X: np.ndarray  # (n, rows*cols) float32 in [0, 1]
    y: np.ndarray  # (n,) uint8

    def __len__(self) -> int:
        return len(self.y)


@dataclass
class Dataset:
    path: Path
    train: Split | None
    test: Split | None
    image_shape: tuple[int, int]
    known: str | None = None   # the known dataset recognised in it (engine.classes), or None
    names: tuple[str, ...] | None = None   # the classes' own names (an image folder's folders), or None
    notes: tuple[str, ...] = ()   # what the user should know about the load (e.g. images skipped)
    unlabelled: np.ndarray | None = None   # (n, rows*cols) images without labels (predict-only), or None

    @property
    def predict_only(self) -> bool:
        """Images without labels only (a CSV without its label column): nothing to train or evaluate on."""
        return self.train is None and self.test is None

    @property
    def n_classes(self) -> int:
        """The classes the labels tell apart (0 for predict-only data)."""
        if self.names is not None:
            return len(self.names)
        labels = [s.y for s in (self.train, self.test) if s is not None and len(s.y)]
        return int(max(int(y.max()) for y in labels) + 1) if labels else 0

    @property
    def class_names(self) -> tuple[str, ...]:
        """One name per class, as the window shows them: 'Trouser' for Fashion-MNIST's 1, '1' for MNIST's,
        a folder's name for an image folder's classes."""
        if self.names is not None:
            return self.names
        return class_names(self.known, self.n_classes)


# EMNIST (Cohen et al. 2017) sets the app reads, from files named emnist-SET-train-images-idx3-ubyte.gz
# (its test split is called "test", not "t10k"). Their images are stored transposed (column by
# column) and the labels of letters run from 1 to 26; load_folder turns them the right way up and
# numbers letters' classes from 0.
EMNIST_SETS = ("digits", "letters", "balanced")
EMNIST_SPLIT_NAMES = {"train": "train", "t10k": "test"}
EMNIST_LABEL_OFFSET = {"letters": 1}


def _find(folder: Path, split: str, kind: str, emnist: str | None = None) -> Path | None:
    """The file for e.g. ('t10k', 'images'), under the standard names with '-' or '.', gz or raw, or
    under EMNIST's names for the set `emnist` (e.g. emnist-letters-test-images-idx3-ubyte.gz)."""
    rank = "idx3" if kind == "images" else "idx1"
    stem = f"emnist-{emnist}-{EMNIST_SPLIT_NAMES[split]}" if emnist else split
    for sep in ("-", "."):
        for suffix in (".gz", ""):
            candidate = folder / f"{stem}-{kind}{sep}{rank}-ubyte{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _emnist_sets(folder: Path) -> list[str]:
    """The EMNIST sets whose files are in the folder."""
    return [name for name in EMNIST_SETS
            if any(_find(folder, split, kind, name) for split in EMNIST_SPLIT_NAMES for kind in ("images", "labels"))]


def has_idx_files(folder) -> bool:
    """Whether the folder holds an IDX images or labels file under a name load_folder looks for."""
    folder = Path(folder)
    return (any(_find(folder, split, kind) for split in ("train", "t10k") for kind in ("images", "labels"))
            or bool(_emnist_sets(folder)))


def _emnist_split(X, y, shape, emnist: str, images: Path, labels: Path):
    """An EMNIST split the right way up (its images transposed back), labels numbered from 0."""
    rows, cols = shape
    X = np.ascontiguousarray(X.reshape(len(X), rows, cols).transpose(0, 2, 1)).reshape(len(X), -1)
    offset, n_classes = EMNIST_LABEL_OFFSET.get(emnist, 0), len(CLASS_NAMES[f"emnist-{emnist}"])
    if len(y) and (int(y.min()) < offset or int(y.max()) - offset >= n_classes):
        raise _fail(labels, f"labels run from {int(y.min())} to {int(y.max())}; EMNIST {emnist} has "
                            f"{n_classes} classes, labelled {offset} to {n_classes - 1 + offset}")
    return X, (y - offset).astype(np.uint8) if offset else y, (cols, rows)


def load_folder(path) -> Dataset:
    """Load the train and t10k IDX pairs found in a folder (at least one pair must be there), and
    recognise which known dataset they are (engine.classes), for the names of their classes."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise IDXFormatError(f"{folder}: not a folder")
    splits, shape, emnist = {}, None, None
    if not any(_find(folder, split, kind) for split in ("train", "t10k") for kind in ("images", "labels")):
        sets = _emnist_sets(folder)
        if len(sets) > 1:
            raise IDXFormatError(f"{folder}: holds the EMNIST sets {', '.join(sets)}: open a folder "
                                 "holding one (as the Dataset menu's downloads do)")
        emnist = sets[0] if sets else None
    for split in ("train", "t10k"):
        images, labels = _find(folder, split, "images", emnist), _find(folder, split, "labels", emnist)
        if images is None and labels is None:
            continue
        if images is None or labels is None:
            present = images or labels
            raise IDXFormatError(f"{folder}: found {present.name} but not its "
                                 f"{'labels' if labels is None else 'images'} file")
        X, y, split_shape = _load_pair(images, labels)
        if emnist:
            X, y, split_shape = _emnist_split(X, y, split_shape, emnist, images, labels)
        if shape is not None and split_shape != shape:
            raise _fail(images, f"holds {split_shape[0]}×{split_shape[1]} images, the other split "
                                f"{shape[0]}×{shape[1]}")
        splits[split], shape = Split(X, y), split_shape
    if not splits:
        raise IDXFormatError(f"{folder}: no MNIST-style IDX files here (expected names such as "
                             "train-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)")
    if emnist:   # all of its classes, whichever the labels present
        known = f"emnist-{emnist}"
        return Dataset(folder, splits.get("train"), splits.get("t10k"), shape, known, names=CLASS_NAMES[known])
    known = recognise(folder.resolve().name, [split.y for split in splits.values()])
    return Dataset(folder, splits.get("train"), splits.get("t10k"), shape, known)


def split_train_validation(X, y, validation_fraction: float):
    """Split into (X_train, y_train, X_val, y_val): the last fraction is validation (views, no copy)."""
    if not 0.0 < validation_fraction < 1.0:
        raise ValueError(f"validation fraction must be between 0 and 1, got {validation_fraction}")
    n_train = int(round(len(y) * (1.0 - validation_fraction)))
    if n_train < 1 or n_train >= len(y):
        raise ValueError(f"a validation fraction of {validation_fraction} leaves an empty split "
                         f"of {len(y)} examples")
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]
