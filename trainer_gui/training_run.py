"""One training run as the window sees it: the worker thread, the commands to it, what it reported."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from .history import TrainingHistory
from .run_control import RunControl
from .worker import TrainingWorker, start_in_thread


class TrainingRun(QObject):
    """Starts a TrainingWorker on `trainer` in its own QThread and gathers its reports.

    The worker's signals arrive here (queued: this object lives in the GUI thread). The window keeps
    the run it shows and drops it for the next one; a dropped run is deleted with the reports still
    queued for it, so a stopped run can never draw over its successor.

    Args:
        trainer: the engine Trainer, built with the held-out set as its test set.
        data: the TrainingData it trains on. epochs: the planned length of the run.
        paused: start waiting for a command (Step before Start). delay: seconds between steps.
    """
    progressed = Signal()      # history and latest_progress have news
    evaluated = Signal()       # latest_evaluation has news
    paused = Signal()          # the worker waits; everything it did has been reported
    completed = Signal()
    diverged = Signal(str)
    errored = Signal(str)
    finished = Signal()        # the worker ended by itself (after an error)

    def __init__(self, trainer, data, epochs: int, paused: bool, delay: float):
        super().__init__()
        self.trainer = trainer
        self.history = TrainingHistory(trainer.batches_per_epoch)
        self.latest_progress = self.latest_evaluation = None
        self.control = RunControl(paused=paused, delay=delay)
        self._worker = TrainingWorker(trainer, self.control, data.X_eval, data.y_eval, epochs)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.evaluated.connect(self._on_evaluated)
        for name in ("paused", "completed", "diverged", "errored", "finished"):
            getattr(self._worker, name).connect(getattr(self, name))
        self.thread = start_in_thread(self._worker)

    @property
    def active(self) -> bool:
        """The worker thread has not been joined yet."""
        return self.thread is not None

    def stop(self) -> None:
        """End the worker and join its thread; reports already queued here are still delivered."""
        if self.thread is None:
            return
        self.control.stop()
        self.thread.quit()
        self.thread.wait()
        # Python owns both objects: dropping them only now, after wait(), means neither is destroyed
        # while the thread runs (what superqt's deleteLater achieves through the event loop)
        self.thread = self._worker = None

    @Slot(object)
    def _on_progressed(self, progress) -> None:
        self.history.add_steps(progress.results)
        self.history.add_epochs(progress.epochs)
        self.latest_progress = progress
        self.progressed.emit()

    @Slot(object)
    def _on_evaluated(self, report) -> None:
        self.history.add_evaluation(report)
        self.latest_evaluation = report
        self.evaluated.emit()
