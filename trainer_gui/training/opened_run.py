"""A saved model opened on the loaded data: shown as a stopped run, continued by Start or Step; no Qt."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path

from engine import ModelConfig, build_trainer, restore_trainer
from engine.config import check_fits_memory

from .guarded_trainer import GuardedTrainer
from ..i18n import translate
from ..state.progress import Progress
from ..state.run_control import RunControl
from ..state import RunRecord


def restore_on(saved, data, train_config):
    """An engine Trainer that continues `saved` on the TrainingData `data` with `train_config`.

    Raises ValueError, worded for the user, when the model cannot read this data.
    """
    n_inputs, n_classes = saved.weights[0].shape[0], int(saved.state["n_classes"])
    pixels = data.X_train.shape[1]
    if n_inputs != pixels:
        rows, cols = data.image_shape
        raise ValueError(translate("OpenedRun", "the model reads images of {inputs} pixels, but the loaded data has "
                                                "{rows}×{cols} = {pixels}: open the data it was trained on first")
                         .format(inputs=n_inputs, rows=rows, cols=cols, pixels=pixels))
    if data.n_classes > n_classes:
        raise ValueError(translate("OpenedRun", "the model tells {classes} classes apart, but the loaded data has "
                                                "{data_classes}").format(classes=n_classes, data_classes=data.n_classes))
    return restore_trainer(replace(saved, train_config=train_config), data.X_train, data.y_train,
                           data.X_eval, data.y_eval, image_shape=data.image_shape)


class OpenedRun:
    """A saved run in the shape of a stopped TrainingRun, so the window draws it like one.

    It has no worker: the window shows it while Ready, and Start or Step build the run that
    continues it. Its `record` (a RunRecord, which that run goes on growing) holds the file's
    epochs, its W₀ and its last weights. A file saved before W₀ was kept gets the model's
    initialisation rebuilt from its seed, so "change since start" still means since the first
    step, not since the file.

    Args:
        saved: the engine SavedRun. path: the file it came from. data: the TrainingData loaded now.
    Raises ValueError when the model does not fit the data (see restore_on).
    """
    active = False   # no worker thread: nothing to stop or join
    thread = None

    def __init__(self, saved, path, data):
        self.saved, self.path = saved, Path(path)
        # the learning rate it stopped with, which the user may have changed during the run
        self.model_config = saved.model_config
        self.train_config = replace(saved.train_config, learning_rate=saved.state["learning_rate"])
        trainer = restore_on(saved, data, saved.train_config)
        self.trainer = GuardedTrainer(trainer)
        if not saved.initial:
            saved = replace(saved, initial=[p.copy() for p in saved.model_config.build(
                saved.weights[0].shape[0], trainer.n_classes).parameters])
            trainer.initial = saved.initial
        self.record = RunRecord.from_saved(saved, trainer.batches_per_epoch, name=self.path.name, source=self.path)
        self.record.train_config = self.train_config
        # its held-out evaluation is made off the GUI thread when a view asks (MomentEvaluator)
        self.latest_evaluation = None
        # how long the saved run trained, and at what rate, is not in the file
        self.latest_progress = Progress([], list(trainer.history), trainer.snapshot(), trainer.batch,
                                        trainer.batches_per_epoch, saved.train_config.epochs,
                                        math.nan, math.nan, math.nan)
        self.control = RunControl(paused=True)   # the window sends learning-rate changes to any run

    @property
    def history(self):
        return self.record.curves

    @property
    def initial_weights(self):
        return self.record.at(0).weights[0]

    def stop(self) -> None:
        """Nothing runs."""

    def saved_state(self):
        """The SavedRun that Start continues."""
        return self.saved


def describes_same_model(a: ModelConfig, b: ModelConfig) -> bool:
    """The same kind with the same values in the fields that kind reads (the others are not shown)."""
    return a.kind == b.kind and all(getattr(a, f.name) == getattr(b, f.name)
                                    for f in fields(ModelConfig) if a.applies(f.name))


@dataclass
class RunToStart:
    """What Start or Step trains (see trainer_to_start)."""
    model_config: ModelConfig   # the model it follows
    initial_weights: object     # its first layer's W₀ when it continues a saved run; None from step 0
    build: object               # build() makes the engine Trainer: the worker thread calls it
    continued_from: int | None  # the epochs the continued model has trained; None for a new model
    record: RunRecord | None    # the record the continued run goes on growing; None: a new one


def continued_run(run_on_screen, model_config: ModelConfig):
    """The run on screen that Start or Step continues, or None for a new model: an opened model, or
    the run that continued one (stopped, or finished and given other training settings), while the
    model settings still describe it. (A run
    trained here from scratch and stopped is not continued: Stop, change a setting, Start is how
    a class compares two runs.)"""
    if isinstance(run_on_screen, OpenedRun) or (getattr(run_on_screen, "continues_saved", False)
                                                and run_on_screen.trainer is not None):
        if describes_same_model(model_config, run_on_screen.model_config):
            return run_on_screen
    return None


def trainer_to_start(run_on_screen, model_config, train_config, data) -> RunToStart:
    """What Start or Step trains: the run on screen continued (continued_run) with the training
    settings chosen now (more epochs, another rate), or else a new model.

    Raises ValueError, here and cheaply, for settings that do not fit the data or the memory of
    this computer; the model itself is allocated by build(), in the worker thread.
    """
    train_config.validate(len(data.y_train))
    run = continued_run(run_on_screen, model_config)
    if run is not None:
        saved = run.saved_state()

        def build():
            trainer = restore_on(saved, data, train_config)
            trainer.learning_rate = train_config.learning_rate
            return trainer
        return RunToStart(run.model_config, run.initial_weights, build, int(saved.state["epoch"]), run.record)
    sizes, _ = model_config.layout(data.X_train.shape[1], data.n_classes)
    check_fits_memory(sizes, train_config.batch_size, **train_config.memory_options())
    return RunToStart(model_config, None, lambda: build_trainer(
        model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval,
        n_outputs=data.n_classes, image_shape=data.image_shape), None, None)
