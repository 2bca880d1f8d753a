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


def _untranslated(context: str, text: str) -> str:
    return text


def learning_rate_hint(curves, learning_rate: float, suggested: float, n_classes: int,
                       translate=_untranslated) -> Hint | None:
    """A Hint when the run's curves (a TrainingHistory) show its learning rate at fault, else None:

    - after an epoch or more the held-out error is no better than guessing (1 − 1/classes, within
      CHANCE_MARGIN): a rate above the suggested one overshoots or switched the ReLUs off, the
      fix is the suggested rate; one TOO_LOW times below it barely moved the weights, the fix is
      the suggested rate too;
    - the training loss of each of the last RISING_EPOCHS epochs rose: the fix is half the rate.

    translate: the window's translate(context, text) (trainer_gui.i18n; this module imports no Qt).
    """
    epochs = len(curves.epoch_x)
    if epochs == 0:
        return None
    errors = curves.eval_error.values
    chance = 1 - 1 / n_classes
    if len(errors) > 1 and errors[-1] >= chance - CHANCE_MARGIN:
        after = translate("Hints", "After {epochs} epoch the held-out error is {error}, no better than guessing "
                                   "({chance})") if epochs == 1 else \
            translate("Hints", "After {epochs} epochs the held-out error is {error}, no better than guessing "
                               "({chance})")
        after = after.format(epochs=epochs, error=f"{errors[-1]:.0%}", chance=f"{chance:.0%}")
        if learning_rate > suggested:
            return Hint(translate("Hints", "{after}: a learning rate of {rate} is too high for this model. Its steps "
                                           "overshoot, or they have switched its ReLU units off for good, and lowering "
                                           "it now will not bring them back. Start again at {fix}.")
                        .format(after=after, rate=f"{learning_rate:g}", fix=f"{suggested:g}"), suggested)
        if learning_rate * TOO_LOW <= suggested:
            return Hint(translate("Hints", "{after}: a learning rate of {rate} is too low, so the weights have hardly "
                                           "moved from their random start. Start again at {fix}.")
                        .format(after=after, rate=f"{learning_rate:g}", fix=f"{suggested:g}"), suggested)
    losses = curves.train_loss.values
    if len(losses) > RISING_EPOCHS and np.all(np.diff(losses[-RISING_EPOCHS - 1:]) > 0):
        return Hint(translate("Hints", "The training loss has risen for {epochs} epochs in a row at a learning rate "
                                       "of {rate}: the steps overshoot the bottom of the valley. Start again at {fix}.")
                    .format(epochs=RISING_EPOCHS, rate=f"{learning_rate:g}", fix=f"{learning_rate / 2:g}"),
                    learning_rate / 2)
    return None
