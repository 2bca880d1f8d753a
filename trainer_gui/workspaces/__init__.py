"""One tab each: Train (views/dashboard.py), Inside (inside.py) and Step (step.py); layout and the
cursor they follow."""


class DrawnWhenShown:
    """A workspace that draws only while it is shown (a mixin before QWidget): what changes while it
    is hidden marks it stale, and it draws once when shown again. Subclasses implement `draw()`
    and call `refresh()` (tests and scripts may too)."""
    _stale = True

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
