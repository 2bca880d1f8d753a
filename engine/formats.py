"""Data in other formats than IDX folders, and the one place that decides what a path holds.

`load_data(path)` opens whatever the user points at: a folder of IDX files (engine.data.load_folder),
a CSV file in the Kaggle "Digit Recognizer" layout, a Keras `mnist.npz`, or an image folder in the
ImageFolder layout (root/<class name>/*.png). Each reader returns an engine.data.Dataset; every
problem raises DataFormatError (IDXFormatError for IDX files) naming the file, the line where there
is one, and the problem. Nothing is allocated beyond `data_limit()`.
"""
from __future__ import annotations

import io
import math
import os
import tokenize
import warnings
import zipfile
from pathlib import Path

import numpy as np

from .classes import recognise
from .data import (DataFormatError, Dataset, Split, _fail, _size, data_limit,
                   DATA_LIMIT_ENV, has_idx_files, load_folder)
from .files import NotARegularFile, open_regular
from .preprocess import as_mnist_input, ink_on_dark

CSV_BLOCK = 8 << 20          # bytes of a CSV parsed at a time (whole lines)
MAX_HEADER = 1 << 20         # the most bytes the header line may take
MAX_VALUE_BYTES = 32         # bytes one value of a good line may take, comma and spaces included
MAX_LABEL = 255              # labels are stored as unsigned bytes, as in IDX label files
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
IMAGE_SIZE = 28              # an image folder's pictures become 28×28 MNIST-style inputs
MAX_IMAGE_SIDE = 8 * IMAGE_SIZE   # larger pictures are first reduced (by box averaging) to about this
SKIPPED_LISTED = 3           # how many skipped images a message names


def _format_fail(path, problem: str) -> DataFormatError:
    return _fail(path, problem, DataFormatError)


def _over_limit(path, what: str, cost: int) -> DataFormatError:
    limit = data_limit()
    return _format_fail(path, f"{what}: {_size(cost)} in memory once read, over the limit of "
                              f"{_size(limit)} for one file (to open it anyway, set {DATA_LIMIT_ENV} "
                              "to a larger number of MiB)")


# --- the one place that decides what a path is ----------------------------------------------------

def load_data(path) -> Dataset:
    """Load what `path` names: an IDX folder, an image folder, a .csv file, an .npz file, or one IDX
    file (its folder is loaded)."""
    try:
        path = Path(os.fspath(path)).expanduser()
        is_dir, is_file = path.is_dir(), path.exists() and not path.is_dir()
    except (TypeError, ValueError, OSError) as error:
        raise DataFormatError(f"{path!r}: not a usable file name ({error})") from None
    if is_dir:
        if has_idx_files(path):
            return load_folder(path)
        if any(_image_classes(path)):
            return load_image_folder(path)
        raise DataFormatError(f"{path}: no MNIST-style IDX files here (expected names such as "
                              "train-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz), nor sub-folders "
                              f"of pictures ({', '.join(IMAGE_SUFFIXES)}), one per class")
    if not is_file:
        raise DataFormatError(f"{path.name or path}: not a folder nor a file (nothing is there) (file: {path})")
    name = path.name.lower()
    if name.endswith(".csv"):
        return load_csv(path)
    if name.endswith(".npz"):
        return load_npz(path)
    if "-ubyte" in name:
        return load_folder(path.parent)
    raise _format_fail(path, "not a folder of IDX files or of pictures (one sub-folder per class), nor a "
                             "data file this app reads: a .csv file (label,pixel0,…) or an .npz file "
                             "(x_train, y_train, x_test, y_test)")


# --- CSV: the Kaggle "Digit Recognizer" layout -----------------------------------------------------

def _read_header(path, stream) -> tuple[list[str], bool]:
    """(column names, whether the first is the label) of the header line; checks its layout."""
    line = stream.readline(MAX_HEADER + 1)
    if len(line) > MAX_HEADER:
        raise _format_fail(path, f"line 1: longer than {_size(MAX_HEADER)}; not a CSV header")
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _format_fail(path, "line 1: not text (a CSV header such as label,pixel0,…,pixel783 "
                                 "was expected)") from None
    names = [name.strip().strip('"').strip() for name in text.strip().split(",")]
    if not text.strip():
        raise _format_fail(path, "the file is empty" if not line else "line 1 is empty: a header such as "
                                 "label,pixel0,…,pixel783 was expected")
    if all(_is_number(name) for name in names):
        raise _format_fail(path, "line 1 holds numbers, not column names: the Kaggle layout starts with a "
                                 "header such as label,pixel0,…,pixel783")
    labelled = names[0].lower() == "label"
    if "label" in (name.lower() for name in names[labelled:]):
        raise _format_fail(path, "line 1: the label column must come first, as in label,pixel0,…")
    n_pixels = len(names) - labelled
    side = math.isqrt(n_pixels)
    if n_pixels == 0 or side * side != n_pixels:
        raise _format_fail(path, f"line 1 names {n_pixels} pixel columns, which make no square image "
                                 "(784 make 28×28)")
    return names, labelled


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _count_lines(stream) -> int:
    """Lines from the stream's position to its end (a last line without a newline counts)."""
    count, last = 0, b"\n"
    while block := stream.read(CSV_BLOCK):
        count += block.count(b"\n")
        last = block[-1:]
    return count + (last != b"\n")


def _diagnose(path, chunk: bytes, first_line: int, names: list[str], labelled: bool) -> None:
    """Raise the error of the first bad line of a chunk: wrong number of values, not a number, a
    pixel outside 0–255, a label that is no class. Returns when every line is good."""
    for offset, line in enumerate(chunk.split(b"\n")):
        line = line.strip()
        if not line:
            continue
        where = f"line {first_line + offset}"
        fields = line.split(b",")
        if len(fields) != len(names):
            raise _format_fail(path, f"{where}: {len(fields)} values, but the header names {len(names)} columns")
        for column, field in enumerate(fields):
            text = field.strip().decode("utf-8", "replace")
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise _format_fail(path, f"{where}, column {names[column]}: {text[:20]!r} is not a number")
            if labelled and column == 0:
                if value != int(value) or not 0 <= value <= MAX_LABEL:
                    raise _format_fail(path, f"{where}: label {text[:20]} is not a class (classes are "
                                             f"whole numbers from 0 to {MAX_LABEL})")
            elif not 0 <= value <= 255:
                raise _format_fail(path, f"{where}, column {names[column]}: pixel value {text[:20]} is "
                                         "outside 0–255")


def _parse_chunk(path, chunk: bytes, first_line: int, names: list[str], labelled: bool) -> np.ndarray:
    """The rows of a chunk of whole lines: uint8 when every value is a whole number 0–255 (the
    fast path), else float64 checked to be 0–255 (labels whole numbers)."""
    def parse(dtype):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # loadtxt warns about a chunk of blank lines
            return np.loadtxt(io.BytesIO(chunk), delimiter=",", dtype=dtype, ndmin=2, comments=None)
    try:
        rows = parse(np.uint8)
    except ValueError:
        try:
            rows = parse(np.float64)
        except ValueError:
            rows = None
        else:
            pixels = rows[:, int(labelled):]
            bad = (not np.isfinite(rows).all() or pixels.min(initial=0) < 0 or pixels.max(initial=0) > 255
                   or (labelled and not np.array_equal(rows[:, 0], np.clip(np.round(rows[:, 0]), 0, MAX_LABEL))))
            if bad:
                rows = None
    if rows is None or (rows.size and rows.shape[1] != len(names)):
        _diagnose(path, chunk, first_line, names, labelled)
        last = first_line + chunk.count(b"\n")
        raise _format_fail(path, f"lines {first_line} to {last}: not numbers in the layout of the "
                                 "header")   # what _diagnose did not pin down
    return rows


def load_csv(path) -> Dataset:
    """A CSV file in the Kaggle "Digit Recognizer" layout: a header `label,pixel0,…,pixel783`, then
    one image a line, pixel values 0–255 (scaled to [0, 1] as IDX data is). Without the label column
    the file is predict-only: its images are in `Dataset.unlabelled`, and it has no splits.

    The file is read in blocks of whole lines (CSV_BLOCK bytes), into an array allocated once, after
    the number of lines is known and its cost checked against `data_limit()`.
    """
    path = Path(path)
    try:
        with open_regular(path) as stream:
            names, labelled = _read_header(path, stream)
            start = stream.tell()
            n_lines = _count_lines(stream)
            n_pixels = len(names) - labelled
            cost = n_lines * (n_pixels * 4 + labelled)
            if cost > data_limit():
                raise _over_limit(path, f"{n_lines:,} lines of {n_pixels} pixels", cost)
            X = np.empty((n_lines, n_pixels), np.float32)
            y = np.empty(n_lines, np.uint8) if labelled else None
            stream.seek(start)
            filled, line, carry = 0, 2, b""
            longest = MAX_VALUE_BYTES * len(names) + 1024   # a line longer than this is no row of the header's
            while True:
                block = stream.read(CSV_BLOCK)
                end = carry + block if block else carry
                cut = end.rfind(b"\n") + 1 if block else len(end)
                chunk, carry = end[:cut], end[cut:]
                if len(carry) > longest:   # no end of line in sight: not held in memory without bound
                    where = line + chunk.count(b"\n")
                    raise _format_fail(path, f"line {where}: longer than {_size(longest)}, too long for "
                                             f"{len(names)} values")
                rows = _parse_chunk(path, chunk, line, names, labelled) if chunk.strip() else ()
                if len(rows):   # (a chunk of blank lines has none)
                    if filled + len(rows) > n_lines:
                        raise _format_fail(path, "the file changed while it was read")
                    X[filled:filled + len(rows)] = rows[:, int(labelled):]
                    X[filled:filled + len(rows)] /= 255.0    # as IDX pixels are scaled (engine.data)
                    if labelled:
                        y[filled:filled + len(rows)] = rows[:, 0]
                    filled += len(rows)
                line += chunk.count(b"\n")
                if not block:
                    break
    except FileNotFoundError:
        raise _format_fail(path, "no such file") from None
    except NotARegularFile as error:
        raise _format_fail(path, str(error)) from None
    except MemoryError:
        raise _format_fail(path, "there is not enough memory to read it") from None
    except OSError as error:
        raise _format_fail(path, f"cannot be read ({error.strerror or error})") from None
    if filled == 0:
        raise _format_fail(path, "holds a header but no images")
    side = math.isqrt(n_pixels)
    if not labelled:
        return Dataset(path, None, None, (side, side), unlabelled=X[:filled])
    y = y[:filled]
    return Dataset(path, Split(X[:filled], y), None, (side, side), recognise(path.stem, [y]))


# --- Keras's mnist.npz ------------------------------------------------------------------------------

NPZ_SPLITS = (("train", "x_train", "y_train"), ("t10k", "x_test", "y_test"))


def _npz_header(archive: zipfile.ZipFile, key: str, path):
    """(shape, dtype) of one array in the archive, read from its .npy header (no data is read)."""
    with archive.open(key + ".npy") as member:
        try:
            version = np.lib.format.read_magic(member)
            read = {(1, 0): np.lib.format.read_array_header_1_0,
                    (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if read is None:
                raise ValueError(f"unsupported .npy version {version}")
            shape, _, dtype = read(member)
        # a garbled header: NumPy's parser raises what its tokenizer or literal_eval met
        except (ValueError, SyntaxError, EOFError, tokenize.TokenError) as error:
            raise _format_fail(path, f"{key}: not a NumPy array ({type(error).__name__}: {error})") from None
    return shape, dtype


def load_npz(path) -> Dataset:
    """Keras's `mnist.npz`: x_train (n, rows, cols) and y_train (n,), x_test and y_test (at least one
    pair); pixels whole numbers 0–255, labels 0–255. Read with allow_pickle=False: an archive of
    Python objects is refused, never unpickled."""
    path = Path(path)
    try:
        with open_regular(path) as raw, zipfile.ZipFile(raw) as archive:
            members = {name[:-4] for name in archive.namelist() if name.endswith(".npy")}
            found = [(split, x, y) for split, x, y in NPZ_SPLITS if x in members or y in members]
            if not found:
                raise _format_fail(path, f"holds {', '.join(sorted(members)) or 'no arrays'}; expected "
                                         "x_train, y_train, x_test and y_test (as Keras's mnist.npz)")
            headers, cost = {}, 0
            for split, x, y in found:
                for key in (x, y):
                    if key not in members:
                        raise _format_fail(path, f"holds {x if key == y else y} but not {key}")
                    headers[key] = _npz_header(archive, key, path)
                    shape, dtype = headers[key]
                    if dtype.hasobject:
                        raise _format_fail(path, f"{key} holds Python objects, which are not read (only "
                                                 "plain arrays are)")
                    cost += math.prod(shape) * (dtype.itemsize + (4 if key == x else 0))
            if cost > data_limit():
                raise _over_limit(path, "its arrays", cost)
            splits, shape = {}, None
            for split, x, y in found:
                images, labels = (np.load(archive.open(key + ".npy"), allow_pickle=False) for key in (x, y))
                X, labels = _npz_split(path, x, y, images, labels)
                if shape is not None and images.shape[1:] != shape:
                    raise _format_fail(path, f"{x} holds {images.shape[1]}×{images.shape[2]} images, the other "
                                             f"split {shape[0]}×{shape[1]}")
                splits[split], shape = Split(X, labels), images.shape[1:]
    except FileNotFoundError:
        raise _format_fail(path, "no such file") from None
    except NotARegularFile as error:
        raise _format_fail(path, str(error)) from None
    except zipfile.BadZipFile:
        raise _format_fail(path, "not an .npz file (it is no zip archive)") from None
    except MemoryError:
        raise _format_fail(path, "there is not enough memory to read it") from None
    except (OSError, EOFError, zipfile.LargeZipFile) as error:
        raise _format_fail(path, f"cannot be read ({getattr(error, 'strerror', None) or error})") from None
    except ValueError as error:   # np.load's own complaints (a damaged member)
        if isinstance(error, DataFormatError):
            raise
        raise _format_fail(path, f"damaged ({error})") from None
    labels = [split.y for split in splits.values()]
    return Dataset(path, splits.get("train"), splits.get("t10k"), tuple(shape), recognise(path.stem, labels))


def _npz_split(path, x: str, y: str, images: np.ndarray, labels: np.ndarray):
    """(X float32 (n, rows*cols) in [0, 1], y uint8) of one split, checked."""
    if images.ndim != 3:
        raise _format_fail(path, f"{x} has shape {images.shape}; expected (n, rows, cols) images")
    if images.dtype.kind not in "ui":
        raise _format_fail(path, f"{x} holds {images.dtype} values; expected whole-number pixels 0–255")
    if images.size and (images.min() < 0 or images.max() > 255):
        raise _format_fail(path, f"{x} holds pixel values from {images.min()} to {images.max()}, "
                                 "outside 0–255")
    if labels.ndim != 1 or labels.dtype.kind not in "ui":
        raise _format_fail(path, f"{y} has shape {labels.shape} and dtype {labels.dtype}; expected "
                                 "(n,) whole-number labels")
    if labels.size and (labels.min() < 0 or labels.max() > MAX_LABEL):
        raise _format_fail(path, f"{y} holds labels from {labels.min()} to {labels.max()}; classes are "
                                 f"whole numbers from 0 to {MAX_LABEL}")
    if len(images) != len(labels):
        raise _format_fail(path, f"{x} holds {len(images)} images but {y} {len(labels)} labels")
    if len(images) == 0:
        raise _format_fail(path, f"{x} holds no images")
    X = images.reshape(len(images), -1).astype(np.float32)
    X /= 255.0
    return X, labels.astype(np.uint8)


# --- image folders (the ImageFolder layout) ---------------------------------------------------------

def _image_classes(root: Path) -> list[tuple[str, list[Path]]]:
    """(class name, its picture files) for each sub-folder holding pictures, in name order."""
    classes = []
    try:
        folders = sorted(sub for sub in root.iterdir() if sub.is_dir() and not sub.name.startswith("."))
        for folder in folders:
            files = sorted(f for f in folder.iterdir()
                           if f.suffix.lower() in IMAGE_SUFFIXES and not f.name.startswith("."))
            if files:
                classes.append((folder.name, files))
    except OSError as error:
        raise DataFormatError(f"{root.name}: cannot be read ({error.strerror or error}) (file: {root})") from None
    return classes


def read_picture(path, size: int = IMAGE_SIZE) -> np.ndarray:
    """A picture file as an MNIST-style input: (size·size,) float32 in [0, 1].

    Grey levels (Pillow's "L"), inverted when its border is light (dark ink on white paper becomes
    bright ink on black), then the draw pad's centring (engine.preprocess.as_mnist_input). Raises
    OSError or ValueError (Pillow's own) when it is no picture Pillow can read.
    """
    from PIL import Image

    with open_regular(path) as raw, Image.open(raw) as picture:
        picture.draft("L", (size * 4, size * 4))    # JPEG: decode at a reduced size, much faster
        factor = max(picture.size) // MAX_IMAGE_SIDE
        grey = picture.convert("L")
        if factor > 1:
            grey = grey.reduce(factor)
        pixels = np.asarray(grey)
    return as_mnist_input(ink_on_dark(pixels), size)


def load_image_folder(path, size: int = IMAGE_SIZE) -> Dataset:
    """An image folder in the ImageFolder layout: root/<class name>/*.png|jpg|jpeg|bmp. The classes
    are the sub-folders holding pictures, in name order (class 0 the first); each picture becomes a
    size×size input (read_picture). Pictures that cannot be read are skipped and counted in the
    dataset's notes; the load fails only when none can be read."""
    from PIL import Image

    root = Path(path)
    classes = _image_classes(root)
    if not classes:
        raise DataFormatError(f"{root.name}: no pictures in sub-folders (expected one folder per class "
                              f"holding {', '.join(IMAGE_SUFFIXES)} files) (file: {root})")
    if len(classes) > MAX_LABEL + 1:
        raise DataFormatError(f"{root.name}: {len(classes)} class folders, more than the {MAX_LABEL + 1} "
                              f"classes the app tells apart (file: {root})")
    total = sum(len(files) for _, files in classes)
    cost = total * size * size * 4
    if cost > data_limit():
        raise _over_limit(root, f"{total:,} pictures", cost)
    X = np.empty((total, size * size), np.float32)
    y = np.empty(total, np.uint8)
    skipped, n = [], 0
    for label, (_, files) in enumerate(classes):
        for file in files:
            try:
                X[n] = read_picture(file, size)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
                skipped.append(f"{file.parent.name}/{file.name} ({error})")
                continue
            y[n] = label
            n += 1
    if n == 0:
        raise DataFormatError(f"{root.name}: none of its {total} pictures could be read, e.g. "
                              f"{skipped[0]} (file: {root})")
    notes = ()
    if skipped:
        listed = "; ".join(skipped[:SKIPPED_LISTED]) + ("; …" if len(skipped) > SKIPPED_LISTED else "")
        notes = (f"{len(skipped)} of {total} pictures could not be read and were skipped: {listed}",)
    return Dataset(root, Split(X[:n], y[:n]), None, (size, size),
                   names=tuple(name for name, _ in classes), notes=notes)


__all__ = ["load_csv", "load_data", "load_image_folder", "load_npz", "read_picture"]
