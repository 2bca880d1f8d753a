"""One training run as the window sees it: the worker thread, the commands to it, what it reported."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from engine import snapshot_run

from .guarded_trainer import GuardedTrainer
from ..state.run_control import RunControl
from ..state import RunRecord
from .worker import TrainingWorker, start_in_thread


class TrainingRun(QObject):
    """Starts a TrainingWorker on `trainer` in its own QThread and gathers its reports.

    The worker's signals arrive here (queued: this object lives in the GUI thread) and go into the
    run's `record` (a RunRecord). The window keeps the run it shows and drops it for the next one;
    a dropped run is deleted with the reports still queued for it, so a stopped run can never draw
    over its successor.

    Args:
        start: the RunToStart (opened_run.trainer_to_start): its build() makes the engine Trainer
            (with the held-out set as its test set) in the worker's thread; `trainer` is None until
            then (`built`). Its initial_weights is W₀ of a run that continues a saved one (whose
            first report is not step 0).
        data: the TrainingData it trains on. train_config: the TrainConfig it trains with.
        paused: start waiting for a command (Step before Start). delay: seconds between steps.
        twin: for a twin run, (RunToStart, TrainConfig) of B, trained in lockstep with this run
            (A) on the same batches into `twin_record`; None for a single run.
    """
    built = Signal()           # `trainer` is there
    progressed = Signal()      # history and latest_progress have news
    evaluated = Signal()       # latest_evaluation has news
    paused = Signal()          # the worker waits; everything it did has been reported
    completed = Signal()
    diverged = Signal(str)
    overflowed = Signal(float)   # the learning rate of a step the engine refused as non-finite
    errored = Signal(str)
    finished = Signal()        # the worker ended by itself (after an error)

    def __init__(self, start, data, train_config, paused: bool, delay: float, twin=None):
        super().__init__()
        self.trainer = None
        self.model_config, self.train_config = start.model_config, train_config
        self.continues_saved = start.continued_from is not None   # a stopped one is continued again
        batches_per_epoch = -(-len(data.y_train) // train_config.batch_size)
        if start.record is not None:   # the continued run's record goes on (its batch size may change)
            self.record = start.record
            self.record.go_on(train_config, batches_per_epoch)
        else:
            self.record = RunRecord(start.model_config, train_config, batches_per_epoch)
        self.latest_progress = self.latest_evaluation = None
        self.hinted = False   # the window has shown a learning-rate hint for this run (once is enough)
        self.control = RunControl(paused=paused, delay=delay, epochs=train_config.epochs)
        # the lock lets File ▸ Save take the trainer between two of the worker's steps
        self.twin_record = None
        if twin is not None:
            twin_start, twin_config = twin
            self.twin_record = RunRecord(twin_start.model_config, twin_config, batches_per_epoch)
        self._worker = TrainingWorker(lambda: GuardedTrainer(start.build()), self.control, data.X_eval,
                                      data.y_eval, make_twin=twin[0].build if twin else None,
                                      twin_own_rate=bool(twin) and twin[1].learning_rate != train_config.learning_rate)
        self._worker.built.connect(self._on_built)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.evaluated.connect(self._on_evaluated)
        if twin is not None:
            self._worker.twin_progressed.connect(self._on_twin_progressed)
            self._worker.twin_evaluated.connect(self._on_twin_evaluated)
        for name in ("paused", "completed", "diverged", "overflowed", "errored", "finished"):
            getattr(self._worker, name).connect(getattr(self, name))
        self.thread = start_in_thread(self._worker)

    def saved_state(self):
        """The run as it stands, as a SavedRun (copies) that a new run can continue from."""
        with self.trainer.consistent() as trainer:
            return snapshot_run(trainer, self.model_config, self.train_config)

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
        self.record.end()
        if self.twin_record is not None:
            self.twin_record.end()
        # Python owns both objects: dropping them only now, after wait(), means neither is destroyed
        # while the thread runs (what superqt's deleteLater achieves through the event loop)
        self.thread = self._worker = None

    @Slot(object)
    def _on_built(self, trainer) -> None:
        self.trainer = trainer
        self.built.emit()

    @property
    def history(self):
        """The curves of the run (its record's)."""
        return self.record.curves

    @property
    def initial_weights(self):
        """The first layer's W₀, once the record has the first moment (None before)."""
        first = self.record.at(0)
        return first.weights[0] if first is not None and first.step == 0 else None

    @Slot(object)
    def _on_progressed(self, progress) -> None:
        self.record.add_progress(progress)
        self.latest_progress = progress
        self.progressed.emit()

    @Slot(object)
    def _on_evaluated(self, report) -> None:
        self.record.curves.add_evaluation(report)
        self.record.add_evaluation(report.steps, report.evaluation)
        self.latest_evaluation = report
        self.evaluated.emit()

    @Slot(object)
    def _on_twin_progressed(self, progress) -> None:
        self.twin_record.add_progress(progress)

    @Slot(object)
    def _on_twin_evaluated(self, report) -> None:
        self.twin_record.curves.add_evaluation(report)
        self.twin_record.add_evaluation(report.steps, report.evaluation)
