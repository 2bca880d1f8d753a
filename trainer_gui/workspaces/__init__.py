"""One tab each: Train (views/dashboard.py), Inside (inside.py) and Step (step.py); layout and the
cursor they follow."""


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

    def follow_run(self, run, event: str, slot) -> None:
        """Listen to `event` (a RunRecord signal's name) of `run` instead of the run before."""
        if self._followed is not None:
            getattr(self._followed, event).disconnect(slot)
        self._followed = run
        if run is not None:
            getattr(run, event).connect(slot)
