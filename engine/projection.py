"""A 2-D map of a set of digits through a chosen layer: PCA of the layer's activations, kept
aligned from one map to the next by an orthogonal Procrustes rotation.

Layers are numbered as the network computes them: 0 is the input pixels, 1 … L the outputs
A_1 … A_L of MLP.layer_outputs (after each activation), L being the network's output.

PCA (`pca_2d`) is that of the centred data C = A − mean: with C = U S Vᵀ, the components are
the first two right singular vectors (rows of Vᵀ), the coordinates C·V[:, :2] = U[:, :2]·S[:2], and
component i explains S_i² / Σ S² of the total variance. Each component's sign, which the SVD leaves
free, is fixed so that its largest-magnitude loading is positive (the first such loading when two
are equally large): the same data always gives the same map. Where the data has more than
SVD_MAX_DIM columns (the 784 input pixels), the same components come faster from the
eigen-decomposition of the (d × d) scatter matrix CᵀC = V S² Vᵀ, over the columns that are not
constant (the others have zero loadings in every component): equal to the SVD's to rounding.

`align` removes what PCA leaves arbitrary from one map to the next (signs, and the turning of the
plane as the network learns), so successive maps of a training run do not jump or flip.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evaluation import EVAL_CHUNK

SVD_MAX_DIM = 256       # above this many columns, pca_2d eigen-decomposes CᵀC instead of the SVD of C
SUBSAMPLE_SIZE = 2000   # points on a map


@dataclass
class Projection:
    coords: np.ndarray                    # (n, 2) float64: each row's place on the map
    components: np.ndarray                # (2, d) float64: the principal axes, unit rows
    mean: np.ndarray                      # (d,) float64: the mean row, subtracted before projecting
    explained_variance_ratio: np.ndarray  # (2,) float64: each axis's share of the total variance


def layer_names(model) -> list[str]:
    """A name for each layer a map can show: 'input (784)', 'hidden 1 (100)', …, 'output (10)'."""
    sizes = model.sizes
    return ([f"input ({sizes[0]})"] + [f"hidden {i} ({n})" for i, n in enumerate(sizes[1:-1], 1)]
            + [f"output ({sizes[-1]})"])


def layer_activations(model, X, layer: int) -> np.ndarray:
    """(n, d) what layer `layer` holds for inputs X (n, n_0): layer 0 is X itself (not a copy),
    1 … L the MLP's layer outputs A_1 … A_L after their activations (L = len(model.weights), the
    output: model.forward(X)). Computed EVAL_CHUNK rows at a time."""
    X = np.asarray(X)
    depth = len(model.weights)
    if int(layer) != layer or not 0 <= layer <= depth:
        raise ValueError(f"layer must be 0 (the input) to {depth} (the output), got {layer}")
    layer = int(layer)
    if layer == 0:
        return X
    if len(X) <= EVAL_CHUNK:
        return model.layer_outputs(X)[layer - 1]
    return np.concatenate([model.layer_outputs(X[start:start + EVAL_CHUNK])[layer - 1]
                           for start in range(0, len(X), EVAL_CHUNK)])


def _fix_signs(components: np.ndarray) -> np.ndarray:
    """Each row negated where needed so that its largest-magnitude entry is positive."""
    largest = components[np.arange(len(components)), np.abs(components).argmax(axis=1)]
    return components * np.where(largest < 0, -1.0, 1.0)[:, None]


def _top_components(C: np.ndarray, k: int) -> np.ndarray:
    """(k, d) the first k right singular vectors of C (signs not fixed yet)."""
    n, d = C.shape
    if d <= SVD_MAX_DIM:
        return np.linalg.svd(C, full_matrices=False)[2][:k]
    # the same vectors from CᵀC = V S² Vᵀ, over the columns that vary (a constant column is zero
    # once centred: it adds nothing to CᵀC and its loading is 0 in every component)
    varying = np.flatnonzero(np.any(C != 0, axis=0))
    components = np.zeros((k, d))
    if len(varying):
        Cv = C[:, varying]
        _, vectors = np.linalg.eigh(Cv.T @ Cv)            # eigenvalues ascending
        top = vectors[:, ::-1][:, :k].T
        components[:len(top), varying] = top
    return components


def pca_2d(A) -> Projection:
    """The rows of A (n, d) placed on the plane of their first two principal components (see the
    module's notes for the method and how each axis's sign is fixed). With fewer than two
    directions of variance (d = 1, one row, identical rows) the missing axes are zero."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"expected a non-empty 2-D array (n, d), got shape {A.shape}")
    if not np.isfinite(A).all():
        raise ValueError("the activations hold NaN or infinite values")
    mean = A.mean(axis=0)
    C = A - mean
    k = min(2, *C.shape)
    components = np.zeros((2, C.shape[1]))
    components[:k] = _fix_signs(_top_components(C, k))
    coords = C @ components.T
    total = float(np.vdot(C, C))                          # Σ S², the total variance (times n)
    squares = (coords * coords).sum(axis=0)               # S_i² for the two axes
    ratio = squares / total if total > 0 else np.zeros(2)
    return Projection(coords, components, mean, ratio)


def align(points, reference) -> np.ndarray:
    """`points` (n, 2) turned (and if need be reflected) to best match `reference` (n, 2), row for
    row, as a new float64 array: the orthogonal Procrustes solution.

    Both are centred on their means; with P and R the centred arrays and RᵀP = U S Vᵀ (a 2×2 SVD),
    Q = V Uᵀ is the orthogonal matrix minimising ‖P Q − R‖ (Frobenius), and the result is
    P Q + mean(reference). Q is a rotation or a reflection, never a scaling: every distance between
    points is kept; only the whole cloud is turned, flipped and moved onto the reference's centre.
    """
    points = np.asarray(points, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if points.shape != reference.shape or points.ndim != 2:
        raise ValueError(f"cannot align points of shape {points.shape} to a reference of shape "
                         f"{reference.shape}")
    P = points - points.mean(axis=0)
    centre = reference.mean(axis=0)
    U, _, Vt = np.linalg.svd((reference - centre).T @ P)
    return P @ (Vt.T @ U.T) + centre


def fixed_subsample(n: int, size: int = SUBSAMPLE_SIZE, seed: int = 0) -> np.ndarray:
    """Sorted indices of `size` distinct rows of a set of n, the same on every call for the same
    (n, size, seed); all of 0 … n − 1 when n ≤ size."""
    n, size = int(n), int(size)
    if n < 0 or size < 0:
        raise ValueError(f"need n ≥ 0 and size ≥ 0, got n {n} and size {size}")
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def layer_map(model, X, layer: int, reference=None) -> Projection:
    """One map update: pca_2d of layer_activations(model, X, layer), its coordinates aligned to
    `reference` (the previous map's coordinates of the same rows, e.g. a fixed_subsample) when one
    is given. Only `coords` is aligned: components, mean and ratios stay the PCA's own."""
    projection = pca_2d(layer_activations(model, X, layer))
    if reference is not None:
        projection.coords = align(projection.coords, reference)
    return projection


def tsne_available() -> bool:
    """Whether scikit-learn (the optional `map` extra) is installed, for t-SNE maps."""
    import importlib.util
    return importlib.util.find_spec("sklearn") is not None


def tsne_2d(A, seed: int = 0, reference=None) -> Projection:
    """A t-SNE map of the rows of A (scikit-learn's TSNE, PCA-initialised, perplexity 30, a fixed
    seed), turned to match `reference` when given. Non-linear: no components, and the variance
    ratios are nan. Raises ImportError, in words, without scikit-learn."""
    try:
        from sklearn.manifold import TSNE
    except ImportError:
        raise ImportError("t-SNE maps need scikit-learn: python -m pip install scikit-learn "
                          "(or the app's `map` extra)") from None
    A = np.asarray(A, dtype=np.float64)
    perplexity = min(30.0, max(1.0, (len(A) - 1) / 3))
    coords = TSNE(n_components=2, init="pca", perplexity=perplexity, random_state=seed).fit_transform(A)
    if reference is not None:
        coords = align(coords, reference)
    return Projection(np.asarray(coords, np.float64), np.zeros((2, A.shape[1])), A.mean(axis=0),
                      np.full(2, np.nan))
