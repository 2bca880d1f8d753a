"""Predictions for images without labels (a CSV without its label column), as a Kaggle submission; no Qt."""
from __future__ import annotations

import numpy as np


def predictions_csv(predicted) -> str:
    """`ImageId,Label` then one line per image, ImageId counted from 1 in file order and Label the
    predicted class number: the Kaggle "Digit Recognizer" submission layout."""
    predicted = np.asarray(predicted)
    lines = ["ImageId,Label"] + [f"{i},{int(label)}" for i, label in enumerate(predicted, start=1)]
    return "\n".join(lines) + "\n"


def check_inputs(model, images, name: str) -> None:
    """ValueError unless the model reads as many inputs as the images have pixels."""
    if model.sizes[0] != images.shape[1]:
        raise ValueError(f"the model reads {model.sizes[0]} inputs, but the images of {name} have "
                         f"{images.shape[1]} pixels")
