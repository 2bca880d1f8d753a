"""Robustness probes: a model's accuracy on a held-out set spoiled in four ways, as curves.

The four spoilers work on batches of images (n, h, w) (a single (h, w) image works too), vectorised
over the batch, in NumPy only, and are deterministic:

- `add_noise`: Gaussian pixel noise of standard deviation σ, clipped to [0, 1]. The noise comes
  from a fixed seed, drawn per block of NOISE_BLOCK rows from its own generator, so a row gets the
  same noise whether the set is spoiled at once or in chunks (`start` says where a chunk begins).
- `rotate`: rotation about the image centre ((h − 1)/2, (w − 1)/2), bilinear, zero outside.
  Positive degrees turn the digit counter-clockwise as displayed (row 0 at the top), so that
  rotate(images, 90) equals np.rot90(image, k=1) of each square image exactly: at multiples of 90°
  the sines and cosines are taken exactly (0, ±1), every sample lands on a pixel centre and the
  bilinear weights are exactly 1 and 0.
- `shift`: an exact whole-pixel shift, down and right by `pixels` (both axes; a pair shifts each
  axis by its own amount, negative = up or left), with zeros moved in.
- `thickness`: grey-scale morphology with a 3×3 square: `amount` < 0 erodes |amount| times (each
  pixel becomes the minimum of its 3×3 neighbourhood: strokes thinner), `amount` > 0 dilates (the
  maximum: strokes thicker), 0 is the identity. Only neighbours inside the image count.

SPOILERS holds them in display order with the settings swept; every spoiler's zero setting is the
identity (σ 0, 0°, 0 px, thickness 0). `robustness_curves` measures the accuracy at each setting.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, NamedTuple

import numpy as np

from .evaluation import EVAL_CHUNK, check_labels

NOISE_BLOCK = 100   # rows drawn from one generator: noise is the same however a set is chunked


class Cancelled(Exception):
    """Raised by robustness_curves when its `cancelled` callable returns True."""


def _as_images(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim not in (2, 3) or images.size == 0:
        raise ValueError(f"expected images (n, h, w) or one image (h, w), got shape {images.shape}")
    if not np.issubdtype(images.dtype, np.floating):
        images = images.astype(np.float32)
    return images


# --- noise ------------------------------------------------------------------------------------------

def _normal_field(seed: int, start: int, n: int, size: int, dtype) -> np.ndarray:
    """(n, size) standard normal values for rows start … start + n − 1 of a set: row r's values come
    from generator default_rng([seed, r // NOISE_BLOCK]), in the order of its block's rows."""
    field = np.empty((n, size), dtype)
    first, last = start // NOISE_BLOCK, (start + n - 1) // NOISE_BLOCK
    for block in range(first, last + 1):
        lo, hi = max(start, block * NOISE_BLOCK), min(start + n, (block + 1) * NOISE_BLOCK)
        skip = lo - block * NOISE_BLOCK   # rows of this block before the ones wanted
        values = np.random.default_rng([seed, block]).standard_normal((skip + hi - lo, size), dtype)
        field[lo - start:hi - start] = values[skip:]
    return field


def _noisy(images: np.ndarray, sigma: float, field: np.ndarray) -> np.ndarray:
    noisy = images + images.dtype.type(sigma) * field.reshape(images.shape)
    return np.clip(noisy, 0.0, 1.0, out=noisy)


def add_noise(images, sigma: float, seed: int = 0, start: int = 0) -> np.ndarray:
    """images + σ·N(0, 1) per pixel, clipped to [0, 1], as a new array (σ = 0: an exact copy).

    seed: the noise's seed. start: the row of the whole set at which `images` begins, so that a set
    spoiled chunk by chunk gets the noise it would get at once (row r's noise depends only on seed
    and r). float32 (or float64) noise, of the images' dtype.
    """
    images = _as_images(images)
    sigma = float(sigma)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"the noise's σ must be a number ≥ 0, got {sigma}")
    if sigma == 0:
        return images.copy()
    batch = images.reshape(-1, *images.shape[-2:])
    field = _normal_field(int(seed), int(start), len(batch), batch[0].size, images.dtype)
    return _noisy(images, sigma, field)


# --- rotation ---------------------------------------------------------------------------------------

def _cos_sin(degrees: float) -> tuple[float, float]:
    """cos and sin of an angle in degrees, exact (0, ±1) at multiples of 90°."""
    if float(degrees) % 90 == 0:
        return {0: (1.0, 0.0), 1: (0.0, 1.0), 2: (-1.0, 0.0), 3: (0.0, -1.0)}[int(degrees // 90) % 4]
    radians = np.deg2rad(degrees)
    return float(np.cos(radians)), float(np.sin(radians))


@lru_cache(maxsize=64)
def _rotation_taps(degrees: float, h: int, w: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """The bilinear sampler of a rotation: (4, h·w) flat source indices and (4, h·w) weights.

    Output pixel (r, c), at offset (dy, dx) = (r − cy, c − cx) from the centre, samples the source
    at (cy + cos·dy + sin·dx, cx − sin·dy + cos·dx): the output is the source turned by +degrees
    counter-clockwise on screen. A tap outside the image points at index h·w, a zero pad.
    """
    cos, sin = _cos_sin(degrees)
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    dy, dx = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing="ij")
    sy, sx = (cy + cos * dy + sin * dx).ravel(), (cx - sin * dy + cos * dx).ravel()
    y0, x0 = np.floor(sy), np.floor(sx)
    fy, fx = sy - y0, sx - x0
    y0, x0 = y0.astype(np.intp), x0.astype(np.intp)
    indices, weights = np.empty((4, h * w), np.intp), np.empty((4, h * w), dtype)
    for k, (oy, ox, weight) in enumerate(((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx),
                                          (1, 0, fy * (1 - fx)), (1, 1, fy * fx))):
        yy, xx = y0 + oy, x0 + ox
        inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        indices[k] = np.where(inside, yy * w + xx, h * w)
        weights[k] = np.where(inside, weight, 0.0)
    indices.flags.writeable = weights.flags.writeable = False
    return indices, weights


def _padded(batch: np.ndarray) -> np.ndarray:
    """(n, h·w + 1): the flat images with a zero column at the end, for taps outside the image."""
    n = len(batch)
    padded = np.zeros((n, batch[0].size + 1), batch.dtype)
    padded[:, :-1] = batch.reshape(n, -1)
    return padded


def _rotate_padded(padded: np.ndarray, degrees: float, h: int, w: int) -> np.ndarray:
    indices, weights = _rotation_taps(float(degrees), h, w, padded.dtype)
    out = np.take(padded, indices[0], axis=1)
    out *= weights[0]
    tap = np.empty_like(out)
    for k in range(1, 4):
        np.take(padded, indices[k], axis=1, out=tap)
        tap *= weights[k]
        out += tap
    return out.reshape(len(padded), h, w)


def rotate(images, degrees: float) -> np.ndarray:
    """Each image turned by `degrees` about its centre, counter-clockwise on screen for degrees > 0
    (+90 equals np.rot90(image, k=1) for square images), bilinear, zero outside; a new array."""
    images = _as_images(images)
    batch = images.reshape(-1, *images.shape[-2:])
    h, w = batch.shape[1:]
    return _rotate_padded(_padded(batch), float(degrees), h, w).reshape(images.shape)


# --- shift ------------------------------------------------------------------------------------------

def shift(images, pixels) -> np.ndarray:
    """Each image moved by whole pixels with zeros moved in, as a new array: an int moves it down
    and right by `pixels` (diagonally), a pair (down, right) each axis by its own amount; negative
    amounts move up or left."""
    images = _as_images(images)
    down, right = (pixels, pixels) if np.ndim(pixels) == 0 else pixels
    if int(down) != down or int(right) != right:
        raise ValueError(f"a shift is a whole number of pixels, got {pixels}")
    down, right = int(down), int(right)
    h, w = images.shape[-2:]
    out = np.zeros_like(images)
    if abs(down) < h and abs(right) < w:
        out[..., max(down, 0):h + min(down, 0), max(right, 0):w + min(right, 0)] = \
            images[..., max(-down, 0):h - max(down, 0), max(-right, 0):w - max(right, 0)]
    return out


# --- stroke thickness -------------------------------------------------------------------------------

def _morph_step(images: np.ndarray, op) -> np.ndarray:
    """One 3×3 minimum (op np.minimum) or maximum (np.maximum) filter, as two passes of 3 (rows,
    then columns); neighbours outside the image are left out."""
    rows = images.copy()
    op(rows[..., 1:, :], images[..., :-1, :], out=rows[..., 1:, :])
    op(rows[..., :-1, :], images[..., 1:, :], out=rows[..., :-1, :])
    out = rows.copy()
    op(out[..., :, 1:], rows[..., :, :-1], out=out[..., :, 1:])
    op(out[..., :, :-1], rows[..., :, 1:], out=out[..., :, :-1])
    return out


def thickness(images, amount: int) -> np.ndarray:
    """Strokes made thinner or thicker by grey-scale morphology with a 3×3 square, as a new array:
    amount < 0 erodes |amount| times (each pixel the minimum of its 3×3 neighbourhood), amount > 0
    dilates amount times (the maximum), 0 is an exact copy. Typically −3 … 3 on 28×28 digits."""
    images = _as_images(images)
    if int(amount) != amount:
        raise ValueError(f"the thickness change is a whole number of steps, got {amount}")
    amount = int(amount)
    out = images.copy()
    op = np.minimum if amount < 0 else np.maximum
    for _ in range(abs(amount)):
        out = _morph_step(out, op)
    return out


# --- the sweeps -------------------------------------------------------------------------------------

class Spoiler(NamedTuple):
    function: Callable        # function(images, setting) -> spoiled images (a new array)
    settings: np.ndarray      # the settings swept, in increasing order, the identity (0) among them
    label: str                # the setting's name and unit, for an axis


def _shift_right(images, pixels) -> np.ndarray:
    return shift(images, (0, int(pixels)))


def _settings(values) -> np.ndarray:
    values = np.asarray(values)
    values.flags.writeable = False   # shared by every caller: not to be changed in place
    return values


SPOILERS: dict[str, Spoiler] = {
    # σ 0 … 0.6 in steps of 0.1 (pixels are in [0, 1]; at 0.6 the noise swamps the strokes)
    "noise": Spoiler(add_noise, _settings(np.round(np.linspace(0.0, 0.6, 7), 10)), "noise σ"),
    # −45° … 45° in steps of 15°, positive counter-clockwise
    "rotation": Spoiler(rotate, _settings(np.arange(-45, 46, 15)), "rotation (degrees, counter-clockwise)"),
    # 0 … 6 px to the right (MNIST's 20×20 box sits in a 28×28 frame: 4 px margins); one axis, so
    # that "3 px" means a 3 px displacement (diagonally it is 4.2 px, and the curve sinks below chance)
    "shift": Spoiler(_shift_right, _settings(np.arange(0, 7)), "shift (pixels to the right)"),
    # −2 … 2 steps of 3×3 erosion (thinner) or dilation (thicker)
    "thickness": Spoiler(thickness, _settings(np.arange(-2, 3)),
                         "stroke thickness (erosions − / dilations +)"),
}


def spoil(images, name: str, setting, seed: int = 0, start: int = 0) -> np.ndarray:
    """images spoiled by SPOILERS[name] at `setting`, exactly as robustness_curves spoils them (for
    a preview: pass the row of the set as `start` to see the noise that row was measured with)."""
    if name not in SPOILERS:
        raise ValueError(f"unknown spoiler {name!r}; choose one of {', '.join(SPOILERS)}")
    if name == "noise":
        return add_noise(images, setting, seed=seed, start=start)
    return SPOILERS[name].function(images, setting)


def _thickness_from(done: dict, images: np.ndarray, amount: int) -> np.ndarray:
    """thickness(images, amount) built one morphology step from the amount one step nearer 0, each
    amount computed once and kept in `done` (the same steps, so the same values, as `thickness`)."""
    if amount == 0:
        return images
    if amount not in done:
        previous = _thickness_from(done, images, amount - int(np.sign(amount)))
        done[amount] = _morph_step(previous, np.minimum if amount < 0 else np.maximum)
    return done[amount]


def _wrong(model, X, y) -> int:
    return int(np.count_nonzero(model.forward(X).argmax(axis=1) != y))


def _check_cancelled(cancelled):
    if cancelled is not None and cancelled():
        raise Cancelled("the robustness probe was cancelled")


def robustness_curves(model, X, y, image_shape, seed: int = 0, chunk: int = EVAL_CHUNK,
                      cancelled: Callable[[], bool] | None = None,
                      ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The model's accuracy on (X, y) spoiled by each of SPOILERS at each of its settings.

    Args:
        model: an MLP (its `forward` is used: give it a model no other thread runs at the same time,
            e.g. MLP.from_arrays of a Snapshot's arrays). X: (n, h·w) inputs in [0, 1], y: (n,)
            integer labels. image_shape: (h, w). seed: the noise's seed (add_noise).
        chunk: rows spoiled and run through the model at a time (bounds the memory).
        cancelled: None, or a callable polled before each chunk's pass through the model; when it
            returns True, Cancelled is raised and nothing is returned.
    Returns:
        {name: (settings, accuracy)}, in SPOILERS' order; accuracy[i] (float64) is the fraction of
        the set the model's argmax gets right at settings[i], computed as 1 − wrong / n like
        engine.evaluate's error. Every zero setting is the unspoiled set, run in engine.evaluate's
        own chunks (EVAL_CHUNK), so it equals 1 − evaluate(model, loss, X, y).error exactly.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    h, w = (int(s) for s in image_shape)
    n = len(X)
    if X.ndim != 2 or X.shape[1] != h * w:
        raise ValueError(f"inputs of shape {X.shape} are not flat {h}×{w} images")
    if n == 0 or len(y) != n:
        raise ValueError(f"cannot measure {n} inputs against {len(y)} labels")
    check_labels(y, model.sizes[-1])
    y = y.astype(np.intp)
    chunk = max(1, int(chunk))

    plain_wrong = 0
    for start in range(0, n, EVAL_CHUNK):
        _check_cancelled(cancelled)
        plain_wrong += _wrong(model, X[start:start + EVAL_CHUNK], y[start:start + EVAL_CHUNK])

    wrong = {name: np.zeros(len(s.settings), np.int64) for name, s in SPOILERS.items()}
    for name, spoiler in SPOILERS.items():
        wrong[name][spoiler.settings == 0] = plain_wrong
    for start in range(0, n, chunk):
        rows = slice(start, start + chunk)
        images = X[rows].reshape(-1, h, w).astype(model.dtype, copy=False)
        labels = y[rows]
        m = len(images)
        for name, spoiler in SPOILERS.items():
            shared = None
            if name == "noise":   # one field of N(0, 1) values for every σ
                shared = _normal_field(int(seed), start, m, h * w, images.dtype)
            elif name == "rotation":
                shared = _padded(images)
            thickened = {}
            for i, setting in enumerate(spoiler.settings):
                if setting == 0:
                    continue
                _check_cancelled(cancelled)
                if name == "noise":
                    spoiled = _noisy(images, float(setting), shared)
                elif name == "rotation":
                    spoiled = _rotate_padded(shared, float(setting), h, w)
                elif name == "thickness":   # ±2 is one more step from ±1: kept, not redone
                    spoiled = _thickness_from(thickened, images, int(setting))
                else:
                    spoiled = spoiler.function(images, setting)
                wrong[name][i] += _wrong(model, spoiled.reshape(m, h * w), labels)
    return {name: (spoiler.settings.copy(), 1.0 - wrong[name] / n)
            for name, spoiler in SPOILERS.items()}
