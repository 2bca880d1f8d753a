"""The confusion matrix view with many classes: one image, numbers only where they can be read.

Run with -s to see the measured first-draw times.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem  # noqa: E402

from engine.evaluation import Evaluation, Misclassified  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.progress import EvaluationReport  # noqa: E402
from trainer_gui.views.confusion_view import MAX_TEXT_CLASSES, ConfusionView  # noqa: E402

MAX_TEXT_ITEMS = 1000   # whatever k is: far below 256² = 65,536


def make_report(k: int, n: int = 20_000, seed: int = 0) -> EvaluationReport:
    """A k-class evaluation, 80 % right, the mistakes spread over all classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    predicted = np.where(rng.random(n) < 0.8, y, rng.integers(0, k, n))
    confusion = np.bincount(y * k + predicted, minlength=k * k).reshape(k, k).astype(np.int64)
    none = np.zeros(0, np.int64)
    evaluation = Evaluation(loss=0.5, error=float(np.mean(predicted != y)), confusion=confusion,
                            misclassified=Misclassified(none, none, np.zeros(0, np.float32)))
    return EvaluationReport(evaluation=evaluation, steps=10)


@pytest.fixture
def view(qtbot):
    widget = ConfusionView()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def text_items(view) -> list:
    return [item for item in view.plot.scene().items() if isinstance(item, QGraphicsSimpleTextItem)]


def shown_numbers(view) -> dict:
    """{(true, predicted): text} of the numbers visible on the matrix."""
    return {(round(item.pos().y()), round(item.pos().x())): item.text()
            for item in text_items(view) if item.isVisible()}


def assert_every_count_shown(view, confusion) -> None:
    k = len(confusion)
    assert shown_numbers(view) == {(t, p): str(confusion[t, p]) for t in range(k) for p in range(k)}


def first_draw_ms(view, report) -> float:
    """show_evaluation and the paint that follows, in milliseconds."""
    start = time.perf_counter()
    view.show_evaluation(report, "validation")
    view.repaint()
    QApplication.processEvents()
    return (time.perf_counter() - start) * 1000


def test_256_classes_draw_fast_as_one_image(view):
    report = make_report(256)
    elapsed = first_draw_ms(view, report)
    print(f"\nfirst draw, 256 classes at 400×400: {elapsed:.1f} ms")
    assert len(text_items(view)) <= MAX_TEXT_ITEMS        # the real guard: timing is noisy
    assert elapsed < 1000                                  # the target is 100 ms; this was 20–45 s
    assert view.image.image.shape == (256, 256)
    assert view.confusion is report.evaluation.confusion
    assert view.plot.titleLabel.text == "Confusion: validation"


@pytest.mark.parametrize("k", [10, 100, 256])
def test_first_draw_times(view, k):
    elapsed = first_draw_ms(view, make_report(k))
    print(f"\nfirst draw, {k} classes at 400×400: {elapsed:.1f} ms, "
          f"{len(text_items(view))} text items, cells {view.cell_pixels():.1f} px")
    assert len(text_items(view)) <= MAX_TEXT_ITEMS and elapsed < 1000


def test_10_classes_show_every_count_white_on_dark(view):
    report = make_report(10)
    view.show_evaluation(report, "validation")
    confusion = report.evaluation.confusion
    assert_every_count_shown(view, confusion)
    colours = {(round(item.pos().y()), round(item.pos().x())): item.brush().color().name()
               for item in text_items(view)}
    assert all(colours[(i, i)] == "#ffffff" for i in range(10))      # the dark diagonal
    assert colours[(0, 1)] != "#ffffff"
    # the colouring: square root of the share of the true class
    share = confusion / confusion.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(view.image.image, np.sqrt(share))


def test_10_classes_show_every_count_in_the_window_at_its_default_size(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    report = make_report(10, n=10_000)
    window.confusion_view.show_evaluation(report, "test")
    assert_every_count_shown(window.confusion_view, report.evaluation.confusion)
    window.close()


def test_256_then_10_then_256_round_trip(view):
    big, small = make_report(256, seed=1), make_report(10, seed=2)
    view.show_evaluation(big, "validation")
    assert not shown_numbers(view)
    view.show_evaluation(small, "validation")
    assert_every_count_shown(view, small.evaluation.confusion)
    assert view.tick_values() == list(range(10))
    view.show_evaluation(big, "validation")
    assert not shown_numbers(view) and len(text_items(view)) <= MAX_TEXT_ITEMS
    view.show_evaluation(small, "test")
    assert_every_count_shown(view, small.evaluation.confusion)
    assert view.plot.titleLabel.text == "Confusion: test"


def test_new_counts_of_the_same_size_are_rewritten(view):
    view.show_evaluation(make_report(10, seed=3), "validation")
    items = text_items(view)
    report = make_report(10, seed=4)
    view.show_evaluation(report, "validation")
    assert_every_count_shown(view, report.evaluation.confusion)
    assert text_items(view) == items                       # the same items, new text


def test_ticks_thin_out_at_many_classes(view):
    view.show_evaluation(make_report(256), "validation")
    for axis in ("bottom", "left"):
        values = view.tick_values(axis)
        assert 2 <= len(values) <= 30, values
        assert values[0] == 0 and values[-1] <= 255
        step = values[1] - values[0]
        assert step >= 10 and values == list(range(0, 256, step))
    view.show_evaluation(make_report(10), "validation")
    assert view.tick_values("bottom") == view.tick_values("left") == list(range(10))


def test_resizing_shows_and_hides_the_numbers_without_remaking_them(view, qtbot):
    report = make_report(MAX_TEXT_CLASSES)
    view.show_evaluation(report, "validation")          # 400 px: cells too small to read
    assert not shown_numbers(view)
    view.resize(900, 900)
    qtbot.waitUntil(lambda: bool(shown_numbers(view)))
    assert_every_count_shown(view, report.evaluation.confusion)
    made = text_items(view)
    assert len(made) == MAX_TEXT_CLASSES ** 2
    view.resize(400, 400)
    qtbot.waitUntil(lambda: not shown_numbers(view))
    view.resize(900, 900)
    qtbot.waitUntil(lambda: bool(shown_numbers(view)))
    assert text_items(view) == made                      # shown again, not made again
    assert_every_count_shown(view, report.evaluation.confusion)


def test_many_classes_never_get_numbers_even_on_a_huge_view(view, qtbot):
    view.resize(2400, 2400)
    view.show_evaluation(make_report(100), "validation")
    assert view.cell_pixels() > 20 and not shown_numbers(view)
    assert len(text_items(view)) <= MAX_TEXT_ITEMS


def test_hover_names_the_cell(view):
    report = make_report(256)
    view.show_evaluation(report, "validation")
    confusion = report.evaluation.confusion
    scene_pos = view.plot.vb.mapViewToScene(QPointF(17.2, 201.9))   # x: predicted, y: true
    assert view.cell_at(scene_pos) == (202, 17)
    count, total = confusion[202, 17], confusion[202].sum()
    assert view.cell_tooltip(202, 17).startswith(f"true 202 → predicted 17: {count} "
                                                 f"({100 * count / total:.1f}% of the 202s)")
    view._hover(scene_pos)                                # shows the tooltip; must not raise
    assert view.cell_at(view.plot.vb.mapViewToScene(QPointF(300.0, 5.0))) is None


def test_clear_then_show_again(view):
    report = make_report(10)
    view.show_evaluation(report, "validation")
    view.clear_evaluation()
    assert view.confusion is None and view.image.image is None
    assert not any(item.text() for item in text_items(view))
    view.show_evaluation(report, "validation")
    assert_every_count_shown(view, report.evaluation.confusion)
