"""File ▸ Export ▸ Weights animation (GIF)…: a run trained in the window on 800 digits, exported
through the menu, and the GIF read back with Pillow and checked against the run's recorded weights,
coloured independently here with the view's colour map; and against the weights view's own pixels.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from trainer_gui import animation  # noqa: E402
from trainer_gui.animation import GAP, SCALE, FrameRenderer, render_weights  # noqa: E402
from trainer_gui.file_actions import animation_sheet  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000
LUT = pg.colormap.get("CET-D1").getLookupTable(nPts=256).astype(int)   # the weights view's colour map


@pytest.fixture
def window(small_window):
    """The window on 800 training and 200 validation digits, softmax regression (10 class tiles),
    batches of 100 (8 steps an epoch), 3 epochs."""
    return small_window(kind="softmax", epochs=3)


def train(qtbot, window, steps):
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.session.run.latest_step == steps, timeout=WAIT_MS)
    window.redraw_now()


def export_through_the_menu(qtbot, window, monkeypatch, path):
    """File ▸ Export ▸ Weights animation (GIF)… answered with `path`; waits for the background
    job. Returns (ok, the kinds of dialog asked for)."""
    asked = []
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(kind) or str(path))
    action = widget(window, "exportAnimationAction")
    assert action.isEnabled() and action.text() == "Weights animation (GIF)…"
    assert action in window.menus.export_menu.actions()
    with qtbot.waitSignal(window.file_actions.animation_exported, timeout=WAIT_MS) as blocker:
        action.trigger()
    return blocker.args[0], asked


def frames_of(path):
    gif = Image.open(path)
    frames, durations = [], []
    for k in range(gif.n_frames):
        gif.seek(k)
        frames.append(np.asarray(gif.convert("RGB")).astype(int))
        durations.append(gif.info["duration"])
    return gif, frames, durations


def limit_of_all(arrays):
    """tiles.symmetric_limit's rule over every value of every array, computed here."""
    values = np.concatenate([a.ravel() for a in arrays]).astype(np.float64)
    return min(3 * math.sqrt(np.mean(values ** 2)), np.abs(values).max())


def colour(value, limit):
    return LUT[int(np.clip(math.floor((value + limit) * 256 / (2 * limit)), 0, 255))]


def close_to(actual, value, limit):
    """The frame's colour is the table's for `value`, give or take the neighbouring entry (a value
    on an entry's edge) and 1 unit (five entries share a palette slot with a neighbour)."""
    index = int(np.clip(math.floor((value + limit) * 256 / (2 * limit)), 0, 255))
    candidates = LUT[max(index - 1, 0):index + 2]
    return np.abs(candidates - actual).max(axis=1).min() <= 1


def tile_pixel(renderer, unit, i, j):
    """The frame (x, y) of the centre of tile `unit`'s pixel (i, j), enlarged SCALE times."""
    h, w = renderer.sheet.image_shape
    row, col = divmod(unit, renderer.sheet.columns)
    x0, y0 = renderer.grid_origin
    return x0 + SCALE * (col * (w + GAP) + j) + SCALE // 2, y0 + SCALE * (row * (h + GAP) + i) + SCALE // 2


def test_the_gif_has_a_frame_per_recorded_moment_coloured_as_the_weights(window, qtbot, monkeypatch, tmp_path):
    assert not widget(window, "exportAnimationAction").isEnabled()        # no run yet
    train(qtbot, window, 24)
    record = window.session.run
    steps = record.steps
    assert len(steps) == 25                                                # W₀ and every step
    ok, asked = export_through_the_menu(qtbot, window, monkeypatch, tmp_path / "weights")
    path = tmp_path / "weights.gif"
    assert ok and asked == ["gif"] and path.exists()
    assert window.statusBar().currentMessage() == f"Exported 25 frames of the weights to {path}"
    assert not window.message_banner.isVisible()
    assert [p.name for p in tmp_path.iterdir()] == ["weights.gif"]        # no temporary left behind

    gif, frames, durations = frames_of(path)
    assert gif.n_frames == len(steps) and gif.info["loop"] == 0
    # softmax: 10 class tiles of 28 × 28 in 5 columns (as the view lays them out), enlarged 3 times
    grid_w, grid_h = SCALE * (5 * (28 + GAP) - GAP), SCALE * (2 * (28 + GAP) - GAP)
    sheet = animation_sheet(window.weights_view, 10)
    assert sheet.columns == 5 and sheet.change and sheet.captions == tuple(str(c) for c in range(10))
    initial = record.at(0).weights[0]
    changes = [record.at(s).weights[0] - initial for s in steps]
    limit = limit_of_all(changes)
    renderer = FrameRenderer(sheet, LUT, limit)
    assert renderer.grid_size == (grid_w, grid_h)
    assert all(frame.shape == (renderer.size[1], renderer.size[0], 3) for frame in frames)
    assert renderer.size[0] >= grid_w and renderer.size[1] >= grid_h

    def tiles_below_captions(frame):
        """The pixels of every tile's rows 8..27 (the class captions sit in rows 0..7)."""
        corners = [(x - SCALE // 2, y - SCALE // 2) for x, y in (tile_pixel(renderer, u, 8, 0) for u in range(10))]
        return np.concatenate([frame[y:y + SCALE * 20, x:x + SCALE * 28].reshape(-1, 3) for x, y in corners])

    # step 0, change since start: nothing has changed, the tiles are the map's white-ish middle
    first = tiles_below_captions(frames[0])
    assert len(first) == 10 * 20 * 28 * SCALE ** 2 and first.min() >= 225, first.min()
    last = tiles_below_captions(frames[-1])
    assert (last.min(axis=1) < 150).mean() > 0.05                            # blue and red strokes
    assert durations[0] == 60 and durations[-1] >= 1000                   # 3 epochs in 1.5 s, then a hold

    for k in (8, 24):                          # the end of epoch 1, the last moment
        change = changes[k]
        for unit in (3, 7):
            strongest = np.abs(change[:, unit].reshape(28, 28)[8:]).argmax()   # below the caption
            i, j = divmod(int(strongest), 28)
            for i, j in ((i + 8, j), (14, 14)):
                value = change[i * 28 + j, unit]
                x, y = tile_pixel(renderer, unit, i, j)
                assert close_to(frames[k][y, x], value, limit), (k, unit, i, j, frames[k][y, x],
                                                                 colour(value, limit))


def test_the_frames_look_as_the_weights_view_draws_the_same_moment(window, qtbot):
    """The frame function, given the view's own scale, paints the pixels the view's ImageItem
    paints (pyqtgraph's lookup, read from its QImage)."""
    train(qtbot, window, 24)
    view = window.weights_view
    record = window.session.run
    weights, initial = record.at(None).weights[0], record.at(0).weights[0]
    np.testing.assert_array_equal(view.shown_weights, weights)
    item = view.tiles.image
    item.render()
    shown = item.qimage.convertToFormat(QImage.Format.Format_RGBA8888)
    picture = np.frombuffer(shown.constBits(), np.uint8).reshape(shown.height(), shown.bytesPerLine() // 4, 4)
    picture = picture[:, :shown.width()].astype(int)
    low, high = item.getLevels()
    sheet = animation_sheet(view, 10)
    frame = render_weights(weights, LUT, initial=initial, columns=sheet.columns, limit=high)
    assert low == pytest.approx(-high)
    renderer = FrameRenderer(sheet, LUT, high)
    x0, y0 = renderer.grid_origin
    ours = np.asarray(frame.convert("RGB")).astype(int)
    ours = ours[y0:y0 + renderer.grid_size[1]:SCALE, x0:x0 + renderer.grid_size[0]:SCALE]
    assert ours.shape[:2] == picture.shape[:2]
    tiles = picture[..., 3] > 0                                            # the gaps are transparent in the view
    assert tiles.sum() == 10 * 28 * 28
    assert np.abs(ours[tiles] - picture[..., :3][tiles]).max() <= 1
    assert (ours[~tiles] == 255).all()


def test_weights_mode_and_a_wide_layer_export_the_view_s_page(window, qtbot, monkeypatch, tmp_path):
    """A two-layer network of 120 hidden units: the view's first page (100 tiles, 10 × 10) in
    weights mode, as a person switches it."""
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("two-layer"))
    panel.hidden_edit.setText("120")
    panel.epochs_spin.setValue(1)
    train(qtbot, window, 8)
    combo = widget(window, "weightsModeCombo")
    combo.setCurrentIndex(combo.findData("weights"))
    ok, _ = export_through_the_menu(qtbot, window, monkeypatch, tmp_path / "hidden.gif")
    assert ok
    record = window.session.run
    gif, frames, _ = frames_of(tmp_path / "hidden.gif")
    assert gif.n_frames == len(record.steps) == 9
    layers = [record.at(s).weights[0] for s in record.steps]
    limit = limit_of_all(layers)
    sheet = animation_sheet(window.weights_view, 120)
    assert (sheet.start, sheet.count, sheet.columns, sheet.change, sheet.captions) == (0, 100, 10, False, ())
    renderer = FrameRenderer(sheet, LUT, limit)
    assert renderer.grid_size == (SCALE * (10 * 29 - 1), SCALE * (10 * 29 - 1))
    assert gif.size == renderer.size
    for k in (0, 8):
        for unit, i, j in ((0, 14, 14), (57, 3, 20), (99, 27, 27)):
            value = layers[k][i * 28 + j, unit]
            x, y = tile_pixel(renderer, unit, i, j)
            assert close_to(frames[k][y, x], value, limit), (k, unit, i, j)
    # weights mode: the random start is not white
    x0, y0 = renderer.grid_origin
    assert frames[0][y0:y0 + renderer.grid_size[1], x0:x0 + renderer.grid_size[0]].min() < 150


def test_a_long_run_is_cut_to_evenly_spaced_moments_and_says_so(window, qtbot, monkeypatch, tmp_path):
    train(qtbot, window, 24)
    monkeypatch.setattr(animation, "MAX_FRAMES", 7)
    ok, _ = export_through_the_menu(qtbot, window, monkeypatch, tmp_path / "short.gif")
    assert ok and Image.open(tmp_path / "short.gif").n_frames == 7
    assert window.statusBar().currentMessage() == (f"Exported 7 frames of the weights to {tmp_path / 'short.gif'} "
                                                   "(7 of the run's 25 moments, evenly spaced)")


@pytest.mark.parametrize("where", ["a file in the way", "missing folder"])
def test_an_animation_that_cannot_be_written_is_reported(window, qtbot, monkeypatch, tmp_path, capfd, where):
    train(qtbot, window, 24)
    folder = tmp_path / "out"
    if where == "a file in the way":
        folder.write_text("not a folder")
    ok, _ = export_through_the_menu(qtbot, window, monkeypatch, folder / "weights.gif")
    text = window.message_banner.text()
    assert not ok and window.message_banner.isVisible()
    assert text.startswith(f"Could not export the weights animation to {folder / 'weights.gif'}: ")
    assert ("Not a directory" if where == "a file in the way" else "No such file or directory") in text
    assert "Traceback" not in capfd.readouterr().err
    assert window.file_actions.animation_job is None and window.state is RunState.COMPLETED
    ok, _ = export_through_the_menu(qtbot, window, monkeypatch, tmp_path / "weights.gif")   # it works again
    assert ok and Image.open(tmp_path / "weights.gif").n_frames == 25


def test_nothing_to_animate_before_a_run(window):
    assert not window.file_actions.export_animation(path="never.gif")
    assert "Nothing to animate yet" in window.message_banner.text()
