"""Training that goes wrong: a learning rate far too large never leaves NaN or infinity in the
weights, the counters, the history or a saved file, and the command line says so once, quietly.
"""
import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import (ModelConfig, TrainConfig, build_trainer, load_run, parse_mnist, restore_trainer,
                    save_run, write_idx)

REPO = Path(__file__).resolve().parent.parent
RUN_CLI = "import sys; from trainer_gui.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def digits(shared_data):
    folder = shared_data / "mnist"
    X, y = parse_mnist(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")
    return X[:1000], y[:1000], X[1000:1200], y[1000:1200]


def counters(trainer):
    return (trainer.steps, trainer.epoch, trainer.batch, trainer.samples_seen, trainer.optimizer.steps,
            len(trainer.history))


def parameters(trainer):
    return [p.copy() for p in trainer.model.parameters + trainer.optimizer.velocity]


def all_finite(arrays):
    return all(np.isfinite(a).all() for a in arrays)


def step_until_not_finite(trainer, limit=40):
    """Step quietly until a step is refused; returns (the refused result, copies of the parameters
    and counters just before it)."""
    with np.errstate(all="ignore"):
        for _ in range(limit):
            before, counted = parameters(trainer), counters(trainer)
            result = trainer.step()
            if not result.finite:
                return result, before, counted
    pytest.fail(f"no step was refused in {limit} steps")


# --- the Trainer ------------------------------------------------------------------------------------

def test_a_learning_rate_of_1e8_stops_at_the_step_that_overflows(digits):
    trainer = build_trainer(ModelConfig("two-layer", hidden=(100,)), TrainConfig(learning_rate=1e8),
                            *digits)
    result, before, counted = step_until_not_finite(trainer)

    assert result.finite is False
    assert not (math.isfinite(result.loss) and all(map(math.isfinite, result.grad_norms)))
    for now, then in zip(parameters(trainer), before):           # exactly the last finite weights
        np.testing.assert_array_equal(now, then)
    assert counters(trainer) == counted
    assert counted[0] >= 1                                        # some steps were fine before it
    assert all_finite(trainer.model.parameters)

    # stepping again does not corrupt anything either: the same refused step, the same weights
    with np.errstate(all="ignore"):
        again = trainer.step()
    assert again.finite is False and (again.epoch, again.batch) == (result.epoch, result.batch)
    for now, then in zip(parameters(trainer), before):
        np.testing.assert_array_equal(now, then)

    # and a smaller learning rate continues from there
    trainer.learning_rate = 1e-3
    assert trainer.step().finite
    assert all_finite(trainer.model.parameters)


@pytest.mark.parametrize("kind, batch, learning_rate", [("two-layer", 10, 1e5), ("two-layer", 10, 1e8),
                                                         ("mlp", 10, 1e8), ("two-layer", 100, 1e8)])
def test_a_step_is_refused_alike_with_or_without_its_gradient_norms(digits, kind, batch, learning_rate):
    """Steps between the gradient norms are judged without reading the whole gradients (bounded by
    the layers' inputs and error signals at small batches): the same step is refused, from the same
    weights, as when every step computes its norms, and the refused step reports its norms. (Each of
    these refused steps has a finite loss: the gradients decide.)"""
    runs = []
    for every in (1, 1000):
        trainer = build_trainer(ModelConfig(kind, hidden=(100,)),
                                TrainConfig(learning_rate=learning_rate, batch_size=batch), *digits)
        trainer.grad_norm_every = every
        result, before, counted = step_until_not_finite(trainer, limit=100)
        assert math.isfinite(result.loss) and not all(map(math.isfinite, result.grad_norms))
        runs.append((result, before, counted))
    (exact, exact_before, exact_counted), (skipped, skipped_before, skipped_counted) = runs
    assert exact_counted == skipped_counted and skipped_counted[0] >= 2   # not the first step, which has norms
    assert (exact.epoch, exact.batch) == (skipped.epoch, skipped.batch)
    np.testing.assert_array_equal(exact.grad_norms, skipped.grad_norms)
    for a, b in zip(exact_before, skipped_before):
        np.testing.assert_array_equal(a, b)


def test_saving_after_divergence_writes_only_finite_values(digits, tmp_path):
    model_config, train_config = ModelConfig("two-layer", hidden=(100,)), TrainConfig(learning_rate=1e8)
    trainer = build_trainer(model_config, train_config, *digits)
    step_until_not_finite(trainer)
    save_run(tmp_path / "diverged.npz", trainer, model_config, train_config)

    with np.load(tmp_path / "diverged.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(str(arrays.pop("meta")), parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert all_finite(arrays.values())
    for name, live in zip(["weight_0", "weight_1"], trainer.model.weights):
        np.testing.assert_array_equal(arrays[name], live)
    saved = load_run(tmp_path / "diverged.npz")                   # load_run refuses non-finite weights
    assert saved.state["steps"] == trainer.steps
    restored = restore_trainer(saved, *digits[:2])
    restored.learning_rate = 1e-3
    assert restored.step().finite


# A sweep over models and learning rates, plain and with momentum (whose update the optimizer makes
# after the step was judged finite). 1e39 is beyond float32's largest number, 3.4e38. Batches of 10
# compute the gradient norms on every 10th step only: the steps between are judged without them.
SWEEP = [(kind, lr, momentum, batch) for kind in ("softmax", "two-layer", "mlp", "linear")
         for lr in (50.0, 1e8, 1e20, 1e39) for momentum in (0.0, 0.9) for batch in (10, 250)]


@pytest.mark.parametrize("kind, learning_rate, momentum, batch", SWEEP, ids=lambda v: str(v))
def test_no_step_ever_leaves_non_finite_weights(digits, kind, learning_rate, momentum, batch):
    trainer = build_trainer(ModelConfig(kind, hidden=(32,)),
                            TrainConfig(learning_rate=learning_rate, momentum=momentum, batch_size=batch),
                            *digits)
    with np.errstate(all="ignore"):
        for _ in range(12):
            before, counted = parameters(trainer), counters(trainer)
            result = trainer.step()
            assert all_finite(trainer.model.parameters + trainer.optimizer.velocity), \
                f"step {counted[0]} was reported finite={result.finite} and left non-finite weights"
            if not result.finite:
                assert counters(trainer) == counted
                for now, then in zip(parameters(trainer), before):
                    np.testing.assert_array_equal(now, then)


def test_no_non_finite_figure_reaches_the_history(digits):
    """An epoch whose steps were finite but whose weights make the held-out loss overflow: the
    epoch's last step is refused and rolled back, so nothing infinite is recorded."""
    trainer = build_trainer(ModelConfig("linear"),
                            TrainConfig(learning_rate=1e10, momentum=0.9, batch_size=500), *digits)
    result, before, counted = step_until_not_finite(trainer)
    assert result.epoch_end and math.isfinite(result.loss), \
        "the run was meant to diverge only in the held-out evaluation at an epoch end"
    for array, saved in zip(parameters(trainer), before):
        np.testing.assert_array_equal(array, saved)
    assert counters(trainer) == counted
    for record in trainer.history:
        figures = [record.train_loss, record.train_error, record.test_loss, record.test_error]
        assert all(map(math.isfinite, figures)), f"epoch {record.epoch}: {figures}"


def test_a_run_whose_history_overflowed_can_still_be_saved(digits, tmp_path):
    """Saving must not fail whatever the history holds (an infinite figure used to make it raise
    'Out of range float values are not JSON compliant', losing the run)."""
    model_config = ModelConfig("linear")
    train_config = TrainConfig(learning_rate=0.01, momentum=0.9, batch_size=500)
    trainer = build_trainer(model_config, train_config, *digits)
    trainer.run_epoch()
    trainer.history[0].test_loss = math.inf           # an overflowed figure, whatever the engine made
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    saved = load_run(tmp_path / "run.npz")
    assert len(saved.history) == len(trainer.history) >= 1
    assert math.isnan(saved.history[0].test_loss)        # "no figure", never an infinity in the JSON
    assert saved.history[0].train_loss == trainer.history[0].train_loss


# --- the command line ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_folder(digits, tmp_path_factory):
    """1,000 training and 200 test digits as IDX files, so that epochs are short."""
    folder = tmp_path_factory.mktemp("small-mnist")
    X, y, X_test, y_test = digits
    for split, images, labels in (("train", X, y), ("t10k", X_test, y_test)):
        pixels = np.rint(images * 255).astype(np.uint8).reshape(-1, 28, 28)
        write_idx(folder / f"{split}-images-idx3-ubyte", pixels)
        write_idx(folder / f"{split}-labels-idx1-ubyte", labels)
    return folder


@pytest.mark.parametrize("arguments", [
    ["--model", "two-layer", "--lr", "1e8"],
    ["--model", "linear", "--lr", "1e10", "--momentum", "0.9", "--batch", "500"],   # after an epoch
    ["--model", "two-layer", "--lr", "1e39", "--momentum", "0.9"],
], ids=["two-layer 1e8", "linear 1e10 momentum", "two-layer 1e39 momentum"])
def test_cli_train_that_diverges_says_so_once_and_saves_a_loadable_model(arguments, small_folder, tmp_path):
    run = tmp_path / "run"
    done = subprocess.run([sys.executable, "-c", RUN_CLI, "train", "--data", str(small_folder), *arguments,
                           "--epochs", "3", "--out", str(run)],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr                           # one message, no warning flood
    assert "RuntimeWarning" not in done.stderr and "Traceback" not in done.stderr
    assert lines[0].startswith("training diverged at epoch ")
    assert "learning rate" in lines[0] and "smaller learning rate" in lines[0]

    saved = load_run(run / "model.npz")                           # refuses NaN or infinite weights
    assert all_finite(saved.weights + saved.biases + saved.velocity)
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(saved.history)
    assert all(math.isfinite(float(value)) for row in rows for value in row.values())
    assert str(run / "model.npz") in done.stdout
    assert (run / "evaluation.json").exists() == ("evaluation.json" in done.stdout)
