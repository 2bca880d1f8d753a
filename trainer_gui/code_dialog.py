"""The dialog shown after File ▸ Export model ▸ PyTorch (safetensors)…: the PyTorch code that loads
the exported tensors, as selectable text with a Copy button (the same code is written beside them)."""
from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from .i18n import translate


class CodeDialog(QDialog):
    """Not modal: the window (and a run) go on while the code is read or copied."""

    def __init__(self, title: str, intro: str, code: str, parent=None):
        super().__init__(parent)
        self.setObjectName("codeDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.code = QPlainTextEdit(code)
        self.code.setObjectName("codeText")
        self.code.setReadOnly(True)                 # read-only still selects and copies
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(translate("CodeDialog", "Copy code"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("copyCodeButton")
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(640, 380)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
