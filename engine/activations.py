"""Element-wise activations, applied in place, with derivatives written in terms of the output.

Writing σ' through the output A = σ(Z) lets the forward pass overwrite Z with A (no extra buffer):
relu' = 1{A > 0}, sigmoid' = A(1 − A), tanh' = 1 − A², identity' = 1.
"""
import numpy as np


class Activation:
    name = ""

    def apply(self, Z: np.ndarray) -> np.ndarray:
        """Overwrite Z (m, n) with σ(Z) and return it."""
        raise NotImplementedError

    def backprop(self, A: np.ndarray, G: np.ndarray) -> None:
        """Multiply G = ∂ℓ/∂A (m, n) in place by σ'(Z), given A = σ(Z), making it ∂ℓ/∂Z."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    name = "identity"

    def apply(self, Z):
        return Z

    def backprop(self, A, G):
        pass


class ReLU(Activation):
    name = "relu"

    def apply(self, Z):
        return np.maximum(Z, 0, out=Z)

    def backprop(self, A, G):
        np.multiply(G, A > 0, out=G)


class Sigmoid(Activation):
    name = "sigmoid"

    def apply(self, Z):
        # 1/(1+exp(-z)) overflows exp for large negative z; the tanh form never does.
        Z *= 0.5
        np.tanh(Z, out=Z)
        Z += 1.0
        Z *= 0.5
        return Z

    def backprop(self, A, G):
        G *= A * (1.0 - A)


class Tanh(Activation):
    name = "tanh"

    def apply(self, Z):
        return np.tanh(Z, out=Z)

    def backprop(self, A, G):
        G *= 1.0 - A * A


ACTIVATIONS = {cls.name: cls for cls in (ReLU, Sigmoid, Tanh, Identity)}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
