"""One tab each: Train (views/dashboard.py), Inside (inside.py), Step (step.py), Evaluate
(evaluate.py), Vital signs (vitals.py) and Compare (compare.py); layout and the cursor they follow."""
from PySide6.QtWidgets import QScrollArea

from ..state.cursor import FIELDS


class LazyTab(QScrollArea):
    """A workspace tab: a scroll area (a dense workspace scrolls on a small screen rather than
    squeeze) whose workspace `build()` makes when the tab is first shown, or first asked for
    (`workspace()`): a launch builds the Train tab's views only, and a tab never opened costs
    nothing."""

    def __init__(self, build):
        super().__init__(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        self._build = build

    @property
    def built(self) -> bool:
        return self.widget() is not None

    def workspace(self):
        if self.widget() is None:
            self.setWidget(self._build())
        return self.widget()

    def showEvent(self, event) -> None:
        self.workspace()
        super().showEvent(event)


class DrawnWhenShown:
    """A workspace that draws only while it is shown (a mixin before QWidget): what changes while it
    is hidden marks it stale, and it draws once when shown again. Subclasses implement `draw()`
    and call `refresh()` (tests and scripts may too)."""
    _stale = True
    _followed = None    # the RunRecord whose event follow_run listens to

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Draw now if shown; else when next shown."""
        self._stale = True
        if not self.isVisible():
            return
        self._stale = False
        self.draw()

    def draw(self) -> None:
        raise NotImplementedError

    def catch_up(self) -> None:
        """Made after the session had a run (LazyTab): follow the cursor as if every field had just
        changed (subclasses add what their parts and the data need)."""
        self._on_cursor_changed(frozenset(FIELDS))

    def follow_run(self, run, event: str, slot) -> None:
        """Listen to `event` (a RunRecord signal's name) of `run` instead of the run before."""
        if self._followed is not None:
            getattr(self._followed, event).disconnect(slot)
        self._followed = run
        if run is not None:
            getattr(run, event).connect(slot)
