"""What a model answers for one input, layer by layer; no Qt."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import softmax


@dataclass(frozen=True)
class Answer:
    """One input through one model.

    x (np.ndarray[np.float32]): (n_0,) the input. layers: each layer's output A_1 … A_L, (n_i,)
    after its activation. logits: the last layer's output, (n_L,). probabilities: softmax of the
    logits under softmax cross-entropy, the sigmoid outputs under binary cross-entropy (each a
    probability of its own), None for a model whose outputs are values (mean squared error).
    """
    x: np.ndarray
    layers: tuple
    logits: np.ndarray
    probabilities: np.ndarray | None
    predicted: int

    @property
    def values(self) -> np.ndarray:
        """What the output bars show: the probabilities, or the output values."""
        return self.probabilities if self.probabilities is not None else self.logits


def answer(model, loss_name: str, x) -> Answer:
    """The Answer of an engine MLP (model) trained with `loss_name` for the input x (n_0,)."""
    x = np.asarray(x, np.float32).reshape(1, -1)
    layers = tuple(a[0] for a in model.layer_outputs(x))
    logits = layers[-1]
    if loss_name == "softmax_ce":
        probabilities = softmax(logits.astype(np.float64)).astype(np.float32)
    elif loss_name == "bce":
        probabilities = logits
    else:
        probabilities = None
    return Answer(x[0], layers, logits, probabilities, int(np.argmax(logits)))
