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
