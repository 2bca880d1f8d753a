"""The welcome page: what a first run shows instead of empty plots, one click from data."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from engine import datasets

from ..i18n import is_language_change, translate


class WelcomePage(QWidget):
    """Shown while no data is loaded: the datasets found on this computer (open one with a click),
    a Download button for each known dataset not found, and Open a folder…

    Signals: open_folder(path), download(name), choose_folder().
    """
    open_folder = Signal(object)
    download = Signal(str)
    choose_folder = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.title = QLabel(objectName="welcomeTitle", wordWrap=True)
        self.text = QLabel(wordWrap=True)
        self._data_argument = None
        self.buttons_box = QVBoxLayout()
        self.buttons_box.setSpacing(8)
        card = QFrame(objectName="welcomeCard")
        card.setMaximumWidth(620)
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.text)
        card_layout.addSpacing(8)
        card_layout.addLayout(self.buttons_box)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.buttons: dict[str, QPushButton] = {}
        self.retranslate()

    def retranslate(self) -> None:
        """The page in the current language (its buttons are made again)."""
        self.title.setText(translate("WelcomePage", "Watch a neural network learn to read digits"))
        self.text.setText(translate(
            "WelcomePage", "Load a set of images to train on: MNIST's handwritten digits are the classic. Then "
            "choose a model on the left and press Start (Space pauses, → steps one batch). The plots, the weights "
            "the network learns, its mistakes and its confusion matrix appear here as it trains; the Inside tab "
            "lets you draw a digit and watch every layer answer."))
        if self.buttons:
            self.refresh(self._data_argument)

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def refresh(self, data_argument=None) -> None:
        """One button per dataset found and per known dataset missing, then Open a folder…"""
        self._data_argument = data_argument
        while self.buttons_box.count():
            item = self.buttons_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        found = datasets.find_datasets(data_argument)
        for location in found:
            known = datasets.KNOWN.get(location.name)
            title = known.title if known else location.name
            self._add(f"open:{location.path}", translate("WelcomePage", "Open {dataset}").format(dataset=title),
                      str(location.path),
                      lambda path=location.path: self.open_folder.emit(path))
        present = {location.name for location in found}
        for dataset in datasets.KNOWN.values():
            if dataset.name not in present:
                self._add(f"download:{dataset.name}",
                          translate("WelcomePage", "Download {dataset}").format(dataset=dataset.title),
                          translate("WelcomePage", "from its official mirrors, checked against published checksums"),
                          lambda name=dataset.name: self.download.emit(name))
        self._add("folder", translate("WelcomePage", "Open a folder…"),
                  translate("WelcomePage", "any folder of MNIST-style IDX files (train-/t10k-, gzip or raw)"),
                  self.choose_folder.emit)

    def _add(self, key: str, text: str, tip: str, command) -> None:
        button = QPushButton(text, toolTip=tip)
        button.setObjectName("welcomeButton")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(button.sizeHint().height())   # word-wrapped text above must not squeeze it
        button.clicked.connect(lambda checked=False: command())
        self.buttons_box.addWidget(button)
        self.buttons[key] = button
