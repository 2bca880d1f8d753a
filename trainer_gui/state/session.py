"""Session: the loaded data, the runs and the cursor that the window, menus and commands share; no Qt."""
from __future__ import annotations

from psygnal import Signal

from .cursor import Cursor


class Session:
    """What is open: the TrainingData, the runs (the live one, opened or kept ones) and the Cursor.

    Events:
        data_changed(): `data` was replaced (a new folder, another validation share) or cleared.
        runs_changed(): a run was added or removed.
    """
    data_changed = Signal()
    runs_changed = Signal()

    def __init__(self):
        self.data = None
        self.runs = []
        self.cursor = Cursor()

    def set_data(self, data) -> None:
        self.data = data
        self.data_changed.emit()

    def show_run(self, record) -> None:
        """Make `record` the run on screen (replacing any other), followed live."""
        self.runs = [record]
        self.runs_changed.emit()
        self.cursor.set(run=record, step=None)

    def clear_runs(self) -> None:
        self.runs = []
        self.runs_changed.emit()
        self.cursor.set(run=None, step=None)

    @property
    def run(self):
        """The RunRecord on screen, or None."""
        return self.cursor.run
