"""Which arrays a run trains and evaluates on, from a loaded folder; no Qt."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine import Dataset, split_train_validation

DEFAULT_VALIDATION_FRACTION = 0.2


@dataclass(frozen=True)
class TrainingData:
    """The data of a run, and the words the window uses for it.

    X_train, X_eval (np.ndarray[np.float32]): (n, rows*cols) pixels in [0, 1]; views of the dataset.
    y_train, y_eval (np.ndarray[np.uint8]): (n,) labels.
    """
    dataset: Dataset
    X_train: np.ndarray
    y_train: np.ndarray
    X_eval: np.ndarray
    y_eval: np.ndarray
    eval_name: str           # "test" or "validation": what the plots call the held-out set
    split_from: str | None   # the split that was divided into train and validation, or None
    train_of: int | None = None   # with a limit: how many training examples there were (only the first are used)

    @property
    def image_shape(self) -> tuple[int, int]:
        return tuple(self.dataset.image_shape)

    @property
    def n_classes(self) -> int:
        return self.dataset.n_classes

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.dataset.class_names

    def counts(self) -> dict[str, int]:
        """Examples per split, in the order the window lists them."""
        return {"train": len(self.y_train), self.eval_name: len(self.y_eval)}


def needs_validation_split(dataset: Dataset) -> bool:
    """A folder with one split only (e.g. just the 10,000 test digits) must be divided to evaluate."""
    return dataset.train is None or dataset.test is None


def prepare_training_data(dataset: Dataset, validation_fraction: float = DEFAULT_VALIDATION_FRACTION,
                          train_limit: int | None = None) -> TrainingData:
    """Train on `train` and evaluate on `t10k` when both exist; otherwise split the one present.

    validation_fraction is used only when splitting; the engine raises ValueError when it
    leaves an empty split. train_limit: train on the first this many training examples only (a
    lesson on overfitting); the held-out set stays whole. Data without labels (predict-only)
    raises ValueError saying so.
    """
    if dataset.predict_only:
        raise ValueError(f"{dataset.path.name} has no label column: its {len(dataset.unlabelled):,} "
                         "images can be classified by a trained model, but not trained or evaluated on")
    if not needs_validation_split(dataset):
        data = TrainingData(dataset, dataset.train.X, dataset.train.y, dataset.test.X, dataset.test.y,
                            "test", None)
    else:
        name, split = ("train", dataset.train) if dataset.train is not None else ("test", dataset.test)
        X_train, y_train, X_val, y_val = split_train_validation(split.X, split.y, validation_fraction)
        data = TrainingData(dataset, X_train, y_train, X_val, y_val, "validation", name)
    if train_limit is not None and train_limit < len(data.y_train):
        if train_limit < 1:
            raise ValueError(f"the training set must keep at least one example, got a limit of {train_limit}")
        data = replace(data, X_train=data.X_train[:train_limit], y_train=data.y_train[:train_limit],
                       train_of=len(data.y_train))
    return data
