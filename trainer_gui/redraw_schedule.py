"""Which views to redraw at a tick of the window's timer, and axis ranges that seldom move; no Qt.

Python code in the GUI thread holds the GIL that the training thread needs between its NumPy
calls, and painting pyqtgraph views is Python code. So while training runs, each view redraws no
more often than its interval (the cheap status line every tick, the loss curves at 10 Hz, the
weights at 4 Hz, the per-epoch and evaluation views once a second), and at most one view besides
the status line a tick (the one waiting longest): the GUI thread never holds the GIL for several
views' drawing and painting at once, which kept the training thread (and the 10 ms timers) waiting
up to 60 ms. What the user asks for (a move of the timeline) draws at the next tick, every view at
once; and when the run is paused or stepped, every changed view redraws at the next tick.
benchmarks/bench_gui.py measures what these intervals cost the training.
"""
from __future__ import annotations

import math
import time

REFRESH_INTERVALS = {      # seconds between redraws of a view while training runs
    "status": 0.0,
    "plots": 0.1,
    "weights": 0.25,
    "errors": 1.0,       # the error plot
    "confusion": 1.0,
    "mistakes": 1.0,
}
GROUPS = {"evaluation": ("errors", "confusion", "mistakes")}   # what an evaluation changes


class RedrawSchedule:
    def __init__(self, intervals=None, now=time.monotonic):
        self._intervals = dict(intervals or REFRESH_INTERVALS)
        self._now = now
        self._changed: set[str] = set()
        self._prompt: set[str] = set()   # marked promptly: due at the next tick, beyond the pace
        self._last = {name: -float("inf") for name in self._intervals}

    def mark(self, *names: str, promptly: bool = False) -> None:
        """These views have new data to show; promptly: at the next tick even while training runs
        (the user asked for it: a move of the timeline, the evaluation of the moment moved to).
        "evaluation" names its GROUPS views."""
        names = [view for name in names
                 for view in (GROUPS.get(name, (name,)) if name not in self._intervals else (name,))]
        self._changed.update(names)
        if promptly:
            self._prompt.update(names)

    def due(self, running: bool) -> set[str]:
        """The changed views to redraw now; they count as drawn from here on."""
        now = self._now()
        due = {name for name in self._changed
               if not running or now - self._last[name] >= self._intervals[name]}
        paced = due - {"status"} - self._prompt
        if running and len(paced) > 1:   # one paced view a tick: the one waiting longest
            views = sorted(paced, key=lambda name: (self._last[name], name))
            due -= set(views[1:])
        due |= self._prompt   # what the user asked for draws at once, all of it
        self._prompt.clear()
        for name in due:
            self._last[name] = now
        self._changed -= due
        return due

    def clear(self) -> None:
        self._changed.clear()
        self._prompt.clear()

    @property
    def pending(self) -> bool:
        return bool(self._changed)


def sticky_log_range(current, low: float, high: float, step: float = 0.5):
    """A log10 (bottom, top) covering positive values low..high, changed as seldom as possible.

    The current range is kept while it holds the data and is less than two steps too wide;
    otherwise the new one is rounded out to whole steps. Redrawing an axis is the costliest part
    of a plot update, and this makes it happen a few times per run instead of every frame.
    """
    need_low, need_high = math.log10(low), math.log10(high)
    if current is not None:
        bottom, top = current
        if bottom <= need_low and need_high <= top and need_low - bottom < 2 * step \
                and top - need_high < 2 * step:
            return current
    margin = 0.02   # keep points off the frame
    return (math.floor((need_low - margin) / step) * step, math.ceil((need_high + margin) / step) * step)


def sticky_limit(current: float | None, needed: float, low: float = 0.8, headroom: float = 1.1) -> float:
    """A colour range's limit (±limit) that covers `needed` and changes as seldom as it can: the
    current one is kept while `needed` lies between `low` of it and it; otherwise the new one is
    `needed` with `headroom` (growing weights then move it every ~10%, not at every redraw: a
    colour bar's axis is redrawn whenever its range moves, and the colours seen would flicker)."""
    if current is not None and low * current <= needed <= current:
        return current
    return needed * headroom if current is None or needed > current else needed
