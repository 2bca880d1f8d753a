"""Presentation mode and the light and dark themes: the look of the whole window, changed at once.

Presentation mode (View ▸ Presentation mode, F5) is for a projector at the front of a classroom:
every font, plot title, axis, line and marker ×PRESENTATION_SCALE, and the settings column
collapsed to a one-line summary, so the views get the width. The themes recolour the widgets (a
Fusion palette) and the plots (background, axes, titles).
"""
from __future__ import annotations

import contextlib

import re
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QGraphicsTextItem, QWidget

from . import views

PRESENTATION_SCALE = 1.5
_POINTS = re.compile(r"(\d+(?:\.\d+)?)pt")


@dataclass(frozen=True)
class Theme:
    background: str      # of the plots
    foreground: str      # their axes, ticks and titles
    window: str          # the widgets' palette
    base: str            # fields and lists
    text: str
    style_sheet: str     # added after the app's style sheet


THEMES = {
    "light": Theme("w", "#303030", "#efefef", "#ffffff", "#202020", ""),
    "dark": Theme("#1e1f22", "#e3e3e3", "#2b2d30", "#1e1f22", "#e3e3e3",
                  "QFrame#welcomeCard { background: #2b2d30; border-color: #4a4d52; }\n"
                  "QLabel#messageBanner { background: #4a2320; color: #ffd9d4; border-color: #7a3a33; }\n"
                  "QLabel#dataMessage { color: #ff9d90; }\n"
                  "QComboBox:disabled, QSpinBox:disabled, QDoubleSpinBox:disabled, QLineEdit:disabled, "
                  "QCheckBox:disabled, QLabel:disabled { color: #9a9a9a; }\n"
                  "QGroupBox { border-color: #4a4d52; }\n"),
}


def scale_points(text: str, ratio: float) -> str:
    """Every "<n>pt" in a style sheet or an HTML snippet ×ratio."""
    return _POINTS.sub(lambda m: f"{float(m.group(1)) * ratio:.3g}pt", text)


class Appearance:
    """The window's scale (1, or PRESENTATION_SCALE in presentation mode) and theme.

    `presenting` and `theme` are what is applied. The app's own font and palette are read once
    (before any window changed them), and every change is applied to them and to the app's style
    sheet afresh (never compounded).
    """

    def __init__(self, window):
        self.window = window
        self._font, self._palette, self._style = _unstyled(QApplication.instance())
        self.presenting, self.theme = False, "light"
        self._scale, self._colours = 1.0, THEMES["light"]

    @property
    def scale(self) -> float:
        return self._scale

    def set_presenting(self, presenting: bool) -> None:
        if presenting != self.presenting:
            self.presenting = presenting
            self._apply()

    def set_theme(self, name: str) -> None:
        if name in THEMES and name != self.theme:
            self.theme = name
            self._apply()

    @contextlib.contextmanager
    def building(self):
        """Views made inside are made at scale 1, as the window's first ones were: `adopt` then
        scales them as those were scaled (never twice)."""
        scale, views.FONT_SCALE = views.FONT_SCALE, 1.0
        try:
            yield
        finally:
            views.FONT_SCALE = scale

    def adopt(self, widget) -> None:
        """A widget made (`building`) after the look was set, a tab built when first shown, takes
        it: its plots' fonts, lines and captions ×the scale, and the theme's colours. (Its other
        widgets take the app's font and the window's style sheet by themselves.)"""
        light = THEMES["light"]
        if self._scale != 1.0 or self._colours is not light:
            _restyle(widget, self._scale, light, self._colours)

    def _apply(self) -> None:
        app = QApplication.instance()
        scale = PRESENTATION_SCALE if self.presenting else 1.0
        ratio, self._scale = scale / self._scale, scale
        theme, before = THEMES[self.theme], self._colours
        self._colours = theme
        # the plots first: a text item without a font of its own reads the app's, about to change
        pg.setConfigOptions(background=theme.background, foreground=theme.foreground)
        views.FONT_SCALE = scale   # the fonts of plot titles set from now on
        _restyle(self.window, ratio, before, theme)
        font = QApplication.font()
        font.setPointSizeF(self._font.pointSizeF() * scale)
        QApplication.setFont(font)
        if theme is not before:   # (setStyle under a style sheet is costly, and needless for a new scale)
            app.setStyle("Fusion" if self.theme == "dark" else self._style)
            app.setPalette(_palette(theme) if self.theme == "dark" else self._palette)
        # the window's own style sheet, over the app's: QApplication.setStyleSheet walks every widget
        # of the app, and crashed on one awaiting its deleteLater (the welcome page's old buttons)
        sheet = app.styleSheet() + theme.style_sheet
        self.window.setStyleSheet(scale_points(sheet, scale) if scale != 1.0 or theme.style_sheet else "")
        self.window.show_settings_summary(self.presenting)


_UNSTYLED = {}   # id(QApplication) -> its look before any window changed it


def _unstyled(app):
    """(font, palette, style name) of the application as it was before the first Appearance: a
    second window must not take the first one's dark theme for the light one. (Its style sheet is
    never changed here: the window's own is, over it.)"""
    if id(app) not in _UNSTYLED:
        _UNSTYLED[id(app)] = (QApplication.font(), app.palette(), app.style().name())
    return _UNSTYLED[id(app)]


def _palette(theme: Theme) -> QPalette:
    palette, role = QPalette(), QPalette.ColorRole
    for name, colour in ((role.Window, theme.window), (role.Base, theme.base), (role.AlternateBase, theme.window),
                         (role.Button, theme.window), (role.Text, theme.text), (role.WindowText, theme.text),
                         (role.ButtonText, theme.text), (role.ToolTipBase, theme.base),
                         (role.ToolTipText, theme.text), (role.PlaceholderText, "#8a8a8a"),
                         (role.Highlight, "#3d6fb5"), (role.HighlightedText, "#ffffff"), (role.Link, "#8ab4f8")):
        palette.setColor(name, QColor(colour))
    for name in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor("#7a7a7a"))
    return palette


def _restyle(root, ratio: float, before: Theme, theme: Theme) -> None:
    """Every plot under `root` restyled (restyle_plot), and every caption ×ratio."""
    for view in root.findChildren(pg.GraphicsView):
        restyle_plot(view, ratio, before, theme)
        if ratio != 1.0 and hasattr(view, "rescale_captions"):
            view.rescale_captions(ratio)
    if ratio != 1.0:
        for widget in root.findChildren(QWidget):
            if hasattr(widget, "rescale_captions") and not isinstance(widget, pg.GraphicsView):
                widget.rescale_captions(ratio)


def restyle_plot(view, ratio: float, before: Theme, theme: Theme) -> None:
    """A pyqtgraph view's fonts, lines and markers ×ratio, and its colours from theme `before` to
    `theme` (items coloured on purpose, like the curves, keep their colours)."""
    if hasattr(view, "setBackground"):
        view.setBackground(theme.background)
    old_fg = pg.mkColor(before.foreground).name()
    for item in view.scene().items():
        if isinstance(item, pg.LabelItem):
            colour = item.opts.get("color")
            options = {}
            if colour is None or pg.mkColor(colour).name() == old_fg:
                options["color"] = theme.foreground
            if item.opts.get("size"):
                options["size"] = scale_points(str(item.opts["size"]), ratio)
            item.setText(scale_points(item.text or "", ratio), **options)
        elif isinstance(item, pg.AxisItem):
            font = item.style.get("tickFont") or QApplication.font()
            font.setPointSizeF(font.pointSizeF() * ratio)
            item.setTickFont(font)
            item.setPen(theme.foreground)
            item.setTextPen(theme.foreground)
            if item.labelText:
                style = {key: scale_points(str(value), ratio) for key, value in item.labelStyle.items()}
                style["color"] = theme.foreground
                item.setLabel(item.labelText, item.labelUnits, **style)
        elif isinstance(item, pg.PlotDataItem):
            pen = item.opts.get("pen")
            if pen is not None:
                pen = pg.mkPen(pen)
                pen.setWidthF(max(pen.widthF(), 1.0) * ratio)
                item.setPen(pen)
            # also while a curve shows no symbol: an epoch curve's marks come back (MARKED_EPOCHS)
            item.setSymbolSize(item.opts["symbolSize"] * ratio)
        elif isinstance(item, pg.InfiniteLine):
            pen = pg.mkPen(item.pen)
            pen.setWidthF(max(pen.widthF(), 1.0) * ratio)
            item.setPen(pen)
        elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)):
            font = item.font()
            font.setPointSizeF(font.pointSizeF() * ratio)
            item.setFont(font)
