"""The error plot's log scale (issue 9, bug 12): a perfect 0 % is drawn at a visible floor, so the
curve keeps all its points, and the plot says what the floor means."""
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import class_images, load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QObject, Qt  # noqa: E402

from engine.trainer import EpochRecord  # noqa: E402
from trainer_gui.state.history import TrainingHistory  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402
from trainer_gui.views.error_plot import ErrorPlot, zero_floor  # noqa: E402

WAIT_MS = 30_000


@pytest.fixture
def plot(qtbot):
    widget = ErrorPlot()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    return widget


def history_of(train_errors, eval_errors) -> TrainingHistory:
    history = TrainingHistory(batches_per_epoch=10)
    history.add_epochs([EpochRecord(epoch, epoch * 100, 0.5, train, 0.5, held_out, 0.1)
                        for epoch, (train, held_out) in enumerate(zip(train_errors, eval_errors), start=1)])
    return history


def test_a_perfect_epoch_stays_on_the_curve_at_the_floor(plot):
    n = 8000
    plot.set_epochs_planned(4)
    plot.show_history(history_of([0.2, 0.01, 0.0, 0.0], [0.25, 0.02, 0.01, 0.0]), n)
    floor = zero_floor(n)
    assert 0 < floor < 100 / n                     # below one example of the set: no real error sits there
    x, y = plot.train_curve.getData()              # what is drawn: log10 of the percentages
    assert len(x) == 4 and np.isfinite(y).all()
    np.testing.assert_allclose(y, np.log10([20, 1, floor, floor]))
    _, held_out = plot.eval_curve.getData()
    assert np.isfinite(held_out).all() and held_out[-1] == pytest.approx(math.log10(floor))
    # the floor is in sight, marked by the labelled line, and the tooltip says what it means
    bottom, top = plot.plot.vb.viewRange()[1]
    assert bottom < math.log10(floor) < top
    assert plot.zero_line.isVisible() and plot.zero_line.value() == pytest.approx(math.log10(floor))
    assert plot.zero_line.label.toPlainText() == "0 %"
    assert "0 %" in plot.toolTip() and f"{n:,}" in plot.toolTip()


def test_without_a_perfect_epoch_there_is_no_floor_line(plot):
    plot.show_history(history_of([0.2, 0.01], [0.25, 0.02]), 8000)
    assert not plot.zero_line.isVisible() and plot.toolTip() == ""
    bottom, _ = plot.plot.vb.viewRange()[1]
    assert bottom > math.log10(zero_floor(8000))    # the axis does not reach down for nothing


def test_a_missing_figure_is_not_taken_for_a_perfect_one(plot):
    plot.show_history(history_of([math.nan, 0.1], [0.2, 0.1]), 100)
    _, y = plot.train_curve.getData()
    assert math.isnan(y[0]) and y[1] == pytest.approx(1.0)


def test_the_train_curve_keeps_its_points_once_training_is_perfect(qtbot, make_idx_folder):
    """As a person would: a set softmax regression learns at once, three epochs, Start."""
    y = np.arange(500) % 10
    X = class_images(y)
    folder = make_idx_folder("easy", train=(X[:400], y[:400]), t10k=(X[400:], y[400:]))
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert load_and_wait(qtbot, window, folder)
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("softmax"))
    window.findChild(QObject, "epochsSpin").setValue(3)
    qtbot.mouseClick(window.findChild(QObject, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    window.redraw_now()
    assert 0.0 in window.history.train_error.values.tolist()
    x, drawn = window.error_plot.train_curve.getData()
    assert len(x) == 3 and np.isfinite(drawn).all()
    assert drawn.min() == pytest.approx(math.log10(zero_floor(400)))
    assert window.error_plot.zero_line.isVisible()
    window.close()


def test_a_long_run_draws_its_epoch_curves_as_lines_and_a_short_one_marks_each_epoch(qtbot, plot):
    """Past MARKED_EPOCHS the epoch curves of the loss and error plots are lines (a mark an epoch is
    a band at a few pixels an epoch, and re-setting thousands of marks at every epoch end cost the
    GUI thread tens of ms); every epoch is still a point of the line, and the next, shorter run
    marks its epochs again, at the size presentation mode gave the marks meanwhile."""
    from trainer_gui.appearance import THEMES, restyle_plot
    from trainer_gui.views import MARKED_EPOCHS
    from trainer_gui.views.loss_plot import LossPlot
    loss = LossPlot()
    qtbot.addWidget(loss)
    loss.set_epochs_planned(10)
    loss.resize(400, 300)
    loss.show()
    curves = (plot.train_curve, plot.eval_curve, loss.train_curve, loss.eval_curve)
    assert [curve.opts["symbol"] for curve in curves] == ["o", "s", "o", "s"]
    many = MARKED_EPOCHS + 50
    long_run = history_of(np.linspace(0.2, 0.01, many), np.linspace(0.25, 0.02, many))
    plot.show_history(long_run, 8000)
    loss.show_history(long_run)
    for curve in curves:
        assert curve.opts["symbol"] is None and not curve.scatter.isVisible()
        assert len(curve.xData) == many and curve.curve.isVisible()      # each epoch a point of the line
    for view in (plot, loss):                                            # F5 meanwhile: marks ×1.5
        restyle_plot(view, 1.5, THEMES["light"], THEMES["light"])
    plot.clear_history()
    loss.clear_history()
    short_run = history_of([0.2, 0.1, 0.05], [0.25, 0.15, 0.1])
    plot.show_history(short_run, 8000)
    loss.show_history(short_run)
    for curve, symbol in zip(curves, ["o", "s", "o", "s"]):
        assert curve.opts["symbol"] == symbol and curve.scatter.isVisible() and len(curve.xData) == 3
        assert curve.opts["symbolSize"] == pytest.approx(7 * 1.5)

def test_a_very_long_run_draws_its_epoch_curves_thinned_to_the_plot_with_their_extremes(qtbot, plot):
    """20,000 epochs (a small set at full speed for an hour): the epoch lines hold two points a pixel
    of the plot, and the best and worst epochs are among them (a dip is not smoothed away)."""
    from trainer_gui.views.loss_plot import LossPlot
    loss = LossPlot()
    qtbot.addWidget(loss)
    loss.resize(400, 300)
    loss.show()
    qtbot.waitExposed(loss)
    n = 20_000
    rng = np.random.default_rng(0)
    train, held_out = 0.05 + 0.01 * rng.random(n), 0.08 + 0.01 * rng.random(n)
    train[12_345], held_out[777] = 0.001, 0.5                        # one dip, one spike
    history = TrainingHistory(batches_per_epoch=10)      # the losses as the errors, to check both plots
    history.add_epochs([EpochRecord(epoch, epoch * 100, a, a, b, b, 0.1)
                        for epoch, (a, b) in enumerate(zip(train, held_out), start=1)])
    loss.show_history(history)
    plot.show_history(history, 8000)
    for curve, values in ((loss.train_curve, train), (loss.eval_curve, held_out),
                          (plot.train_curve, 100 * train), (plot.eval_curve, 100 * held_out)):
        width = curve.getViewBox().width()
        assert 10 < len(curve.xData) <= 2 * max(width, 200) + 4
        assert curve.yData.min() == pytest.approx(values.min()) and curve.yData.max() == pytest.approx(values.max())
