"""Model and training configuration shared by the window and the command line."""
from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass

from .activations import ACTIVATIONS
from .evaluation import EVAL_CHUNK
from .losses import LOSSES
from .model import INITS, MLP
from .augment import check_amounts
from .optim import (DEFAULT_LEARNING_RATE, OPTIMIZERS, SCHEDULES, USES_MOMENTUM, make_optimizer, make_schedule,
                    state_arrays)
from .trainer import Trainer

MODEL_KINDS = {
    "softmax": "Softmax regression",
    "two-layer": "Two-layer ReLU network",
    "mlp": "MLP",
    "linear": "Linear regression (MSE)",
}
# the initialisation each kind starts from when init == "default"
DEFAULT_INIT = {"softmax": "zeros", "two-layer": "scaled", "mlp": "he", "linear": "normal"}
# a learning rate each kind trains well with on MNIST-scale pixels in [0, 1]: linear regression's MSE
# loses stability near 0.25 with in-order batches (measured on the MNIST test digits), so it starts lower
SUGGESTED_LEARNING_RATE = {"softmax": 0.2, "two-layer": 0.2, "mlp": 0.2, "linear": 0.1}


def suggested_learning_rate(kind: str, optimizer: str = "sgd") -> float:
    """The rate a model kind trains well with: the adaptive optimizers' own (much smaller) default,
    else the kind's SGD rate."""
    return DEFAULT_LEARNING_RATE.get(optimizer, SUGGESTED_LEARNING_RATE[kind])


# a smaller rate cannot move float32 weights at all (their spacing near 0.01 is ~1e-9): refused
MIN_LEARNING_RATE = 1e-10
# which ModelConfig fields each kind reads
APPLIES = {
    "softmax": {"init", "seed"},
    "two-layer": {"hidden", "init", "seed"},
    "mlp": {"hidden", "activation", "output", "loss", "bias", "init", "seed"},
    "linear": {"init", "seed"},
}


@dataclass
class ModelConfig:
    kind: str = "two-layer"      # a key of MODEL_KINDS
    hidden: tuple = (100,)       # hidden widths: two-layer uses the first, mlp all of them
    activation: str = "relu"     # mlp hidden activation
    output: str = "identity"     # mlp output activation: "identity" or "sigmoid"
    loss: str = "softmax_ce"     # mlp loss: "softmax_ce", "mse" or "bce"
    bias: bool = True            # mlp only: softmax and two-layer have none, linear always has one
    init: str = "default"        # "default" = DEFAULT_INIT[kind], or a name in model.INITS
    seed: int = 0                # seed of the initial weights

    def applies(self, name: str) -> bool:
        """Whether field `name` changes the model of this kind (the window disables the others)."""
        return name in APPLIES[self.kind]

    def validate(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ValueError(f"unknown model {self.kind!r}; choose one of {', '.join(MODEL_KINDS)}")
        if self.applies("hidden") and (not self.hidden or any(int(h) < 1 for h in self.hidden)):
            raise ValueError(f"hidden layer sizes must be positive integers, got {self.hidden}")
        for name, allowed in (("activation", ACTIVATIONS), ("output", ("identity", "sigmoid")),
                              ("loss", LOSSES), ("init", (*INITS, "default"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"unknown {name} {getattr(self, name)!r}; choose one of {', '.join(allowed)}")
        if self.kind == "mlp" and self.loss == "bce" and self.output != "sigmoid":
            raise ValueError("binary cross-entropy needs the sigmoid output")

    def loss_name(self) -> str:
        return {"mlp": self.loss, "linear": "mse"}.get(self.kind, "softmax_ce")

    def layout(self, n_inputs: int, n_outputs: int) -> tuple[list[int], dict]:
        """The layer widths [n_0, ..., n_L] and the MLP options (activations, bias) of this kind."""
        self.validate()
        hidden = [int(h) for h in self.hidden]
        return {
            "softmax": ([n_inputs, n_outputs], dict(bias=False)),
            "two-layer": ([n_inputs, hidden[0], n_outputs], dict(hidden="relu", bias=False)),
            "mlp": ([n_inputs, *hidden, n_outputs],
                    dict(hidden=self.activation, output=self.output, bias=self.bias)),
            "linear": ([n_inputs, n_outputs], dict(bias=True)),
        }[self.kind]

    def in_effect(self) -> dict:
        """What the model of this kind really uses for the fields the user can set (a field it does
        not read has the value its kind fixes; None for a part it does not have): the window shows
        these in its disabled controls instead of settings that would not apply."""
        _, options = self.layout(1, 1)
        return {"hidden": tuple(int(h) for h in self.hidden[:1 if self.kind == "two-layer" else None])
                if self.applies("hidden") else (),
                "activation": options.get("hidden"), "output": options.get("output", "identity"),
                "loss": self.loss_name(), "bias": options["bias"]}

    def parameter_shapes(self, n_inputs: int, n_outputs: int) -> list[tuple[int, ...]]:
        """The shapes of MLP.parameters (weights, then biases) that `build` would make, without
        allocating anything: what a saved file's arrays are checked against."""
        sizes, options = self.layout(n_inputs, n_outputs)
        weights = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        return weights + ([(b,) for b in sizes[1:]] if options["bias"] else [])

    def build(self, n_inputs: int, n_outputs: int) -> MLP:
        sizes, options = self.layout(n_inputs, n_outputs)
        init = DEFAULT_INIT[self.kind] if self.init == "default" else self.init
        return MLP(sizes, seed=self.seed, init=init, **options)


def training_memory(sizes, batch_size: int, momentum: float = 0.0, optimizer: str = "sgd",
                    restore_best: bool = False, dropout: float = 0.0) -> int:
    """An upper estimate of the bytes training an MLP of these layer widths takes (float32).

    Per parameter: the weights, their gradients, the rollback copy an epoch end keeps, two
    snapshots on their way to the window and one more copy the window or a save may hold, plus
    the optimizer's state arrays (SGD's momentum buffers, Adam's two moment estimates, ...) and
    their rollback copy at an epoch end, the new values an update other than plain SGD's holds
    until it is known to be finite, and the best parameters early stopping keeps with
    restore_best; per unit: the forward and backward
    buffers of a batch, of the epoch's last shorter batch and of the evaluation's chunk (and with
    dropout the masks and dropped outputs of the hidden units); plus the float64 draw of the
    largest weight matrix at initialisation.
    """
    pairs = list(zip(sizes[:-1], sizes[1:]))
    parameters = sum(a * b + b for a, b in pairs)
    units = sum(sizes[1:])
    state = state_arrays(optimizer, momentum)
    plain = optimizer == "sgd" and not momentum
    copies = 6 + 2 * state + (0 if plain else 1 + state) + (1 if restore_best else 0)
    rows = 2 * batch_size + EVAL_CHUNK
    dropped = 2 * 2 * batch_size * sum(sizes[1:-1]) if dropout else 0
    return 4 * (copies * parameters + 2 * rows * units + dropped) + 8 * max(a * b for a, b in pairs)


def available_memory() -> int | None:
    """Bytes of memory this process can still use (Linux: MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


MEMORY_SHARE = 0.8   # of the memory available, what one model may take


def check_fits_memory(sizes, batch_size: int, momentum: float = 0.0, available: int | None = None,
                      optimizer: str = "sgd", restore_best: bool = False, dropout: float = 0.0) -> None:
    """Raise ValueError, in words for the user, when training this network would not fit in memory."""
    needed = training_memory(sizes, batch_size, momentum, optimizer, restore_best, dropout)
    available = available_memory() if available is None else available
    if available is not None and needed > MEMORY_SHARE * available:
        widths = "-".join(str(n) for n in sizes)
        raise ValueError(f"a {widths} network needs about {needed / 1e9:.3g} GB of memory to train "
                         f"(weights, gradients and work buffers), more than the "
                         f"{MEMORY_SHARE * available / 1e9:.3g} GB this computer can spare: "
                         f"use fewer or narrower hidden layers")


@dataclass
class TrainConfig:
    learning_rate: float = 0.2
    batch_size: int = 100
    epochs: int = 10
    schedule: str = "constant"   # one of optim.SCHEDULES, stretched over `epochs`
    momentum: float = 0.0
    weight_decay: float = 0.0
    shuffle: bool = False        # off: the classic in-order batches
    seed: int = 0                # seed of the shuffling (and of dropout's masks and the augmentation)
    optimizer: str = "sgd"       # one of optim.OPTIMIZERS; momentum applies to sgd, nesterov, rmsprop
    dropout: float = 0.0         # p of dropping each hidden unit in training steps, 0 ≤ p < 1
    augment_shift: int = 0       # each training image moved by up to ± this many pixels per axis
    augment_rotation: float = 0.0    # ... turned by up to ± this many degrees (0 … 180)
    augment_noise: float = 0.0   # ... with Gaussian noise of this σ added (clipped to [0, 1])
    early_stopping: int = 0      # patience: epochs without a better held-out loss before stopping; 0 off
    restore_best: bool = False   # keep the best held-out weights, put back when training stops early

    def applies(self, name: str) -> bool:
        """Whether field `name` changes the training (momentum only with an optimizer that reads
        it; restore_best only with early stopping): the window may disable the others."""
        if name == "momentum":
            return self.optimizer in USES_MOMENTUM
        if name == "restore_best":
            return self.early_stopping > 0
        return True

    def validate(self, n_train: int) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning rate must be a positive number, got {self.learning_rate}")
        if self.learning_rate < MIN_LEARNING_RATE:
            raise ValueError(f"learning rate {self.learning_rate:.3g} is too small to change float32 "
                             f"weights at all; use at least {MIN_LEARNING_RATE:g}")
        if not 1 <= self.batch_size <= n_train:
            raise ValueError(f"batch size must be between 1 and the {n_train} training examples, "
                             f"got {self.batch_size}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {self.epochs}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum}")
        if not (math.isfinite(self.weight_decay) and self.weight_decay >= 0):
            raise ValueError(f"weight decay must be a number ≥ 0, got {self.weight_decay}")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {self.schedule!r}; choose one of {', '.join(SCHEDULES)}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if self.optimizer == "nesterov" and not self.momentum:
            raise ValueError("Nesterov momentum needs a momentum above 0 (e.g. 0.9)")
        if not (math.isfinite(self.dropout) and 0 <= self.dropout < 1):
            raise ValueError(f"dropout must be a probability in [0, 1), got {self.dropout}")
        check_amounts(self.augment_shift, self.augment_rotation, self.augment_noise)
        if isinstance(self.early_stopping, bool) or int(self.early_stopping) != self.early_stopping \
                or self.early_stopping < 0:
            raise ValueError(f"early stopping's patience is a whole number of epochs ≥ 0 (0: off), "
                             f"got {self.early_stopping}")

    def momentum_in_effect(self) -> float:
        """The momentum the optimizer uses (0 for those that do not read it)."""
        return self.momentum if self.applies("momentum") else 0.0

    def memory_options(self) -> dict:
        """The settings training_memory / check_fits_memory read, as keyword arguments."""
        return dict(momentum=self.momentum_in_effect(), optimizer=self.optimizer,
                    restore_best=self.restore_best, dropout=self.dropout)

    @property
    def augments(self) -> bool:
        return bool(self.augment_shift or self.augment_rotation or self.augment_noise)


def build_trainer(model_config: ModelConfig, train_config: TrainConfig, X_train, y_train,
                  X_test=None, y_test=None, n_outputs: int | None = None, image_shape=None) -> Trainer:
    """The model, optimizer and Trainer these configurations describe, on this data.

    image_shape: (h, w) of the flat input images, which augmentation needs (default: square, when
    the number of inputs is a perfect square; other inputs cannot be augmented: ValueError).
    """
    train_config.validate(len(X_train))
    if n_outputs is None:
        labels = [y for y in (y_train, y_test) if y is not None]
        n_outputs = int(max(int(y.max()) for y in labels)) + 1
    sizes, _ = model_config.layout(X_train.shape[1], n_outputs)
    check_fits_memory(sizes, train_config.batch_size, **train_config.memory_options())
    model = model_config.build(X_train.shape[1], n_outputs)
    if train_config.dropout:    # hidden layers only: a model without any has nothing to drop
        model.set_dropout(train_config.dropout, seed=[train_config.seed, 1])
    steps = train_config.epochs * -(-len(X_train) // train_config.batch_size)
    optimizer = make_optimizer(train_config.optimizer, model.parameters, train_config.learning_rate,
                               train_config.momentum_in_effect(), train_config.weight_decay,
                               make_schedule(train_config.schedule, steps))
    trainer = Trainer(model, model_config.loss_name(), optimizer, X_train, y_train, X_test, y_test,
                      batch_size=train_config.batch_size, shuffle=train_config.shuffle,
                      seed=train_config.seed, image_shape=image_shape,
                      augment_shift=train_config.augment_shift,
                      augment_rotation=train_config.augment_rotation,
                      augment_noise=train_config.augment_noise,
                      early_stopping=train_config.early_stopping, restore_best=train_config.restore_best)
    trainer.initial = [p.copy() for p in model.parameters]   # W₀, saved with the model
    return trainer


def config_dict(model_config: ModelConfig, train_config: TrainConfig) -> dict:
    """Both configurations as one JSON-ready dict."""
    return {"model": asdict(model_config), "training": asdict(train_config)}
