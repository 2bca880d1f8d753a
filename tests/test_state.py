"""The window's Qt-free models (trainer_gui.state): RunRecord's moments and thinning, the Cursor and
the Session, on hand-made snapshots and a real engine Trainer; no Qt is imported here."""
import numpy as np
import pytest

from engine import ModelConfig, Snapshot, TrainConfig, build_trainer, evaluate, load_run, save_run
from trainer_gui.state import Cursor, RunRecord, Session
from trainer_gui.state.record import MOMENTS_PER_EPOCH


def snapshot(step, batches_per_epoch, shapes=((6, 4), (4, 3)), value=None):
    """A Snapshot whose every weight equals `value` (default: the step), at `step`."""
    epoch = step // batches_per_epoch
    fill = float(step if value is None else value)
    return Snapshot([np.full(s, fill, np.float32) for s in shapes], [np.full(s[1], -fill, np.float32) for s in shapes],
                    step, epoch, step * 10), step % batches_per_epoch


def record_of(steps, batches_per_epoch=10, budget=1 << 30, **kwargs):
    record = RunRecord(ModelConfig(), TrainConfig(), batches_per_epoch, budget=budget)
    for step in steps:
        record.add_snapshot(*snapshot(step, batches_per_epoch, **kwargs))
    return record


def test_at_returns_the_moment_at_or_just_before_a_step():
    record = record_of([0, 5, 10, 13])
    assert [record.at(s).step for s in (0, 4, 5, 9, 10, 12, 13, 99)] == [0, 0, 5, 5, 10, 10, 13, 13]
    assert record.at(None).step == 13 and record.at(-3).step == 0    # before the first: the first
    moment = record.at(12)
    assert moment.epoch == 1 and moment.batch == 0 and moment.samples_seen == 100
    assert moment.position == pytest.approx(1.0) and record.at(13).position == pytest.approx(1.3)
    np.testing.assert_array_equal(moment.weights[1], np.full((4, 3), 10.0))
    np.testing.assert_array_equal(moment.biases[0], np.full(4, -10.0))
    assert not moment.weights[0].flags.writeable       # a view cannot change the record by accident
    assert RunRecord(ModelConfig(), TrainConfig(), 10).at(5) is None


def test_a_step_is_recorded_once_and_events_name_it():
    record = record_of([0, 3])
    seen = []
    record.moment_added.connect(seen.append)
    record.add_snapshot(*snapshot(3, 10))
    record.add_snapshot(*snapshot(4, 10))
    assert record.steps == [0, 3, 4] and seen == [4]


def test_evaluations_are_found_by_step():
    record = record_of([0, 10, 20])
    evaluation = object()
    record.add_evaluation(10, evaluation)
    assert record.at(15).evaluation is evaluation and record.at(20).evaluation is None
    assert record.latest_evaluation(25) == (10, evaluation) and record.latest_evaluation(5) == (None, None)


def test_a_record_over_its_budget_keeps_every_epoch_end_and_the_last_epochs_dense():
    """A 100-epoch run of 784-1000-10 against 256 MiB, scaled down tenfold in both (the thinning
    only sees bytes): every epoch end and W₀ stay, the last two epochs keep ≥ 20 moments each."""
    batches, per_epoch = 600, 30
    shapes = ((784, 100), (100, 10))
    model_bytes = 4 * (784 * 100 + 100 * 10 + 110)
    budget = int((256 << 20) * model_bytes / (4 * (784 * 1000 + 1000 * 10 + 1010)))
    record = RunRecord(ModelConfig(), TrainConfig(), batches, budget=budget)
    for step in range(0, 100 * batches + 1, batches // per_epoch):
        record.add_snapshot(*snapshot(step, batches, shapes=shapes, value=step / 1e4))
        assert record.nbytes <= budget
    steps = np.array(record.steps)
    assert set(range(0, 100 * batches + 1, batches)) <= set(steps.tolist())     # W₀ and every epoch end
    for epoch in (98, 99):
        inside = (steps > epoch * batches) & (steps <= (epoch + 1) * batches)
        assert inside.sum() >= MOMENTS_PER_EPOCH, epoch
    assert record.at(None).step == 100 * batches
    # finished epochs may be float16; what at() returns is float32 and close to what was recorded
    old = record.at(50 * batches)
    assert old.weights[0].dtype == np.float32
    np.testing.assert_allclose(old.weights[0], 50 * batches / 1e4, rtol=1e-3)
    np.testing.assert_array_equal(record.at(None).weights[0], 100 * batches / 1e4 * np.ones(shapes[0], np.float32))


def test_thinning_keeps_what_is_left_evenly_spread():
    batches = 1000
    shapes = ((10, 10),)
    per_moment = 4 * (100 + 10)
    record = RunRecord(ModelConfig(), TrainConfig(), batches, budget=per_moment * 40)
    for step in range(0, 900):   # inside the first epoch only: phase 1, then the oldest epoch is thinned
        record.add_snapshot(*snapshot(step, batches, shapes=shapes))
    gaps = np.diff(record.steps)
    assert record.nbytes <= per_moment * 40 and gaps.max() <= 3 * gaps.mean()


def test_a_record_follows_a_real_trainer():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 8), np.float32), rng.integers(0, 3, 60).astype(np.uint8)
    trainer = build_trainer(ModelConfig(kind="softmax"), TrainConfig(batch_size=20), X, y, n_outputs=3)
    record = RunRecord(ModelConfig(kind="softmax"), TrainConfig(batch_size=20), trainer.batches_per_epoch)
    record.add_snapshot(trainer.snapshot(), trainer.batch)
    weights = [trainer.model.weights[0].copy()]
    for _ in range(6):
        trainer.step()
        record.add_snapshot(trainer.snapshot(), trainer.batch)
        weights.append(trainer.model.weights[0].copy())
    for step, expected in enumerate(weights):
        np.testing.assert_array_equal(record.at(step).weights[0], expected)
    assert [record.at(s).epoch for s in range(7)] == [0, 0, 0, 1, 1, 1, 2]


def test_cursor_names_what_changed_once_per_set():
    cursor, events = Cursor(), []
    cursor.changed.connect(events.append)
    run = object()
    cursor.set(run=run)
    cursor.set(step=30, index=4)
    cursor.set(step=30)                      # no change: no event
    cursor.set(index=5, layer=0)
    assert events == [frozenset({"run"}), frozenset({"step", "index"}), frozenset({"index", "layer"})]
    assert not cursor.live
    cursor.set(run=object())                 # another run is followed live
    assert cursor.live and events[-1] == frozenset({"run", "step"})
    with pytest.raises(TypeError):
        cursor.set(colour="red")


def test_session_shows_one_run_and_the_cursor_follows_it():
    session = Session()
    record = record_of([0, 10])
    session.cursor.set(step=5)
    session.show_run(record)
    assert session.run is record and session.cursor.live and session.cursor.moment().step == 10
    session.clear_runs()
    assert session.run is None and session.runs == []


def test_a_record_from_a_saved_file_has_its_epochs_its_start_and_its_last_weights(tmp_path):
    rng = np.random.default_rng(1)
    X, y = rng.random((50, 8), np.float32), rng.integers(0, 3, 50).astype(np.uint8)
    model_config, train_config = ModelConfig(kind="mlp", hidden=(5,)), TrainConfig(batch_size=10)
    trainer = build_trainer(model_config, train_config, X, y, X, y, n_outputs=3)
    initial = [p.copy() for p in trainer.model.parameters]
    for _ in range(13):                       # two epochs of 5 batches and 3 batches of the third
        trainer.step()
    save_run(tmp_path / "run.npz", trainer, model_config, train_config, initial=initial)
    record = RunRecord.from_saved(load_run(tmp_path / "run.npz"), trainer.batches_per_epoch, name="run")
    assert not record.live and record.steps == [0, 13]
    np.testing.assert_array_equal(record.at(0).weights[1], initial[1])
    np.testing.assert_array_equal(record.at(0).biases[0], initial[2])
    last = record.at(None)
    assert (last.epoch, last.batch, last.samples_seen) == (2, 3, 130)
    np.testing.assert_array_equal(last.weights[0], trainer.model.weights[0])
    assert list(record.curves.epoch_x.values) == [1, 2] and len(record.curves.eval_x) == 2
    trainer.initial = []
    save_run(tmp_path / "old.npz", trainer, model_config, train_config)        # a file without W₀
    assert RunRecord.from_saved(load_run(tmp_path / "old.npz"), 5).steps == [13]


def test_a_past_moment_evaluates_as_the_run_did_then():
    """model_at(step) rebuilds the model of a moment: evaluated, it gives the engine's own figures of
    that epoch end, though the run has trained on since."""
    rng = np.random.default_rng(2)
    X, y = rng.random((80, 12), np.float32), rng.integers(0, 4, 80).astype(np.uint8)
    model_config, train_config = ModelConfig(kind="mlp", hidden=(7,)), TrainConfig(batch_size=16)
    trainer = build_trainer(model_config, train_config, X, y, X, y, n_outputs=4)
    record = RunRecord(model_config, train_config, trainer.batches_per_epoch)
    record.add_snapshot(trainer.snapshot(), trainer.batch)
    for _ in range(3):
        trainer.run_epoch()
        record.add_snapshot(trainer.snapshot(), trainer.batch)
        record.add_evaluation(trainer.steps, trainer.last_evaluation)
    first_end = trainer.batches_per_epoch
    rebuilt = evaluate(record.model_at(first_end), model_config.loss_name(), X, y)
    assert rebuilt.loss == pytest.approx(trainer.history[0].test_loss, rel=1e-6)
    assert rebuilt.error == trainer.history[0].test_error
    np.testing.assert_array_equal(rebuilt.confusion, record.evaluation(first_end).confusion)
    assert trainer.history[0].test_loss != trainer.history[2].test_loss


def test_the_budget_is_a_setting(monkeypatch):
    monkeypatch.setenv("MNIST_TRAINER_RECORD_MB", "2")
    assert RunRecord(ModelConfig(), TrainConfig(), 10).budget == 2 << 20
    monkeypatch.setenv("MNIST_TRAINER_RECORD_MB", "lots")            # not a number: the default
    assert RunRecord(ModelConfig(), TrainConfig(), 10).budget == 256 << 20
    monkeypatch.delenv("MNIST_TRAINER_RECORD_MB")
    assert RunRecord(ModelConfig(), TrainConfig(), 10, budget=1000).budget == 1000
