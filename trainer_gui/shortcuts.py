"""Space pauses and resumes, Right steps one batch: the run's shortcuts, wherever the focus is."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget


class RunShortcuts(QObject):
    """Space and Right are the run's shortcuts wherever the focus is in `window`: a field never
    takes them (Space would blank a spin box, tick a check box or open a list), except the widgets
    in `keep_keys` (the hidden-sizes text, typed with spaces; the timeline slider, moved along with
    Right) and a text cursor that Right can still move (Right steps once the cursor is at the end
    of the field). An application-wide filter sees the ShortcutOverride a focused field gets first.
    """

    def __init__(self, window: QWidget, toggle_pause, step, keep_keys=()):
        super().__init__(window)
        self.window, self.keep_keys = window, tuple(keep_keys)
        QShortcut(QKeySequence(Qt.Key.Key_Space), window, toggle_pause)
        QShortcut(QKeySequence(Qt.Key.Key_Right), window, step)
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Right) \
                and isinstance(watched, QWidget) and self.window.isAncestorOf(watched):
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
