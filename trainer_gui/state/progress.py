"""What the worker reports to the window, and the clock behind the status bar; no Qt."""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from engine import Evaluation, Snapshot, StepResult
from engine.trainer import EpochRecord

from ..hyperparameters import format_duration


@dataclass
class Progress:
    """The steps taken since the previous report, and where the run stands after them."""
    results: list[StepResult]   # applied steps, in order; empty when only the clock moved
    epochs: list[EpochRecord]   # the engine's records of the epochs finished since the last report
    # copies of the weights after the last of these steps; None when the report brings none (the
    # worker copies a wide network's weights only as often as its budget allows: worker.COPY_SHARE)
    snapshot: Snapshot | None
    batch: int                  # index of the next batch in the current epoch
    batches_per_epoch: int
    epochs_planned: int
    elapsed: float              # seconds spent training, pauses excluded
    samples_per_second: float   # over the last second or so of training; nan until known
    eta: float                  # seconds until the planned epochs are done; nan when unknown
    # (Snapshot, batch) taken between reports, so a fast run is recorded densely enough to rewind
    moments: list = field(default_factory=list)
    learning_rate: float = math.nan   # the rate the last step used, after the schedule
    # step -> StepBatch of the steps taken to be inspected (Step): their batch can be rebuilt
    inspected: dict = field(default_factory=dict)
    epoch: int = -1             # completed epochs after these steps (default: the snapshot's)
    samples_seen: int = -1      # examples trained on so far (default: the snapshot's)

    def __post_init__(self):
        if self.epoch < 0:
            self.epoch = self.snapshot.epoch
        if self.samples_seen < 0:
            self.samples_seen = self.snapshot.samples_seen


@dataclass
class EvaluationReport:
    """The held-out set evaluated at one point of the run: before the first step, by the engine at
    each epoch end, or by the worker when it pauses (so the views show the weights the user sees)."""
    evaluation: Evaluation
    steps: int           # steps done when it was evaluated; 0 is the untrained model


class RunClock:
    """Training time with pauses left out, the recent rate, and the time left at that rate.

    now: the time source, replaceable in tests.
    """

    def __init__(self, window: float = 1.0, now=time.perf_counter):
        self._now = now
        self._window = window            # seconds of training the rate is averaged over
        self._banked = 0.0               # training seconds of the intervals already ended
        self._since: float | None = None  # start of the running interval, None while paused
        self._marks: deque[tuple[float, int, int]] = deque()  # (elapsed, steps, samples)

    def resume(self) -> None:
        if self._since is None:
            self._since = self._now()

    def pause(self) -> None:
        if self._since is not None:
            self._banked += self._now() - self._since
            self._since = None

    @property
    def elapsed(self) -> float:
        running = self._now() - self._since if self._since is not None else 0.0
        return self._banked + running

    def record(self, steps: int, samples_seen: int) -> None:
        """Note the counters now; marks older than the window (but the newest such) are dropped."""
        elapsed = self.elapsed
        self._marks.append((elapsed, steps, samples_seen))
        while len(self._marks) > 2 and elapsed - self._marks[1][0] >= self._window:
            self._marks.popleft()

    def samples_per_second(self) -> float:
        return self._rate(2)

    def time_left(self, steps_left: int) -> float:
        rate = self._rate(1)
        return steps_left / rate if rate > 0 else math.nan

    def _rate(self, column: int) -> float:
        if len(self._marks) < 2:
            return math.nan
        first, last = self._marks[0], self._marks[-1]
        seconds = last[0] - first[0]
        return (last[column] - first[column]) / seconds if seconds > 0 else math.nan



def run_position(progress: Progress) -> tuple[int, int]:
    """(epoch, batch) as a user counts them: 1-based, the batch being the last one done.

    Right after an epoch ends this is (that epoch, its last batch), not (next epoch, 0).
    """
    if progress.batch == 0:
        return progress.epoch, progress.batches_per_epoch if progress.epoch else 0
    return progress.epoch + 1, progress.batch


def _untranslated(context: str, text: str) -> str:
    return text


def describe_progress(progress: Progress | None, state_name: str, translate=_untranslated) -> str:
    """The status bar line: state, epoch, batch, samples/s, elapsed time and time left.

    translate: the window's translate(context, text) (trainer_gui.i18n; this module imports no Qt),
    applied to each template before its values are filled in; state_name comes translated.
    """
    if progress is None:
        return state_name
    epoch, batch = run_position(progress)
    rate = progress.samples_per_second
    return "   ·   ".join([
        state_name,
        # Step goes on past the plan after Finished: say so rather than "epoch 6 of 5"
        translate("Progress", "epoch {epoch} of {epochs}").format(epoch=epoch, epochs=progress.epochs_planned)
        if epoch <= progress.epochs_planned
        else translate("Progress", "epoch {epoch} (past the {epochs} planned)").format(
            epoch=epoch, epochs=progress.epochs_planned),
        translate("Progress", "batch {batch} of {batches}").format(batch=batch, batches=progress.batches_per_epoch),
        *([translate("Progress", "learning rate {rate}").format(rate=f"{progress.learning_rate:.3g}")]
          if math.isfinite(progress.learning_rate) else []),
        translate("Progress", "{rate} samples/s").format(rate=f"{rate:,.0f}" if math.isfinite(rate) else "—"),
        translate("Progress", "elapsed {time}").format(time=format_duration(progress.elapsed)),
        translate("Progress", "ETA {time}").format(time=format_duration(progress.eta)),
    ])
