"""engine.projection: PCA against NumPy's SVD and eigen-decomposition computed here, Procrustes
alignment against known rotations and reflections, the layers' activations and the subsample."""
import numpy as np
import pytest

from engine import MLP, load_folder
from engine.projection import (SVD_MAX_DIM, align, fixed_subsample, layer_activations, layer_map,
                               layer_names, pca_2d)


def cloud(n, d, seed=0):
    """Correlated data with clearly separated variances (no near-ties between components 2 and 3)."""
    rng = np.random.default_rng(seed)
    scales = np.geomspace(5.0, 0.1, d)
    basis = np.linalg.qr(rng.standard_normal((d, d)))[0]
    return (rng.standard_normal((n, d)) * scales) @ basis.T + rng.standard_normal(d)


def reference_pca(A):
    """Coordinates and ratios from np.linalg.svd, signs fixed by the documented rule."""
    C = A - A.mean(axis=0)
    _, s, Vt = np.linalg.svd(C, full_matrices=False)
    V = Vt[:2].copy()
    for row in V:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    return C @ V.T, V, s[:2] ** 2 / np.sum(s ** 2)


# --- PCA --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(300, 12), (80, 3), (400, SVD_MAX_DIM + 44)])   # SVD and eigh routes
def test_pca_equals_numpy_svd_and_covariance_eigenvalues(shape):
    A = cloud(*shape)
    projection = pca_2d(A)
    coords, components, ratio = reference_pca(A)
    np.testing.assert_allclose(projection.explained_variance_ratio, ratio, rtol=1e-10)
    eigenvalues = np.linalg.eigvalsh(np.cov(A, rowvar=False))[::-1]
    np.testing.assert_allclose(projection.explained_variance_ratio, eigenvalues[:2] / eigenvalues.sum(),
                               rtol=1e-10)
    np.testing.assert_allclose(projection.components, components, atol=1e-10)
    np.testing.assert_allclose(projection.coords, coords, atol=1e-9)
    np.testing.assert_allclose(projection.mean, A.mean(axis=0), atol=1e-12)
    assert projection.coords.shape == (shape[0], 2) and projection.coords.dtype == np.float64
    np.testing.assert_allclose(projection.components @ projection.components.T, np.eye(2), atol=1e-12)


def test_pca_signs_are_fixed_and_deterministic():
    A = cloud(200, 9, seed=3)
    first, again = pca_2d(A), pca_2d(A.copy())
    np.testing.assert_array_equal(first.coords, again.coords)
    np.testing.assert_array_equal(first.components, again.components)
    for row in first.components:
        assert row[np.argmax(np.abs(row))] > 0          # largest-magnitude loading positive
    # negated data has the same axes up to sign: the rule picks the same signs, the points mirror
    mirrored = pca_2d(-A)
    np.testing.assert_allclose(mirrored.components, first.components, atol=1e-12)
    np.testing.assert_allclose(mirrored.coords, -first.coords, atol=1e-10)


def test_pca_on_mnist_pixels_matches_the_svd(shared_data):
    """784 pixels (many always blank): the faster eigen route against the full SVD."""
    X = load_folder(shared_data / "mnist").test.X[:1000]
    projection = pca_2d(X)
    coords, components, ratio = reference_pca(X.astype(np.float64))
    np.testing.assert_allclose(projection.explained_variance_ratio, ratio, rtol=1e-10)
    np.testing.assert_allclose(projection.components, components, atol=1e-10)
    np.testing.assert_allclose(projection.coords, coords, atol=1e-9)


def test_pca_of_degenerate_data_leaves_missing_axes_zero():
    line = pca_2d(np.arange(10.0)[:, None])                 # one column
    np.testing.assert_allclose(line.explained_variance_ratio, [1.0, 0.0])
    assert (line.coords[:, 1] == 0).all() and line.components.shape == (2, 1)
    same = pca_2d(np.ones((5, 4)))                          # no variance at all
    assert (same.coords == 0).all() and (same.explained_variance_ratio == 0).all()
    with pytest.raises(ValueError):
        pca_2d(np.array([[np.nan, 1.0], [0.0, 1.0]]))


# --- alignment --------------------------------------------------------------------------------------

def rotation(angle):
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


@pytest.mark.parametrize("angle", [0.0, 0.4, 2.5, -1.9, np.pi])
def test_align_recovers_a_rotation_and_a_reflection(angle):
    reference = np.random.default_rng(1).standard_normal((60, 2)) * [3.0, 1.0]
    rotated = reference @ rotation(angle).T + [5.0, -2.0]
    np.testing.assert_allclose(align(rotated, reference), reference, atol=1e-10)
    reflected = reference @ (rotation(angle) @ np.diag([1.0, -1.0])).T - [1.0, 7.0]
    np.testing.assert_allclose(align(reflected, reference), reference, atol=1e-10)


def test_align_never_scales():
    rng = np.random.default_rng(2)
    reference = rng.standard_normal((40, 2))
    for points in (reference @ rotation(0.3).T * 3.0, rng.standard_normal((40, 2)) * 0.01):
        aligned = align(points, reference)
        distances = np.linalg.norm(points[:, None] - points[None], axis=2)
        np.testing.assert_allclose(np.linalg.norm(aligned[:, None] - aligned[None], axis=2), distances,
                                   atol=1e-12)
        np.testing.assert_allclose(aligned.mean(axis=0), reference.mean(axis=0), atol=1e-12)
    with pytest.raises(ValueError):
        align(reference[:5], reference)


def test_layer_map_follows_the_previous_map():
    model = MLP([12, 7, 4], seed=1, dtype=np.float64)
    X = cloud(150, 12, seed=4)
    plain = layer_map(model, X, 1)
    turned = plain.coords @ rotation(1.1).T * [1.0, -1.0]
    np.testing.assert_allclose(layer_map(model, X, 1, reference=turned).coords, turned, atol=1e-10)


# --- activations ------------------------------------------------------------------------------------

def test_layer_activations_are_the_input_and_the_network_s_layers():
    model = MLP([20, 8, 6, 3], hidden="tanh", seed=2)
    X = np.random.default_rng(0).random((50, 20), dtype=np.float32)
    assert layer_activations(model, X, 0) is X
    outputs = model.layer_outputs(X)
    for layer in (1, 2):
        np.testing.assert_array_equal(layer_activations(model, X, layer), outputs[layer - 1])
    np.testing.assert_array_equal(layer_activations(model, X, 3), model.forward(X))
    by_hand = np.tanh(X @ model.weights[0] + model.biases[0])
    np.testing.assert_allclose(layer_activations(model, X, 1), by_hand, rtol=1e-5, atol=1e-6)
    for bad in (-1, 4, 1.5):
        with pytest.raises(ValueError):
            layer_activations(model, X, bad)
    assert layer_names(model) == ["input (20)", "hidden 1 (8)", "hidden 2 (6)", "output (3)"]


def test_layer_activations_of_a_large_set_come_in_chunks():
    model = MLP([10, 5, 4], seed=0)
    X = np.random.default_rng(1).random((4500, 10), dtype=np.float32)
    whole = np.concatenate([model.forward(X[a:a + 1500]) for a in range(0, 4500, 1500)])
    np.testing.assert_allclose(layer_activations(model, X, 2), whole, rtol=1e-6, atol=1e-6)


# --- the subsample ----------------------------------------------------------------------------------

def test_fixed_subsample():
    first = fixed_subsample(10000)
    np.testing.assert_array_equal(first, fixed_subsample(10000))
    assert len(first) == 2000 and len(np.unique(first)) == 2000
    assert (np.diff(first) > 0).all() and first[0] >= 0 and first[-1] < 10000
    assert not np.array_equal(first, fixed_subsample(10000, seed=1))
    np.testing.assert_array_equal(fixed_subsample(300, size=300), np.arange(300))
    np.testing.assert_array_equal(fixed_subsample(120), np.arange(120))
    assert len(fixed_subsample(0)) == 0
    small = fixed_subsample(50, size=10, seed=3)
    assert len(small) == 10 and (np.diff(small) > 0).all() and small.max() < 50


def test_a_tsne_map_keeps_the_classes_of_a_trained_model_apart(shared_data):
    """t-SNE (the optional scikit-learn extra) on the output layer of a quickly trained softmax
    model: the 5 nearest neighbours of a digit on the map mostly share its class, more often than
    on the PCA map of the same activations."""
    pytest.importorskip("sklearn")
    from engine import ModelConfig, TrainConfig, build_trainer, load_folder
    from engine.projection import layer_activations, pca_2d, tsne_2d

    test = load_folder(shared_data / "mnist").test
    trainer = build_trainer(ModelConfig("softmax"), TrainConfig(epochs=1), test.X[2000:], test.y[2000:], n_outputs=10)
    trainer.run_epoch()
    X, y = test.X[:600], test.y[:600].astype(int)
    activations = layer_activations(trainer.model, X, 1)

    def neighbours_agree(coords):
        distance = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2)
        np.fill_diagonal(distance, np.inf)
        nearest = np.argsort(distance, axis=1)[:, :5]
        return float(np.mean(y[nearest] == y[:, None]))

    tsne = tsne_2d(activations)
    assert tsne.coords.shape == (600, 2) and np.isnan(tsne.explained_variance_ratio).all()
    assert neighbours_agree(tsne.coords) > 0.7   # chance: about 0.1
    assert neighbours_agree(tsne.coords) > neighbours_agree(pca_2d(activations).coords)
    again = tsne_2d(activations, reference=tsne.coords)          # the same seed: the same map
    np.testing.assert_allclose(again.coords, tsne.coords, atol=1e-6)
