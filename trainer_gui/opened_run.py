"""A saved model opened on the loaded data: shown as a stopped run, continued by Start or Step; no Qt."""
from __future__ import annotations

import math
from dataclasses import fields, replace
from pathlib import Path

from engine import ModelConfig, build_trainer, restore_trainer
from engine.config import check_fits_memory

from .guarded_trainer import GuardedTrainer
from .history import TrainingHistory
from .progress import EvaluationReport, Progress
from .run_control import RunControl


def restore_on(saved, data, train_config):
    """An engine Trainer that continues `saved` on the TrainingData `data` with `train_config`.

    Raises ValueError, worded for the user, when the model cannot read this data.
    """
    n_inputs, n_classes = saved.weights[0].shape[0], int(saved.state["n_classes"])
    pixels = data.X_train.shape[1]
    if n_inputs != pixels:
        rows, cols = data.image_shape
        raise ValueError(f"the model reads images of {n_inputs} pixels, but the loaded data has "
                         f"{rows}×{cols} = {pixels}: open the data it was trained on first")
    if data.n_classes > n_classes:
        raise ValueError(f"the model tells {n_classes} classes apart, but the loaded data has "
                         f"{data.n_classes}")
    return restore_trainer(replace(saved, train_config=train_config), data.X_train, data.y_train,
                           data.X_eval, data.y_eval)


class OpenedRun:
    """A saved run in the shape of a stopped TrainingRun, so the window draws it like one.

    It has no worker: the window shows it while Ready, and Start or Step build the run that
    continues it (`continued`). The weights view's W₀ is the model's initialisation, rebuilt from
    its seed, so "change since start" still means since the first step, not since the file.

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
        self.history = TrainingHistory(trainer.batches_per_epoch)
        self.history.add_epochs(trainer.history)
        self.latest_evaluation = EvaluationReport(trainer.evaluate(data.X_eval, data.y_eval), trainer.steps)
        # how long the saved run trained, and at what rate, is not in the file
        self.latest_progress = Progress([], list(trainer.history), trainer.snapshot(), trainer.batch,
                                        trainer.batches_per_epoch, saved.train_config.epochs,
                                        math.nan, math.nan, math.nan)
        self.initial_weights = saved.model_config.build(saved.weights[0].shape[0], trainer.n_classes).weights[0]
        self.control = RunControl(paused=True)   # the window sends learning-rate changes to any run

    def stop(self) -> None:
        """Nothing runs."""

    def continued(self, train_config, data):
        """A new restore of the saved run with the training settings chosen now (more epochs, another
        learning rate); the trainer on screen stays as it was opened."""
        trainer = restore_on(self.saved, data, train_config)
        trainer.learning_rate = train_config.learning_rate
        return trainer


def describes_same_model(a: ModelConfig, b: ModelConfig) -> bool:
    """The same kind with the same values in the fields that kind reads (the others are not shown)."""
    return a.kind == b.kind and all(getattr(a, f.name) == getattr(b, f.name)
                                    for f in fields(ModelConfig) if a.applies(f.name))


def trainer_to_start(run_on_screen, model_config, train_config, data):
    """What Start or Step trains: the opened model continued, while the model settings still describe
    it (the training settings may have changed: more epochs, another rate); otherwise a new model.

    Returns (the ModelConfig it follows, its first layer's W₀ or None if it starts at step 0,
    build): build() makes the engine Trainer, which allocates the model, so the worker thread
    calls it. Raises ValueError, here and cheaply, for settings that do not fit the data or the
    memory of this computer.
    """
    train_config.validate(len(data.y_train))
    if isinstance(run_on_screen, OpenedRun) and describes_same_model(model_config, run_on_screen.model_config):
        return (run_on_screen.model_config, run_on_screen.initial_weights,
                lambda: run_on_screen.continued(train_config, data))
    sizes, _ = model_config.layout(data.X_train.shape[1], data.n_classes)
    check_fits_memory(sizes, train_config.batch_size, train_config.momentum)
    return model_config, None, lambda: build_trainer(model_config, train_config, data.X_train, data.y_train,
                                                     data.X_eval, data.y_eval, n_outputs=data.n_classes)
