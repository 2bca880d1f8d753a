"""Presentation mode (F5) makes the window readable from the back of a room: fonts, plot titles,
ticks and lines 1.5× larger, the settings on one line; F5 again brings back exactly what was there.
The dark theme recolours the widgets and the plots."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import widget  # noqa: E402

pytest.importorskip("pytestqt")
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402


def points(size: str) -> float:
    return float(size.removesuffix("pt"))


def looks(window):
    """What a person sees grow: a label's font, the loss plot's title and tick font, the smoothed
    loss line's width, the misclassified gallery's caption font."""
    plot = window.loss_plot.getPlotItem()
    return {"label": widget(window, "statusLabel").font().pointSizeF(),
            "title": points(plot.titleLabel.opts["size"]),
            "ticks": plot.getAxis("left").style["tickFont"].pointSizeF(),
            "line": pg.mkPen(window.loss_plot.smoothed_curve.opts["pen"]).widthF(),
            "captions": window.mistakes_view.caption_font.pointSizeF()}


def test_f5_makes_everything_larger_and_puts_the_settings_on_one_line(qtbot, small_window):
    window = small_window(kind="two-layer", hidden="16", epochs=1)
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=60_000)
    window.redraw_now()
    before = looks(window)
    assert widget(window, "settingsSummary").isHidden()
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert widget(window, "presentationAction").isChecked()
    QApplication.processEvents()   # the application's new font reaches the widgets as an event
    window.redraw_now()
    after = looks(window)
    for name, size in before.items():
        assert after[name] >= 1.5 * size - 1e-6, name
    summary = widget(window, "settingsSummary")
    assert summary.isVisible() and not window.settings_scroll.isVisible()
    assert "two-layer, hidden 16" in summary.text() and "lr 0.2" in summary.text() and "epochs 1" in summary.text()
    # a title drawn afresh (a new evaluation) is drawn at the presentation size too
    window.confusion_view.show_evaluation(window._run.latest_evaluation, "validation", window.data.class_names)
    assert points(window.confusion_view.plot.titleLabel.opts["size"]) >= 1.5 * 12 - 1e-6
    QTest.keyClick(window, Qt.Key.Key_F5)
    QApplication.processEvents()
    window.redraw_now()
    assert looks(window) == pytest.approx(before)
    assert window.settings_scroll.isVisible() and summary.isHidden()


def test_the_dark_theme_and_back(qtbot, small_window):
    window = small_window(kind="softmax", epochs=1)
    light_window = QApplication.palette().color(QPalette.ColorRole.Window).lightness()
    widget(window, "darkThemeAction").trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80 < light_window
    assert window.loss_plot.backgroundBrush().color().lightness() < 80
    assert window.loss_plot.getPlotItem().getAxis("left").pen().color().lightness() > 180
    widget(window, "lightThemeAction").trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() == light_window
    assert window.loss_plot.backgroundBrush().color().lightness() > 240


def evaluate_looks(window):
    """The Evaluate tab's accuracy-per-class plot's title and ticks, and a robustness curve's width."""
    plot = window.evaluate_view.per_class.plot
    curve = next(iter(window.evaluate_view.robustness._lines.values()))
    return {"title": points(plot.titleLabel.opts["size"]), "ticks": plot.getAxis("left").style["tickFont"].pointSizeF(),
            "line": pg.mkPen(curve.opts["pen"]).widthF()}


def test_a_tab_first_opened_in_presentation_mode_and_the_dark_theme_looks_as_the_others(qtbot, small_window):
    """The tabs after Train are built when first shown: one opened after F5 and the dark theme has
    their fonts, lines and colours, not the defaults, and not scaled twice."""
    reference = small_window(kind="softmax", epochs=1)
    widget(reference, "workspaceTabs").setCurrentIndex(3)       # Evaluate, built now at the plain look
    plain = evaluate_looks(reference)
    reference.close()

    window = small_window(kind="softmax", epochs=1)
    assert not window._lazy_tabs["evaluate"].built              # not built at launch
    QTest.keyClick(window, Qt.Key.Key_F5)
    widget(window, "darkThemeAction").trigger()
    QApplication.processEvents()
    widget(window, "workspaceTabs").setCurrentIndex(3)          # built now, in presentation mode
    presented = evaluate_looks(window)
    for name, size in plain.items():
        assert presented[name] == pytest.approx(1.5 * size), name
    plot = window.evaluate_view.per_class.plot
    assert plot.getAxis("left").pen().color().lightness() > 180   # the dark theme's light axes
    widget(window, "lightThemeAction").trigger()
    QTest.keyClick(window, Qt.Key.Key_F5)
    QApplication.processEvents()
    assert evaluate_looks(window) == pytest.approx(plain)
