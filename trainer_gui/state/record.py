"""RunRecord: everything one run produced, append-only, with its parameters at many moments; no Qt.

A run of any length fits a memory budget: when the snapshots outgrow it, the record thins them.
In order, until the budget holds:
  1. drop moments inside the epochs that hold more than MOMENTS_PER_EPOCH (the fullest epoch first);
  2. drop the moments inside the oldest epochs, but for the last KEEP_RECENT_EPOCHS;
  3. keep the moments of finished epochs as float16 (half the bytes; the current epoch stays exact):
     after 2, only the epoch ends and the last epochs' moments are converted, not moments that
     would be dropped later (the conversion is the costliest part of thinning);
  4. drop the moments inside the last epochs too;
  5. as a last resort (a model whose epoch ends alone outgrow the budget) drop every other one of
     the older half of the epoch ends.
What an epoch keeps stays evenly spread. Each time, the record is thinned to 96% of its budget, so
that it takes many snapshots before it is thinned again.
The first moment (W₀, always exact), every epoch end (up to step 4) and the newest moment are always kept, so a
100-epoch run of a 784-1000-10 network keeps every epoch end and ≥ 20 moments in each of its last
epochs inside the default 256 MiB.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass

import numpy as np
from psygnal import Signal

from engine import MLP, Evaluation, Snapshot

from .history import TrainingHistory

DEFAULT_BUDGET = 256 << 20        # bytes of parameter snapshots a record may hold
BUDGET_ENV = "MNIST_TRAINER_RECORD_MB"   # a budget of another size, in MiB
MOMENTS_PER_EPOCH = 20            # moments inside an epoch kept at full density (at least)
KEEP_RECENT_EPOCHS = 2            # epochs (the current one and the one before) emptied last
THIN_TO = 0.96                    # a record over its budget is thinned to this share of it
FLOAT16_MAX = 60_000.0            # larger weights would overflow float16: such moments stay float32


@dataclass(frozen=True)
class Moment:
    """The run after `step` steps.

    weights, biases: tuples of float32 arrays, the layers' W_i (n_i, n_{i+1}) and b_i (n_{i+1},);
    read-only. evaluation: the held-out set evaluated at exactly this step, if it was.
    """
    step: int
    epoch: int            # epochs completed
    batch: int            # batches done in the current epoch (0 right after an epoch end)
    samples_seen: int
    weights: tuple
    biases: tuple
    evaluation: Evaluation | None = None

    position: float = 0.0   # where it lies on the plots' epoch axis (fractional inside an epoch)


@dataclass(frozen=True)
class StepBatch:
    """What rebuilds a step taken to be inspected: its batch's rows of the training set, and the
    learning rate it used (after the schedule)."""
    rows: np.ndarray
    learning_rate: float
    inputs: np.ndarray | None = None   # the batch as trained on, when augmentation changed it


@dataclass
class _Stored:
    step: int
    epoch: int
    batch: int
    samples_seen: int
    arrays: list          # weights then biases, float32 or float16
    n_weights: int
    position: float       # on the epoch axis, with the batches per epoch of its time

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays)

    @property
    def inside(self) -> bool:
        """Inside an epoch (not its end, not the first moment): the moments thinning may drop."""
        return self.batch != 0

    def shrink(self) -> int:
        """Keep the arrays as float16 where they fit; returns the bytes freed."""
        before = self.nbytes
        if all(a.dtype == np.float32 and (a.size == 0 or float(np.abs(a).max()) < FLOAT16_MAX)
               for a in self.arrays):
            self.arrays = [a.astype(np.float16) for a in self.arrays]
        return before - self.nbytes


def _evenly_spread(steps: list, count: int) -> set:
    """The positions of `count` of these increasing steps nearest to evenly spaced ones, so that
    what is kept is spread evenly in time (not in position: recent moments are denser)."""
    steps = np.asarray(steps)
    targets = np.linspace(steps[0], steps[-1], count)
    right = np.clip(np.searchsorted(steps, targets), 1, len(steps) - 1)
    nearest = np.where(targets - steps[right - 1] <= steps[right] - targets, right - 1, right)
    return set(nearest.tolist())


def _halving_order(members: list) -> list:
    """The order to drop `members` in so that what is left stays evenly spread: every other one,
    then every other one of the rest, and so on."""
    order = []
    while members:
        if len(members) == 1:
            return order + members
        order += members[1::2]
        members = members[::2]
    return order


def record_budget() -> int:
    """The bytes a run's snapshots may take: $MNIST_TRAINER_RECORD_MB MiB, or DEFAULT_BUDGET."""
    try:
        megabytes = float(os.environ.get(BUDGET_ENV) or DEFAULT_BUDGET / 2 ** 20)
    except ValueError:
        megabytes = DEFAULT_BUDGET / 2 ** 20
    return int(max(megabytes, 1.0) * 2 ** 20)


def model_of(model_config, moment: Moment):
    """An engine MLP of `model_config` on the parameters of `moment` (wrapped, not copied: the
    moment's arrays are read-only, so the model can answer and be evaluated, not be trained)."""
    _, options = model_config.layout(moment.weights[0].shape[0], moment.weights[-1].shape[1])
    return MLP.from_arrays(moment.weights, moment.biases, hidden=options.get("hidden", "relu"),
                           output=options.get("output", "identity"))


class RunRecord:
    """One run: its configurations, its curves, its evaluations by step and its parameters over time.

    Events (psygnal signals; connect a callable):
        moment_added(step: int): a snapshot of the parameters after `step` steps was recorded.
        evaluated(step: int): the held-out set was evaluated at `step` (`evaluation(step)`).
        curves_changed(): `curves` has new points.
        ended(): the run will not grow any more (`live` is False).

    Args:
        model_config, train_config: the engine configurations the run trains with.
        batches_per_epoch: of its trainer. budget: bytes the snapshots may take (see the module);
            default record_budget() ($MNIST_TRAINER_RECORD_MB).
        name: what the window calls the run. source: the file it was opened from, or None.
    """
    moment_added = Signal(int)
    evaluated = Signal(int)
    curves_changed = Signal()
    ended = Signal()

    def __init__(self, model_config, train_config, batches_per_epoch: int, budget: int | None = None,
                 name: str = "", source=None):
        self.model_config, self.train_config = model_config, train_config
        self.batches_per_epoch = batches_per_epoch
        self.budget = record_budget() if budget is None else budget
        self.name, self.source = name, source
        self.curves = TrainingHistory(batches_per_epoch)
        self.live = True
        self._stored: list[_Stored] = []
        self._steps: list[int] = []            # the stored moments' steps, for bisect
        self._evaluations: dict[int, Evaluation] = {}
        self._batches: dict[int, StepBatch] = {}   # step -> its batch, for the steps kept to inspect
        self.nbytes = 0
        self.elapsed = 0.0                  # seconds of training, pauses excluded (from the reports)
        self.samples_per_second = float("nan")

    @classmethod
    def from_saved(cls, saved, batches_per_epoch: int, name: str = "", source=None,
                   budget: int | None = None) -> "RunRecord":
        """The record of a run opened from a file (an engine SavedRun): its epochs on the curves,
        W₀ when the file has it, and its last parameters; it does not grow (`live` is False)."""
        record = cls(saved.model_config, saved.train_config, batches_per_epoch, budget, name, source)
        record.curves.add_epochs(saved.history)
        n = len(saved.weights)
        if saved.initial:
            record.add_snapshot(Snapshot(saved.initial[:n], saved.initial[n:], 0, 0, 0), 0)
        state = saved.state
        record.add_snapshot(Snapshot(saved.weights, saved.biases, state["steps"], state["epoch"],
                                     state["samples_seen"]), state["batch"])
        record.live = False
        return record

    # --- growing ---------------------------------------------------------------------------
    def add_snapshot(self, snapshot, batch: int) -> None:
        """Record an engine Snapshot (copies of the parameters) taken with `batch` batches of the
        current epoch done; a step recorded already is not recorded twice."""
        if self._steps and snapshot.steps <= self._steps[-1]:
            return
        arrays = [np.asarray(a, np.float32) for a in (*snapshot.weights, *snapshot.biases)]
        stored = _Stored(snapshot.steps, snapshot.epoch, batch, snapshot.samples_seen, arrays,
                         len(snapshot.weights), snapshot.epoch + batch / self.batches_per_epoch)
        self._stored.append(stored)
        self._steps.append(stored.step)
        self.nbytes += stored.nbytes
        if self.nbytes > self.budget:
            self._thin()
        self.moment_added.emit(stored.step)

    def add_evaluation(self, step: int, evaluation: Evaluation) -> None:
        self._evaluations[step] = evaluation
        self.evaluated.emit(step)

    def add_batch(self, step: int, batch: StepBatch) -> None:
        """Keep the batch of `step` (a step taken to be inspected)."""
        self._batches[step] = StepBatch(np.asarray(batch.rows, np.int32), float(batch.learning_rate), batch.inputs)

    def add_progress(self, progress) -> None:
        """A worker's Progress: its steps and epochs on the curves, its snapshots as moments."""
        self.curves.add_steps(progress.results)
        self.curves.add_epochs(progress.epochs)
        for step, batch in progress.inspected.items():
            self.add_batch(step, batch)
        self.elapsed = progress.elapsed
        if progress.samples_per_second == progress.samples_per_second:   # not nan
            self.samples_per_second = progress.samples_per_second
        for snapshot, batch in progress.moments:
            self.add_snapshot(snapshot, batch)
        if progress.snapshot is not None:
            self.add_snapshot(progress.snapshot, progress.batch)
        self.curves_changed.emit()

    def go_on(self, train_config, batches_per_epoch: int) -> None:
        """The run continues (after a stop, or from a file) with these training settings."""
        self.train_config, self.live = train_config, True
        self.batches_per_epoch = self.curves.batches_per_epoch = batches_per_epoch

    def end(self) -> None:
        if self.live:
            self.live = False
            self.ended.emit()

    # --- reading ---------------------------------------------------------------------------
    @property
    def steps(self) -> list[int]:
        """The steps of the recorded moments, in order (a copy)."""
        return list(self._steps)

    def __len__(self) -> int:
        """The number of recorded moments."""
        return len(self._steps)

    def step_of(self, index: int) -> int:
        """The step of the index-th recorded moment (the timeline's slider counts moments)."""
        return self._steps[index]

    def index_of(self, step: int | None) -> int:
        """The index of the moment `at(step)` returns (the last one for None); 0 while empty."""
        found = self.moment_step(step)
        return 0 if found is None else bisect.bisect_left(self._steps, found)

    def position_of(self, step: int) -> float:
        """Where the moment `at(step)` lies on the epoch axis (cheaper than at(step).position)."""
        return self._stored[self.index_of(step)].position if self._stored else 0.0

    @property
    def latest_step(self) -> int | None:
        return self._steps[-1] if self._steps else None

    def moment_step(self, step: int | None) -> int | None:
        """The step of the moment `at(step)` returns, without building it."""
        if not self._steps:
            return None
        if step is None:
            return self._steps[-1]
        i = bisect.bisect_right(self._steps, step) - 1
        return self._steps[max(i, 0)]

    def at(self, step: int | None = None) -> Moment | None:
        """The recorded moment at or just before `step` (the first one for an earlier step, the
        newest for None); None while nothing is recorded."""
        found = self.moment_step(step)
        if found is None:
            return None
        stored = self._stored[bisect.bisect_left(self._steps, found)]
        arrays = tuple(a.astype(np.float32) if a.dtype != np.float32 else a for a in stored.arrays)
        for a in arrays:
            a.flags.writeable = False
        return Moment(stored.step, stored.epoch, stored.batch, stored.samples_seen, arrays[:stored.n_weights],
                      arrays[stored.n_weights:], self._evaluations.get(stored.step), stored.position)

    def exact(self, step: int | None = None) -> bool:
        """The moment `at(step)` keeps its parameters exactly (float32, not thinned to float16)."""
        return bool(self._stored) and self._stored[self.index_of(step)].arrays[0].dtype == np.float32

    def model_at(self, step: int | None = None):
        """An engine MLP with the parameters of the moment `at(step)` (a new model, for evaluating
        a past moment off the GUI thread); None while nothing is recorded."""
        moment = self.at(step)
        return model_of(self.model_config, moment) if moment is not None else None

    def batch_of(self, step: int) -> StepBatch | None:
        """The batch of `step`, if the step was kept to be inspected."""
        return self._batches.get(step)

    @property
    def inspected_steps(self) -> list[int]:
        """The steps whose batch was kept, in order."""
        return sorted(self._batches)

    def evaluation(self, step: int) -> Evaluation | None:
        """The held-out evaluation made at exactly `step`, if one was."""
        return self._evaluations.get(step)

    def latest_evaluation(self, step: int | None = None) -> tuple[int, Evaluation] | tuple[None, None]:
        """(step, evaluation) of the newest evaluation at or before `step` (None: of the run)."""
        made = [s for s in self._evaluations if step is None or s <= step]
        if not made:
            return None, None
        last = max(made)
        return last, self._evaluations[last]

    def shrink_budget(self, budget: int) -> None:
        """Hold at most `budget` bytes of snapshots from now on, thinning at once if need be (a run
        kept for comparison needs far fewer moments than the run being watched)."""
        self.budget = min(self.budget, int(budget))
        if self.nbytes > self.budget:
            self._thin()

    # --- thinning --------------------------------------------------------------------------
    def _thin(self) -> None:
        """Thin to THIN_TO of the budget, each phase in one pass over the moments: a record over its
        budget then takes many snapshots before it is thinned again (thinning at every snapshot
        cost the GUI thread 40% of its time at 300 snapshots a second)."""
        target = int(self.budget * THIN_TO)
        for phase in (self._thin_full_epochs, lambda target: self._empty_old_epochs(target, recent_too=False),
                      self._shrink_finished, self._empty_old_epochs, self._halve_epoch_ends):
            if self.nbytes <= target:
                return
            phase(target)

    def _inside_by_epoch(self) -> dict[int, list[int]]:
        """epoch -> indices of its inside moments (never the first or the newest moment)."""
        groups: dict[int, list[int]] = {}
        for i in range(1, len(self._stored) - 1):
            if self._stored[i].inside:
                groups.setdefault(self._stored[i].epoch, []).append(i)
        return groups

    def _drop(self, indices) -> None:
        """Remove the moments at these indices (in one pass over the record)."""
        dropped = set(indices)
        if not dropped:
            return
        self.nbytes -= sum(self._stored[i].nbytes for i in dropped)
        kept = [i for i in range(len(self._stored)) if i not in dropped]
        self._stored = [self._stored[i] for i in kept]
        self._steps = [self._steps[i] for i in kept]

    def _thin_full_epochs(self, target: int) -> None:
        """Epochs holding more than MOMENTS_PER_EPOCH inside moments keep that many, evenly spread
        (the fullest epochs first)."""
        groups = self._inside_by_epoch()
        over, dropped = self.nbytes - target, []
        for epoch in sorted(groups, key=lambda e: (-len(groups[e]), e)):
            members = groups[epoch]
            if over <= 0 or len(members) <= MOMENTS_PER_EPOCH:
                break
            keep = _evenly_spread([self._steps[i] for i in members], MOMENTS_PER_EPOCH)
            for position, i in enumerate(members):
                if position not in keep:
                    dropped.append(i)
                    over -= self._stored[i].nbytes
        self._drop(dropped)

    def _shrink_finished(self, target: int) -> None:
        """Finished epochs' moments as float16, oldest first (the current epoch stays exact, and W₀:
        the views read it at every redraw, against the moment shown)."""
        current = self._stored[-1].epoch
        for stored in self._stored[1:-1]:
            if self.nbytes <= target:
                return
            if (stored.epoch < current or not stored.inside) and stored.arrays[0].dtype == np.float32:
                self.nbytes -= stored.shrink()

    def _empty_old_epochs(self, target: int, recent_too: bool = True) -> None:
        """Halve the inside of the oldest epoch again and again, then of the next; the last
        KEEP_RECENT_EPOCHS epochs come last, and only when `recent_too`."""
        groups = self._inside_by_epoch()
        recent = sorted(groups)[-KEEP_RECENT_EPOCHS:]
        order = [e for e in sorted(groups) if e not in recent] + (recent if recent_too else [])
        over, dropped = self.nbytes - target, []
        for epoch in order:
            for i in _halving_order(groups[epoch]):
                if over <= 0:
                    break
                dropped.append(i)
                over -= self._stored[i].nbytes
        self._drop(dropped)

    def _halve_epoch_ends(self, target: int) -> None:
        while self.nbytes > target:
            ends = [i for i in range(1, len(self._stored) - 1) if not self._stored[i].inside]
            if len(ends) < 2:
                return
            self._drop(ends[: len(ends) // 2][::2] or ends[:1])
