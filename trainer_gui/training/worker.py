"""The QObject that trains in a QThread: the only module touching both the engine and threads.

The pattern is superqt's: a worker QObject moved to a QThread, `thread.started -> worker.run`,
`worker.finished -> thread.quit`, `deleteLater` on both. Commands come in through a RunControl
(lock-protected, polled between steps); results go out as queued signals, errors included.
Reports are condensed: one `progressed` per ~1/30 s carries every StepResult since the last one
and a single weight snapshot, so a fast engine is never slowed to the rate the screen redraws at.
"""
from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot

from ..state.progress import EvaluationReport, Progress, RunClock
from ..state.run_control import Action, RunControl
from ..state.record import MOMENTS_PER_EPOCH, StepBatch
from ..i18n import translate

PUBLISH_INTERVAL = 1 / 30   # seconds between reports: no view redraws faster than this
# of the worker's training time, the most that copying parameters for the record may take, the
# copies that must be made included (epoch ends, pauses, inspected steps), after the first COPY_ALLOWANCE
# seconds of copies (a short run keeps all its moments): a wide network's weights are megabytes,
# and a copy at every report and MOMENTS_PER_EPOCH an epoch took the worker 20% of its time
COPY_SHARE = 0.02
COPY_ALLOWANCE = 0.05
# seconds of that budget a copy takes at least: beyond its own time, each moment costs the window
# ~1 ms (the record's bookkeeping on the GUI thread, holding the interpreter lock the engine needs
# between its NumPy calls; the memory it takes and gives back). Measured: 784-100-10 at batch 100
# copied in 20 µs, so 140 moments a second fitted the share, and the window trained 10-25% slower
# than with 15 a second (bench_gui.py --networks).
MOMENT_COST = 0.001


class TrainingWorker(QObject):
    """Runs one Trainer step by step as a RunControl says, reporting through signals.

    Args:
        make_trainer: returns the engine Trainer (or a GuardedTrainer around it), built with the
            held-out set as its test set (it evaluates that at every epoch end itself). The worker
            calls it in its own thread, so a large model is never allocated on the GUI thread;
            from then on only this worker's thread steps the trainer.
        X_eval (np.ndarray[np.float32]): (n, rows*cols) held-out inputs; y_eval: (n,) labels.
        The planned length of the run is the control's `epochs`: free running pauses there.
        make_twin: for a twin run, returns B's Trainer (same batch size, shuffling and seed as A's,
            so the same batches in the same order): B takes a step after each of A's, on the same
            batch, and is reported (twin_progressed, twin_evaluated) whenever A is. A learning
            rate set during the run reaches B too, unless `twin_own_rate` (B's rate is what B
            differs in).
    """
    started = Signal()
    built = Signal(object)        # the trainer make_trainer returned, before any report
    progressed = Signal(object)   # Progress
    evaluated = Signal(object)    # EvaluationReport
    twin_progressed = Signal(object)   # Progress of the twin (B), right after A's
    twin_evaluated = Signal(object)    # EvaluationReport of the twin
    paused = Signal()             # idle, waiting for a command; all it did has been reported
    completed = Signal()          # the planned epochs are done; the run waits for commands
    diverged = Signal(str)        # the run paused with something to say: a non-finite step the engine
                                  # refused, or an early stop
    overflowed = Signal(float)    # the learning rate of a step of A the engine refused as non-finite
    errored = Signal(str)         # an exception ended the run
    finished = Signal()

    def __init__(self, make_trainer, control: RunControl, X_eval, y_eval, make_twin=None,
                 twin_own_rate: bool = False):
        super().__init__()
        self._make_trainer, self._make_twin, self._control = make_trainer, make_twin, control
        self._twin_own_rate = twin_own_rate
        self._trainer = None
        self._X_eval, self._y_eval = X_eval, y_eval
        self._clock = RunClock()
        self._main = self._twin = None  # _News of each trainer, once built
        self._moment_every = 1          # steps between moments: MOMENTS_PER_EPOCH an epoch at most
        self._copies = CopyBudget(COPY_SHARE, self._clock, COPY_ALLOWANCE, MOMENT_COST)   # the time copies may take
        self._last_publish = -math.inf

    @Slot()
    def run(self) -> None:
        """The whole run, in the worker thread; returns after a stop or an error."""
        self.started.emit()
        self._clock.resume()
        # A diverging step overflows in many arrays at once; the engine refuses it and `diverged`
        # says so in the window, instead of a RuntimeWarning per array on the console. (np.errstate
        # is per thread: the GUI thread's settings are untouched.)
        try:
            with np.errstate(all="ignore"):
                self._trainer = self._make_trainer()
                # a continued run's earlier epochs are in its record already
                self._main = _News(self._trainer, self._copies)
                if self._make_twin is not None:
                    self._twin = _News(self._make_twin(), self._copies)
                self._moment_every = max(1, self._trainer.batches_per_epoch // MOMENTS_PER_EPOCH)
                if self._control.stopping:   # stopped while the model was built: no evaluation to wait for
                    return
                self.built.emit(self._trainer)
                self._evaluate()             # the untrained model: the first point of the held-out curves
                self._publish(force=True)    # and its weights, W₀ of the weights view
                self._loop()
        except MemoryError:
            self.errored.emit(translate("Worker", "There was not enough memory to build or train this model, so the "
                                                  "run ended. Choose fewer or narrower hidden layers, or a smaller "
                                                  "batch."))
        except ValueError as error:   # settings the engine refused while building the model
            self.errored.emit(translate("RunCommands", "Cannot start: {error}").format(error=error))
        except Exception as error:  # errors cross to the GUI thread as a signal, never as exceptions
            self.errored.emit(translate("Worker", "Training stopped: {error}").format(
                error=f"{type(error).__name__}: {error}"))
        finally:
            self._clock.pause()
            self.finished.emit()

    def _loop(self) -> None:
        control, trainer = self._control, self._trainer
        while True:
            action = control.next_action(block=False)
            if action is None:
                self._idle()
                action = control.next_action()
                self._clock.resume()
            if action is Action.STOP:
                self._publish(force=True)
                return
            if action is Action.RUN and trainer.epoch >= control.epochs:
                control.pause()
                self.completed.emit()
            elif action is Action.EPOCH:
                self._step_epoch()
            elif action is Action.RUN:
                self._step()
            else:   # Step or Step one example: a step to take apart
                self._step(inspect=True, size=1 if action is Action.EXAMPLE else None)

    def _step(self, inspect: bool = False, size: int | None = None):
        learning_rate = self._control.take_learning_rate()
        if learning_rate is not None:
            self._trainer.learning_rate = learning_rate
            if self._twin is not None and not self._twin_own_rate:
                self._twin.trainer.learning_rate = learning_rate
        trainer, main, twin = self._trainer, self._main, self._twin
        if twin is not None and not twin.alive:
            twin = None
        if inspect:   # the weights before it
            for news in (main, twin) if twin else (main,):
                news.keep_moment_before()
        result = trainer.step(keep_rows=inspect, size=size)
        if not result.finite:   # the engine did not apply it: the weights are the last finite ones
            self._control.pause()
            self._publish(force=True)
            self.diverged.emit(translate(
                "Worker", "Epoch {epoch}, batch {batch} would have made the loss diverge at a learning rate of "
                "{rate}, so it was not applied. Lower the learning rate and press Reset to start again (Resume "
                "goes on from the last finite weights).").format(epoch=result.epoch + 1, batch=result.batch + 1,
                                                                  rate=f"{result.learning_rate:g}"))
            self.overflowed.emit(result.learning_rate)
            return result
        # a moment (the weights after the step) for both of a twin run or for neither
        moment = inspect or (trainer.steps % self._moment_every == 0 and self._copies.allow(2 if twin else 1))
        main.took(result, inspect, moment)
        if twin is not None:
            self._step_twin(twin, inspect, size, moment)
        delay = self._control.delay
        if result.epoch_end:
            self._publish(force=True)   # with the engine's record of the epoch
            self._report(self._trainer.last_evaluation)   # the engine evaluated the held-out set
            if twin is not None and twin.alive:
                self._report(twin.trainer.last_evaluation, twin)
            if getattr(trainer, "stopped_early", False):
                trainer.stopped_early = False   # Resume goes on (patience counts from the best epoch)
                self._control.pause()
                restored = translate("Worker", " The model now holds epoch {best}'s weights (File ▸ Save model "
                                               "keeps them).").format(best=trainer.best_epoch) \
                    if trainer.restore_best else ""
                self.diverged.emit(translate(
                    "Worker", "Stopped early: the held-out loss has not improved for {patience} epochs; the best "
                    "was epoch {best}.{restored} Resume trains on; raise the patience (Early stop) to wait longer.")
                    .format(patience=trainer.early_stopping, best=trainer.best_epoch, restored=restored))
        else:
            self._publish(force=delay >= PUBLISH_INTERVAL)   # in slow motion every step is shown
        if delay > 0:
            self._control.sleep_between_steps()
        return result

    def _step_twin(self, twin, inspect: bool, size: int | None, moment: bool) -> None:
        """B's step on the batch A just took (the same rows: same order, same position)."""
        result = twin.trainer.step(keep_rows=inspect, size=size)
        if result.finite:
            twin.took(result, inspect, moment)
            return
        twin.alive = False   # out of the twin run, as a diverging racer is out of the race; A goes on
        self._control.pause()
        self._publish(force=True)
        self.diverged.emit(translate(
            "Worker", "B's step at epoch {epoch}, batch {batch} would have made its loss diverge at a learning rate "
            "of {rate}, so B stopped there. Resume trains A on alone; lower B's learning rate and start the twin "
            "again to compare.").format(epoch=result.epoch + 1, batch=result.batch + 1,
                                        rate=f"{result.learning_rate:g}"))

    def _step_epoch(self) -> None:
        while not self._control.stopping:
            result = self._step()
            if result.epoch_end or not result.finite:
                return

    def _idle(self) -> None:
        """Before waiting: report the last steps and evaluate the weights the user now looks at."""
        self._publish(force=True)
        for news in self._both():
            if news.evaluated_steps != news.trainer.steps:
                self._report(news.trainer.evaluate(self._X_eval, self._y_eval), news)
        self._clock.pause()
        self.paused.emit()

    def _both(self):
        """The _News of A, and of B in a twin run while it is in it."""
        return (self._main, self._twin) if self._twin is not None and self._twin.alive else (self._main,)

    def _evaluate(self) -> None:
        for news in self._both():
            self._report(news.trainer.evaluate(self._X_eval, self._y_eval), news)

    def _report(self, evaluation, news=None) -> None:
        news = news or self._main
        news.evaluated_steps = news.trainer.steps
        signal = self.evaluated if news is self._main else self.twin_evaluated
        signal.emit(EvaluationReport(evaluation, news.trainer.steps))

    def _publish(self, force: bool = False) -> None:
        now = time.perf_counter()
        trainer = self._trainer
        if trainer.steps == self._main.published_steps and (not force or self._main.weights_sent()):
            return   # reported already (a forced report still brings the weights if that one did not)
        if not force and now - self._last_publish < PUBLISH_INTERVAL:
            return
        # a report brings the weights as they are now when they were kept as a moment already, or
        # must be (forced: an epoch end, a pause, a stop), or when copying them fits the budget
        copy = force or self._copies.allow(len(self._both()))
        self._last_publish = now
        self._clock.record(trainer.steps, trainer.samples_seen)
        planned = self._control.epochs
        steps_left = max(planned * trainer.batches_per_epoch - trainer.steps, 0)
        timing = (planned, self._clock.elapsed, self._clock.samples_per_second(),
                  self._clock.time_left(steps_left) if steps_left else 0.0)
        self.progressed.emit(self._main.progress(*timing, copy=copy))
        twin = self._twin
        if twin is not None and (twin.trainer.steps != twin.published_steps or (force and not twin.weights_sent())):
            self.twin_progressed.emit(twin.progress(*timing, copy=copy))


class _News:
    """One trainer's news since its last report: the steps taken, the moments (weights kept for
    the timeline: MOMENTS_PER_EPOCH an epoch, and around every inspected step) and the batches of
    the steps taken to be inspected."""

    def __init__(self, trainer, copies):
        self.trainer, self._copies = trainer, copies
        self.pending = []               # StepResults not yet reported
        self.moments = []               # (Snapshot, batch) taken since the last report
        self.inspected = {}             # step -> StepBatch of the steps taken to be inspected
        self.last_rate = math.nan       # the learning rate of the last step reported
        self.epochs_sent = len(trainer.history)   # a continued run's earlier epochs are reported
        self.published_steps = -1
        self.weights_steps = -1         # the step of the last weights reported (a moment or a report's copy)
        self.evaluated_steps = -1
        self.alive = True               # a twin that would have diverged takes no more steps

    def keep_moment_before(self) -> None:
        """The weights before a step taken to be inspected (unless kept or reported already)."""
        if not self.has_moment_now() and not self.weights_sent():
            self.moments.append((self._snapshot(), self.trainer.batch))

    def took(self, result, inspect: bool, moment: bool) -> None:
        """A step was taken; moment: keep the weights after it."""
        trainer = self.trainer
        self.pending.append(result)
        if result.rows is not None:
            self.inspected[trainer.steps] = StepBatch(result.rows, result.learning_rate, result.inputs)
        if moment:
            self.moments.append((self._snapshot(), trainer.batch))

    def has_moment_now(self) -> bool:
        """The weights as they are now are kept already (the last step's moment)."""
        return bool(self.moments) and self.moments[-1][0].steps == self.trainer.steps

    def weights_sent(self) -> bool:
        """The weights as they are now were reported already."""
        return self.weights_steps == self.trainer.steps

    def _snapshot(self):
        began = time.perf_counter()
        snapshot = self.trainer.snapshot()
        self._copies.spend(time.perf_counter() - began)
        return snapshot

    def progress(self, planned: int, elapsed: float, rate: float, eta: float, copy: bool = True) -> Progress:
        """The Progress of the news gathered, which are then reported; copy: with the weights as
        they are now (else only if they were kept as a moment already)."""
        trainer = self.trainer
        self.published_steps = trainer.steps
        epochs, self.epochs_sent = trainer.history[self.epochs_sent:], len(trainer.history)
        last = self.moments[-1][0] if self.has_moment_now() else self._snapshot() if copy else None
        if last is not None or self.moments:
            self.weights_steps = (last or self.moments[-1][0]).steps
        progress = Progress(self.pending, epochs, last, trainer.batch,
                            trainer.batches_per_epoch, planned, elapsed, rate, eta, self.moments,
                            self.pending[-1].learning_rate if self.pending else self.last_rate, self.inspected,
                            epoch=trainer.epoch, samples_seen=trainer.samples_seen)
        self.last_rate = progress.learning_rate
        self.pending, self.moments, self.inspected = [], [], {}
        return progress


class CopyBudget:
    """How much of the training time copying parameters may take: `allowance` seconds, and
    `share` of `clock.elapsed` on top. `allow(n)` says whether n more copies, as long as the last
    one took, fit; `spend` counts a copy made, as taking `least` seconds at least (what a copy
    costs beyond the copying), also one that had to be made whatever `allow` said. Those are never
    carried as a debt of more than one copy: after a minute of slow motion or of Step presses (a
    copy each), the copies between are back as soon as one fits again, not after the training has
    paid for all of them."""

    def __init__(self, share: float, clock, allowance: float = 0.0, least: float = 0.0):
        self.share, self._clock, self.allowance, self.least = share, clock, allowance, least
        self.spent = 0.0      # seconds spent copying so far
        self.last = 0.0       # seconds the last copy took (counted)

    def allow(self, copies: int = 1) -> bool:
        return self.spent + copies * max(self.last, self.least) <= self._limit()

    def spend(self, seconds: float) -> None:
        self.last = max(seconds, self.least)
        self.spent = min(self.spent + self.last, self._limit() + self.last)

    def _limit(self) -> float:
        """Seconds the copies may have taken by now."""
        return self.allowance + self.share * self._clock.elapsed


def start_in_thread(worker: TrainingWorker) -> QThread:
    """Move `worker` to a new QThread, wire the superqt lifecycle, start it; returns the thread.

    finished -> quit is a direct connection: QThread.quit is thread-safe, and a queued quit would
    never arrive while the GUI thread is blocked in thread.wait() at shutdown.
    """
    thread = QThread()
    thread.setObjectName("training")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    worker.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
