"""Images laid out in a grid, for the weight, sample-digit and data views; no Qt."""
from __future__ import annotations

import math

import numpy as np


def grid_columns(count: int, aspect: float = 1.0) -> int:
    """Columns for `count` tiles in a grid about `aspect` times wider than tall."""
    if count <= 0:
        return 1
    return max(1, min(count, math.ceil(math.sqrt(count * aspect))))


def tile_images(images: np.ndarray, columns: int, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Lay (n, h, w) images out row by row, `gap` pixels of `fill` between them.

    Returns float32 (rows*(h+gap)-gap, columns*(w+gap)-gap); NaN fill is drawn transparent.
    """
    n, h, w = images.shape
    rows = max(1, math.ceil(n / columns))
    canvas = np.full((rows, columns, h + gap, w + gap), fill, dtype=np.float32)
    flat = canvas.reshape(rows * columns, h + gap, w + gap)
    flat[:n, :h, :w] = images
    # (rows, h+gap, columns, w+gap): each grid row of tiles becomes a band of pixel rows
    picture = canvas.transpose(0, 2, 1, 3).reshape(rows * (h + gap), columns * (w + gap))
    return picture[:rows * (h + gap) - gap, :columns * (w + gap) - gap]


def unit_images(weights: np.ndarray, image_shape, start: int, count: int) -> np.ndarray:
    """Columns start..start+count of a first-layer weight matrix as images.

    weights (np.ndarray): (rows*cols, units), one column per unit (or class, for softmax).
    Returns (count', rows, cols) with count' <= count at the last page.
    """
    block = weights[:, start:start + count]
    return np.ascontiguousarray(block.T).reshape(block.shape[1], *image_shape)


def symmetric_limit(values: np.ndarray) -> float:
    """A colour range ±limit centred on zero that a few outlying weights cannot wash out.

    Three root-mean-squares (a normal spread's 99.7 %), or the largest magnitude when that is
    smaller; 1 when nothing is finite. Linear time, unlike a percentile's sort, and without
    copies when every value is finite: this runs several times a second while training, on up
    to millions of weights.
    """
    values = np.asarray(values).ravel()
    largest = float(max(values.max(), -values.min())) if values.size else math.nan
    if not math.isfinite(largest):   # nan or inf somewhere (or nothing): measure the finite ones
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return 1.0
        values, largest = finite, float(np.abs(finite).max())
    if values.dtype not in (np.float32, np.float64):
        values = values.astype(np.float64)
    squares = float(np.dot(values, values))   # BLAS: a float32 sum to ~1e-6 relative, ample for colours
    limit = min(3.0 * math.sqrt(squares / values.size), largest)
    return limit if limit > 0 else 1.0


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))
