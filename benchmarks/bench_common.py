"""What the benchmark scripts share: each window (or launched program) remembers its settings in
a folder of its own, never the user's."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

SETTINGS_ENV = "MNIST_TRAINER_SETTINGS"   # the folder of the window's settings file (trainer_gui/settings.py)
_settings_root = None   # the benchmark's own settings folders, made by fresh_settings()


def fresh_settings() -> str:
    """Point $MNIST_TRAINER_SETTINGS at a new, empty folder for the next window (or launched
    program): the window remembers its geometry, speed, model and training settings between
    sessions, and a benchmark must neither follow nor change the user's. The folders are removed
    when the benchmark ends."""
    global _settings_root
    if _settings_root is None:
        _settings_root = tempfile.mkdtemp(prefix="mnist-trainer-bench-")
        atexit.register(shutil.rmtree, _settings_root, True)
    folder = tempfile.mkdtemp(dir=_settings_root)
    os.environ[SETTINGS_ENV] = folder
    return folder


LOAD_TIMEOUT = 120.0   # seconds a background load may take before the benchmark gives up


def open_data(window, folder) -> None:
    """window.load_data(folder), waiting (with the event loop running) until the load has ended."""
    import time

    from PySide6.QtWidgets import QApplication

    window.load_data(folder)   # in the background
    loading_since = time.perf_counter()
    while window.loading:
        if time.perf_counter() - loading_since > LOAD_TIMEOUT:
            raise TimeoutError(f"the window did not finish loading {folder} in {LOAD_TIMEOUT:g} s")
        QApplication.processEvents()
        time.sleep(0.01)


def open_window(folder, epochs: int, hidden=None, size=(1280, 800), kind="two-layer", batch=None):
    """A MainWindow of its own settings (fresh_settings), shown at `size`, with the data of `folder`
    loaded and the model `kind` (the two-layer network by default) chosen for `epochs` epochs,
    with `hidden` units (a number, or a text such as "256, 256" for an MLP) and `batch` examples a
    batch if given."""
    from trainer_gui.main_window import MainWindow

    fresh_settings()
    window = MainWindow()
    window.resize(*size)
    window.show()
    open_data(window, folder)
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(kind))
    if hidden is not None:
        panel.hidden_edit.setText(str(hidden))
    if batch is not None:
        panel.batch_spin.setValue(batch)
    panel.epochs_spin.setValue(epochs)
    return window


def print_table(header, rows) -> None:
    """A Markdown table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    widths = [widths[0]] + [max(w, 12) for w in widths[1:]]
    cells = lambda row: [f"{row[0]:<{widths[0]}}", *(f"{c:>{w}}" for c, w in zip(row[1:], widths[1:]))]  # noqa: E731
    print("| " + " | ".join(cells(header)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(cells(row)) + " |")
