"""Which controls a user may press in each state of a run; no Qt."""
from __future__ import annotations

import enum


class RunState(enum.Enum):
    NO_DATA = "no data"       # nothing loaded yet: only the data and model settings
    READY = "ready"           # data loaded, no run (or the last one was stopped)
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"   # the planned epochs are done; the worker waits for Step or more epochs


_ENABLED = {
    # control:      states in which it can be pressed or edited
    "start":       {RunState.READY, RunState.COMPLETED},
    "pause":       {RunState.RUNNING, RunState.PAUSED},
    "step":        {RunState.READY, RunState.RUNNING, RunState.PAUSED, RunState.COMPLETED},
    "step_epoch":  {RunState.READY, RunState.RUNNING, RunState.PAUSED, RunState.COMPLETED},
    "stop":        {RunState.RUNNING, RunState.PAUSED, RunState.COMPLETED},
    "reset":       {RunState.READY, RunState.RUNNING, RunState.PAUSED, RunState.COMPLETED},
    # the model, the data and every hyperparameter but the learning rate and the epochs are fixed
    # while a run trains; a finished one frees them (Start then decides: go on, or a new model)
    "settings":    {RunState.NO_DATA, RunState.READY, RunState.COMPLETED},
}


def enabled_controls(state: RunState) -> dict[str, bool]:
    return {control: state in states for control, states in _ENABLED.items()}

