"""Cursor: what the window shows, which every view follows; no Qt."""
from __future__ import annotations

from psygnal import Signal

FIELDS = ("run", "step", "index", "layer", "unit", "sample")


class Cursor:
    """Which run, which moment of it, which held-out example, which layer and unit are on screen.

    Fields:
        run: the RunRecord shown (None before any run).
        step: the moment shown, a step of that run; None follows the live end of the run.
        index: the selected example, an index into the held-out set (None: none selected).
        layer, unit: the selected layer (0 = the first weight layer) and unit in it (None: none).
        sample: the selected example of the inspected step's batch, a position in that batch (the
            Step workspace); training examples, so kept apart from `index`, a held-out one.

    Events:
        changed(names: frozenset[str]): the fields in `names` took new values; one event per `set`.
    """
    changed = Signal(frozenset)

    def __init__(self):
        self.run = self.step = self.index = self.layer = self.unit = self.sample = None

    def set(self, **values) -> None:
        """Change some fields at once; `changed` names those whose value differs (none: no event).
        A new run starts followed live unless a step is given with it."""
        unknown = set(values) - set(FIELDS)
        if unknown:
            raise TypeError(f"a Cursor has no field {', '.join(sorted(unknown))}")
        if "run" in values and values["run"] is not self.run and "step" not in values:
            values["step"] = None
        changed = frozenset(name for name, value in values.items() if getattr(self, name) is not value
                            and getattr(self, name) != value)
        for name in changed:
            setattr(self, name, values[name])
        if changed:
            self.changed.emit(changed)

    @property
    def live(self) -> bool:
        """Following the live end of the run."""
        return self.step is None

    def moment(self):
        """The Moment on screen: the run's record at the cursor's step, or None."""
        return self.run.at(self.step) if self.run is not None else None
