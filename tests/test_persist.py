"""Saved runs: save → open → continue gives the uninterrupted run's numbers; bad files are refused
with a clear ModelFileError and never run code; a save killed half-way leaves the previous file.
"""
import json
import math
import random
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from engine import (ModelConfig, ModelFileError, TrainConfig, build_trainer, load_run, parse_mnist,
                    restore_trainer, save_run)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def digits(shared_data):
    """1,000 real MNIST test digits to train on and 500 others to evaluate."""
    folder = shared_data / "mnist"
    X, y = parse_mnist(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")
    return X[:1000], y[:1000], X[1000:1500], y[1000:1500]


def history_rows(history):
    """Epoch records as tuples, nan replaced by None so that equal histories compare equal."""
    return [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in asdict(r).values())
            for r in history]


def small_run(digits, kind="two-layer", steps=25, **training):
    model_config = ModelConfig(kind, hidden=(16,))
    train_config = TrainConfig(**{"learning_rate": 0.1, "batch_size": 100, "epochs": 4, **training})
    trainer = build_trainer(model_config, train_config, *digits)
    for _ in range(steps):
        trainer.step()
    return trainer, model_config, train_config


# --- save → open → continue ---------------------------------------------------------------------

@pytest.mark.parametrize("stop", [20, 25], ids=["at-epoch-end", "mid-epoch"])
@pytest.mark.parametrize("shuffle", [False, True], ids=["in-order", "shuffled"])
def test_a_restored_run_continues_exactly_like_an_uninterrupted_one(digits, tmp_path, shuffle, stop):
    """Momentum, weight decay and a cosine schedule: the velocity, the schedule's step count, the
    shuffled order and the epoch's running sums must all come back for the numbers to agree."""
    training = dict(momentum=0.9, weight_decay=1e-3, schedule="cosine", shuffle=shuffle, seed=3)
    total = 40                                                  # 4 epochs of 10 batches
    reference, _, _ = small_run(digits, steps=0, **training)
    reference_losses = [reference.step().loss for _ in range(total)]

    first, model_config, train_config = small_run(digits, steps=0, **training)
    losses = [first.step().loss for _ in range(stop)]
    save_run(tmp_path / "run.npz", first, model_config, train_config)
    continued = restore_trainer(load_run(tmp_path / "run.npz"), *digits)
    assert (continued.steps, continued.epoch, continued.batch, continued.samples_seen) == \
        (first.steps, first.epoch, first.batch, first.samples_seen)
    losses += [continued.step().loss for _ in range(total - stop)]

    assert losses == reference_losses
    for got, want in zip(continued.model.parameters, reference.model.parameters):
        np.testing.assert_array_equal(got, want)
    assert history_rows(continued.history) == history_rows(reference.history)
    assert len(continued.history) == 4


def test_the_velocity_is_what_makes_a_momentum_run_continue_exactly(digits, tmp_path):
    """The control for the test above: the same restore with the momentum buffers zeroed diverges."""
    trainer, model_config, train_config = small_run(digits, steps=20, momentum=0.9)
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    saved = load_run(tmp_path / "run.npz")
    assert len(saved.velocity) == len(trainer.model.parameters)
    for stored, live in zip(saved.velocity, trainer.optimizer.velocity):
        np.testing.assert_array_equal(stored, live)
        assert np.abs(stored).max() > 0
    expected = [trainer.step().loss for _ in range(3)]
    assert restore_trainer(saved, *digits).step().loss == expected[0]
    saved.velocity = [np.zeros_like(v) for v in saved.velocity]
    forgetful = restore_trainer(saved, *digits)
    assert [forgetful.step().loss for _ in range(3)] != expected


def test_history_configuration_and_extra_survive(digits, tmp_path):
    trainer, model_config, train_config = small_run(digits, kind="mlp", steps=30, learning_rate=0.05)
    save_run(tmp_path / "run.npz", trainer, model_config, train_config, extra={"data": "/some/where"})
    saved = load_run(tmp_path / "run.npz")
    assert saved.model_config == model_config and saved.train_config == train_config
    assert history_rows(saved.history) == history_rows(trainer.history)
    assert [r.epoch for r in saved.history] == [1, 2, 3]
    assert saved.history[-1].test_loss < saved.history[0].test_loss   # it did learn
    assert saved.extra == {"data": "/some/where"}
    assert saved.state["steps"] == 30 and saved.state["samples_seen"] == 3000


def test_a_run_without_a_test_set_stores_strict_json_and_gets_its_nans_back(digits, tmp_path):
    X, y, _, _ = digits
    model_config, train_config = ModelConfig("softmax"), TrainConfig(batch_size=500)
    trainer = build_trainer(model_config, train_config, X, y)
    trainer.run_epoch()
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    with np.load(tmp_path / "run.npz", allow_pickle=False) as npz:
        text = str(npz["meta"])

    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    meta = json.loads(text, parse_constant=no_constants)
    assert meta["history"][0]["test_loss"] is None
    saved = load_run(tmp_path / "run.npz")
    assert math.isnan(saved.history[0].test_loss) and math.isnan(saved.history[0].test_error)
    assert saved.history[0].train_loss == trainer.history[0].train_loss


def test_the_file_is_plain_arrays_that_load_without_pickle(digits, tmp_path):
    trainer, model_config, train_config = small_run(digits, steps=5, momentum=0.5)
    save_run(tmp_path / "run.npz", trainer, model_config, train_config)
    with np.load(tmp_path / "run.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    assert {"weight_0", "weight_1", "velocity_0", "velocity_1", "meta"} <= set(arrays)
    assert all(a.dtype.kind != "O" for a in arrays.values())
    np.testing.assert_array_equal(arrays["weight_0"], trainer.model.weights[0])
    assert json.loads(str(arrays["meta"]))["model"]["kind"] == "two-layer"
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*"))


# --- files that must be refused -------------------------------------------------------------------

@pytest.fixture
def good_file(digits, tmp_path):
    """A valid saved linear model (it has biases too), and its arrays."""
    trainer, model_config, train_config = small_run(digits, kind="linear", steps=3, learning_rate=0.01)
    path = tmp_path / "good.npz"
    save_run(path, trainer, model_config, train_config)
    with np.load(path, allow_pickle=False) as npz:
        return path, {name: npz[name] for name in npz.files}


def rewrite(path, arrays, **changes):
    """A copy of the arrays with `changes` (a value of None removes the array), saved as `path`."""
    arrays = {**arrays, **changes}
    np.savez(path, **{name: a for name, a in arrays.items() if a is not None})
    return path


def refused(path, *fragments):
    with pytest.raises(ModelFileError) as caught:
        load_run(path)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert Path(path).name in message
    for fragment in fragments:
        assert fragment in message
    assert "Traceback" not in message
    return message


def test_random_bytes_are_refused(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(20):
        path = tmp_path / f"noise-{i}.npz"
        path.write_bytes(rng.integers(0, 256, int(rng.integers(0, 5000)), dtype=np.uint8).tobytes())
        refused(path)
    (tmp_path / "empty.npz").write_bytes(b"")
    refused(tmp_path / "empty.npz")


def test_text_images_and_plain_arrays_are_said_not_to_be_saved_models(files_that_are_not_models):
    for path in files_that_are_not_models:
        assert "pickle" not in refused(path, "not a saved model").lower()


def test_a_truncated_file_is_refused(good_file, tmp_path):
    path, _ = good_file
    data = path.read_bytes()
    for keep in (len(data) // 10, len(data) // 2, len(data) - 30, len(data) - 1):
        cut = tmp_path / f"cut-{keep}.npz"
        cut.write_bytes(data[:keep])
        refused(cut)


def test_a_file_whose_bytes_were_damaged_is_refused(good_file, tmp_path):
    path, _ = good_file
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offsets = [info.header_offset for info in archive.infolist()]
    for i, where in enumerate(offsets):              # the start of each member's local header
        damaged = tmp_path / f"damaged-{i}.npz"
        damaged.write_bytes(bytes(data[:where]) + b"\x00" * 8 + bytes(data[where + 8:]))
        refused(damaged)


def test_a_missing_file_is_a_model_file_error(tmp_path):
    refused(tmp_path / "nowhere.npz", "no such file")


def test_an_npz_from_another_program_is_refused(good_file, tmp_path):
    path, arrays = good_file
    refused(rewrite(tmp_path / "no-meta.npz", arrays, meta=None))
    other = dict(json.loads(str(arrays["meta"])), format="something-else")
    refused(rewrite(tmp_path / "other.npz", arrays, meta=np.array(json.dumps(other))),
            "not a saved mnist-trainer model")
    refused(rewrite(tmp_path / "not-json.npz", arrays, meta=np.array("{not json")))


@pytest.mark.parametrize("change", [
    "transposed weights", "missing bias", "extra layer", "wider configuration", "float64 weights",
    "velocity of another shape", "initial weights of another shape", "initial weights incomplete",
])
def test_arrays_that_do_not_fit_the_configuration_are_refused(good_file, tmp_path, change):
    path, arrays = good_file
    W, b = arrays["weight_0"], arrays["bias_0"]
    assert W.shape == (784, 10) and b.shape == (10,)
    meta = json.loads(str(arrays["meta"]))
    changes = {
        "transposed weights": dict(weight_0=W.T.copy()),
        "missing bias": dict(bias_0=None),
        "extra layer": dict(weight_1=np.zeros((10, 10), np.float32)),
        "wider configuration": dict(meta=np.array(json.dumps(
            {**meta, "model": {**meta["model"], "kind": "two-layer", "hidden": [32]}}))),
        "float64 weights": dict(weight_0=W.astype(np.float64)),
        "velocity of another shape": dict(velocity_0=np.zeros((10, 784), np.float32),
                                          velocity_1=np.zeros(10, np.float32)),
        "initial weights of another shape": dict(initial_0=np.zeros((10, 784), np.float32),
                                                 initial_1=np.zeros(10, np.float32)),
        "initial weights incomplete": dict(initial_0=np.zeros((784, 10), np.float32), initial_1=None),
    }[change]
    refused(rewrite(tmp_path / "misfit.npz", arrays, **changes))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["weight_0", "bias_0"])
def test_non_finite_weights_are_refused(good_file, tmp_path, value, where):
    path, arrays = good_file
    poisoned = arrays[where].copy()
    poisoned.flat[7] = value
    refused(rewrite(tmp_path / "nan.npz", arrays, **{where: poisoned}), "NaN or infinite")


def test_a_configuration_that_cannot_be_built_is_refused(good_file, tmp_path):
    path, arrays = good_file
    meta = json.loads(str(arrays["meta"]))
    for model in ({**meta["model"], "kind": "transformer"}, {**meta["model"], "colour": "blue"}):
        meta_text = np.array(json.dumps({**meta, "model": model}))
        refused(rewrite(tmp_path / "bad-config.npz", arrays, meta=meta_text))
    without_classes = {**meta, "state": {k: v for k, v in meta["state"].items() if k != "n_classes"}}
    refused(rewrite(tmp_path / "no-classes.npz", arrays, meta=np.array(json.dumps(without_classes))))


@pytest.mark.parametrize("state_change", [
    {"steps": None}, {"samples_seen": -1}, {"epoch": 1.5}, {"optimizer_steps": "3"},
    {"learning_rate": 0}, {"learning_rate": None}, {"epoch_sums": [1.0]}, {"shuffle_rng": {"bit": 1}},
], ids=str)
def test_counters_that_could_not_be_restored_are_refused_when_opening(good_file, tmp_path, state_change):
    """Refused by load_run, with the file name, rather than crashing restore_trainer later."""
    path, arrays = good_file
    meta = json.loads(str(arrays["meta"]))
    state = {k: v for k, v in {**meta["state"], **state_change}.items() if v is not None}
    refused(rewrite(tmp_path / "bad-state.npz", arrays, meta=np.array(json.dumps({**meta, "state": state}))))


def test_a_shuffled_order_that_is_not_a_permutation_is_refused(digits, tmp_path):
    trainer, model_config, train_config = small_run(digits, steps=3, shuffle=True)
    save_run(tmp_path / "shuffled.npz", trainer, model_config, train_config)
    with np.load(tmp_path / "shuffled.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    np.testing.assert_array_equal(np.sort(arrays["order"]), np.arange(1000))
    bad_orders = [np.full(1000, 5000), np.zeros(1000, np.int64), arrays["order"].astype(np.float64),
                  arrays["order"].reshape(10, 100)]
    for order in bad_orders:
        refused(rewrite(tmp_path / "bad-order.npz", arrays, order=order), "shuffled order")


def test_a_shuffled_run_restored_onto_other_data_starts_a_fresh_order(digits, tmp_path):
    trainer, model_config, train_config = small_run(digits, steps=3, shuffle=True)
    save_run(tmp_path / "shuffled.npz", trainer, model_config, train_config)
    X, y, X_test, y_test = digits
    smaller = restore_trainer(load_run(tmp_path / "shuffled.npz"), X[:600], y[:600], X_test, y_test)
    assert smaller.batches_per_epoch == 6
    for _ in range(10):                       # the rest of this epoch and into the next, no IndexError
        assert smaller.step().finite


class PlantsAMarker:
    """Unpickling this creates the file `marker`: the stand-in for code a malicious file would run."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


@pytest.mark.parametrize("name", ["meta", "weight_0", "notes"])
def test_a_pickled_object_in_the_file_is_never_unpickled(good_file, tmp_path, name):
    path, arrays = good_file
    marker = tmp_path / "pwned"
    evil = np.empty(1, dtype=object)
    evil[0] = PlantsAMarker(marker)
    crafted = rewrite(tmp_path / "crafted.npz", arrays, **{name: evil})

    refused(crafted)
    assert not marker.exists()

    # control: the crafted file really does run code when something unpickles it
    with np.load(crafted, allow_pickle=True) as npz:
        npz[name]
    assert marker.exists()


def test_restoring_onto_data_of_another_width_says_so(good_file, digits):
    path, _ = good_file
    X, y, _, _ = digits
    with pytest.raises(ValueError, match="reads 784 inputs, the data has 392"):
        restore_trainer(load_run(path), X[:, :392].copy(), y)


# --- an interrupted save ---------------------------------------------------------------------------

SAVER = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    import engine.files
    from engine import ModelConfig, TrainConfig, build_trainer, save_run

    path, version, stall_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if stall_at:
        # announce, then hang, once stall_at bytes of the next save are written: the parent kills us
        # there, in the middle of writing the temporary file
        real_fdopen = os.fdopen

        class Stalling:
            def __init__(self, f):
                self.f, self.written = f, 0
            def write(self, data):
                if self.written + len(data) >= stall_at and saves_done:
                    self.f.write(bytes(data)[:max(stall_at - self.written, 0)])
                    self.f.flush()
                    print("stalled", flush=True)
                    time.sleep(600)
                self.written += len(data)
                return self.f.write(data)
            def __getattr__(self, name):
                return getattr(self.f, name)
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return self.f.__exit__(*exc)

        engine.files.os = type("os_with_stall", (), {**{k: getattr(os, k) for k in dir(os)
                                                           if not k.startswith("__")},
                                                        "fdopen": staticmethod(lambda *a: Stalling(real_fdopen(*a)))})
    model_config, train_config = ModelConfig("two-layer", hidden=(8000,)), TrainConfig(batch_size=4)
    X, y = np.zeros((4, 784), np.float32), np.arange(4, dtype=np.uint8)
    trainer = build_trainer(model_config, train_config, X, y, n_outputs=10)   # 25 MB of weights
    saves_done = 0
    while True:
        for parameter in trainer.model.parameters:
            parameter[...] = version
        save_run(path, trainer, model_config, train_config, extra={"version": version})
        saves_done += 1
        print(version, flush=True)
        version += 1
""")


def check_intact(path, last_printed):
    saved = load_run(path)                                # complete and loadable...
    version = saved.extra["version"]
    assert last_printed <= version <= last_printed + 1    # ...and the last one written
    for parameter in saved.weights + saved.biases:
        assert np.all(parameter == version)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_killing_a_process_mid_save_leaves_the_previous_file_intact(tmp_path):
    """kill -9 at random moments, and at chosen points inside the write of the temporary file; the
    next save into the folder removes the temporary the killed one left."""
    script = tmp_path / "saver.py"
    script.write_text(SAVER)
    path = tmp_path / "model.npz"
    moments = random.Random(5)
    stall_points = [0, 0, 0, 1000, 5_000_000, 20_000_000]   # 0: a random moment instead
    left_behind = []
    for round_, stall_at in enumerate(stall_points):
        child = subprocess.Popen([sys.executable, str(script), str(path), str(1000 * round_), str(stall_at)],
                                 stdout=subprocess.PIPE, text=True, cwd=REPO)
        try:
            printed = [int(child.stdout.readline())]          # one complete save in this round
            assert not any(t.exists() for t in left_behind)   # which cleaned the killed save's temporary
            if stall_at:
                assert child.stdout.readline().strip() == "stalled"
            else:
                time.sleep(moments.uniform(0.0, 0.3))
        finally:
            child.send_signal(signal.SIGKILL)
            rest, _ = child.communicate(timeout=30)
        printed += [int(line) for line in rest.split() if line.isdigit()]
        assert child.returncode == -signal.SIGKILL
        check_intact(path, printed[-1])
        left_behind = list(tmp_path.glob(".mnist-trainer-*.part"))
        if stall_at:   # killed inside the write: the half-written temporary is there, the file intact
            assert len(left_behind) == 1 and 0 < left_behind[0].stat().st_size <= stall_at
    for temporary in left_behind:
        temporary.unlink()
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("saver.py", "model.npz")] == []

@pytest.mark.parametrize("meta", ["[1]", '{"format": "mnist-trainer-run", "history": [1]}'])
def test_meta_of_the_wrong_shape_is_refused(tmp_path, meta):
    path = tmp_path / "odd.npz"
    np.savez(path, meta=np.array(meta))
    refused(path)


@pytest.mark.parametrize("field, value", [("learning_rate", "x"), ("batch_size", 1.5), ("shuffle", 3)])
def test_training_settings_of_the_wrong_type_are_refused(good_file, tmp_path, field, value):
    path, arrays = good_file
    meta = json.loads(str(arrays["meta"]))
    meta["training"][field] = value
    rewrite(tmp_path / "typed.npz", arrays, meta=np.array(json.dumps(meta)))
    refused(tmp_path / "typed.npz", field)


def test_the_initial_weights_are_saved_and_files_without_them_still_open(digits, tmp_path):
    """W₀ travels with the model (an opened run still shows what it learned since its start); a file
    written before W₀ was saved opens with none."""
    model_config, train_config = ModelConfig("two-layer", hidden=(16,)), TrainConfig(batch_size=100)
    trainer = build_trainer(model_config, train_config, *digits)
    initial = [p.copy() for p in trainer.model.parameters]
    for _ in range(7):
        trainer.step()
    save_run(tmp_path / "with.npz", trainer, model_config, train_config, initial=initial)
    saved = load_run(tmp_path / "with.npz")
    assert len(saved.initial) == len(initial)
    for stored, expected in zip(saved.initial, initial):
        np.testing.assert_array_equal(stored, expected)
    assert not np.array_equal(saved.initial[0], saved.weights[0])     # it trained since
    save_run(tmp_path / "default.npz", trainer, model_config, train_config)     # the trainer's own W₀
    for stored, expected in zip(load_run(tmp_path / "default.npz").initial, initial, strict=True):
        np.testing.assert_array_equal(stored, expected)
    continued = restore_trainer(saved, *digits)
    continued.step()
    save_run(tmp_path / "continued.npz", continued, model_config, train_config)   # W₀ carried on
    np.testing.assert_array_equal(load_run(tmp_path / "continued.npz").initial[0], initial[0])
    trainer.initial = []                                                          # W₀ not known
    save_run(tmp_path / "without.npz", trainer, model_config, train_config)
    with zipfile.ZipFile(tmp_path / "without.npz") as archive:
        assert not any(n.startswith("initial") for n in archive.namelist())
    assert load_run(tmp_path / "without.npz").initial == []
