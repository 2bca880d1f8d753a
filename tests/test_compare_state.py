"""Runs kept for comparison (Session), their names made of the settings that tell them apart, and
the figures the Compare table lists."""
import math

import numpy as np
import pytest

from engine import ModelConfig, Snapshot, TrainConfig
from engine.trainer import EpochRecord
from trainer_gui.state.compare import run_figures, run_names
from trainer_gui.state.record import MOMENTS_PER_EPOCH, RunRecord
from trainer_gui.state.session import KEEP_LIMIT, KEPT_BUDGET, Session


def record_of(model=ModelConfig(), training=TrainConfig(), steps=3, size=(20, 10), budget=None):
    """A record of `steps` steps of a 20-10 model (one moment a step), with an epoch's figures."""
    record = RunRecord(model, training, batches_per_epoch=steps, budget=budget)
    for step in range(steps + 1):
        weights = [np.full(size, step, np.float32)]
        record.add_snapshot(Snapshot(weights, [], step, step // steps, step * 10), step % steps)
    record.curves.add_epochs([EpochRecord(1, 30, 0.5, 0.2, 0.4, 0.125, 0.2)])
    return record


def test_names_are_the_settings_that_differ():
    base = record_of()
    faster = record_of(training=TrainConfig(learning_rate=0.5))
    adam_wide = record_of(model=ModelConfig(hidden=(400,)), training=TrainConfig(learning_rate=0.5))
    assert run_names([base, faster, adam_wide]) == ["hidden 100, lr 0.2", "hidden 100, lr 0.5", "hidden 400, lr 0.5"]
    assert run_names([base, faster]) == ["lr 0.2", "lr 0.5"]
    softmax = record_of(model=ModelConfig(kind="softmax"))
    assert run_names([base, softmax]) == ["two-layer, hidden 100, relu", "softmax, no hidden layer"]


def test_identical_runs_are_numbered_and_unread_settings_make_no_difference():
    a, b = record_of(), record_of()
    assert run_names([a, b]) == ["run 1", "run 2"]
    # a two-layer net is ReLU whatever the MLP activation field says: not a difference
    c = record_of(model=ModelConfig(activation="tanh"))
    assert run_names([a, c]) == ["run 1", "run 2"]


def test_a_replaced_or_reset_run_is_kept_and_the_oldest_unpinned_goes_first():
    session = Session()
    records = [record_of(training=TrainConfig(learning_rate=0.1 * (i + 1))) for i in range(KEEP_LIMIT + 3)]
    session.show_run(records[0])
    session.pin(records[0])
    for record in records[1:]:
        session.show_run(record)
    assert session.runs == [records[-1]]
    assert len(session.kept) == KEEP_LIMIT
    assert session.kept[0] is records[0]                       # pinned: never dropped
    assert records[1] not in session.kept and records[2] not in session.kept
    assert session.compared == session.kept + [records[-1]]
    session.clear_runs()                                       # Reset keeps the run on screen too
    assert records[-1] in session.kept and session.runs == []
    assert all(not r.live for r in session.kept)


def test_a_run_that_never_stepped_is_not_kept_and_other_data_drops_them():
    session = Session()
    empty = RunRecord(ModelConfig(), TrainConfig(), batches_per_epoch=3)
    session.show_run(empty)
    session.show_run(record_of())
    assert session.kept == []
    session.show_run(record_of())
    assert len(session.kept) == 1
    session.set_data(object())
    assert session.kept == []


def test_a_kept_run_is_thinned_to_its_smaller_budget():
    record = record_of(steps=200, size=(784, 100), budget=KEPT_BUDGET * 4)
    assert record.nbytes > KEPT_BUDGET
    session = Session()
    session.show_run(record)
    session.clear_runs()
    assert record.nbytes <= KEPT_BUDGET and record.budget == KEPT_BUDGET
    assert record.at(0).step == 0 and record.latest_step == 200     # the ends stay
    assert len(record) >= MOMENTS_PER_EPOCH + 2                     # still 20 inside its epoch


def test_the_figures_of_a_run():
    record = record_of()
    record.curves.add_epochs([EpochRecord(2, 60, 0.3, 0.1, 0.35, 0.25, 0.2)])
    record.elapsed, record.samples_per_second = 12.5, 4000.0
    figures = run_figures(record)
    assert figures["accuracy"] == pytest.approx(0.75) and figures["best_accuracy"] == pytest.approx(0.875)
    assert figures["loss"] == pytest.approx(0.35) and figures["epochs"] == 1
    assert (figures["time"], figures["samples_per_second"]) == (12.5, 4000.0)
    assert math.isnan(run_figures(RunRecord(ModelConfig(), TrainConfig(), 3))["accuracy"])
