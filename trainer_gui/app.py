"""The application and its window: what `mnist-trainer` with no subcommand runs (see cli.py).

Qt is imported here and not in cli.py, so `mnist-trainer train ...` runs on a server.
"""
from __future__ import annotations

import sys

from . import ASSETS  # noqa: F401  (app.ASSETS, as before)

WINDOW_SIZE = (1440, 900)   # px, shrunk to fit smaller screens


def make_application(argv=None):
    """The QApplication with the trainer's name, style sheet and icon (also used by the scripts)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("mnist-trainer")
    app.setApplicationDisplayName("MNIST trainer")
    style_sheet = ASSETS / "style.qss"
    if style_sheet.is_file():   # a missing style sheet leaves Qt's look, which is still usable
        app.setStyleSheet(style_sheet.read_text(encoding="utf-8"))
    icon = ASSETS / "icon.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    from .i18n import install_language, saved_language
    from .settings import app_settings
    install_language(saved_language(app_settings()))   # View ▸ Language as last chosen (English by default)
    return app


def run_window(data=None) -> int:
    """Show the window (see open_window) and run the application until it is closed."""
    app = make_application()
    window = open_window(data)  # noqa: F841  (a reference held until the application ends)
    return app.exec()


def open_window(data=None):
    """Show the window on `data`, else on the data folder last opened, else on the first dataset
    found ($MNIST_TRAINER_DATA, the user cache, Debian's package), else ask for a folder. A bad
    folder is reported in the window."""
    from PySide6.QtCore import QTimer

    from engine.datasets import find_datasets

    app = make_application()
    from .main_window import MainWindow   # after the QApplication: the views configure pyqtgraph

    window = MainWindow()   # with the geometry and settings it had when it was last closed
    if window.settings.settings.value("geometry") is None:
        screen = app.primaryScreen().availableGeometry()
        window.resize(min(WINDOW_SIZE[0], screen.width()), min(WINDOW_SIZE[1], screen.height()))
    window.show()
    window.menus.data_argument = data   # the Dataset menu lists it first, as found here
    found = find_datasets(data)
    last = window.settings.last("data")
    if data is not None and not any(location.source == "--data" for location in found):
        window.load_data(data)         # not a folder of IDX files: the window says why
    elif data is None and last is not None:
        window.load_data(last)         # the folder open when the window was last closed
    elif found:
        window.load_data(found[0].path)
    else:
        QTimer.singleShot(0, window.data_panel.open_requested.emit)   # ask once the window is up
    return window
