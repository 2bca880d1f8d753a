"""The weights view replayed over a run's recorded moments, as an animated GIF; no Qt.

A frame is the first layer's tile grid as the weights view draws it: the same tiles (one page of
units, in the same columns, with the same captions), the same mode (the change since the start,
W − W₀, or the weights themselves) and the same colour map, whose 256-entry lookup table the Qt
side passes in (`pg.colormap.get(WEIGHT_COLORMAP).getLookupTable(nPts=256)`, what the view's image
uses). A value v is coloured as pyqtgraph colours it: entry floor((v + limit) · 256 / (2 · limit)) of
the table, clipped to its ends. Unlike the view, whose scale follows each moment, the animation
keeps one scale ±limit for all its frames (symmetric_limit over every frame's values), so a colour
means the same value in every frame; the scale is written under the grid.

Each tile is enlarged SCALE times with nearest-neighbour sampling (a pixel of the weights becomes a
SCALE × SCALE square: strokes stay crisp in slides), and the moment's epoch ("epoch 2.35") is
written in the top-left corner with Pillow's default font, scaled up to be read from the back of
a room.

Frames are palette images sharing one palette: the colour map's entries and four inks (white,
black and two greys for the edges of the letters), 255 colours in all. A GIF holds 256; the last is
left free for the writer to mark the pixels a frame leaves as they were (transparent), which about
halves the file. So the 5 entries of the colour map that lie closest to a neighbour are drawn with
that neighbour's colour (1 unit of 255 apart in CET-D1). No frame is dithered or quantised, and
every frame has the same colours.

The animation has one frame per recorded moment (at most MAX_FRAMES: evenly spaced moments beyond
that, the first and the last always among them), plays at EPOCHS_PER_SECOND epochs a second within
the frame rates viewers honour, holds the last frame a moment, and loops forever.

Gathering the moments from a RunRecord (WeightsAnimation.from_record) reads the record and must run
in the thread that owns it (the GUI thread); it copies only the page of units drawn. Rendering and
encoding (WeightsAnimation.write_gif) touch nothing shared and may run in any thread.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .tiles import grid_columns, tile_images, unit_images

MAX_FRAMES = 120          # more moments than this: evenly spaced ones (a slide-sized file: ~5 MB for 100 tiles)
SCALE = 2                 # each weight pixel becomes SCALE × SCALE pixels (28 × 28 tiles → 56 × 56)
GAP = 1                   # weight pixels between tiles, white (the view's background), as the view
EPOCHS_PER_SECOND = 2.0   # how fast the run replays
MIN_FRAME_MS = 20         # browsers play shorter GIF delays (0 or 10 ms) at 100 ms
MAX_FRAME_MS = 100        # at least 10 frames a second, however sparse the moments
HOLD_LAST_MS = 1500       # the last frame stays this long before the loop starts again
MARGIN = 10               # px of white around the grid and the texts
WHITE, BLACK, DARK_GREY, LIGHT_GREY = (255, 255, 255), (0, 0, 0), (85, 85, 85), (170, 170, 170)
INKS = (WHITE, BLACK, DARK_GREY, LIGHT_GREY)
PALETTE_SIZE = 255        # one of GIF's 256 colours stays free: the writer's "unchanged" (transparent) index


# --- colours ------------------------------------------------------------------------------------

class Palette:
    """One GIF palette for every frame: the colour map's lookup table, then the inks.

    Args:
        lut: (N, 3) or (N, 4) uint8 lookup table of the colour map (N <= 256; alpha is ignored).

    Attributes:
        colors: (at most PALETTE_SIZE, 3) uint8, the palette. of_lut: (N,) uint8, the palette index of each entry
        of the lookup table. white, black, dark_grey, light_grey: the inks' palette indices.
    """

    def __init__(self, lut):
        lut = np.asarray(lut)
        if lut.ndim != 2 or lut.shape[1] not in (3, 4) or not 2 <= len(lut) <= 256:
            raise ValueError(f"a colour map's lookup table is (N, 3) with 2 <= N <= 256, not {lut.shape}")
        self.lut = lut[:, :3].astype(np.uint8)
        n = len(self.lut)
        merged = _entries_to_merge(self.lut, max(0, n + len(INKS) - PALETTE_SIZE))
        kept = [i for i in range(n) if i not in merged]
        index = {entry: position for position, entry in enumerate(kept)}
        for entry, neighbour in merged.items():
            index[entry] = index[neighbour]
        self.of_lut = np.array([index[i] for i in range(n)], dtype=np.uint8)
        self.white, self.black, self.dark_grey, self.light_grey = range(len(kept), len(kept) + len(INKS))
        self.colors = np.concatenate([self.lut[kept], np.array(INKS, np.uint8)])

    def lut_indices(self, values: np.ndarray, limit: float) -> np.ndarray:
        """Entries of the lookup table for `values` on the scale ±limit, as pyqtgraph's ImageItem
        picks them with levels (-limit, limit); -1 where a value is NaN (a gap between tiles)."""
        n = len(self.lut)
        with np.errstate(invalid="ignore"):
            scaled = np.floor((values.astype(np.float64) + limit) * (n / (2.0 * limit)))
        entries = np.clip(np.nan_to_num(scaled, nan=0.0), 0, n - 1).astype(np.int16)
        entries[np.isnan(values)] = -1
        return entries

    def indices(self, values: np.ndarray, limit: float) -> np.ndarray:
        """Palette indices (uint8) for `values` on the scale ±limit; NaN is white."""
        entries = self.lut_indices(values, limit)
        out = self.of_lut[np.maximum(entries, 0)]
        out[entries < 0] = self.white
        return out

    def ink(self, coverage: np.ndarray) -> np.ndarray:
        """Palette indices for text: coverage 0 (paper) .. 1 (ink), in four shades."""
        shades = np.array([self.white, self.light_grey, self.dark_grey, self.black], np.uint8)
        return shades[np.clip(np.rint(coverage * 3), 0, 3).astype(np.intp)]


def _entries_to_merge(lut: np.ndarray, count: int) -> dict[int, int]:
    """`count` inner entries of `lut`, none next to another, each closest to a neighbour it is
    then drawn as: {entry: neighbour}."""
    merged: dict[int, int] = {}
    colours = lut.astype(np.int16)
    distance = {}
    for i in range(1, len(lut) - 1):
        before, after = (int(np.abs(colours[i] - colours[j]).max()) for j in (i - 1, i + 1))
        distance[i] = (min(before, after), i - 1 if before <= after else i + 1)
    for i in sorted(distance, key=lambda i: (distance[i][0], i)):
        if len(merged) == count:
            break
        if not any(j in merged or j in merged.values() for j in (i - 1, i, i + 1)):
            merged[i] = distance[i][1]
    if len(merged) < count:
        raise ValueError("the colour map has too many entries to share a GIF palette with the inks")
    return merged


# --- text ---------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _font(size: int):
    """Pillow's default font at `size` px (FreeType), or its bitmap font (with an integer factor
    to enlarge it by) where Pillow has no FreeType."""
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:          # Pillow < 10.1: no sizes
        font = ImageFont.load_default()
    if isinstance(font, ImageFont.FreeTypeFont):
        return font, 1
    return font, max(1, round(size / 11))


def text_coverage(text: str, size: int) -> np.ndarray:
    """How much ink each pixel of `text` written `size` px high gets: float (h, w) in 0..1."""
    font, factor = _font(size)
    left, top, right, bottom = font.getbbox(text)
    if isinstance(font, ImageFont.FreeTypeFont):
        ascent, descent = font.getmetrics()
        height = ascent + descent
    else:
        height = bottom
    picture = Image.new("L", (max(1, math.ceil(right) + 1), max(1, math.ceil(height))), 0)
    ImageDraw.Draw(picture).text((0, 0), text, fill=255, font=font)
    coverage = np.asarray(picture, dtype=np.float32) / 255.0
    if factor > 1:
        coverage = np.repeat(np.repeat(coverage, factor, axis=0), factor, axis=1)
    return coverage


def fitted_text(text: str, size: int, room: int) -> np.ndarray:
    """text_coverage of `text`, shortened with "…" to at most `room` px wide (a class name such as
    "Ankle boot" is wider than a tile, as in the view)."""
    coverage = text_coverage(text, size)
    shortened = text
    while coverage.shape[1] > room and len(shortened) > 1:
        shortened = shortened[:-1]
        coverage = text_coverage(shortened.rstrip() + "…", size)
    return coverage[:, :room]


def _stamp(canvas: np.ndarray, coverage: np.ndarray, x: int, y: int, palette: Palette,
           backing: bool = False) -> None:
    """Write text (its coverage) into the palette image `canvas` at (x, y), clipped to the canvas;
    with `backing`, on a white box of its size (a caption over a tile)."""
    h = min(coverage.shape[0], canvas.shape[0] - y)
    w = min(coverage.shape[1], canvas.shape[1] - x)
    if h <= 0 or w <= 0:
        return
    ink = coverage[:h, :w]
    region = canvas[y:y + h, x:x + w]
    if backing:
        region[...] = palette.white
    drawn = ink > 1 / 6
    region[drawn] = palette.ink(ink)[drawn]


# --- one frame ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """Which units a frame draws and how, as the weights view draws them.

    image_shape: (rows, cols) of an input image. start, count: the units drawn (one page; fewer
    at the last). columns: tiles in a row. change: W − W₀ (True) or the weights. captions: one per
    tile drawn (the view captions up to 16 tiles: classes), or none.
    """
    image_shape: tuple
    start: int
    count: int
    columns: int
    change: bool = True
    captions: tuple = ()

    def values(self, weights: np.ndarray, initial: np.ndarray | None) -> np.ndarray:
        """What the tiles show of a first layer (inputs, units): its page's columns, minus W₀'s
        in change mode; (inputs, count) float32."""
        page = np.array(weights[:, self.start:self.start + self.count], dtype=np.float32)   # a copy
        if self.change:
            if initial is None:
                raise ValueError("the change since the start needs the initial weights W₀")
            page = page - np.asarray(initial[:, self.start:self.start + self.count], dtype=np.float32)
        return page


class FrameRenderer:
    """Draws frames of one Sheet on one colour scale ±limit: white paper, the epoch top left, the
    tile grid, and under it the mode and the colour scale.

    `grid_origin` is the (x, y) of the grid's top-left pixel in a frame, and `size` a frame's
    (width, height): tile k's pixel (i, j) is at grid_origin + SCALE · (col·(w+GAP) + j,
    row·(h+GAP) + i), with row, col = divmod(k, sheet.columns).
    """

    def __init__(self, sheet: Sheet, lut, limit: float):
        if not (limit > 0 and math.isfinite(limit)):
            raise ValueError(f"the colour scale needs a finite positive limit, not {limit}")
        self.sheet, self.limit, self.palette = sheet, float(limit), Palette(lut)
        h, w = sheet.image_shape
        rows = max(1, math.ceil(sheet.count / sheet.columns))
        self.grid_size = (SCALE * (sheet.columns * (w + GAP) - GAP), SCALE * (rows * (h + GAP) - GAP))
        grid_w, grid_h = self.grid_size
        self.font_px = int(min(32, max(16, round(grid_w / 28))))
        self.legend_px = int(max(12, round(self.font_px * 0.6)))
        self._legend = self._legend_picture()
        header_h = text_coverage("epoch 0123456789", self.font_px).shape[0]
        width = max(grid_w, self._legend.shape[1]) + 2 * MARGIN
        self.grid_origin = (MARGIN, MARGIN + header_h + MARGIN // 2)
        legend_y = self.grid_origin[1] + grid_h + MARGIN // 2
        self.size = (width, legend_y + self._legend.shape[0] + MARGIN)
        self._background = np.full((self.size[1], self.size[0]), self.palette.white, np.uint8)
        legend_h, legend_w = self._legend.shape
        self._background[legend_y:legend_y + legend_h, MARGIN:MARGIN + legend_w] = self._legend
        self._captions = [fitted_text(str(caption), self.legend_px, SCALE * sheet.image_shape[1])
                          for caption in sheet.captions]

    def _legend_picture(self) -> np.ndarray:
        """The mode, then the scale: "-0.08 [the colour map] +0.08", as palette indices."""
        p = self.palette
        what = text_coverage("change since start" if self.sheet.change else "weights", self.legend_px)
        low = text_coverage(f"-{self.limit:.2g}", self.legend_px)
        high = text_coverage(f"+{self.limit:.2g}", self.legend_px)
        height = max(what.shape[0], low.shape[0])
        bar_w, bar_h = 8 * self.legend_px, max(4, int(height * 0.6))
        space = self.legend_px
        width = what.shape[1] + 2 * space + low.shape[1] + space // 2 + bar_w + space // 2 + high.shape[1]
        picture = np.full((height, width), p.white, np.uint8)
        _stamp(picture, what, 0, (height - what.shape[0]) // 2, p)
        x = what.shape[1] + 2 * space
        _stamp(picture, low, x, (height - low.shape[0]) // 2, p)
        x += low.shape[1] + space // 2
        entries = np.floor(np.arange(bar_w) * len(p.lut) / bar_w).astype(np.intp)   # -limit .. +limit
        top = (height - bar_h) // 2
        picture[top:top + bar_h, x:x + bar_w] = p.of_lut[entries]
        x += bar_w + space // 2
        _stamp(picture, high, x, (height - high.shape[0]) // 2, p)
        return picture

    def grid(self, values: np.ndarray) -> np.ndarray:
        """The tile grid of `values` (inputs, count) as palette indices, enlarged SCALE times."""
        sheet = self.sheet
        images = unit_images(values, sheet.image_shape, 0, sheet.count)
        picture = self.palette.indices(tile_images(images, sheet.columns, GAP), self.limit)
        return np.repeat(np.repeat(picture, SCALE, axis=0), SCALE, axis=1)

    def frame(self, values: np.ndarray, label: str = "") -> Image.Image:
        """One frame ("P" image, this renderer's palette): `values` (inputs, count) are what the
        tiles show (Sheet.values), `label` the text of the top-left corner."""
        canvas = self._background.copy()
        x0, y0 = self.grid_origin
        grid = self.grid(values)
        canvas[y0:y0 + grid.shape[0], x0:x0 + grid.shape[1]] = grid
        h, w = self.sheet.image_shape
        for k, caption in enumerate(self._captions):
            row, col = divmod(k, self.sheet.columns)
            _stamp(canvas, caption, x0 + SCALE * col * (w + GAP), y0 + SCALE * row * (h + GAP), self.palette,
                   backing=True)
        if label:
            _stamp(canvas, text_coverage(label, self.font_px), MARGIN, MARGIN, self.palette)
        image = Image.fromarray(canvas)         # mode "L"; putpalette makes it "P"
        image.putpalette(self.palette.colors.tobytes(), "RGB")
        return image


def render_weights(weights, lut, *, initial=None, image_shape=(28, 28), change: bool = True,
                   start: int = 0, count: int = 100, columns: int | None = None, captions=(),
                   limit: float | None = None, epoch: float | None = None) -> Image.Image:
    """One frame for a first layer `weights` (inputs, units): units start..start+count as tiles,
    W − W₀ (`initial`) in change mode or the weights, coloured through `lut` on ±limit (by default
    the layer's symmetric_limit, as the view), with "epoch E" top left when `epoch` is given.
    A "P" image; .convert("RGB") for the colours."""
    weights = np.asarray(weights)
    count = min(count, weights.shape[1] - start)
    sheet = Sheet(tuple(image_shape), start, count, columns or grid_columns(count), change, tuple(captions))
    if limit is None:
        whole = Sheet(sheet.image_shape, 0, weights.shape[1], 1, change)
        limit = LimitAccumulator().add(whole.values(weights, initial)).limit
    renderer = FrameRenderer(sheet, lut, limit)
    return renderer.frame(sheet.values(weights, initial), "" if epoch is None else f"epoch {epoch:.2f}")


# --- the colour scale of all frames -----------------------------------------------------------

@dataclass
class LimitAccumulator:
    """tiles.symmetric_limit over many arrays without putting them together: three root-mean-squares
    of every finite value, or the largest magnitude when that is smaller; 1 when none is finite."""
    sum_squares: float = 0.0
    finite: int = 0
    largest: float = 0.0

    def add(self, values: np.ndarray) -> "LimitAccumulator":
        values = np.asarray(values)
        ok = np.isfinite(values)
        if not ok.all():
            values = values[ok]
        if values.size:
            self.sum_squares += float(np.sum(np.square(values, dtype=np.float64)))
            self.finite += values.size
            self.largest = max(self.largest, float(np.abs(values).max()))
        return self

    @property
    def limit(self) -> float:
        if not self.finite:
            return 1.0
        limit = min(3.0 * math.sqrt(self.sum_squares / self.finite), self.largest)
        return limit if limit > 0 else 1.0


# --- the animation ------------------------------------------------------------------------------

def evenly_spaced(count: int, most: int = MAX_FRAMES) -> list[int]:
    """Indices of at most `most` of `count` items, evenly spaced, the first and the last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def frame_ms(span_epochs: float, frames: int) -> int:
    """Milliseconds a frame shows so that `frames` frames over `span_epochs` play at
    EPOCHS_PER_SECOND, in GIF's 10 ms steps and within MIN_FRAME_MS..MAX_FRAME_MS."""
    if frames < 2 or not span_epochs > 0:
        return MAX_FRAME_MS
    ms = 1000.0 * span_epochs / EPOCHS_PER_SECOND / (frames - 1)
    return int(min(MAX_FRAME_MS, max(MIN_FRAME_MS, 10 * round(ms / 10))))


def epoch_labels(positions) -> list[str]:
    """ "epoch 2.35" for each position, with the decimals (2 to 4) that tell them all apart."""
    for decimals in (2, 3, 4):
        labels = [f"epoch {p:.{decimals}f}" for p in positions]
        if len(set(labels)) == len(labels):
            break
    return labels


@dataclass
class WeightsAnimation:
    """The frames of a GIF: what each frame's tiles show, its epoch, and the colour scale of all.

    values[i]: (inputs, sheet.count) float32, what frame i's tiles show (W − W₀ or W).
    positions[i]: its epoch (fractional). steps[i]: its step. limit: the scale ±limit of every
    frame. moments: how many moments the run had recorded (more than frames when capped).
    """
    sheet: Sheet
    values: list = field(repr=False)
    positions: list
    steps: list
    limit: float
    moments: int

    @classmethod
    def from_record(cls, record, sheet: Sheet, most: int | None = None) -> "WeightsAnimation":
        """The moments of a RunRecord (in the thread that owns it): all, or `most` (MAX_FRAMES)
        evenly spaced.
        W₀ is the record's first moment (step 0 when the run started there, as the view takes it).
        The colour scale covers the whole layer (every page) in every frame, as the view's covers
        the whole layer of its moment."""
        steps = record.steps
        if not steps:
            raise ValueError("the run has no recorded moments yet")
        chosen = [steps[i] for i in evenly_spaced(len(steps), most or MAX_FRAMES)]
        first = record.at(steps[0]).weights[0]
        rows, cols = sheet.image_shape
        if first.shape[0] != rows * cols:
            raise ValueError(f"the first layer has {first.shape[0]} inputs, not {rows}×{cols} pixels")
        initial = first if sheet.change else None
        accumulator = LimitAccumulator()
        values, positions = [], []
        for step in chosen:
            moment = record.at(step)
            layer = moment.weights[0]
            accumulator.add(layer - initial if sheet.change else layer)
            values.append(sheet.values(layer, initial))
            positions.append(moment.position)
        return cls(sheet, values, positions, chosen, accumulator.limit, len(steps))

    @property
    def frames(self) -> int:
        return len(self.values)

    def durations(self) -> list[int]:
        """Milliseconds each frame shows: frame_ms for all, the last held HOLD_LAST_MS."""
        span = self.positions[-1] - self.positions[0] if self.positions else 0.0
        each = frame_ms(span, self.frames)
        return [each] * (self.frames - 1) + [max(each, HOLD_LAST_MS)]

    def images(self, lut):
        """The frames as "P" images, one at a time (a generator: they are not all kept here)."""
        renderer = FrameRenderer(self.sheet, lut, self.limit)
        for values, label in zip(self.values, epoch_labels(self.positions)):
            yield renderer.frame(values, label)

    def write_gif(self, out, lut) -> None:
        """Encode the animation as a looping GIF into the binary file object `out`."""
        frames = self.images(lut)
        first = next(frames)
        # optimize: Pillow writes only the box that changed, its unchanged pixels transparent (the
        # palette's free index), and drops unused colours from small frames' palettes
        first.save(out, format="GIF", save_all=True, append_images=frames, duration=self.durations(),
                   loop=0, optimize=True, disposal=1)
