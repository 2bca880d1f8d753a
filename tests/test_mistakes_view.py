"""The misclassified gallery (issue 9, bug 5): every caption fits its cell and every column is inside
the view, at the window's default size and a small one, for probabilities ("100%"), linear
regression's outputs (a diverging run's 2.11e+18) and long class names."""
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import class_images, load_and_wait  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QObject, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QFontMetricsF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from engine.classes import CLASS_NAMES  # noqa: E402
from engine.evaluation import Evaluation, Misclassified  # noqa: E402
from trainer_gui.app import WINDOW_SIZE, make_application  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.progress import EvaluationReport  # noqa: E402
from trainer_gui.views.mistakes_view import sureness  # noqa: E402

SMALL_SIZE = (1024, 640)
WAIT_MS = 30_000


def mistakes(confidence: float, n: int = 200, k: int = 10):
    """An evaluation of n examples, all wrong, at one confidence; every pair of classes appears."""
    y = np.arange(n) % k
    predicted = (y + 1 + (np.arange(n) // k) % (k - 1)) % k
    evaluation = Evaluation(loss=1.0, error=1.0, confusion=np.ones((k, k), np.int64),
                            misclassified=Misclassified(np.arange(n), predicted,
                                                        np.full(n, confidence, np.float32)))
    return EvaluationReport(evaluation, steps=1), np.random.default_rng(0).random((n, 784), np.float32), y


def assert_every_caption_fits(window) -> None:
    view = window.mistakes_view
    shown = [cell for cell in view.cells if cell.image.image is not None]
    assert shown
    viewport = view.grid.viewport()
    for cell in shown:
        lines = cell.caption.item.toPlainText().split("\n")
        metrics = QFontMetricsF(cell.caption.item.font())    # the font the caption is drawn in
        cell_width = cell.layout.geometry().width()
        assert all(metrics.horizontalAdvance(line) <= cell_width for line in lines), (lines, cell_width)
        assert all(metrics.horizontalAdvance(line) <= cell.caption.geometry().width() for line in lines)
        # every column and row in sight: inside the grid's viewport, to a rounding's half pixel
        box = view.grid.viewportTransform().mapRect(cell.layout.sceneBoundingRect())
        assert box.left() >= -0.5 and box.right() <= viewport.width() + 0.5, (box, viewport.width())
        assert box.top() >= -0.5 and box.bottom() <= viewport.height() + 0.5, (box, viewport.height())
    # and the view itself inside the window
    left = view.mapTo(window, QPoint(0, 0)).x()
    assert left + view.width() <= window.centralWidget().width()


@pytest.fixture(scope="module", params=[WINDOW_SIZE, SMALL_SIZE], ids=["default size", "small"])
def window(qapp, request):
    """One window per size for the module's many cases: only the mistakes view changes. With the
    app's style sheet, whose fonts the captions are measured in (the test ran alone without it)."""
    make_application()
    main = MainWindow()
    # no data is loaded (the evaluations are made up): show the workspaces, not the welcome page
    main.workspace_stack.setCurrentWidget(main.workspace_tabs)
    main.resize(*request.param)
    main.show()
    qapp.processEvents()
    yield main
    main.close()


@pytest.mark.parametrize("names", [(), CLASS_NAMES["fashion-mnist"], CLASS_NAMES["kmnist"]],
                         ids=["numbers", "fashion", "kmnist"])
@pytest.mark.parametrize("confidence, as_probability", [(1.0, True), (0.004, True), (2.11e18, False),
                                                        (-2.11e18, False), (0.93, False)])
def test_captions_fit_their_cells_and_every_column_is_in_sight(window, names, confidence, as_probability):
    report, X, y = mistakes(confidence)
    window.mistakes_view.show_evaluation(report, X, y, (28, 28), "validation", as_probability, names)
    QApplication.processEvents()     # the grid lays its cells out
    assert_every_caption_fits(window)
    captions = [cell.caption.item.toPlainText() for cell in window.mistakes_view.cells]
    assert not any("e+" in caption for caption in captions)
    if not names and window.width() >= WINDOW_SIZE[0]:
        assert window.mistakes_view.shown_count() >= 8    # cells no wider than they need


@pytest.mark.parametrize("value, text", [
    (0.934, "0.93"), (-1.254, "-1.25"), (9.99, "9.99"), (12.4, "12"), (-999.0, "-999"),
    (2.11e18, "2e18"), (-2.11e18, "-2e18"), (3.4e38, "3e38"), (math.inf, "∞"), (math.nan, "nan")])
def test_linear_regression_outputs_are_written_short(value, text):
    assert sureness(value, as_probability=False) == text


def test_every_figure_takes_five_characters_at_most():
    values = np.concatenate([np.geomspace(1e-9, 3e38, 400), -np.geomspace(1e-9, 3e38, 400), [0.0]])
    assert max(len(sureness(v, False)) for v in values) <= 5
    assert max(len(sureness(v, True)) for v in np.linspace(0, 1, 1001)) <= 4


def test_a_linear_regression_run_captions_its_outputs_briefly(qtbot, make_idx_folder):
    """As a person would: open a folder, choose linear regression, press Step; the captions show
    the predicted class and its output, and the tooltip the output in full."""
    y = np.arange(400) % 10
    X = class_images(np.random.default_rng(1).permutation(y))    # images of other classes: mistakes
    folder = make_idx_folder("scans", train=(X[:300], y[:300]), t10k=(X[300:], y[300:]))
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    window.show()
    assert load_and_wait(qtbot, window, folder)
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData("linear"))
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(window.findChild(QObject, "stepButton"), Qt.MouseButton.LeftButton)
    window.redraw_now()
    QApplication.processEvents()
    first = window.mistakes_view.cells[0]
    caption, tip = first.caption.item.toPlainText(), first.layout.toolTip()
    assert "→" in caption and "%" not in caption                # an output, not a probability
    assert "target is 1" in tip
    output = float(tip.split("output ")[1].split(" ")[0])        # in full in the tooltip
    assert caption.rsplit(" ", 1)[1] == sureness(output, as_probability=False)
    assert_every_caption_fits(window)
    window.close()
