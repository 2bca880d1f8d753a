"""The window's logic that needs no Qt: input rules, run commands, history, tiles, data splits."""
import math
import threading
import time

import numpy as np
import pytest

from engine import Evaluation, StepResult, load_folder
from engine.trainer import EpochRecord
from trainer_gui.state.history import TrainingHistory
from trainer_gui.hyperparameters import (SPEED_STEPS, delay_for_speed, format_duration,
                                         parse_hidden_sizes)
from trainer_gui.redraw_schedule import RedrawSchedule, sticky_limit, sticky_log_range
from trainer_gui.state.progress import EvaluationReport, Progress, RunClock, describe_progress, run_position
from trainer_gui.state.run_control import Action, RunControl
from trainer_gui.state.run_state import RunState, enabled_controls
from trainer_gui.tiles import grid_columns, symmetric_limit, tile_images, unit_images
from trainer_gui.training_data import prepare_training_data


@pytest.mark.parametrize("text, sizes", [("100", (100,)), ("256,128", (256, 128)),
                                         (" 64 , 32 ,16 ", (64, 32, 16)), ("9999", (9999,))])
def test_hidden_sizes_parse(text, sizes):
    assert parse_hidden_sizes(text) == sizes


@pytest.mark.parametrize("text", ["abc", "0", "-5", "100,,", "100,", "", "1e3", "012", "10000", "256;128"])
def test_hidden_sizes_reject_with_a_message(text):
    with pytest.raises(ValueError, match="hidden layer sizes"):
        parse_hidden_sizes(text)


def test_two_layer_takes_one_hidden_size():
    assert parse_hidden_sizes("300", single=True) == (300,)
    with pytest.raises(ValueError, match="one positive whole number"):
        parse_hidden_sizes("256,128", single=True)


def test_speed_slider_runs_from_full_speed_to_a_second_per_step():
    delays = [delay_for_speed(v) for v in range(SPEED_STEPS + 1)]
    assert delays[-1] == 0.0
    assert delays[0] == pytest.approx(1.0)
    assert all(a > b for a, b in zip(delays, delays[1:]))


def test_durations_read_like_a_clock():
    assert format_duration(5) == "0:05"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(math.nan) == "—"


def test_control_orders_stop_then_requests_then_running():
    control = RunControl()
    assert control.next_action() is Action.RUN
    control.request_batch()          # Step while running pauses, then steps once
    assert control.paused
    control.request_epoch()
    assert [control.next_action(), control.next_action()] == [Action.BATCH, Action.EPOCH]
    assert control.next_action(block=False) is None
    control.request_batch()
    control.stop()
    assert control.next_action() is Action.STOP


def test_paused_loop_waits_until_a_command_arrives():
    control = RunControl(paused=True)
    seen = []
    waiter = threading.Thread(target=lambda: seen.append(control.next_action()))
    waiter.start()
    time.sleep(0.05)
    assert seen == []                # still waiting: a paused run does nothing
    control.resume()
    waiter.join(timeout=2)
    assert seen == [Action.RUN]


def test_stop_wakes_a_slow_motion_sleep_at_once():
    control = RunControl(delay=30.0)
    threading.Timer(0.05, control.stop).start()
    started = time.monotonic()
    control.sleep_between_steps()
    assert time.monotonic() - started < 5


def test_learning_rate_is_handed_over_once():
    control = RunControl()
    assert control.take_learning_rate() is None
    control.set_learning_rate(0.05)
    assert control.take_learning_rate() == 0.05
    assert control.take_learning_rate() is None


def _steps(losses, batches_per_epoch, first=0):
    """StepResults as the engine makes them, with chosen losses (errors = loss / 10)."""
    results = []
    for i, loss in enumerate(losses, start=first):
        epoch, batch = divmod(i, batches_per_epoch)
        results.append(StepResult(epoch, batch, loss, loss / 10, 0.1, [1.0], batch == batches_per_epoch - 1, True))
    return results


def test_history_places_batches_in_epochs_and_smooths_them():
    history = TrainingHistory(batches_per_epoch=4)
    steps = _steps([4.0, 3.0, 2.0, 1.0, 0.5, 0.5, 9.0], 4)
    steps[-1].finite = False                      # refused by the engine: not applied, not drawn
    history.add_steps(steps)
    assert history.batch_x.values.tolist() == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    # the smoothed curve is unbiased: it starts at the first loss, not pulled towards zero
    assert history.batch_loss_smoothed.values[0] == pytest.approx(4.0)
    assert np.all(np.diff(history.batch_loss_smoothed.values) < 0)


def test_history_takes_epoch_points_from_the_engine():
    history = TrainingHistory(batches_per_epoch=4)
    untrained = Evaluation(2.3, 0.9, np.zeros((10, 10), np.int64), None)
    history.add_evaluation(EvaluationReport(untrained, steps=0))
    history.add_evaluation(EvaluationReport(untrained, steps=3))        # a pause: views only
    history.add_epochs([EpochRecord(1, 400, 0.8, 0.2, 0.5, 0.15, 0.1),
                        EpochRecord(2, 800, 0.4, 0.1, math.nan, math.nan, 0.1)])
    assert history.epoch_x.values.tolist() == [1, 2]
    assert history.train_loss.values.tolist() == [0.8, 0.4]
    assert history.eval_x.values.tolist() == [0, 1]                    # no held-out figure at epoch 2
    assert history.eval_error.values.tolist() == [0.9, 0.15]


def test_history_grows_past_its_first_capacity():
    history = TrainingHistory(batches_per_epoch=10)
    for start in range(0, 3000, 100):
        history.add_steps(_steps([1.0] * 100, 10, first=start))
    assert len(history.batch_x) == 3000
    assert history.batch_x.values[-1] == pytest.approx(300.0)


def test_tiles_put_each_image_in_its_cell():
    images = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3)
    picture = tile_images(images, columns=3, gap=1)
    assert picture.shape == (2 * 3 - 1, 3 * 4 - 1)
    np.testing.assert_array_equal(picture[3:5, 4:7], images[4])   # row 1, column 1
    assert np.isnan(picture[3:5, 8:11]).all()                      # the empty sixth cell
    assert np.isnan(picture[2]).all()                               # the gap between rows


def test_unit_images_are_the_weight_columns():
    weights = np.random.default_rng(0).normal(size=(6, 5))       # 6 = 2×3 pixels, 5 units
    images = unit_images(weights, (2, 3), start=2, count=2)
    np.testing.assert_array_equal(images[1].ravel(), weights[:, 3])
    assert grid_columns(100) == 10 and grid_columns(10, aspect=2.5) == 5


def test_a_lone_test_split_is_divided_for_validation(shared_data):
    data = prepare_training_data(load_folder(shared_data / "mnist"), validation_fraction=0.2)
    assert data.counts() == {"train": 8000, "validation": 2000}
    assert data.split_from == "test" and data.image_shape == (28, 28) and data.n_classes == 10


def test_both_splits_train_on_train_and_evaluate_on_test(shared_data):
    data = prepare_training_data(load_folder(shared_data / "fashion-mnist"))
    assert data.counts() == {"train": 60000, "test": 10000}
    assert data.split_from is None


def test_controls_follow_the_run_state():
    assert enabled_controls(RunState.NO_DATA) == {"start": False, "pause": False, "step": False,
                                                  "step_epoch": False, "stop": False, "reset": False,
                                                  "settings": True}
    running = enabled_controls(RunState.RUNNING)
    assert running["pause"] and running["stop"] and not running["start"] and not running["settings"]
    completed = enabled_controls(RunState.COMPLETED)
    assert completed["step"] and not completed["pause"]


def test_clock_leaves_pauses_out():
    now = [0.0]
    clock = RunClock(window=10.0, now=lambda: now[0])
    clock.resume()
    clock.record(steps=0, samples_seen=0)
    now[0] = 2.0
    clock.record(steps=20, samples_seen=2000)
    clock.pause()
    now[0] = 100.0                       # a long pause
    clock.resume()
    now[0] = 101.0
    clock.record(steps=30, samples_seen=3000)
    assert clock.elapsed == pytest.approx(3.0)
    assert clock.samples_per_second() == pytest.approx(1000.0)
    assert clock.time_left(steps_left=50) == pytest.approx(5.0)


def test_status_counts_epochs_and_batches_as_a_user_does():
    def progress(epoch, batch):
        snapshot = type("S", (), {"epoch": epoch, "samples_seen": 100 * (80 * epoch + batch)})()
        return Progress([], [], snapshot, batch, 80, 10, 12.0, 25_000.0, 65.0)
    assert run_position(progress(0, 0)) == (0, 0)
    assert run_position(progress(2, 5)) == (3, 5)
    assert run_position(progress(3, 0)) == (3, 80)      # just after epoch 3 ended
    line = describe_progress(progress(2, 5), "Training")
    assert "epoch 3 of 10" in line and "batch 5 of 80" in line and "25,000 samples/s" in line
    assert "elapsed 0:12" in line and "ETA 1:05" in line and "learning rate" not in line   # none known yet
    snapshot = type("S", (), {"epoch": 2, "samples_seen": 100})()
    with_rate = Progress([], [], snapshot, 5, 80, 10, 12.0, 25_000.0, 65.0, learning_rate=0.0125)
    assert "learning rate 0.0125" in describe_progress(with_rate, "Training")


def test_colour_limit_ignores_outliers_and_copes_with_nothing():
    weights = np.random.default_rng(0).normal(scale=0.1, size=10_000)
    weights[0] = 50.0                                   # one wild weight
    assert 0.2 < symmetric_limit(weights) < 2.0
    assert symmetric_limit(np.full(4, np.nan)) == 1.0 and symmetric_limit(np.zeros(3)) == 1.0


def test_redraw_schedule_paces_views_only_while_running():
    now = [0.0]
    schedule = RedrawSchedule({"plots": 0.1, "evaluation": 1.0}, now=lambda: now[0])
    schedule.mark("plots", "evaluation")
    assert schedule.due(running=False) == {"plots", "evaluation"}   # paused: all at once
    now[0] = 0.05
    schedule.mark("plots", "evaluation")
    assert schedule.due(running=True) == set()           # too soon for either
    now[0] = 0.2
    assert schedule.due(running=True) == {"plots"}       # evaluation waits for its second
    assert schedule.pending
    assert schedule.due(running=False) == {"evaluation"}  # paused: everything changed draws now
    assert not schedule.pending


def test_while_running_one_view_a_tick_draws_besides_the_status_line_the_longest_waiting_first():
    """Several views' drawing and painting at once held the GUI thread (and the GIL the training
    needs) for up to 60 ms: while running, the views due draw one a tick, in the order they waited."""
    now = [10.0]
    schedule = RedrawSchedule(now=lambda: now[0])
    schedule.mark("status", "plots", "weights", "evaluation")    # an evaluation: three views
    drawn = []
    for tick in range(6):
        now[0] += 0.033
        due = schedule.due(running=True)
        assert len(due - {"status"}) <= 1
        drawn.extend(sorted(due))
    assert sorted(set(drawn)) == ["confusion", "errors", "mistakes", "plots", "status", "weights"]
    assert not schedule.pending
    now[0] += 2.0                                   # both due again; the errors plot drew before the plots
    schedule.mark("plots", "errors")
    first_drawn = drawn.index("errors") < drawn.index("plots")
    assert schedule.due(running=True) == ({"errors"} if first_drawn else {"plots"})


def test_log_axis_range_moves_only_when_the_data_leaves_it():
    first = sticky_log_range(None, 0.3, 2.5)
    assert first[0] <= math.log10(0.3) and math.log10(2.5) <= first[1]
    assert sticky_log_range(first, 0.25, 2.0) == first     # still inside: the axis stays still
    lower = sticky_log_range(first, 0.01, 2.0)
    assert lower != first and lower[0] <= -2


def test_a_colour_range_covers_the_weights_and_moves_only_every_tenth_or_so():
    limits = [0.05]
    for needed in np.linspace(0.05, 0.5, 200):            # weights growing as training runs
        limits.append(sticky_limit(limits[-1], needed))
        assert needed <= limits[-1] <= 1.1 * needed / 0.8 + 1e-12   # covered, never far too wide
    assert len(set(limits)) < 30                           # ~25 moves where a plain limit made 200
    assert sticky_limit(0.5, 0.3) == 0.3                   # the weights shrank (a past moment): it follows
    assert sticky_limit(None, 0.2) == pytest.approx(0.22)  # a new range starts with headroom


def test_copying_parameters_is_allowed_only_within_its_share_of_the_training_time():
    from trainer_gui.training.worker import CopyBudget

    class Clock:
        elapsed = 0.0
    clock = Clock()
    budget = CopyBudget(0.02, clock)
    assert budget.allow(2)                                 # nothing spent yet
    budget.spend(0.004)                                    # the weights before the first step: 4 ms
    clock.elapsed = 0.1                                    # 2 ms of 100 ms may go to copies
    assert not budget.allow()
    clock.elapsed = 0.4                                    # 8 ms: one more copy of 4 ms fits, not two
    assert budget.allow(1) and not budget.allow(2)
    budget.spend(0.004)
    budget.spend(0.004)                                    # an epoch end's copy is made regardless
    assert not budget.allow() and budget.spent == pytest.approx(0.012)
    generous = CopyBudget(0.02, clock, allowance=0.05)    # a short run: its first 50 ms of copies are free
    clock.elapsed = 0.0
    for _ in range(12):
        assert generous.allow()
        generous.spend(0.004)
    assert not generous.allow()                            # 48 ms spent: a 13th copy of 4 ms does not fit


def test_a_copy_counts_as_at_least_what_a_moment_costs_the_window():
    """A small network's weights copy in microseconds, yet each moment costs the window ~1 ms
    (worker.MOMENT_COST): the budget counts every copy as at least that, so a fast run keeps some
    twenty moments a second, not hundreds."""
    from trainer_gui.training.worker import CopyBudget

    class Clock:
        elapsed = 0.0
    clock = Clock()
    budget = CopyBudget(0.02, clock, allowance=0.05, least=0.001)
    kept = 0
    while budget.allow():                                  # a short run: 50 ms of free copies
        budget.spend(0.00002)                              # 20 µs each
        kept += 1
    assert kept in (49, 50)                                # 20 µs copies would have made 2,500 (49: rounding)
    clock.elapsed = 1.0                                    # a second of training: 20 ms, 20 more moments
    more = 0
    while budget.allow():
        budget.spend(0.00002)
        more += 1
    assert kept + more in (69, 70)
    budget.spend(0.004)                                    # a copy slower than the least counts its own time
    assert budget.last == 0.004 and budget.spent == pytest.approx(0.001 * (kept + more) + 0.004)


def test_copies_that_must_be_made_leave_no_lasting_debt():
    """Copies made whatever the budget says (a Step press, slow motion, an epoch end) are counted, but
    never as a debt of more than one copy: after 200 Step presses (the clock stands still between
    them) the moments come back after two copies' share of training, not after seconds of it."""
    from trainer_gui.training.worker import CopyBudget

    class Clock:
        elapsed = 1.0
    clock = Clock()
    budget = CopyBudget(0.02, clock, allowance=0.05, least=0.001)
    for _ in range(200):                                   # Step, Step, ...: a copy before and after each
        budget.spend(0.00002)
    assert not budget.allow()                              # over the budget: no copy between reports now
    clock.elapsed += 2 * 0.001 / 0.02                      # 100 ms of training: the one copy owed, and the next
    assert budget.allow() and not budget.allow(2)


def test_a_prompt_mark_is_drawn_at_the_next_tick_even_while_running():
    now = [0.0]
    schedule = RedrawSchedule({"evaluation": 1.0}, now=lambda: now[0])
    schedule.mark("evaluation")
    assert schedule.due(running=True) == {"evaluation"}
    now[0] = 0.1
    schedule.mark("evaluation")
    assert schedule.due(running=True) == set()          # paced: once a second while training
    schedule.mark("evaluation", promptly=True)          # the user moved the timeline
    assert schedule.due(running=True) == {"evaluation"}


def test_the_speed_slider_position_for_a_pause_is_the_inverse_of_its_pause():
    from trainer_gui.hyperparameters import SPEED_STEPS, delay_for_speed, speed_for_delay
    for value in (0, 1, 20, 43, 70, 98, SPEED_STEPS):
        assert speed_for_delay(delay_for_speed(value)) == value
    assert delay_for_speed(speed_for_delay(0.05)) == pytest.approx(0.05, rel=0.04)


def test_a_timeline_dragged_while_running_redraws_every_view_at_each_tick():
    """A move of the timeline marks every view promptly: all of them draw at the next tick, however
    many, while the run's own news stays paced one view a tick (a drag must not leave the weights
    frozen while the confusion matrix alone follows it)."""
    now = [10.0]
    schedule = RedrawSchedule(now=lambda: now[0])
    for _ in range(20):                                   # a drag: a cursor move every tick
        now[0] += 0.033
        schedule.mark("status", "plots", "weights", "evaluation", promptly=True)
        assert schedule.due(running=True) == {"status", "plots", "weights", "errors", "confusion", "mistakes"}
    now[0] += 2.0
    schedule.mark("plots", "weights")                     # then the run's news: paced again
    assert len(schedule.due(running=True)) == 1
