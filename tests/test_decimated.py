"""The loss plot's decimated curves: bounded in size however long a run grows, every spike and dip
kept where it happened, the newest steps whole. Checked against the raw arrays with plain NumPy."""
import numpy as np
import pytest

from trainer_gui.state.history import DRAWN_BUCKETS, FULL_TAIL, Decimated, GrowingArray, thinned


def feed(x, y, chunks, rng):
    """A Decimated over x, y appended in random chunks, asked for its curve between chunks."""
    gx, gy = GrowingArray(), GrowingArray()
    curve = Decimated(gx, gy)
    start = 0
    while start < len(x):
        stop = min(len(x), start + int(rng.integers(1, chunks)))
        gx.extend(x[start:stop])
        gy.extend(y[start:stop])
        curve.curve()
        start = stop
    return curve


@pytest.mark.parametrize("n", [500, 30_000, 1_500_000])
def test_the_drawn_curve_is_bounded_ordered_and_keeps_the_extremes_and_the_newest_steps(n):
    rng = np.random.default_rng(n)
    x = np.arange(1, n + 1) / 600.0                       # epochs, 600 steps an epoch
    y = 0.05 + np.exp(-x / 50) + 0.1 * rng.random(n)      # a falling, noisy loss
    spikes = np.arange(3000, n - FULL_TAIL, 20_000)[:60]   # far apart: never two in one bucket
    y[spikes] = 40.0                                      # a step that nearly diverged
    y[spikes + 7] = 1e-5                                  # and a lucky batch right after
    curve = feed(x, y, chunks=5000, rng=rng)
    cx, cy = curve.curve()
    assert len(cx) <= 2 * DRAWN_BUCKETS + curve.bucket + FULL_TAIL
    if n > 100 * DRAWN_BUCKETS:
        assert len(cx) < n / 10                           # far fewer points than the run has
    assert np.all(np.diff(cx) >= 0)
    assert cy.min() == y.min() and cy.max() == y.max()
    np.testing.assert_array_equal(cx[-FULL_TAIL:], x[-FULL_TAIL:])
    np.testing.assert_array_equal(cy[-FULL_TAIL:], y[-FULL_TAIL:])
    drawn = dict(zip(cx, cy))
    for i in spikes:                                      # each spike and dip, where it was
        assert drawn.get(x[i]) == 40.0 and drawn.get(x[i + 7]) == 1e-5
    # every drawn point is a point of the curve (not an average that never happened)
    index = np.searchsorted(x, cx)
    np.testing.assert_array_equal(x[index], cx)
    np.testing.assert_array_equal(y[index], cy)


def test_nan_steps_are_skipped_and_a_short_curve_is_drawn_whole():
    x = np.arange(10.0)
    y = np.array([1, 2, np.nan, 4, 5, 6, 7, 8, 9, 10.0])
    gx, gy = GrowingArray(), GrowingArray()
    gx.extend(x)
    gy.extend(y)
    cx, cy = Decimated(gx, gy).curve()
    np.testing.assert_array_equal(cx, x)                 # shorter than FULL_TAIL: as it is
    np.testing.assert_array_equal(cy, y)
    many = np.full(FULL_TAIL + 5000, np.nan)
    many[100] = 3.0
    gx, gy = GrowingArray(), GrowingArray()
    gx.extend(np.arange(len(many), dtype=float))
    gy.extend(many)
    cx, cy = Decimated(gx, gy).curve()
    assert 3.0 in cy and np.all(np.diff(cx) >= 0)


@pytest.mark.parametrize("n, points", [(10_000, 1800), (9_999, 1800), (5_000, 600), (1_000, 1800)])
def test_thinned_for_the_plot_width_keeps_every_run_s_lowest_and_highest_point(n, points):
    """thinned(x, y, points): about `points` points (a pixel column's low and high), ordered in x,
    with each run of neighbours' extremes, computed here run by run with Python's min and max."""
    rng = np.random.default_rng(n)
    x = np.arange(n, dtype=float)
    y = rng.random(n)
    y[rng.integers(0, n, 5)] = 50.0                       # spikes survive thinning
    tx, ty = thinned(x, y, points)
    if n <= points:
        assert tx is x and ty is y
        return
    assert points // 2 <= len(tx) <= points + 2
    assert np.all(np.diff(tx) >= 0) and ty.max() == 50.0 and ty.min() == y.min()
    k = 1 << int(np.ceil(np.log2(n / (points // 2))))       # neighbours a run (a power of two)
    for start in range(0, n, k):
        run = list(y[start:start + k])
        lows = [v for v, at in zip(ty, tx) if start <= at < start + k]
        assert sorted(lows) == sorted([min(run), max(run)])


def test_the_loss_plot_thins_its_curves_to_its_width_again_when_it_widens(qtbot):
    """A finished run's curves, drawn in a narrow plot, are drawn with more points once the plot is
    wider (presentation mode folds the settings column away), without any new step."""
    from trainer_gui.state.history import TrainingHistory
    from trainer_gui.views.loss_plot import LossPlot
    history = TrainingHistory(batches_per_epoch=100)
    n = 20_000
    history.batch_x.extend(np.arange(1, n + 1) / 100)
    history.batch_loss.extend(1 + np.random.default_rng(0).random(n))
    history.batch_loss_smoothed.extend(np.full(n, 1.5))
    history.revision += 1
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.set_epochs_planned(200)
    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_history(history)
    narrow = len(plot.batch_curve.xData)
    plot.resize(1600, 300)
    qtbot.waitUntil(lambda: len(plot.batch_curve.xData) > 2 * narrow, timeout=5000)
    assert len(plot.batch_curve.xData) <= 2 * plot.plot.vb.width() + 4
