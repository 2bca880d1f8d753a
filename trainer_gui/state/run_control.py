"""Commands from the GUI thread to the training loop in the worker thread; no Qt.

The GUI thread calls pause, resume, request_batch, request_example, request_epoch, stop, set_learning_rate, set_epochs
and set_delay; the worker thread calls next_action, take_learning_rate and sleep_between_steps, and
reads epochs.
Every shared field is read and written under one Condition, so the loop never sees a half-made
command and a waiting loop wakes as soon as a command arrives.
"""
from __future__ import annotations

import enum
import threading
from collections import deque


class Action(enum.Enum):
    RUN = "run"        # free running: one step, then ask again
    BATCH = "batch"    # one step asked for by Step (kept to be inspected)
    EXAMPLE = "example"  # one step on a single example, asked for by Step one example
    EPOCH = "epoch"    # steps until the current epoch ends, asked for by Step epoch
    STOP = "stop"      # leave the loop; the run is over


class RunControl:
    """The pause flag, queued step requests, a pending learning rate, the planned epochs and the
    pace of one run."""

    def __init__(self, paused: bool = False, delay: float = 0.0, epochs: int = 1):
        self._condition = threading.Condition()
        self._paused = paused
        self._stopping = False
        self._requests: deque[Action] = deque()
        self._learning_rate: float | None = None   # a new rate not yet given to the trainer
        self._delay = delay
        self._epochs = epochs

    # --- called from the GUI thread -------------------------------------------------------
    def pause(self) -> None:
        self._set(paused=True)

    def resume(self) -> None:
        self._set(paused=False)

    def request_batch(self) -> None:
        """One more step; a running loop pauses first, so the step is the one the user sees."""
        self._enqueue(Action.BATCH)

    def request_example(self) -> None:
        """One step on the first example of the next batch only: plain SGD on one digit."""
        self._enqueue(Action.EXAMPLE)

    def request_epoch(self) -> None:
        self._enqueue(Action.EPOCH)

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()

    def set_learning_rate(self, learning_rate: float) -> None:
        with self._condition:
            self._learning_rate = float(learning_rate)

    def set_epochs(self, epochs: int) -> None:
        """The planned length of the run: free running pauses when it is reached."""
        with self._condition:
            self._epochs = int(epochs)

    @property
    def epochs(self) -> int:
        with self._condition:
            return self._epochs

    def set_delay(self, seconds: float) -> None:
        """The pause between steps; a loop sleeping on the old delay wakes and uses the new one."""
        with self._condition:
            self._delay = max(float(seconds), 0.0)
            self._condition.notify_all()

    @property
    def paused(self) -> bool:
        with self._condition:
            return self._paused

    # --- called from the worker thread ----------------------------------------------------
    def next_action(self, block: bool = True) -> Action | None:
        """What to do next: STOP, then queued steps, then RUN unless paused.

        block=False returns None instead of waiting, so the loop can show its state before it idles.
        """
        with self._condition:
            while True:
                if self._stopping:
                    return Action.STOP
                if self._requests:
                    return self._requests.popleft()
                if not self._paused:
                    return Action.RUN
                if not block:
                    return None
                self._condition.wait()

    def take_learning_rate(self) -> float | None:
        """The rate set since the last call, or None when unchanged."""
        with self._condition:
            learning_rate, self._learning_rate = self._learning_rate, None
            return learning_rate

    @property
    def delay(self) -> float:
        with self._condition:
            return self._delay

    @property
    def stopping(self) -> bool:
        with self._condition:
            return self._stopping

    def sleep_between_steps(self) -> None:
        """Wait the slow-motion delay; return early on stop, pause, a step request or a new pace."""
        with self._condition:
            delay = self._delay
            if delay > 0:
                self._condition.wait_for(lambda: self._stopping or self._paused or bool(self._requests)
                                         or self._delay != delay, timeout=delay)

    def _set(self, paused: bool) -> None:
        with self._condition:
            self._paused = paused
            self._condition.notify_all()

    def _enqueue(self, action: Action) -> None:
        with self._condition:
            self._paused = True
            self._requests.append(action)
            self._condition.notify_all()
