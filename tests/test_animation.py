"""The weights animation's frames and GIF, without Qt: trainer_gui/animation.py.

Colours are checked against a lookup table made here and the rule pyqtgraph's ImageItem follows
(entry floor((v + limit) · N / 2·limit), clipped); test_gui_animation.py checks the same rule against
the weights view's own pixels and the exported GIF of a run trained in the window.
"""
import io
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from engine import Snapshot
from trainer_gui import animation
from trainer_gui.animation import (GAP, MARGIN, MAX_FRAME_MS, MIN_FRAME_MS, SCALE, FrameRenderer, LimitAccumulator,
                                   Palette, Sheet, WeightsAnimation, epoch_labels, evenly_spaced, frame_ms,
                                   render_weights, text_coverage)
from trainer_gui.state import RunRecord
from trainer_gui.tiles import symmetric_limit


def ramp_lut(n=256) -> np.ndarray:
    """A blue-to-red table of n distinct entries, neighbours 1 unit apart (as most of CET-D1's are)."""
    i = np.arange(n)
    return np.stack([i, 255 - np.abs(i - n // 2), 255 - i], 1).clip(0, 255).astype(np.uint8)


LUT = ramp_lut()


def expected_colour(value, limit, lut=LUT):
    index = int(np.clip(math.floor((value + limit) * len(lut) / (2 * limit)), 0, len(lut) - 1))
    return lut[index].astype(int)


def pixel(frame: Image.Image, x, y):
    return np.array(frame.convert("RGB").getpixel((x, y)), int)


def test_the_module_imports_no_qt():
    code = ("import sys, trainer_gui.animation; "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_palette_holds_the_whole_colour_map_and_the_inks():
    palette = Palette(LUT)
    colours = palette.colors[palette.of_lut].astype(int)
    assert np.abs(colours - LUT).max() <= 1       # 5 entries share a neighbour 1 unit away
    assert len(set(palette.of_lut.tolist())) == 256 - 5 and len(palette.colors) == 255   # one slot free
    assert [tuple(palette.colors[i]) for i in (palette.white, palette.black)] == [(255, 255, 255), (0, 0, 0)]
    small = Palette(LUT[::4])                     # 64 entries: room for all, nothing merged
    assert np.array_equal(small.colors[small.of_lut], LUT[::4])
    with pytest.raises(ValueError):
        Palette(np.zeros((300, 3), np.uint8))


def test_a_frame_colours_each_weight_as_pyqtgraph_does_and_enlarges_tiles_without_blending():
    rng = np.random.default_rng(1)
    weights = rng.normal(0, 1, (4 * 5, 7)).astype(np.float32)     # 7 units of 4×5 pixels
    limit = 1.5
    frame = render_weights(weights, LUT, image_shape=(4, 5), change=False, columns=3, limit=limit)
    renderer = FrameRenderer(Sheet((4, 5), 0, 7, 3, change=False), LUT, limit)
    assert frame.mode == "P" and frame.size == renderer.size
    assert renderer.grid_size == (SCALE * (3 * (5 + GAP) - GAP), SCALE * (3 * (4 + GAP) - GAP))
    x0, y0 = renderer.grid_origin
    rgb = np.asarray(frame.convert("RGB")).astype(int)
    for unit in range(7):
        row, col = divmod(unit, 3)
        for i in range(4):
            for j in range(5):
                value = weights[i * 5 + j, unit]
                x = x0 + SCALE * (col * (5 + GAP) + j)
                y = y0 + SCALE * (row * (4 + GAP) + i)
                block = rgb[y:y + SCALE, x:x + SCALE].reshape(-1, 3)
                assert (block == block[0]).all()                   # nearest neighbour: one colour
                assert np.abs(block[0] - expected_colour(value, limit)).max() <= 1, (unit, i, j)
    gap_x = x0 + SCALE * 5                                           # the column between tiles 0 and 1
    assert (rgb[y0:y0 + SCALE * 4, gap_x:gap_x + SCALE] == 255).all()
    empty = rgb[y0 + SCALE * 2 * (4 + GAP):, x0 + SCALE * (5 + GAP):x0 + renderer.grid_size[0]]  # after tile 6
    assert (empty[:SCALE * 4] == 255).all()


def test_change_mode_shows_w_minus_w0_and_no_change_is_the_maps_middle():
    rng = np.random.default_rng(2)
    initial = rng.normal(0, 1, (9, 4)).astype(np.float32)
    frame = render_weights(initial, LUT, initial=initial, image_shape=(3, 3), limit=1.0)
    renderer = FrameRenderer(Sheet((3, 3), 0, 4, 2), LUT, 1.0)
    x0, y0 = renderer.grid_origin
    grid = np.asarray(frame.convert("RGB"))[y0:y0 + renderer.grid_size[1], x0:x0 + renderer.grid_size[0]]
    middle = LUT[128]
    tiles = (grid == middle).all(axis=2) | (grid == 255).all(axis=2)
    assert tiles.all() and (grid == middle).all(axis=2).sum() == 4 * 9 * SCALE * SCALE
    moved = initial.copy()
    moved[4, 2] += 0.5                           # unit 2's centre pixel
    frame = render_weights(moved, LUT, initial=initial, image_shape=(3, 3), limit=1.0)
    x = x0 + SCALE * (0 * 4 + 1)
    y = y0 + SCALE * (1 * 4 + 1)                 # unit 2: row 1, column 0 of 2
    assert np.abs(pixel(frame, x + 1, y + 1) - expected_colour(0.5, 1.0)).max() <= 1
    with pytest.raises(ValueError, match="initial"):
        render_weights(moved, LUT, image_shape=(3, 3), limit=1.0)


def test_the_epoch_is_written_top_left_large_enough_to_read():
    weights = np.zeros((784, 100), np.float32)
    blank = np.asarray(render_weights(weights, LUT, change=False, limit=1.0).convert("L"))
    labelled = np.asarray(render_weights(weights, LUT, change=False, limit=1.0, epoch=2.35).convert("L"))
    ink = np.argwhere(blank != labelled)
    assert len(ink) > 200
    (top, left), (bottom, right) = ink.min(0), ink.max(0)
    assert left >= MARGIN - 2 and top >= MARGIN - 2 and right < blank.shape[1] // 3   # the top-left corner
    assert bottom - top >= 14                                     # digits about 20 px high on a 887 px frame
    assert labelled[ink[:, 0], ink[:, 1]].min() == 0              # black letters
    assert text_coverage("epoch 2.35", 24).shape[0] >= 20


def test_captions_sit_in_the_tiles_corners():
    weights = np.zeros((16, 3), np.float32)
    plain = np.asarray(render_weights(weights, LUT, image_shape=(4, 4), change=False, limit=1.0).convert("L"))
    captioned = np.asarray(render_weights(weights, LUT, image_shape=(4, 4), change=False, limit=1.0,
                                          captions=("a", "b", "c")).convert("L"))
    renderer = FrameRenderer(Sheet((4, 4), 0, 3, 2), LUT, 1.0)
    x0, y0 = renderer.grid_origin
    changed = np.argwhere(plain != captioned)
    assert len(changed) and changed[:, 0].min() >= y0 and changed[:, 1].min() >= x0


def test_evenly_spaced_moments_keep_the_first_and_the_last():
    assert evenly_spaced(5, 300) == [0, 1, 2, 3, 4]
    chosen = evenly_spaced(1000, 300)
    assert len(chosen) == 300 and chosen[0] == 0 and chosen[-1] == 999
    gaps = np.diff(chosen)
    assert gaps.min() >= 3 and gaps.max() <= 4


def test_frames_play_at_two_epochs_a_second_within_what_viewers_honour():
    assert frame_ms(3.0, 25) == 60                  # 1.5 s for 3 epochs over 24 intervals: 62.5 ms
    assert frame_ms(3.0, 301) == MIN_FRAME_MS       # 5 ms would be played at 100 ms by browsers
    assert frame_ms(100.0, 300) == MAX_FRAME_MS     # never slower than 10 frames a second
    assert frame_ms(0.0, 1) == MAX_FRAME_MS
    assert all(frame_ms(span, n) % 10 == 0 for span in (0.3, 1.7, 9.1) for n in (2, 7, 50))


def test_epoch_labels_have_the_decimals_that_tell_moments_apart():
    assert epoch_labels([0.0, 0.125, 2.35]) == ["epoch 0.00", "epoch 0.12", "epoch 2.35"]
    assert epoch_labels([1.001, 1.002]) == ["epoch 1.001", "epoch 1.002"]


@pytest.mark.parametrize("seed", range(5))
def test_the_scale_of_all_frames_is_symmetric_limit_of_them_all(seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_t(2, size=(rng.integers(1, 50), 3)).astype(np.float32) for _ in range(6)]
    arrays[2][0, 0] = np.nan
    accumulator = LimitAccumulator()
    for a in arrays:
        accumulator.add(a)
    together = np.concatenate([a.ravel() for a in arrays])
    assert accumulator.limit == pytest.approx(symmetric_limit(together), rel=1e-6)
    assert LimitAccumulator().limit == 1.0 and LimitAccumulator().add(np.zeros(3)).limit == 1.0


def a_record(moments=9, units=5, shape=(4, 4), batches_per_epoch=4, seed=3):
    """A RunRecord whose first layer drifts away from W₀ step by step."""
    rng = np.random.default_rng(seed)
    record = RunRecord(None, None, batches_per_epoch)
    initial = rng.normal(0, 0.1, (shape[0] * shape[1], units)).astype(np.float32)
    drift = rng.normal(0, 0.05, initial.shape).astype(np.float32)
    for step in range(moments):
        weights = initial + step * drift
        epoch, batch = divmod(step, batches_per_epoch)
        record.add_snapshot(Snapshot([weights], [np.zeros(units, np.float32)], step, epoch, step * 10), batch)
    return record, initial, drift


def test_a_gif_of_a_record_has_a_frame_per_moment_on_one_scale_and_loops():
    record, initial, drift = a_record()
    sheet = Sheet((4, 4), 0, 5, 3)
    made = WeightsAnimation.from_record(record, sheet)
    assert made.frames == made.moments == 9 and made.steps == record.steps
    assert made.limit == pytest.approx(symmetric_limit(np.stack([s * drift for s in range(9)])), rel=1e-5)
    out = io.BytesIO()
    made.write_gif(out, LUT)
    gif = Image.open(io.BytesIO(out.getvalue()))
    renderer = FrameRenderer(sheet, LUT, made.limit)
    assert gif.format == "GIF" and gif.n_frames == 9 and gif.info["loop"] == 0
    x0, y0 = renderer.grid_origin
    durations = []
    for k in range(9):
        gif.seek(k)
        durations.append(gif.info["duration"])
        assert gif.size == renderer.size
        value = k * drift[5, 4]                                  # unit 4 (row 1, column 1), pixel (1, 1)
        x = x0 + SCALE * (1 * (4 + GAP) + 1) + 1
        y = y0 + SCALE * (1 * (4 + GAP) + 1) + 1
        assert np.abs(pixel(gif, x, y) - expected_colour(value, made.limit)).max() <= 1, k
    assert durations == made.durations() and durations[-1] >= 1000
    assert durations[0] == frame_ms(8 / 4, 9)


def test_a_long_record_is_cut_to_evenly_spaced_moments():
    record, *_ = a_record(moments=40)
    made = WeightsAnimation.from_record(record, Sheet((4, 4), 0, 5, 3), most=10)
    assert made.frames == 10 and made.moments == 40
    assert made.steps[0] == 0 and made.steps[-1] == 39
    out = io.BytesIO()
    made.write_gif(out, LUT)
    assert Image.open(io.BytesIO(out.getvalue())).n_frames == 10


def test_a_layer_that_is_no_image_is_refused():
    record, *_ = a_record(shape=(4, 4))
    with pytest.raises(ValueError, match="16 inputs"):
        WeightsAnimation.from_record(record, Sheet((28, 28), 0, 5, 3))
    with pytest.raises(ValueError, match="no recorded moments"):
        WeightsAnimation.from_record(RunRecord(None, None, 4), Sheet((4, 4), 0, 5, 3))


def test_max_frames_is_read_when_the_animation_is_made(monkeypatch):
    record, *_ = a_record(moments=12)
    monkeypatch.setattr(animation, "MAX_FRAMES", 4)
    assert WeightsAnimation.from_record(record, Sheet((4, 4), 0, 5, 3)).frames == 4


def test_a_caption_wider_than_its_tile_is_shortened_with_an_ellipsis():
    weights = np.zeros((16, 2), np.float32)
    frame = render_weights(weights, LUT, image_shape=(4, 4), change=False, limit=1.0, columns=2,
                           captions=("a very long class name", "b"))
    renderer = FrameRenderer(Sheet((4, 4), 0, 2, 2), LUT, 1.0)
    x0, y0 = renderer.grid_origin
    rgb = np.asarray(frame.convert("RGB")).astype(int)
    gap = rgb[y0:y0 + SCALE * 4, x0 + SCALE * 4:x0 + SCALE * (4 + GAP)]     # between the two tiles
    assert (gap == 255).all()
    assert animation.fitted_text("a very long class name", 12, 40).shape[1] <= 40


def test_a_record_of_one_moment_makes_a_still_gif():
    """An opened model without W₀ has a single moment: one frame, no change, no crash."""
    record, *_ = a_record(moments=1)
    made = WeightsAnimation.from_record(record, Sheet((4, 4), 0, 5, 3))
    out = io.BytesIO()
    made.write_gif(out, LUT)
    gif = Image.open(io.BytesIO(out.getvalue()))
    assert gif.n_frames == 1 and gif.size == FrameRenderer(made.sheet, LUT, made.limit).size
