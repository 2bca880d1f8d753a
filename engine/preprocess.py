"""A drawing (or any grey image) turned into an MNIST-style input, with NumPy only.

MNIST's digits were made this way (LeCun, Cortes and Burges): the ink of each digit was scaled,
keeping its aspect ratio, to fit a 20×20 box with anti-aliasing, then placed in a 28×28 frame so
that its centre of mass sits at the centre. `preprocess_drawing` does the same to a canvas, so that
a network trained on MNIST sees a drawn digit the way it saw the digits it learnt from.
"""
from __future__ import annotations

import numpy as np

INK_THRESHOLD = 0.05   # a pixel above this (on the [0, 1] scale) is ink, for the crop


def _coverage(n_out: int, n_in: int, zoom: float) -> np.ndarray:
    """(n_out, n_in) weights: how much of output pixel i the source pixel j covers, once the source
    is scaled by `zoom` (source pixel j spans [j, j + 1], so it lands on [zoom·j, zoom·(j + 1)];
    output pixel i spans [i, i + 1]).

    Each weight is an overlap length in output pixels, in [0, 1], and a row sums to at most 1 (to 1
    where the source covers the whole output pixel): multiplied with an image, these matrices give
    every output pixel the exact mean of the source over its area (area averaging, a box filter)."""
    out_lo = np.arange(n_out, dtype=np.float64)[:, None]
    src_lo = zoom * np.arange(n_in, dtype=np.float64)[None, :]
    overlap = np.minimum(out_lo + 1, src_lo + zoom) - np.maximum(out_lo, src_lo)
    return np.clip(overlap, 0.0, None)


def _as_unit_image(image) -> np.ndarray:
    """The image as float64 in [0, 1]: uint8 is divided by 255, floats (and bools) are clipped."""
    image = np.asarray(image)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"expected a non-empty 2-D image (rows, cols), got shape {image.shape}")
    if image.dtype == np.uint8:
        return image.astype(np.float64) / 255.0
    if image.dtype == np.bool_:
        return image.astype(np.float64)
    if not np.issubdtype(image.dtype, np.floating):
        raise ValueError(f"expected uint8 (0–255) or float (0–1) pixels, got {image.dtype}")
    image = image.astype(np.float64)
    if not np.isfinite(image).all():
        raise ValueError("the image has NaN or infinite pixels")
    return np.clip(image, 0.0, 1.0)


def _scaled(crop: np.ndarray, zoom: float) -> np.ndarray:
    """The crop scaled by `zoom` with area averaging, its top-left corner on the output grid's."""
    height, width = crop.shape
    # the scaled crop spans zoom·height × zoom·width output pixels (box exactly along its longer
    # side); the small tolerance keeps rounding error from adding an empty row or column
    rows = max(1, int(np.ceil(zoom * height - 1e-6)))
    cols = max(1, int(np.ceil(zoom * width - 1e-6)))
    return _coverage(rows, height, zoom) @ crop @ _coverage(cols, width, zoom).T


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, col) of the centre of mass, in pixel indices (pixel i's ink counts at i)."""
    total = image.sum()
    return ((image.sum(axis=1) @ np.arange(image.shape[0])) / total,
            (image.sum(axis=0) @ np.arange(image.shape[1])) / total)


def preprocess_drawing(image, size: int = 28, box: int = 20,
                       threshold: float = INK_THRESHOLD) -> np.ndarray:
    """A drawing as an MNIST input: (size·size,) float32 in [0, 1], row-major (784 by default).

    Args:
        image: a 2-D canvas, ink bright on a 0 background: floats in [0, 1] (values outside are
            clipped) or uint8 0–255 (divided by 255). Any size, e.g. 280×280.
        size: the side of the square output frame (28 for MNIST).
        box: the side of the box the ink is scaled to fit (20 for MNIST), 1 ≤ box ≤ size.
        threshold: pixels above it are ink; the crop is the bounding box of the ink (fainter pixels
            inside that box are kept as they are, those outside it are dropped).

    Returns:
        zeros when no pixel is above `threshold`; otherwise the ink, cropped to its bounding box,
        scaled so that its longer side is `box` pixels (the aspect ratio is kept), and moved by whole
        pixels so that its centre of mass is at pixel (size // 2, size // 2) rounded to the nearest
        pixel, i.e. within half a pixel of (14, 14), as in MNIST (its t10k digits' centres of mass
        lie in [13.5, 14.5], mean 14.0). Ink moved past the frame's edges (a shape whose mass is far
        from the middle of its box) is cut off, as in MNIST.

    Resampling: exact area averaging, in NumPy. The crop is taken as piecewise constant (pixel
    (r, c) is a unit square of its value), scaled by `box` / longer side onto a grid whose top-left
    corner is the crop's, and each output pixel gets the mean of the scaled image over its square.
    Per axis that mean is a matrix of overlap lengths (`_coverage`), so the whole resampling is two
    matrix products, A_rows @ crop @ A_colsᵀ. Shrinking (the usual case: a 200 px drawing to 20 px)
    is then a box filter, which anti-aliases without dropping thin strokes (every source pixel
    counts in proportion to its area); enlarging (ink smaller than `box`) is nearest-neighbour with
    anti-aliased edges, and the longer side covers exactly `box` whole pixels.

    Centring: by whole pixels (rounding), as LeCun's MNIST was made, not by a sub-pixel shift: the
    scaled image is copied unchanged into the frame at the integer position that puts its centre of
    mass nearest to (size // 2, size // 2). No second interpolation blurs it, and an MNIST digit
    shown enlarged comes back as itself (a sub-pixel shift would move it by up to half a pixel).
    """
    size, box = int(size), int(box)
    if size < 1 or not 1 <= box <= size:
        raise ValueError(f"need size ≥ 1 and 1 ≤ box ≤ size, got size {size} and box {box}")
    pixels = _as_unit_image(image)
    frame = np.zeros((size, size), dtype=np.float32)
    ink = pixels > threshold
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return frame.ravel()
    crop = pixels[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scaled = np.clip(_scaled(crop, box / max(crop.shape)), 0.0, 1.0)
    if not scaled.sum() > 0:   # only with a threshold below 0: a crop of blank pixels
        return frame.ravel()
    centre_r, centre_c = _centre_of_mass(scaled)
    top = size // 2 - int(np.floor(centre_r + 0.5))    # where scaled[0, 0] goes in the frame
    left = size // 2 - int(np.floor(centre_c + 0.5))
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + scaled.shape[0], size), min(left + scaled.shape[1], size)
    frame[r0:r1, c0:c1] = scaled[r0 - top:r1 - top, c0 - left:c1 - left]
    return frame.ravel()


MNIST_BOX_SHARE = 20 / 28   # MNIST's digits fill a 20-pixel box in a 28-pixel frame


def as_mnist_input(image, size: int = 28) -> np.ndarray:
    """preprocess_drawing into a size×size frame with MNIST's proportions (the box 20/28 of it):
    what the draw pad and image folders (engine.formats) both feed a network."""
    return preprocess_drawing(image, size=size, box=max(1, round(size * MNIST_BOX_SHARE)))


def ink_on_dark(image) -> np.ndarray:
    """A grey uint8 image (rows, cols) with bright ink on a dark background, as MNIST's: inverted
    when its border (the outermost rows and columns) is light on average, as a scan or a photo of dark
    ink on paper is. The border decides because the ink of a centred character rarely reaches it."""
    image = np.asarray(image)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"expected a non-empty 2-D image (rows, cols), got shape {image.shape}")
    border = np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]]).astype(np.float64)
    return 255 - image if border.mean() > 127.5 else image
