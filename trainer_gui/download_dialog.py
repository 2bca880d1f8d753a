"""Downloading a known dataset in a worker thread, behind a dialog: file, bytes, speed and Cancel.

The download itself is the engine's (engine.datasets.download: mirrors, checksums, temporary files
renamed only when complete); this module runs it off the GUI thread and shows how it goes.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout

from engine import datasets

from .transfer import TransferMeter, describe_transfer
from .worker import start_in_thread

SPEED_REFRESH_MS = 500   # the speed is shown again this often, so a stalled server shows as slowing


class DownloadWorker(QObject):
    """Runs engine.datasets.download(name) in its thread; the outcome crosses as a signal.

    Args:
        name: a key of engine.datasets.KNOWN. mirrors: base addresses to use instead of its own, or None.
    """
    progressed = Signal(str, object, object)   # file name, bytes done, bytes total (0: not known)
    succeeded = Signal(str)                    # the dataset's folder
    failed = Signal(str)
    cancelled = Signal(str)
    finished = Signal()

    def __init__(self, name: str, mirrors=None):
        super().__init__()
        self.name, self._mirrors = name, mirrors
        self._cancel = threading.Event()       # set from the GUI thread, read by the download loop

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            # a report per 64 kB chunk: some 300 a second at 20 MB/s, which Qt queues easily
            folder = datasets.download(self.name, mirrors=self._mirrors, progress=self.progressed.emit,
                                       cancelled=self._cancel.is_set)
        except datasets.DownloadCancelled as error:
            self.cancelled.emit(str(error))
        except datasets.DownloadError as error:
            self.failed.emit(str(error))
        except Exception as error:   # e.g. a cache folder that cannot be created
            self.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.succeeded.emit(str(folder))
        finally:
            self.finished.emit()


class DownloadDialog(QDialog):
    """Shows one download while its worker runs; Cancel, Escape or closing ask the worker to stop.

    Exactly one of downloaded(folder), failed(message) or cancelled(message) is emitted, after the
    worker thread has been joined; the dialog then closes.
    """
    downloaded = Signal(str)
    failed = Signal(str)
    cancelled = Signal(str)

    def __init__(self, name: str, mirrors=None, parent=None):
        super().__init__(parent)
        self.setObjectName("downloadDialog")
        dataset = datasets.KNOWN[name]
        self.setWindowTitle(f"Download {dataset.title}")
        self._files = list(dataset.md5)
        self._meter = None     # a TransferMeter from start on
        self._latest = (0, 0)  # bytes done and total of the file under way
        self._outcome = None   # (signal, text) from the worker, delivered once its thread is joined
        heading = QLabel(f"<b>{dataset.title}</b><br>into {datasets.cache_root() / name}", wordWrap=True)
        self.file_label = QLabel("Connecting…", objectName="downloadFile")
        self.progress_bar = QProgressBar(objectName="downloadProgress", minimum=0, maximum=0)
        self.transfer_label = QLabel(" ", objectName="downloadTransfer")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("downloadCancel")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.file_label, self.progress_bar, self.transfer_label, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(480)
        self.worker = DownloadWorker(name, mirrors)
        self.worker.progressed.connect(self._on_progressed)
        self.worker.succeeded.connect(self._on_succeeded)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.worker.finished.connect(self._on_finished)
        self._thread = None
        self._speed_timer = QTimer(self, interval=SPEED_REFRESH_MS, timeout=self._show_transfer)

    def start(self) -> None:
        """Start the worker thread and show the dialog, modal to the window, without blocking."""
        self._meter = TransferMeter()
        self._speed_timer.start()
        self._thread = start_in_thread(self.worker)
        self._thread.setObjectName("download")
        self.open()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def cancel(self) -> None:
        if self.running:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText("Cancelling…")

    def reject(self) -> None:
        """Escape and the close button cancel; the dialog closes when the worker has stopped."""
        if self.running:
            self.cancel()
        else:
            super().reject()

    def shut_down(self) -> None:
        """Cancel and join the worker thread now (the window is closing)."""
        if self.running:
            self.worker.cancel()
            self._join()

    @Slot(str, object, object)
    def _on_progressed(self, file_name: str, done: int, total: int) -> None:
        self._meter.update(file_name, done)
        number = self._files.index(file_name) + 1 if file_name in self._files else 0
        self.file_label.setText(f"{file_name}   (file {number} of {len(self._files)})")
        if total:
            self.progress_bar.setRange(0, 1000)   # per mille: byte counts may not fit a C int
            self.progress_bar.setValue(done * 1000 // total)
        else:
            self.progress_bar.setRange(0, 0)      # the server did not say the size: a busy bar
        self._latest = (done, total)
        self._show_transfer()

    @Slot()
    def _show_transfer(self) -> None:
        if self._meter.received:
            self.transfer_label.setText(describe_transfer(*self._latest, self._meter.bytes_per_second()))

    # the outcome is kept until `finished`: the thread is joined before anyone hears of it
    @Slot(str)
    def _on_succeeded(self, folder: str) -> None:
        self._outcome = (self.downloaded, folder)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self._outcome = (self.failed, text)

    @Slot(str)
    def _on_cancelled(self, text: str) -> None:
        self._outcome = (self.cancelled, text)

    @Slot()
    def _on_finished(self) -> None:
        if not self.running:   # already joined by shut_down
            return
        self._join()
        self.done(QDialog.DialogCode.Accepted if self._outcome[0] is self.downloaded
                  else QDialog.DialogCode.Rejected)
        signal, text = self._outcome
        signal.emit(text)

    def _join(self) -> None:
        self._speed_timer.stop()
        self._thread.wait()
        # Python owns both: dropped only after wait(), as TrainingRun does with the training worker
        self._thread = None
