"""Session: the loaded data, the runs and the cursor that the window, menus and commands share; no Qt."""
from __future__ import annotations

from psygnal import Signal

from .cursor import Cursor


KEEP_LIMIT = 8                 # runs kept for comparison; the oldest unpinned one goes first
KEPT_BUDGET = 32 << 20         # bytes of snapshots a kept run may hold (its record is thinned to it)


class Session:
    """What is open: the TrainingData, the runs (the one on screen and the runs kept for comparison)
    and the Cursor.

    A run replaced on screen (by a new one, or by Reset) is kept, up to KEEP_LIMIT: the oldest one
    not pinned is dropped first. A kept run's record is thinned to KEPT_BUDGET. Other data drops
    them (they were trained on the data before).

    Events:
        data_changed(): `data` was replaced (a new folder, another validation share) or cleared.
        runs_changed(): a run was added or removed (on screen or kept), or pinned or unpinned.
    """
    data_changed = Signal()
    runs_changed = Signal()

    def __init__(self):
        self.data = None
        self.runs = []
        self.kept = []          # RunRecords kept for comparison, oldest first
        self.pinned = set()     # ids of kept records never dropped to make room
        self.cursor = Cursor()

    def set_data(self, data) -> None:
        self.data = data
        self.kept, self.pinned = [], set()
        self.runs_changed.emit()
        self.data_changed.emit()

    def show_run(self, record, twin=None) -> None:
        """Make `record` the run on screen (keeping the one it replaces), followed live; `twin` is
        the record of the run trained beside it (a twin run's B), or None."""
        for previous in self.runs:
            if previous is not record and previous is not twin:
                self.keep(previous)
        self.runs = [record] + ([twin] if twin is not None else [])
        self.runs_changed.emit()
        self.cursor.set(run=record, step=None)

    def clear_runs(self) -> None:
        """No run on screen (Reset); the one there is kept for comparison."""
        for previous in self.runs:
            self.keep(previous)
        self.runs = []
        self.runs_changed.emit()
        self.cursor.set(run=None, step=None)

    def keep(self, record) -> None:
        """Keep `record` for comparison (a run that never took a step is not worth keeping)."""
        if record in self.kept or (record.latest_step or 0) == 0:
            return
        record.end()
        record.shrink_budget(KEPT_BUDGET)
        self.kept.append(record)
        while len(self.kept) > KEEP_LIMIT:
            dropped = next((r for r in self.kept if id(r) not in self.pinned), None)
            if dropped is None:
                break
            self.kept.remove(dropped)
        self.runs_changed.emit()

    def add_compared(self, records) -> None:
        """Runs that train beside the one on screen (the optimiser race): kept from the start, as
        they grow; the oldest unpinned others make room."""
        for record in records:
            record.shrink_budget(KEPT_BUDGET)
            self.kept.append(record)
        while len(self.kept) > KEEP_LIMIT:
            dropped = next((r for r in self.kept if id(r) not in self.pinned and r not in records), None)
            if dropped is None:
                break
            self.kept.remove(dropped)
        self.runs_changed.emit()

    def pin(self, record, pinned: bool = True) -> None:
        (self.pinned.add if pinned else self.pinned.discard)(id(record))
        self.runs_changed.emit()

    def forget(self, record) -> None:
        """Drop a kept run."""
        if record in self.kept:
            self.kept.remove(record)
            self.pinned.discard(id(record))
            self.runs_changed.emit()

    @property
    def compared(self) -> list:
        """The runs the Compare tab shows: the kept ones, then the one on screen."""
        return self.kept + [r for r in self.runs if r not in self.kept]

    @property
    def twin(self):
        """The record of the twin run's B beside the run on screen, or None."""
        return self.runs[1] if len(self.runs) > 1 else None

    @property
    def run(self):
        """The RunRecord on screen, or None."""
        return self.cursor.run
