"""SGD, Nesterov, AdaGrad, RMSProp and Adam against torch.optim; their state; saving and continuing."""
import json
import math

import numpy as np
import pytest

from engine import (MLP, ModelConfig, TrainConfig, Trainer, build_trainer, load_run, restore_trainer,
                    save_run)
from engine.config import training_memory
from engine.optim import (OPTIMIZERS, SGD, AdaGrad, Adam, Constant, Cosine, InverseTime, RMSProp,
                          make_optimizer, state_arrays)

torch = pytest.importorskip("torch")

STEPS, BATCH, N = 20, 12, 48


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Tiny tensors: torch's worker threads only wait on each other (and on a busy second core)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)

# (optimizer name, momentum, base learning rate)
CASES = [("sgd", 0.0, 0.2), ("sgd", 0.9, 0.1), ("nesterov", 0.9, 0.1), ("adagrad", 0.0, 0.1),
         ("rmsprop", 0.0, 0.01), ("rmsprop", 0.5, 0.01), ("adam", 0.0, 0.01)]
SCHEDULES = {"constant": Constant, "inverse_time": lambda: InverseTime(5.0),
             "cosine": lambda: Cosine(STEPS, min_fraction=0.1)}


def problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, 6))
    y = rng.integers(0, 3, N)
    model = MLP([6, 5, 4, 3], bias=True, seed=seed, init="he", dtype=np.float64)
    for b in model.biases:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    return model, X, y


def torch_optimizer(name, params, lr, momentum, weight_decay):
    if name in ("sgd", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay,
                               nesterov=name == "nesterov")
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, weight_decay=weight_decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)


def torch_run(model, batches, name, lr, momentum, weight_decay, factor):
    """The same MLP (relu, identity output, mean softmax cross-entropy) trained by torch.optim on
    `batches`, its rate set by a LambdaLR with the same factor function as the engine's schedule."""
    weights = [torch.tensor(W.copy(), requires_grad=True) for W in model.weights]
    biases = [torch.tensor(b.copy(), requires_grad=True) for b in model.biases]
    optimizer = torch_optimizer(name, weights + biases, lr, momentum, weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    for X, y in batches:
        Z = torch.tensor(X)
        for i, (W, b) in enumerate(zip(weights, biases)):
            Z = Z @ W + b
            if i < len(weights) - 1:
                Z = torch.relu(Z)
        loss = torch.nn.functional.cross_entropy(Z, torch.tensor(y.astype(np.int64)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    return [t.detach().numpy() for t in weights + biases]


@pytest.mark.parametrize("schedule", list(SCHEDULES))
@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
@pytest.mark.parametrize("name, momentum, lr", CASES, ids=[f"{n}-{m}" for n, m, _ in CASES])
def test_twenty_steps_equal_torch_optim(name, momentum, lr, weight_decay, schedule):
    model, X, y = problem(seed=3)
    batches = [(X[s:s + BATCH], y[s:s + BATCH]) for s in (BATCH * (t % (N // BATCH)) for t in range(STEPS))]
    expected = torch_run(model, batches, name, lr, momentum, weight_decay, SCHEDULES[schedule]())

    optimizer = make_optimizer(name, model.parameters, lr, momentum, weight_decay, SCHEDULES[schedule]())
    trainer = Trainer(model, "softmax_ce", optimizer, X, y, batch_size=BATCH)
    for t in range(STEPS):
        result = trainer.step()
        assert result.finite
        assert result.learning_rate == pytest.approx(lr * SCHEDULES[schedule]()(t), rel=1e-12)
    assert optimizer.steps == STEPS
    moved = max(np.abs(p - q).max() for p, q in zip(model.parameters, problem(seed=3)[0].parameters))
    assert moved > 1e-3                                     # the run really trained
    for mine, theirs in zip(model.parameters, expected, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-12)


def test_an_adam_trainer_built_from_a_configuration_follows_torch_on_its_shuffled_batches():
    """build_trainer's wiring (optimizer name, schedule, weight decay), float32, shuffled batches:
    the rows of each step rebuild the batch torch trains on."""
    rng = np.random.default_rng(5)
    X = rng.random((60, 16), dtype=np.float32)
    y = rng.integers(0, 4, 60)
    trainer = build_trainer(ModelConfig("mlp", hidden=(8,), init="he", seed=2),
                            TrainConfig(learning_rate=0.01, batch_size=15, epochs=2, optimizer="adam",
                                        weight_decay=0.01, schedule="cosine", shuffle=True, seed=4), X, y)
    assert isinstance(trainer.optimizer, Adam)
    model = trainer.model
    initial = [p.copy() for p in model.parameters]
    rows = [trainer.step(keep_rows=True).rows for _ in range(8)]
    schedule = trainer.optimizer.schedule
    start = MLP.from_arrays([p.astype(np.float64) for p in initial[:2]], [p.astype(np.float64) for p in initial[2:]])
    expected = torch_run(start, [(X[r].astype(np.float64), y[r]) for r in rows], "adam", 0.01, 0.0, 0.01, schedule)
    for mine, theirs in zip(model.parameters, expected, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6)


# --- the optimizers' interface --------------------------------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_has_the_trainers_interface_and_its_state(name):
    params = [np.ones((3, 2)), np.zeros(2)]
    momentum = 0.9 if name == "nesterov" else 0.0
    optimizer = make_optimizer(name, params, 0.1, momentum)
    assert optimizer.name == name
    assert len(optimizer.state) == state_arrays(name, momentum) * len(params)
    assert all(s.shape == p.shape for s, p in zip(optimizer.state, params * 2))
    assert optimizer.gradient_scale() == (-0.1 if name == "sgd" else 1.0)
    optimizer.learning_rate = 0.5
    assert optimizer.current_learning_rate() == 0.5
    assert optimizer.step([np.full((3, 2), 0.5), np.ones(2)]) and optimizer.steps == 1
    assert not np.array_equal(params[0], np.ones((3, 2)))


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("bad", [np.inf, np.nan, 1e200])
def test_a_non_finite_update_is_refused_and_changes_nothing(name, bad):
    params = [np.ones((3, 2), np.float32), np.zeros(2, np.float32)]
    optimizer = make_optimizer(name, params, 0.1, 0.9 if name in ("nesterov", "rmsprop") else 0.0, 0.01)
    assert optimizer.step([np.full((3, 2), 0.5, np.float32), np.ones(2, np.float32)])
    before = [a.copy() for a in params + optimizer.state]
    grads = [np.full((3, 2), 0.5, np.float32), np.ones(2, np.float32)]
    with np.errstate(over="ignore"):
        grads[1][1] = bad   # 1e200 overflows float32 (inf), and its square overflows anyway
    assert not optimizer.step(grads)
    assert optimizer.steps == 1
    for array, saved in zip(params + optimizer.state, before, strict=True):
        np.testing.assert_array_equal(array, saved)


def test_settings_are_checked():
    with pytest.raises(ValueError, match="Nesterov"):
        SGD([np.zeros(2)], 0.1, momentum=0.0, nesterov=True)
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("lbfgs", [np.zeros(2)], 0.1)
    with pytest.raises(ValueError):
        Adam([np.zeros(2)], 0.1, betas=(1.0, 0.999))
    with pytest.raises(ValueError):
        RMSProp([np.zeros(2)], 0.1, alpha=1.5)
    with pytest.raises(ValueError):
        AdaGrad([np.zeros(2)], -1.0)
    for bad in (dict(optimizer="lbfgs"), dict(optimizer="nesterov", momentum=0.0), dict(dropout=1.0),
                dict(dropout=-0.1), dict(augment_shift=-1), dict(augment_shift=1.5),
                dict(augment_rotation=200.0), dict(augment_noise=math.nan), dict(early_stopping=-1)):
        with pytest.raises(ValueError):
            TrainConfig(**bad).validate(100)
    TrainConfig(optimizer="nesterov", momentum=0.9).validate(100)


def test_momentum_applies_only_to_the_optimizers_that_read_it():
    assert TrainConfig(optimizer="rmsprop").applies("momentum")
    assert not TrainConfig(optimizer="adam").applies("momentum")
    X, y = np.random.default_rng(0).random((20, 4), dtype=np.float32), np.arange(20) % 2
    trainer = build_trainer(ModelConfig("softmax"), TrainConfig(optimizer="adam", momentum=0.9, batch_size=5), X, y)
    assert len(trainer.optimizer.state) == 2 * len(trainer.model.parameters)


def test_training_memory_counts_the_optimizers_state():
    sizes = [784, 100, 10]
    plain = training_memory(sizes, 100)
    parameters = 784 * 100 + 100 + 100 * 10 + 10
    # the state, its rollback copy at an epoch end, and the update's new values (parameters and state)
    assert training_memory(sizes, 100, optimizer="adagrad") == plain + 4 * (1 + 1 + 2) * parameters
    assert training_memory(sizes, 100, optimizer="adam") == plain + 4 * (2 + 2 + 3) * parameters
    assert training_memory(sizes, 100, 0.9) == training_memory(sizes, 100, 0.9, optimizer="nesterov")
    assert training_memory(sizes, 100, optimizer="adam", restore_best=True) \
        == training_memory(sizes, 100, optimizer="adam") + 4 * parameters


# --- saving and continuing ------------------------------------------------------------------------

def image_data(seed=0, n=120):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 36), dtype=np.float32)
    y = rng.integers(0, 5, n)
    return X[:90], y[:90], X[90:], y[90:]


CONTINUED = {
    "adam": dict(optimizer="adam", learning_rate=0.01, weight_decay=0.01),
    "adagrad": dict(optimizer="adagrad", learning_rate=0.05, schedule="inverse_time"),
    "rmsprop-momentum": dict(optimizer="rmsprop", learning_rate=0.005, momentum=0.5),
    "nesterov": dict(optimizer="nesterov", learning_rate=0.05, momentum=0.9, schedule="cosine"),
    "adam-everything": dict(optimizer="adam", learning_rate=0.01, shuffle=True, seed=7, dropout=0.3,
                            augment_shift=1, augment_rotation=10.0, augment_noise=0.05,
                            early_stopping=50, restore_best=True),
}


@pytest.mark.parametrize("case", list(CONTINUED))
def test_ten_steps_saved_opened_and_ten_more_equal_twenty_straight(case, tmp_path):
    data = image_data()
    model_config = ModelConfig("mlp", hidden=(12,), seed=1)
    train_config = TrainConfig(batch_size=20, epochs=6, **CONTINUED[case])   # 5 steps an epoch
    straight = build_trainer(model_config, train_config, *data)
    losses = [straight.step().loss for _ in range(20)]

    first = build_trainer(model_config, train_config, *data)
    head = [first.step().loss for _ in range(12)]      # mid-epoch, two epoch ends behind it
    save_run(tmp_path / "run.npz", first, model_config, train_config)
    saved = load_run(tmp_path / "run.npz")
    assert saved.state["optimizer"] == train_config.optimizer
    assert len(saved.velocity) == len(first.optimizer.state) > 0
    continued = restore_trainer(saved, *data)
    assert continued.optimizer.steps == 12
    for got, want in zip(continued.optimizer.state, first.optimizer.state, strict=True):
        np.testing.assert_array_equal(got, want)
    tail = [continued.step().loss for _ in range(8)]

    assert head + tail == losses
    for got, want in zip(continued.model.parameters, straight.model.parameters, strict=True):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(continued.optimizer.state, straight.optimizer.state, strict=True):
        np.testing.assert_array_equal(got, want)
    assert (continued.best_epoch, continued.best_loss) == (straight.best_epoch, straight.best_loss)


def test_the_adam_moments_are_what_make_the_run_continue_exactly(tmp_path):
    """The control: the same restore with Adam's m and v zeroed does not continue the run."""
    data = image_data(1)
    model_config, train_config = ModelConfig("mlp", hidden=(12,)), TrainConfig(batch_size=30, optimizer="adam",
                                                                               learning_rate=0.01)
    trainer = build_trainer(model_config, train_config, *data)
    for _ in range(5):
        trainer.step()
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    saved = load_run(tmp_path / "run.npz")
    expected = [trainer.step().loss for _ in range(3)]
    assert [restore_trainer(saved, *data).step().loss for _ in range(1)] == expected[:1]
    saved.velocity = [np.zeros_like(v) for v in saved.velocity]
    assert [restore_trainer(saved, *data).step().loss for _ in range(3)] != expected


def test_a_run_continued_with_another_optimizer_starts_its_state_fresh(tmp_path):
    data = image_data(2)
    model_config = ModelConfig("mlp", hidden=(12,))
    adam = TrainConfig(batch_size=30, optimizer="adam", learning_rate=0.01)
    trainer = build_trainer(model_config, adam, *data)
    for _ in range(4):
        trainer.step()
    save_run(tmp_path / "run.npz", trainer, model_config, adam)
    saved = load_run(tmp_path / "run.npz")
    for other in (TrainConfig(batch_size=30, optimizer="rmsprop", learning_rate=0.01),
                  TrainConfig(batch_size=30, momentum=0.9)):
        saved.train_config = other
        continued = restore_trainer(saved, *data)
        assert all(not s.any() for s in continued.optimizer.state)
        for got, want in zip(continued.model.parameters, trainer.model.parameters):
            np.testing.assert_array_equal(got, want)
        assert continued.step().finite


def test_a_file_saved_before_the_new_optimizers_still_opens_and_continues(tmp_path):
    """A momentum run's file as the previous version wrote it: no optimizer name, early-stopping
    counters or random states in its state, none of the new training settings."""
    data = image_data(3)
    model_config, train_config = ModelConfig("mlp", hidden=(12,)), TrainConfig(batch_size=30, momentum=0.9)
    trainer = build_trainer(model_config, train_config, *data)
    for _ in range(4):
        trainer.step()
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    with np.load(tmp_path / "run.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(str(arrays["meta"]))
    new_training = ("optimizer", "dropout", "augment_shift", "augment_rotation", "augment_noise",
                    "early_stopping", "restore_best")
    new_state = ("optimizer", "best_loss", "best_epoch", "stopped_early", "dropout_rng", "augment_rng")
    meta["training"] = {k: v for k, v in meta["training"].items() if k not in new_training}
    meta["state"] = {k: v for k, v in meta["state"].items() if k not in new_state}
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "old.npz", **arrays)
    saved = load_run(tmp_path / "old.npz")
    assert saved.train_config == train_config and saved.best == []
    continued = restore_trainer(saved, *data)
    for got, want in zip(continued.optimizer.velocity, trainer.optimizer.velocity, strict=True):
        np.testing.assert_array_equal(got, want)
    assert continued.step().loss == trainer.step().loss


@pytest.mark.parametrize("change", ["three state groups", "state of another shape", "unknown optimizer",
                                    "best of another shape", "bad best epoch"])
def test_optimizer_state_that_does_not_fit_is_refused(tmp_path, change):
    from engine import ModelFileError
    data = image_data(4)
    model_config, train_config = ModelConfig("softmax"), TrainConfig(batch_size=30, optimizer="adam",
                                                                     learning_rate=0.01)
    trainer = build_trainer(model_config, train_config, *data)
    trainer.step()
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    with np.load(tmp_path / "run.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    assert {"velocity_0", "velocity_1"} <= set(arrays) and "velocity_2" not in arrays   # m and v
    meta = json.loads(str(arrays["meta"]))
    W = arrays["weight_0"]
    if change == "three state groups":
        arrays |= {"velocity_2": np.zeros_like(W)}
    elif change == "state of another shape":
        arrays |= {"velocity_1": np.zeros((3, 3), np.float32)}
    elif change == "unknown optimizer":
        meta["state"]["optimizer"] = "lbfgs"
    elif change == "best of another shape":
        arrays |= {"best_0": np.zeros((3, 3), np.float32)}
    else:
        meta["state"]["best_epoch"] = -2
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError):
        load_run(tmp_path / "bad.npz")
