"""Learning-rate hints: which curves call for one, and the rate each offers (hand-built curves)."""
import numpy as np

from engine.trainer import EpochRecord
from trainer_gui.state.hints import CHANCE_MARGIN, learning_rate_hint
from trainer_gui.state.history import TrainingHistory


def curves(train_losses, held_out_errors):
    """A TrainingHistory of len(train_losses) epochs; held_out_errors[0] is the untrained model's."""
    history = TrainingHistory(batches_per_epoch=10)
    history.eval_x.extend([0.0])
    history.eval_loss.extend([2.3])
    history.eval_error.extend([held_out_errors[0]])
    history.add_epochs([EpochRecord(epoch=i + 1, samples_seen=100 * (i + 1), train_loss=loss, train_error=0.5,
                                    test_loss=1.0, test_error=error, learning_rate=0.1)
                        for i, (loss, error) in enumerate(zip(train_losses, held_out_errors[1:]))])
    return history


def test_no_hint_before_an_epoch_nor_for_a_run_that_learns():
    assert learning_rate_hint(curves([], [0.9]), 20.0, 0.2, 10) is None
    assert learning_rate_hint(curves([0.5, 0.3, 0.2], [0.9, 0.1, 0.08, 0.07]), 0.2, 0.2, 10) is None


def test_stuck_at_chance_with_a_high_rate_offers_the_suggested_one():
    chance = 1 - 1 / 10
    hint = learning_rate_hint(curves([2.3], [0.9, chance - CHANCE_MARGIN + 0.01]), 20.0, 0.2, 10)
    assert hint is not None and hint.learning_rate == 0.2
    assert "too high" in hint.text and "90%" in hint.text and "20" in hint.text
    # just better than the margin: the model learns something, no hint
    assert learning_rate_hint(curves([2.3], [0.9, chance - CHANCE_MARGIN - 0.01]), 20.0, 0.2, 10) is None


def test_stuck_at_chance_with_a_tiny_rate_says_too_low_and_a_middling_rate_says_nothing():
    hint = learning_rate_hint(curves([2.3], [0.9, 0.9]), 1e-4, 0.2, 10)
    assert hint is not None and "too low" in hint.text and hint.learning_rate == 0.2
    assert learning_rate_hint(curves([2.3], [0.9, 0.9]), 0.1, 0.2, 10) is None   # not the rate's fault


def test_a_chance_level_of_its_own_for_two_classes():
    assert learning_rate_hint(curves([0.7], [0.5, 0.48]), 5.0, 0.2, 2) is not None
    assert learning_rate_hint(curves([0.7], [0.5, 0.40]), 5.0, 0.2, 2) is None


def test_a_training_loss_rising_three_epochs_in_a_row_offers_half_the_rate():
    rising = curves([0.5, 0.6, 0.7, 0.8], [0.9, 0.2, 0.25, 0.3, 0.35])
    hint = learning_rate_hint(rising, 1.0, 0.2, 10)
    assert hint is not None and hint.learning_rate == 0.5 and "3 epochs in a row" in hint.text
    # two rises after a fall are not yet a trend
    assert learning_rate_hint(curves([0.5, 0.4, 0.6, 0.7], [0.9, 0.2, 0.2, 0.2, 0.2]), 1.0, 0.2, 10) is None
    assert np.isfinite(hint.learning_rate)
