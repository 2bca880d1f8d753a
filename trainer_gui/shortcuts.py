"""Space pauses and resumes, Right steps one batch: the run's shortcuts, wherever the focus is."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from shiboken6 import isValid
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget


class RunShortcuts(QObject):
    """Space and Right are the run's shortcuts wherever the focus is in `window`: a field never
    takes them (Space would blank a spin box, tick a check box or open a list), except the widgets
    in `keep_keys` (the hidden-sizes text, typed with spaces; the timeline slider, moved along with
    Right) and a text cursor that Right can still move (Right steps once the cursor is at the end
    of the field). A filter on the focused widget sees the ShortcutOverride it gets first: only
    that widget's events pass through Python (an application-wide filter costs a Python call per
    event of the whole application, ~700 a second while training, each taking the GIL the
    training thread needs).
    """

    def __init__(self, window: QWidget, toggle_pause, step, keep_keys=()):
        super().__init__(window)
        self.window, self.keep_keys = window, tuple(keep_keys)
        QShortcut(QKeySequence(Qt.Key.Key_Space), window, toggle_pause)
        QShortcut(QKeySequence(Qt.Key.Key_Right), window, step)
        self._watched = []   # the focused widget and the parts it passes its focus to (a spin box's text)
        QApplication.instance().focusChanged.connect(self._follow_focus)
        self._listening = True
        self._follow_focus(None, QApplication.focusWidget())

    def _follow_focus(self, old, new) -> None:
        for widget in self._watched:
            if isValid(widget):   # not deleted since it had the focus
                widget.removeEventFilter(self)
        self._watched = []
        if new is not None and self.window.isAncestorOf(new):
            self._watched = [new, *(child for child in new.findChildren(QWidget) if child.focusProxy() is new)]
        for widget in self._watched:
            widget.installEventFilter(self)

    def remove(self) -> None:
        """Stop filtering (the window closes; closing twice is harmless)."""
        if self._listening:
            self._listening = False
            QApplication.instance().focusChanged.disconnect(self._follow_focus)
        self._follow_focus(None, None)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Right):
            # accepted: the field receives the key; ignored: the window's shortcut does
            event.setAccepted(self._field_takes(watched, event.key()))
            return True
        return super().eventFilter(watched, event)

    def _field_takes(self, widget, key) -> bool:
        """Whether the focused `widget` keeps `key` for editing."""
        if widget in self.keep_keys:
            return True
        if key == Qt.Key.Key_Right:
            text = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
            return isinstance(text, QLineEdit) and text.cursorPosition() < len(text.text())
        return False
