"""Saved runs: one `.npz` holding the arrays and, as a JSON string, the configuration and history.

The file loads with `allow_pickle=False`, so opening it can never run code. It is written to a
temporary name and renamed into place, so an interrupted save leaves the previous file intact.
"""
from __future__ import annotations

import copy
import io
import json
import math
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from .config import ModelConfig, TrainConfig, build_trainer, check_fits_memory
from .optim import OPTIMIZERS
from .data import data_limit
from .files import NotARegularFile, atomic_write, open_regular
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
    # the optimizer's state (Optimizer.state): groups of arrays aligned with weights + biases, e.g.
    # SGD's momentum buffers, AdaGrad's sums, Adam's m then v; [] without (stored as velocity_i)
    velocity: list[np.ndarray]
    state: dict                      # steps, epoch, batch, samples_seen, learning_rate, n_classes
    history: list[EpochRecord]
    extra: dict                      # what the saving program wanted to remember (e.g. its data)
    order: np.ndarray | None = None  # (n,) this epoch's shuffled order of the training rows
    # the parameters before the first step (weights, then biases: W₀); [] in files saved without them
    initial: list[np.ndarray] = field(default_factory=list)
    # the parameters at the best held-out loss that early stopping keeps (restore_best); [] without
    best: list[np.ndarray] = field(default_factory=list)

    @property
    def optimizer_state(self) -> list[np.ndarray]:
        """The optimizer's state arrays (the file's velocity_i, named so before other optimizers)."""
        return self.velocity


def snapshot_run(trainer: Trainer, model_config: ModelConfig, train_config: TrainConfig,
                 extra: dict | None = None, initial=None) -> SavedRun:
    """The trainer's whole state as a SavedRun in memory (copies): what save_run writes, and what
    restore_trainer continues from without a file (the window continues a stopped run so).

    initial: the parameters before the first step (weights then biases); default the trainer's own.
    """
    initial = trainer.initial if initial is None else initial
    counters, order = trainer.position()
    return SavedRun(model_config, train_config, [w.copy() for w in trainer.model.weights],
                    [b.copy() for b in trainer.model.biases], [v.copy() for v in trainer.optimizer.state],
                    copy.deepcopy(counters), list(trainer.history), dict(extra or {}),
                    None if order is None else order.copy(),
                    [np.array(a, np.float32) for a in initial] if initial else [],
                    [np.array(a, np.float32) for a in trainer.best_parameters])


def save_run(path, trainer: Trainer, model_config: ModelConfig, train_config: TrainConfig,
             extra: dict | None = None, initial=None) -> None:
    """Save the trainer's model, optimizer state, counters and history with their configuration.

    extra: JSON-ready facts the caller wants back from load_run (the CLI keeps its data folder).
    initial: the parameters before the first step (weights then biases), so that an opened run can
        still show what it learned since it started; default the trainer's own (Trainer.initial).
    """
    saved = snapshot_run(trainer, model_config, train_config, extra, initial)
    meta = {
        "format": FORMAT, "version": VERSION,
        "model": asdict(model_config), "training": asdict(train_config),
        "state": saved.state,
        # strict JSON has no NaN or infinity: a figure that does not exist (no test set) or that
        # overflowed (a diverging run) is stored as null, and read back as nan
        "history": [{k: None if isinstance(v, float) and not math.isfinite(v) else v
                     for k, v in asdict(r).items()} for r in saved.history],
        "extra": saved.extra,
    }
    arrays = {f"weight_{i}": w for i, w in enumerate(saved.weights)}
    arrays |= {f"bias_{i}": b for i, b in enumerate(saved.biases)}
    arrays |= {f"velocity_{i}": v for i, v in enumerate(saved.velocity)}
    arrays |= {f"initial_{i}": a for i, a in enumerate(saved.initial)}
    arrays |= {f"best_{i}": a for i, a in enumerate(saved.best)}
    if saved.order is not None:
        arrays["order"] = saved.order
    arrays["meta"] = np.array(json.dumps(meta, allow_nan=False))
    atomic_write(path, lambda out: np.savez(out, **arrays))


# the members a saved run may hold: anything else (a stowaway, a zip bomb no one reads) is refused
MEMBER = re.compile(r"(?:(weight|bias|velocity|initial|best)_(\d{1,4})|order|meta)\.npy")
MAX_STATE_ARRAYS = 2        # per parameter, of any optimizer (Adam's m and v; RMSProp's two)
MAX_META_BYTES = 64 << 20   # the JSON (as NumPy's 4-byte characters): ~300,000 epochs of history
MAX_JSON_DEPTH = 32         # the format nests 4 deep; deeper is not ours (and recursion is bounded)
MAX_COUNTER = 2 ** 53       # counters beyond this are not counts a run reached
MAX_NPY_HEADER = 1 << 16    # bytes of an array's header (NumPy writes ~100; it would read 4 GiB)


def _numbered(members: dict, prefix: str) -> list[str]:
    found = []
    while f"{prefix}_{len(found)}.npy" in members:
        found.append(f"{prefix}_{len(found)}.npy")
    return found


def _config(cls, values, path):
    if not isinstance(values, dict):
        raise ModelFileError(f"{Path(path).name}: its {cls.__name__} is not a set of named values")
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
        if not all(type(h) is int for h in config.hidden):
            raise ModelFileError(f"{Path(path).name}: its hidden sizes {list(config.hidden)} are not whole numbers")
    return config


def load_run(path) -> SavedRun:
    """Read a file written by save_run, checking everything before it costs time or memory.

    The zip directory and each array's header are checked against the configuration before
    anything is inflated: only the members a saved run has, stored or deflated, not encrypted,
    each of exactly the declared shape and size; the JSON is bounded in size and depth and
    every number in it must be finite and in range. Every failure is a ModelFileError naming
    the file and the problem.
    """
    path = Path(path)
    try:
        with open_regular(path) as stream, zipfile.ZipFile(stream) as archive:
            saved = _read_archive(archive, path)
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path.name}: no such file ({path})") from None
    except NotARegularFile as error:
        raise ModelFileError(f"{path.name}: {error}") from None
    except zipfile.BadZipFile as error:
        raise ModelFileError(f"{path.name}: not a saved model (not a readable zip archive: {error})") from None
    except MemoryError:
        raise ModelFileError(f"{path.name}: there is not enough memory to open it") from None
    except RecursionError:
        raise ModelFileError(f"{path.name}: its description is nested too deeply to be a saved model") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, ArithmeticError, EOFError,
            RuntimeError, NotImplementedError, zlib.error) as error:
        # whatever else a damaged or crafted file makes the zip, npy or JSON readers raise
        raise ModelFileError(f"{path.name}: not a readable saved model ({type(error).__name__}: {error})") from None
    return saved


def _read_archive(archive: zipfile.ZipFile, path: Path) -> SavedRun:
    name = path.name
    members = {}
    for info in archive.infolist():
        if not MEMBER.fullmatch(info.filename) or info.filename in members:
            raise ModelFileError(f"{name}: not a saved model (it holds {info.filename!r}, which a saved "
                                 "model does not)")
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{name}: {info.filename} is encrypted; saved models never are")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(f"{name}: {info.filename} uses zip compression method "
                                 f"{info.compress_type}; saved models are stored or deflated")
        members[info.filename] = info
    if "meta.npy" not in members:
        raise ModelFileError(f"{name}: not a saved mnist-trainer model (no description inside)")
    meta = _read_meta(archive, members["meta.npy"], name)
    model_config = _config(ModelConfig, meta.get("model"), path)
    train_config = _config(TrainConfig, meta.get("training"), path)
    state, history, extra = meta.get("state"), meta.get("history"), meta.get("extra", {})
    if not isinstance(state, dict) or not isinstance(history, list) or not isinstance(extra, dict):
        raise ModelFileError(f"{name}: its description lacks the state, history or extra it needs")
    try:
        model_config.validate()
        train_config.validate(MAX_COUNTER)
    except ValueError as error:
        raise ModelFileError(f"{name}: its configuration is invalid ({error})") from None
    _check_counters(state, name)
    weights, biases = _numbered(members, "weight"), _numbered(members, "bias")
    velocity, initial = _numbered(members, "velocity"), _numbered(members, "initial")
    best = _numbered(members, "best")
    if not weights:
        raise ModelFileError(f"{name}: it holds no weights")
    listed = set(weights + biases + velocity + initial + best) | {"meta.npy"} | ({"order.npy"} & set(members))
    if set(members) != listed:
        raise ModelFileError(f"{name}: its arrays are not numbered in order ({sorted(set(members) - listed)})")
    headers = {member: _npy_header(archive, members[member], name) for member in members if member != "meta.npy"}
    first = headers[weights[0]][0]
    if len(first) != 2 or first[0] < 1:
        raise ModelFileError(f"{name}: its first weight array has shape {first}, not (inputs, units)")
    try:
        want = model_config.parameter_shapes(first[0], state["n_classes"])
        sizes, _ = model_config.layout(first[0], state["n_classes"])
        check_fits_memory(sizes, train_config.batch_size, **train_config.memory_options())
    except ValueError as error:
        raise ModelFileError(f"{name}: its model cannot be opened here ({error})") from None
    have = [headers[m][0] for m in weights + biases]
    if want != have or any(headers[m][1] != np.float32 for m in weights + biases):
        raise ModelFileError(f"{name}: the arrays {have} do not fit the configured model {want}")
    # the optimizer's state: whole groups of arrays shaped like the parameters (restore_trainer
    # uses them when they fit the optimizer it builds)
    groups, rest = divmod(len(velocity), len(want))
    if velocity and (rest or groups > MAX_STATE_ARRAYS or [headers[m][0] for m in velocity] != want * groups
                     or any(headers[m][1].kind != "f" for m in velocity)):
        raise ModelFileError(f"{name}: the optimizer's state (momentum buffers) does not fit the model")
    if initial and ([headers[m][0] for m in initial] != want or any(headers[m][1] != np.float32 for m in initial)):
        raise ModelFileError(f"{name}: its initial weights do not fit the model")
    if best and ([headers[m][0] for m in best] != want or any(headers[m][1] != np.float32 for m in best)):
        raise ModelFileError(f"{name}: its best weights do not fit the model")
    order = None
    if "order.npy" in members:
        shape, dtype = headers["order.npy"][:2]
        if len(shape) != 1 or dtype.kind not in "iu":
            raise ModelFileError(f"{name}: its shuffled order is not a permutation of the rows")
        # rows of this width the data limit lets one load, and never more than it can check cheaply
        most_rows = min(data_limit() // (5 * first[0]), data_limit() // 64)
        if shape[0] > most_rows or dtype.itemsize > 8:
            raise ModelFileError(f"{name}: its shuffled order lists {shape[0]:,} rows, more than any data "
                                 f"of {first[0]} inputs that can be opened ({most_rows:,})")
        order = _npy_data(archive, members["order.npy"], headers["order.npy"])
        in_range = len(order) == 0 or (int(order.min()) >= 0 and int(order.max()) < len(order))
        if not (in_range and (len(order) == 0 or np.bincount(order, minlength=len(order)).max() == 1)):
            raise ModelFileError(f"{name}: its shuffled order is not a permutation of the rows")
    arrays = {m: _npy_data(archive, members[m], headers[m])
              for m in weights + biases + velocity + initial + best}
    if not all(np.isfinite(a).all() for a in arrays.values()):
        raise ModelFileError(f"{name}: the weights contain NaN or infinite values")
    return SavedRun(model_config, train_config, [arrays[m] for m in weights], [arrays[m] for m in biases],
                    [arrays[m] for m in velocity], dict(state), _history(history, name),
                    _extra(extra, name), order, [arrays[m] for m in initial], [arrays[m] for m in best])


def _read_meta(archive, info, name) -> dict:
    if info.file_size > MAX_META_BYTES:
        raise ModelFileError(f"{name}: its description claims {info.file_size:,} bytes, more than a "
                             f"saved model's ({MAX_META_BYTES:,} at most)")
    shape, dtype, _, _ = header = _npy_header(archive, info, name)
    if shape != () or dtype.kind != "U":
        raise ModelFileError(f"{name}: not a saved mnist-trainer model (its description is not text)")
    text = str(_npy_data(archive, info, header)[()])

    def no_constant(constant):
        raise ModelFileError(f"{name}: its description holds {constant}, which is not a number")

    meta = json.loads(text, parse_constant=no_constant)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{name}: not a saved mnist-trainer model")
    if _depth(meta) > MAX_JSON_DEPTH:
        raise ModelFileError(f"{name}: its description is nested too deeply to be a saved model")
    return meta


def _depth(value, limit=MAX_JSON_DEPTH + 1) -> int:
    if limit == 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def _npy_header(archive, info, name) -> tuple:
    """(shape, dtype, fortran_order, header length) of an npy member, reading only its header, and
    checked against the zip directory's size for it (nothing more will be inflated than that)."""
    with archive.open(info) as member:
        prefix = member.read(12)   # magic, version and the header's length: bounded before NumPy reads it
        version = tuple(prefix[6:8])
        if prefix[:6] != np.lib.format.MAGIC_PREFIX or version not in ((1, 0), (2, 0)):
            raise ModelFileError(f"{name}: {info.filename} is not a NumPy array")
        length = int.from_bytes(prefix[8:10] if version == (1, 0) else prefix[8:12], "little")
        if length > MAX_NPY_HEADER:
            raise ModelFileError(f"{name}: {info.filename} has a header of {length:,} bytes, not an array's")
        start = 10 if version == (1, 0) else 12
        header = io.BytesIO(prefix + member.read(start + length - len(prefix)))
    header.seek(8)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read(header)
    offset = start + length
    if dtype.hasobject or dtype.kind not in "iufU" or any(type(n) is not int for n in shape):
        raise ModelFileError(f"{name}: {info.filename} holds {dtype} data, which a saved model never does")
    if offset + math.prod(shape) * dtype.itemsize != info.file_size:
        raise ModelFileError(f"{name}: {info.filename} declares shape {shape} but the archive lists "
                             f"{info.file_size:,} bytes for it")
    return shape, dtype, fortran_order, offset


def _npy_data(archive, info, header) -> np.ndarray:
    """The array of an npy member whose header (and size) `_npy_header` has checked."""
    shape, dtype, fortran_order, offset = header
    with archive.open(info) as member:
        member.read(offset)
        data = member.read(info.file_size - offset)
    if len(data) != info.file_size - offset:
        raise ModelFileError(f"{archive.filename or 'the file'}: {info.filename} is truncated")
    array = np.frombuffer(data, dtype=dtype)
    array = array.reshape(shape[::-1]).T if fortran_order else array.reshape(shape)
    return array.astype(dtype.newbyteorder("="))   # a writable copy in native byte order


def _number(value, name, what, low=0.0, high=math.inf, nullable=False) -> float:
    if value is None and nullable:
        return float("nan")
    if type(value) not in (int, float) or not (math.isfinite(value) and low <= value <= high):
        raise ModelFileError(f"{name}: its {what} is {value!r}, not a number from {low:g} to {high:g}")
    return float(value)


def _history(records, name) -> list[EpochRecord]:
    """EpochRecords from the JSON, every figure finite and in range (null: no held-out set)."""
    history, keys = [], {f.name for f in fields(EpochRecord)}
    for i, record in enumerate(records):
        if not isinstance(record, dict) or set(record) != keys:
            raise ModelFileError(f"{name}: epoch record {i + 1} of its history is not an epoch record")
        counts = [record["epoch"], record["samples_seen"]]
        if not all(type(n) is int and 0 <= n <= MAX_COUNTER for n in counts):
            raise ModelFileError(f"{name}: epoch record {i + 1} has counters {counts}, not whole numbers")
        what = f"epoch {record['epoch']} record's"
        history.append(EpochRecord(
            record["epoch"], record["samples_seen"],
            _number(record["train_loss"], name, f"{what} train loss", high=1e30),
            _number(record["train_error"], name, f"{what} train error", high=1.0),
            _number(record["test_loss"], name, f"{what} held-out loss", high=1e30, nullable=True),
            _number(record["test_error"], name, f"{what} held-out error", high=1.0, nullable=True),
            _number(record["learning_rate"], name, f"{what} learning rate", high=1e30)))
    return history


def _extra(extra: dict, name) -> dict:
    """What the saving program kept: the data folder (text) and the validation fraction, if any."""
    extra = {k: v for k, v in extra.items() if v is not None}
    if "data" in extra and not isinstance(extra["data"], str):
        raise ModelFileError(f"{name}: the data folder it names, {extra['data']!r}, is not a path")
    if "validation" in extra:
        _number(extra["validation"], name, "validation fraction", low=1e-9, high=1 - 1e-9)
    return extra


COUNTERS = ("steps", "epoch", "batch", "samples_seen", "n_classes", "optimizer_steps")


def _check_counters(state: dict, name) -> None:
    """The counters, learning rate and shuffling state that restore_trainer puts back."""
    if not all(type(state.get(c)) is int and 0 <= state[c] <= MAX_COUNTER for c in COUNTERS):
        raise ModelFileError(f"{name}: its training counters are missing or not whole numbers")
    if state["n_classes"] < 1:
        raise ModelFileError(f"{name}: it tells {state['n_classes']} classes apart")
    rate = state.get("learning_rate")
    if type(rate) not in (int, float) or not (math.isfinite(rate) and rate > 0):
        raise ModelFileError(f"{name}: its learning rate {rate!r} is not a positive number")
    sums = state.get("epoch_sums", [0.0, 0.0])
    if not (isinstance(sums, list) and len(sums) == 2):
        raise ModelFileError(f"{name}: its epoch sums are not two numbers")
    for value in sums:
        _number(value, name, "epoch sums", high=1e30)
    for key, what in (("shuffle_rng", "shuffling"), ("dropout_rng", "dropout"),
                      ("augment_rng", "augmentation")):
        rng_state = state.get(key)
        if rng_state is not None:
            try:
                np.random.default_rng().bit_generator.state = rng_state   # raises if it is not a state
            except (TypeError, ValueError, KeyError, OverflowError, AttributeError) as error:
                raise ModelFileError(f"{name}: its {what} state is not a random generator's state "
                                     f"({error})") from None
    optimizer = state.get("optimizer", "sgd")
    if optimizer not in OPTIMIZERS:
        raise ModelFileError(f"{name}: its optimizer {optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
    if state.get("best_loss") is not None:
        _number(state["best_loss"], name, "best held-out loss", high=1e30)
    best_epoch = state.get("best_epoch", 0)
    if not (type(best_epoch) is int and 0 <= best_epoch <= MAX_COUNTER):
        raise ModelFileError(f"{name}: its best epoch {best_epoch!r} is not a whole number")
    if type(state.get("stopped_early", False)) is not bool:
        raise ModelFileError(f"{name}: whether it stopped early is {state['stopped_early']!r}, not true or false")


def _same_state_kind(saved_name: str, name: str) -> bool:
    """Whether one optimizer's state means the same as another's (Nesterov's is SGD's velocity)."""
    kind = {"nesterov": "sgd"}
    return kind.get(saved_name, saved_name) == kind.get(name, name)


def saved_model(saved: SavedRun):
    """The saved run's model alone (an MLP with its weights), to predict with."""
    model = saved.model_config.build(saved.weights[0].shape[0], int(saved.state["n_classes"]))
    for target, source in zip(model.parameters, saved.weights + saved.biases):
        target[...] = source
    return model


def restore_trainer(saved: SavedRun, X_train, y_train, X_test=None, y_test=None,
                    image_shape=None) -> Trainer:
    """A Trainer on this data that continues the saved run where it stopped.

    The optimizer's state is put back when the configured optimizer keeps the same state as the one
    that saved it (same kind, same arrays); another optimizer (a changed configuration) starts fresh.
    image_shape: as build_trainer's, for augmentation.
    """
    trainer = build_trainer(saved.model_config, saved.train_config, X_train, y_train, X_test, y_test,
                            n_outputs=int(saved.state["n_classes"]), image_shape=image_shape)
    if trainer.model.sizes[0] != saved.weights[0].shape[0]:
        raise ValueError(f"the saved model reads {saved.weights[0].shape[0]} inputs, "
                         f"the data has {trainer.model.sizes[0]}")
    for target, source in zip(trainer.model.parameters, saved.weights + saved.biases):
        target[...] = source
    state = trainer.optimizer.state
    if _same_state_kind(saved.state.get("optimizer", "sgd"), trainer.optimizer.name) \
            and [a.shape for a in state] == [a.shape for a in saved.velocity]:
        for target, source in zip(state, saved.velocity):
            target[...] = source
    trainer.move_to(saved.state, saved.order)
    if saved.best and trainer.restore_best:
        trainer.best_parameters = [np.array(a, trainer.model.dtype) for a in saved.best]
    trainer.history = list(saved.history)
    trainer.initial = list(saved.initial)
    return trainer
