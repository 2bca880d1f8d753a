"""Hints for a learning rate that stalls or wrecks a run, each with the rate that fixes it; no Qt."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHANCE_MARGIN = 0.05     # a held-out error within this of guessing's counts as learning nothing
RISING_EPOCHS = 3        # epochs in a row of rising training loss that say the steps overshoot
TOO_LOW = 20             # a rate this many times below the suggested one barely moves the weights
OVERFLOW_FIX = 0.1       # a run whose step would have overflowed starts again at this share of its rate


@dataclass(frozen=True)
class Hint:
    """What went wrong, in a sentence a student understands, and the learning rate to start again with."""
    text: str
    learning_rate: float


def learning_rate_hint(curves, learning_rate: float, suggested: float, n_classes: int) -> Hint | None:
    """A Hint when the run's curves (a TrainingHistory) show its learning rate at fault, else None:

    - after an epoch or more the held-out error is no better than guessing (1 − 1/classes, within
      CHANCE_MARGIN): a rate above the suggested one overshoots or switched the ReLUs off, the
      fix is the suggested rate; one TOO_LOW times below it barely moved the weights, the fix is
      the suggested rate too;
    - the training loss of each of the last RISING_EPOCHS epochs rose: the fix is half the rate.
    """
    epochs = len(curves.epoch_x)
    if epochs == 0:
        return None
    errors = curves.eval_error.values
    chance = 1 - 1 / n_classes
    if len(errors) > 1 and errors[-1] >= chance - CHANCE_MARGIN:
        after = f"After {epochs} epoch{'s' * (epochs != 1)} the held-out error is {errors[-1]:.0%}, no better " \
                f"than guessing ({chance:.0%})"
        if learning_rate > suggested:
            return Hint(f"{after}: a learning rate of {learning_rate:g} is too high for this model. Its steps "
                        "overshoot, or they have switched its ReLU units off for good, and lowering it now will not "
                        f"bring them back. Start again at {suggested:g}.", suggested)
        if learning_rate * TOO_LOW <= suggested:
            return Hint(f"{after}: a learning rate of {learning_rate:g} is too low, so the weights have hardly "
                        f"moved from their random start. Start again at {suggested:g}.", suggested)
    losses = curves.train_loss.values
    if len(losses) > RISING_EPOCHS and np.all(np.diff(losses[-RISING_EPOCHS - 1:]) > 0):
        return Hint(f"The training loss has risen for {RISING_EPOCHS} epochs in a row at a learning rate of "
                    f"{learning_rate:g}: the steps overshoot the bottom of the valley. Start again at "
                    f"{learning_rate / 2:g}.", learning_rate / 2)
    return None
