"""Downloading a known dataset in a worker thread, behind a dialog: file, bytes, speed and Cancel.

The download itself is the engine's (engine.datasets.download: mirrors, checksums, temporary files
renamed only when complete, deadlines, size caps); this module runs it off the GUI thread and shows
how it goes. The thread is a Python daemon thread, not a QThread: a QThread destroyed while it runs
aborts the process, while a daemon thread still running when the process exits (a read blocked
where even a cancel cannot reach, such as a DNS lookup) is simply dropped.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout

from engine import datasets

from .i18n import translate
from .transfer import TransferMeter, describe_transfer

SPEED_REFRESH_MS = 500   # the speed is shown again this often, so a stalled server shows as slowing
JOIN_SECONDS = 2.0       # the longest the window waits for a cancelled download's thread when closing


class DownloadWorker(QObject):
    """Runs engine.datasets.download(name) in a daemon thread; progress and the outcome cross to the
    GUI thread as queued signals of this object, which the running thread keeps alive.

    Args:
        name: a key of engine.datasets.KNOWN. mirrors: base addresses to use instead of its own, or None.
    """
    progressed = Signal(str, object, object)   # file name, bytes done, bytes total (0: not known)
    succeeded = Signal(str)                    # the dataset's folder
    failed = Signal(str)
    cancelled = Signal(str)
    finished = Signal()                        # the last thing the thread does

    def __init__(self, name: str, mirrors=None):
        super().__init__()
        self.name, self._mirrors = name, mirrors
        # cancelled from the GUI thread; also shuts down the connection the download reads
        self._cancellation = datasets.Cancellation()
        self._thread = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=f"download {self.name}", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancellation.cancel()

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the thread to end; True if it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def run(self) -> None:
        try:
            # a report per 64 kB at most: some 300 a second at 20 MB/s, which Qt queues easily
            folder = datasets.download(self.name, mirrors=self._mirrors, progress=self.progressed.emit,
                                       cancelled=self._cancellation)
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
    """Shows one download while its worker runs; Cancel, Escape or closing ask the worker to stop,
    which it does within a moment (the engine shuts down the connection it waits on).

    Exactly one of downloaded(folder), failed(message) or cancelled(message) is emitted, after the
    worker thread has been joined; the dialog then closes. After shut_down, none is.
    """
    downloaded = Signal(str)
    failed = Signal(str)
    cancelled = Signal(str)

    def __init__(self, name: str, mirrors=None, parent=None):
        super().__init__(parent)
        self.setObjectName("downloadDialog")
        dataset = datasets.KNOWN[name]
        self.setWindowTitle(translate("DownloadDialog", "Download {dataset}").format(dataset=dataset.title))
        self._files = list(dataset.md5)
        self._meter = None     # a TransferMeter from start on
        self._latest = (0, 0)  # bytes done and total of the file under way
        self._outcome = None   # (signal, text) from the worker, delivered once its thread is joined
        self._running = False  # from start until the outcome is delivered, or shut_down
        heading = QLabel(translate("DownloadDialog", "<b>{dataset}</b><br>into {folder}").format(
            dataset=dataset.title, folder=datasets.cache_root() / name), wordWrap=True)
        self.file_label = QLabel(translate("DownloadDialog", "Connecting…"), objectName="downloadFile")
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
        self._speed_timer = QTimer(self, interval=SPEED_REFRESH_MS, timeout=self._show_transfer)

    def start(self) -> None:
        """Start the worker thread and show the dialog, modal to the window, without blocking."""
        self._meter = TransferMeter()
        self._speed_timer.start()
        self._running = True
        self.worker.start()
        self.open()

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        if self.running:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(translate("DownloadDialog", "Cancelling…"))

    def reject(self) -> None:
        """Escape and the close button cancel; the dialog closes when the worker has stopped."""
        if self.running:
            self.cancel()
        else:
            super().reject()

    def closeEvent(self, event) -> None:
        """The window system's close button cancels as Escape does (the dialog stays until the
        worker stops). A close from the program, such as the application quitting (Qt closes every
        window first), cancels and closes at once: a dialog refusing it would cancel the quit. The
        outcome still comes if the event loop goes on."""
        if self.running and not event.spontaneous():
            self.cancel()
            self.worker.join(JOIN_SECONDS)
            event.accept()
        else:
            super().closeEvent(event)

    def shut_down(self) -> None:
        """The window is closing: cancel, stop listening to the worker, and wait for its thread at
        most JOIN_SECONDS (a cancel ends it within a moment; one that does not end is abandoned:
        a daemon thread cannot keep the process alive). Returns at once if not running."""
        if not self.running:
            return
        self._running = False   # an outcome still on its way is ignored
        self._speed_timer.stop()
        for signal in (self.worker.progressed, self.worker.succeeded, self.worker.failed,
                       self.worker.cancelled, self.worker.finished):
            signal.disconnect()
        self.worker.cancel()
        self.worker.join(JOIN_SECONDS)
        self.done(QDialog.DialogCode.Rejected)

    @Slot(str, object, object)
    def _on_progressed(self, file_name: str, done: int, total: int) -> None:
        self._meter.update(file_name, done)
        number = self._files.index(file_name) + 1 if file_name in self._files else 0
        self.file_label.setText(translate("DownloadDialog", "{file}   (file {number} of {count})").format(
            file=file_name, number=number, count=len(self._files)))
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
        if not self.running:   # shut down meanwhile
            return
        self._running = False
        self._speed_timer.stop()
        self.worker.join(JOIN_SECONDS)   # `finished` is the thread's last act: it ends at once
        self.done(QDialog.DialogCode.Accepted if self._outcome[0] is self.downloaded
                  else QDialog.DialogCode.Rejected)
        signal, text = self._outcome
        signal.emit(text)
