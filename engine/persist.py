"""Saved runs: one `.npz` holding the arrays and, as a JSON string, the configuration and history.

The file loads with `allow_pickle=False`, so opening it can never run code. It is written to a
temporary name and renamed into place, so an interrupted save leaves the previous file intact.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
import zipfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from .config import ModelConfig, TrainConfig, build_trainer
from .trainer import EpochRecord, Trainer

FORMAT = "mnist-trainer-run"
VERSION = 1


class ModelFileError(ValueError):
    """A saved-model file that cannot be opened; the message names the file and the problem."""


@dataclass
class SavedRun:
    model_config: ModelConfig
    train_config: TrainConfig
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    velocity: list[np.ndarray]       # momentum buffers, aligned with weights + biases ([] without)
    state: dict                      # steps, epoch, batch, samples_seen, learning_rate, n_classes
    history: list[EpochRecord]
    extra: dict                      # what the saving program wanted to remember (e.g. its data)
    order: np.ndarray | None = None  # (n,) this epoch's shuffled order of the training rows


def atomic_write(path, write) -> None:
    """Call write(file_object) on a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_run(path, trainer: Trainer, model_config: ModelConfig, train_config: TrainConfig,
             extra: dict | None = None) -> None:
    """Save the trainer's model, optimizer state, counters and history with their configuration.

    extra: JSON-ready facts the caller wants back from load_run (the CLI keeps its data folder).
    """
    counters, order = trainer.position()
    meta = {
        "format": FORMAT, "version": VERSION,
        "model": asdict(model_config), "training": asdict(train_config),
        "state": counters,
        # strict JSON has no NaN or infinity: a figure that does not exist (no test set) or that
        # overflowed (a diverging run) is stored as null, and read back as nan
        "history": [{k: None if isinstance(v, float) and not math.isfinite(v) else v
                     for k, v in asdict(r).items()} for r in trainer.history],
        "extra": extra or {},
    }
    arrays = {f"weight_{i}": w for i, w in enumerate(trainer.model.weights)}
    arrays |= {f"bias_{i}": b for i, b in enumerate(trainer.model.biases)}
    arrays |= {f"velocity_{i}": v for i, v in enumerate(trainer.optimizer.velocity)}
    if order is not None:
        arrays["order"] = order
    arrays["meta"] = np.array(json.dumps(meta, allow_nan=False))
    atomic_write(path, lambda out: np.savez(out, **arrays))


def _numbered(arrays, prefix) -> list[np.ndarray]:
    found = []
    while f"{prefix}_{len(found)}" in arrays:
        found.append(arrays[f"{prefix}_{len(found)}"])
    return found


def _config(cls, values: dict, path):
    defaults = {f.name: f.default for f in fields(cls)}
    unknown = set(values) - set(defaults)
    if unknown:
        raise ModelFileError(f"{Path(path).name}: unknown {cls.__name__} fields {sorted(unknown)}")
    for name, value in values.items():   # each field of the type its default has (ints for floats too)
        expected = {float: (int, float), tuple: (list, tuple)}.get(type(defaults[name]), type(defaults[name]))
        if not isinstance(value, expected) or isinstance(value, bool) != isinstance(defaults[name], bool):
            raise ModelFileError(f"{Path(path).name}: {cls.__name__}.{name} is {value!r}, "
                                 f"not a {type(defaults[name]).__name__}")
    config = cls(**values)
    if cls is ModelConfig:
        config.hidden = tuple(config.hidden)
    return config


def load_run(path) -> SavedRun:
    """Read a file written by save_run, checking every array against the configuration."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        meta = json.loads(str(arrays.pop("meta")))
        if meta.get("format") != FORMAT:
            raise ModelFileError(f"{path.name}: not a saved mnist-trainer model")
        model_config = _config(ModelConfig, meta["model"], path)
        train_config = _config(TrainConfig, meta["training"], path)
        saved = SavedRun(model_config, train_config, _numbered(arrays, "weight"),
                         _numbered(arrays, "bias"), _numbered(arrays, "velocity"), dict(meta["state"]),
                         [EpochRecord(**{k: float("nan") if v is None else v for k, v in r.items()})
                          for r in meta["history"]], dict(meta.get("extra", {})), arrays.get("order"))
        _check_state(saved, path)
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path.name}: no such file ({path})") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile,
            EOFError) as error:
        raise ModelFileError(f"{path.name}: not a readable saved model ({error})") from None
    _check_shapes(saved, path)
    return saved


def _check_shapes(saved: SavedRun, path) -> None:
    n_inputs = saved.weights[0].shape[0] if saved.weights else 0
    try:
        expected = saved.model_config.build(n_inputs, int(saved.state["n_classes"]))
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"{path.name}: its configuration is invalid ({error})") from None
    want = [p.shape for p in expected.parameters]
    have = [a.shape for a in saved.weights + saved.biases]
    if want != have or any(a.dtype != expected.dtype for a in saved.weights + saved.biases):
        raise ModelFileError(f"{path.name}: the arrays {have} do not fit the configured model {want}")
    if saved.velocity and [v.shape for v in saved.velocity] != want:
        raise ModelFileError(f"{path.name}: the momentum buffers do not fit the model")
    if not all(np.isfinite(a).all() for a in saved.weights + saved.biases):
        raise ModelFileError(f"{path.name}: the weights contain NaN or infinite values")


COUNTERS = ("steps", "epoch", "batch", "samples_seen", "n_classes", "optimizer_steps")


def _check_state(saved: SavedRun, path) -> None:
    """The counters, learning rate and shuffling state that restore_trainer puts back."""
    state = saved.state
    if not all(type(state.get(name)) is int and state[name] >= 0 for name in COUNTERS):
        raise ModelFileError(f"{path.name}: its training counters are missing or not whole numbers")
    rate = state.get("learning_rate")
    if type(rate) not in (int, float) or not (math.isfinite(rate) and rate > 0):
        raise ModelFileError(f"{path.name}: its learning rate {rate!r} is not a positive number")
    if np.asarray(state.get("epoch_sums", (0.0, 0.0)), dtype=float).shape != (2,):
        raise ModelFileError(f"{path.name}: its epoch sums are not two numbers")
    order, rng_state = saved.order, state.get("shuffle_rng")
    if order is not None and not (order.ndim == 1 and order.dtype.kind in "iu"
                                  and np.array_equal(np.sort(order), np.arange(len(order)))):
        raise ModelFileError(f"{path.name}: its shuffled order is not a permutation of the rows")
    if rng_state is not None:
        np.random.default_rng().bit_generator.state = rng_state   # raises if it is not a state


def restore_trainer(saved: SavedRun, X_train, y_train, X_test=None, y_test=None) -> Trainer:
    """A Trainer on this data that continues the saved run where it stopped."""
    trainer = build_trainer(saved.model_config, saved.train_config, X_train, y_train, X_test, y_test,
                            n_outputs=int(saved.state["n_classes"]))
    if trainer.model.sizes[0] != saved.weights[0].shape[0]:
        raise ValueError(f"the saved model reads {saved.weights[0].shape[0]} inputs, "
                         f"the data has {trainer.model.sizes[0]}")
    for target, source in zip(trainer.model.parameters, saved.weights + saved.biases):
        target[...] = source
    for target, source in zip(trainer.optimizer.velocity, saved.velocity):
        target[...] = source
    trainer.move_to(saved.state, saved.order)
    trainer.history = list(saved.history)
    return trainer
