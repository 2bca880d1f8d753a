"""The optimiser race: SGD, SGD with momentum, RMSProp and Adam train the same model from the same
start on the same batches, in lockstep (one worker thread steps each in turn), each into a RunRecord
the Compare tab overlays as they go."""
from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot

from engine import build_trainer
from engine.optim import DEFAULT_LEARNING_RATE

from ..i18n import translate
from ..state import RunRecord
from ..state.progress import EvaluationReport, Progress
from ..state.record import MOMENTS_PER_EPOCH

# (optimizer, momentum) of each racer, in the order they are drawn
RACERS = (("sgd", 0.0), ("sgd", 0.9), ("rmsprop", 0.0), ("adam", 0.0))
PUBLISH_INTERVAL = 0.2     # seconds between reports: four records grow at once


def race_configs(train_config) -> list:
    """The racers' TrainConfigs: the user's settings with each optimizer; plain SGD keeps the
    user's rate (momentum SGD too), the adaptive ones start from their own (torch's)."""
    return [replace(train_config, optimizer=name, momentum=momentum,
                    learning_rate=DEFAULT_LEARNING_RATE.get(name, train_config.learning_rate))
            for name, momentum in RACERS]


class RaceWorker(QObject):
    """Steps every racer's Trainer in turn, in its own thread, and reports each one's progress."""
    progressed = Signal(int, object)   # racer, Progress
    evaluated = Signal(int, object)    # racer, EvaluationReport of the untrained model
    failed = Signal(str)
    finished = Signal()

    def __init__(self, model_config, configs, data):
        super().__init__()
        self._model_config, self._configs, self._data = model_config, configs, data
        self.stopping = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            with np.errstate(all="ignore"):
                self._race()
        except Exception as error:   # noqa: BLE001 - crosses to the GUI thread as a message
            self.failed.emit(translate("Race", "The race stopped: {error}").format(
                error=f"{type(error).__name__}: {error}"))
        finally:
            self.finished.emit()

    def _race(self) -> None:
        data = self._data
        trainers = [build_trainer(self._model_config, config, data.X_train, data.y_train, data.X_eval, data.y_eval,
                                  n_outputs=data.n_classes, image_shape=data.image_shape) for config in self._configs]
        every = max(1, trainers[0].batches_per_epoch // MOMENTS_PER_EPOCH)
        pending = [[] for _ in trainers]
        moments = [[] for _ in trainers]
        sent = [0] * len(trainers)
        done = [False] * len(trainers)    # diverged: out of the race
        for i, trainer in enumerate(trainers):
            if self.stopping.is_set():
                return
            self.evaluated.emit(i, EvaluationReport(trainer.evaluate(data.X_eval, data.y_eval), 0))
            self._publish(i, trainer, [], [], 0, 0.0)
        began, last = time.perf_counter(), time.perf_counter()
        epochs = self._configs[0].epochs
        while not self.stopping.is_set() and not all(done) and \
                any(t.epoch < epochs for t, d in zip(trainers, done) if not d):
            for i, trainer in enumerate(trainers):
                if done[i] or trainer.epoch >= epochs:
                    continue
                result = trainer.step()
                if not result.finite:
                    done[i] = True
                    continue
                pending[i].append(result)
                if trainer.steps % every == 0:
                    moments[i].append((trainer.snapshot(), trainer.batch))
            now = time.perf_counter()
            if now - last >= PUBLISH_INTERVAL or all(t.epoch >= epochs or d for t, d in zip(trainers, done)):
                last = now
                for i, trainer in enumerate(trainers):
                    sent[i] = self._publish(i, trainer, pending[i], moments[i], sent[i], now - began)
                    pending[i], moments[i] = [], []
        for i, trainer in enumerate(trainers):
            self._publish(i, trainer, pending[i], moments[i], sent[i], time.perf_counter() - began)

    def _publish(self, i, trainer, results, moments, sent, elapsed) -> int:
        """Report racer i's steps and new epochs; returns how many epochs have been sent."""
        epochs = trainer.history[sent:]
        rate = trainer.samples_seen / elapsed if elapsed > 0 else float("nan")
        self.progressed.emit(i, Progress(list(results), list(epochs), trainer.snapshot(), trainer.batch,
                                         trainer.batches_per_epoch, self._configs[i].epochs, elapsed, rate,
                                         float("nan"), list(moments),
                                         results[-1].learning_rate if results else trainer.learning_rate))
        return len(trainer.history)


class Race(QObject):
    """A race under way: its records (one per racer, in RACERS' order) grow as the worker reports.

    Signals: progressed() after each report; ended(message) when it is over ("" when it ran to the
    end, else why not).
    """
    progressed = Signal()
    ended = Signal(str)

    def __init__(self, model_config, train_config, data):
        super().__init__()
        configs = race_configs(train_config)
        batches_per_epoch = -(-len(data.y_train) // train_config.batch_size)
        self.records = [RunRecord(model_config, config, batches_per_epoch) for config in configs]
        self._message = ""
        self._worker = RaceWorker(model_config, configs, data)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.evaluated.connect(self._on_evaluated)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._on_finished)
        self.thread = QThread()
        self.thread.setObjectName("optimiser race")
        self._worker.moveToThread(self.thread)
        self.thread.started.connect(self._worker.run)
        self._worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread is not None

    def _on_progressed(self, i: int, progress) -> None:
        self.records[i].add_progress(progress)
        self.progressed.emit()

    def _on_evaluated(self, i: int, report) -> None:
        self.records[i].curves.add_evaluation(report)
        self.records[i].add_evaluation(report.steps, report.evaluation)

    def _on_failed(self, message: str) -> None:
        self._message = message

    def _on_finished(self) -> None:
        if self.thread is None:   # stopped already: said so then
            return
        self._join()
        self.ended.emit(self._message)

    def stop(self) -> None:
        """Stop the racers after their step under way and join the thread."""
        if self.thread is None:
            return
        self._worker.stopping.set()
        self._join()
        self.ended.emit(translate("Race", "The race was stopped."))

    def _join(self) -> None:
        if self.thread is None:
            return
        self.thread.quit()
        self.thread.wait()
        for record in self.records:
            record.end()
        self.thread = self._worker = None
