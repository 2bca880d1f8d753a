"""Data augmentation of a training batch, in place: per-image random shifts and rotations, and noise.

The Trainer copies each batch's rows into its reused batch buffer and hands that buffer to an
`Augmenter`, so the data set itself is never copied or changed. Each image of a batch gets its own
random rotation (uniform in ±r degrees, bilinear, zeros moved in), its own random whole-pixel shift
(uniform in −k … k, each axis on its own) and Gaussian noise N(0, σ²) per pixel, clipped to [0, 1].
The conventions are engine.robustness's: a positive angle turns the image counter-clockwise on
screen, a positive shift moves it down / right.
"""
from __future__ import annotations

import math

import numpy as np


def image_shape_for(n_inputs: int, image_shape=None) -> tuple[int, int]:
    """(h, w) of flat images of n_inputs pixels: image_shape checked, or a square one when None.

    Raises ValueError, in words for the user, when the inputs are not images of that shape.
    """
    if image_shape is None:
        side = math.isqrt(int(n_inputs))
        if side * side != n_inputs:
            raise ValueError(f"data augmentation (shift, rotation, noise) needs image inputs: "
                             f"{n_inputs} inputs are not a square image, and no image shape was given")
        return side, side
    h, w = (int(s) for s in image_shape)
    if h < 1 or w < 1 or h * w != n_inputs:
        raise ValueError(f"data augmentation needs image inputs: {n_inputs} inputs are not "
                         f"{h}×{w} images")
    return h, w


def _cos_sin(degrees: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of angles in degrees, exact (0, ±1) at multiples of 90° (as robustness's)."""
    radians = np.deg2rad(degrees)
    cos, sin = np.cos(radians), np.sin(radians)
    quarter = np.remainder(degrees, 90) == 0
    if quarter.any():
        k = (np.floor_divide(degrees[quarter], 90).astype(np.int64)) % 4
        cos[quarter] = np.array([1.0, 0.0, -1.0, 0.0])[k]
        sin[quarter] = np.array([0.0, 1.0, 0.0, -1.0])[k]
    return cos, sin


def _array(work: dict | None, name: str, shape, dtype) -> np.ndarray:
    """A work array: kept in `work` between calls (fresh memory costs page faults at every call)."""
    if work is None:
        return np.empty(shape, dtype)
    array = work.get(name)
    if array is None or array.shape != tuple(shape) or array.dtype != dtype:
        array = work[name] = np.empty(shape, dtype)
    return array


def transform(images: np.ndarray, image_shape, degrees=None, shifts=None, out=None,
              work: dict | None = None) -> np.ndarray:
    """Each image turned by its own angle about its centre, then moved by its own whole-pixel shift.

    Args:
        images: (m, h·w) flat images (or (m, h, w)); not changed unless it is `out`.
        image_shape: (h, w). degrees: None (no rotation) or (m,) angles, counter-clockwise on screen
            for positive ones (bilinear, zeros outside the image). shifts: None or (m, 2) integers
            (down, right), negative up / left, zeros moved in.
        out: where to write the result (may be `images`: done in place); default a new array.
        work: a dict in which to keep the work arrays from call to call (an Augmenter's).
    Returns:
        out, shaped like images. For one angle and no shift it equals robustness.rotate's image
        (to rounding); with a pure shift, robustness.shift's exactly. Values stay within
        [min(0, images.min()), max(0, images.max())], so images in [0, 1] stay in [0, 1].
    """
    images = np.asarray(images)
    h, w = (int(s) for s in image_shape)
    m = len(images)
    out = np.empty_like(images) if out is None else out
    if m == 0:
        return out
    flat = images.reshape(m, h * w)
    result = out.reshape(m, h, w)
    if shifts is None:
        down = right = np.zeros(m, np.intp)
    else:
        shifts = np.asarray(shifts)
        # a shift of a whole side or more leaves nothing: clamped there, the frame below covers it
        down, right = np.clip(shifts[:, 0], -h, h).astype(np.intp), np.clip(shifts[:, 1], -w, w).astype(np.intp)
    index = _array(work, "index", (m, h, w), np.intp)
    if degrees is None:
        # whole pixels: each image in a zero frame of `pad` pixels, read at an offset
        pad = int(max(np.abs(down).max(), np.abs(right).max()))
        H, W = h + 2 * pad, w + 2 * pad
        framed = _array(work, f"framed{pad}", (m, H, W), images.dtype)
        framed.fill(0)
        framed[:, pad:pad + h, pad:pad + w] = flat.reshape(m, h, w)
        rows = (np.arange(h)[None, :] - down[:, None] + pad) * W + (np.arange(m) * (H * W))[:, None]
        cols = np.arange(w)[None, :] - right[:, None] + pad
        np.add(rows[:, :, None], cols[:, None, :], out=index)
        np.take(framed.reshape(-1), index, out=result, mode="clip")   # every index is in the frame
        return out
    low, high = min(0.0, float(flat.min())), max(0.0, float(flat.max()))
    cos, sin = _cos_sin(np.asarray(degrees, np.float64))
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    # offsets from the centre of the output pixel (r, c) before the shift: (r − down − cy, c − right − cx)
    oy = (np.arange(h) - cy)[None, :] - down[:, None]            # (m, h)
    ox = (np.arange(w) - cx)[None, :] - right[:, None]           # (m, w)
    # the source position each output pixel samples, kept within [−1, h] × [−1, w]: beyond that
    # every tap is in the zero frame anyway
    # in the images' precision (float32: positions to ~2e-6 px, far below what a bilinear tap resolves)
    real = images.dtype if images.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    sy, sx = _array(work, "sy", (m, h, w), real), _array(work, "sx", (m, h, w), real)
    np.add((cy + cos[:, None] * oy)[:, :, None], (sin[:, None] * ox)[:, None, :], out=sy)
    np.add((cx - sin[:, None] * oy)[:, :, None], (cos[:, None] * ox)[:, None, :], out=sx)
    np.clip(sy, -1.0, h, out=sy)
    np.clip(sx, -1.0, w, out=sx)
    # each image in a zero frame: 1 pixel above and left, 2 below and right (the taps y0 + 1 ≤ h + 1)
    H, W = h + 3, w + 3
    framed = _array(work, "framed", (m, H, W), images.dtype)
    framed.fill(0)
    framed[:, 1:h + 1, 1:w + 1] = flat.reshape(m, h, w)
    source = framed.reshape(-1)
    fy, fx = _array(work, "fy", (m, h, w), images.dtype), _array(work, "fx", (m, h, w), images.dtype)
    other = _array(work, "other", (m, h, w), np.intp)
    np.copyto(index, np.arange(m)[:, None, None] * (H * W) + W + 1)   # (1, 1): pixel (0, 0) in the frame
    whole = _array(work, "whole", (m, h, w), real)
    for s, f, stride in ((sy, fy, W), (sx, fx, 1)):
        np.floor(s, out=whole)
        np.subtract(s, whole, out=f, casting="same_kind")
        np.copyto(other, whole, casting="unsafe")
        if stride != 1:
            other *= stride
        index += other
    taps = [_array(work, f"tap{k}", (m, h, w), images.dtype) for k in range(4)]
    top_left, top_right, bottom_left, bottom_right = taps
    # every index is inside the frame by construction: "clip" only skips the bounds check's cost
    np.take(source, index, out=top_left, mode="clip")
    np.add(index, 1, out=other)
    np.take(source, other, out=top_right, mode="clip")
    index += W
    np.take(source, index, out=bottom_left, mode="clip")
    np.add(index, 1, out=other)
    np.take(source, other, out=bottom_right, mode="clip")
    top_right -= top_left                                         # bilinear: two lerps across, one down
    top_right *= fx
    top_left += top_right
    bottom_right -= bottom_left
    bottom_right *= fx
    bottom_left += bottom_right
    bottom_left -= top_left
    bottom_left *= fy
    top_left += bottom_left
    np.clip(top_left, low, high, out=result)     # a convex mix of the pixels and 0, up to rounding
    return out


class Augmenter:
    """Random shifts, rotations and noise applied to batches in place, from its own seeded generator.

    Args:
        image_shape: (h, w) of the flat images. shift: k, the largest shift in pixels (each axis
            uniform in −k … k). rotation: r, the largest angle in degrees (uniform in −r … r).
        noise: σ of the Gaussian noise added to every pixel (then clipped to [0, 1]).
        seed: the generator's seed (`rng`; its state is what a saved run keeps).
    """

    def __init__(self, image_shape, shift: int = 0, rotation: float = 0.0, noise: float = 0.0, seed=0):
        check_amounts(shift, rotation, noise)
        self.image_shape = tuple(int(s) for s in image_shape)
        self.shift, self.rotation, self.noise = int(shift), float(rotation), float(noise)
        self.rng = np.random.default_rng(seed)
        self._work: dict = {}    # transform's work arrays and the noise's, reused batch to batch

    @property
    def active(self) -> bool:
        return bool(self.shift or self.rotation or self.noise)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Augment the batch X (m, h·w) in place (each image its own draws) and return it."""
        m = len(X)
        if self.shift or self.rotation:
            degrees = self.rng.uniform(-self.rotation, self.rotation, m) if self.rotation else None
            shifts = self.rng.integers(-self.shift, self.shift, (m, 2), endpoint=True) if self.shift else None
            transform(X, self.image_shape, degrees, shifts, out=X, work=self._work)
        if self.noise:
            dtype = X.dtype.type if X.dtype in (np.float32, np.float64) else np.float64
            field = _array(self._work, "noise", X.shape, dtype)
            self.rng.standard_normal(out=field, dtype=dtype)
            field *= self.noise
            X += field
            np.clip(X, 0.0, 1.0, out=X)
        return X


def check_amounts(shift, rotation, noise) -> None:
    """Raise ValueError unless shift is a whole number ≥ 0, rotation in [0, 180] and noise ≥ 0."""
    if isinstance(shift, bool) or int(shift) != shift or shift < 0:
        raise ValueError(f"the augmentation's shift is a whole number of pixels ≥ 0, got {shift}")
    if not (math.isfinite(rotation) and 0 <= rotation <= 180):
        raise ValueError(f"the augmentation's rotation is a number of degrees from 0 to 180, got {rotation}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"the augmentation's noise σ must be a number ≥ 0, got {noise}")
