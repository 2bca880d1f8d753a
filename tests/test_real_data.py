"""The engine on the real MNIST test digits and Fashion-MNIST (found through TRAINER_DATA_DIR).

Accuracy figures are printed (run with -s to see them) and asserted against the issue's targets.
"""
import numpy as np
import pytest

from engine import (ModelConfig, TrainConfig, build_trainer, load_folder, loss_err, nn_epoch,
                    parse_mnist, softmax_regression_epoch)

# Published facts about the official MNIST test split (not computed by the engine).
MNIST_TEST_FIRST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
MNIST_TEST_LABEL_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist(shared_data):
    folder = shared_data / "mnist"
    return parse_mnist(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")


@pytest.fixture(scope="module")
def fashion(shared_data):
    return load_folder(shared_data / "fashion-mnist")


# --- the loader on the real files ------------------------------------------------------------------

def test_parse_mnist_on_the_real_test_split(mnist):
    X, y = mnist
    assert X.shape == (10000, 784) and X.dtype == np.float32
    assert y.shape == (10000,) and y.dtype == np.uint8
    assert y[:10].tolist() == MNIST_TEST_FIRST_LABELS
    assert np.bincount(y, minlength=10).tolist() == MNIST_TEST_LABEL_COUNTS
    assert X.min() == 0.0 and X.max() == 1.0
    assert X.mean() == pytest.approx(0.1325, abs=5e-4)   # the well-known MNIST test-set pixel mean
    # the first test digit is a 7: ink in the middle rows, blank borders
    first = X[0].reshape(28, 28)
    assert first[:4].sum() == 0 and first[:, :3].sum() == 0 and first[10:20].sum() > 10


def test_load_folder_on_the_real_folders(shared_data, fashion):
    mnist = load_folder(shared_data / "mnist")
    assert mnist.train is None
    assert mnist.test.X.shape == (10000, 784) and tuple(mnist.image_shape) == (28, 28)
    assert mnist.n_classes == 10

    assert fashion.train.X.shape == (60000, 784) and fashion.test.X.shape == (10000, 784)
    assert fashion.train.X.dtype == np.float32
    assert np.bincount(fashion.train.y).tolist() == [6000] * 10   # Fashion-MNIST is balanced
    assert np.bincount(fashion.test.y).tolist() == [1000] * 10
    assert fashion.n_classes == 10 and tuple(fashion.image_shape) == (28, 28)


# --- the classic functions against the transcribed equations on real digits -----------------------------

def transcribed_softmax_regression_epoch(X, y, theta, lr, batch):
    for start in range(0, len(X), batch):
        Xb, yb = X[start:start + batch], y[start:start + batch]
        Z = np.exp(Xb @ theta)
        Z /= Z.sum(axis=1, keepdims=True)
        Z[np.arange(len(yb)), yb] -= 1                      # Z − I_y
        theta -= lr * Xb.T @ Z / len(Xb)


def transcribed_nn_epoch(X, y, W1, W2, lr, batch):
    for start in range(0, len(X), batch):
        Xb, yb = X[start:start + batch], y[start:start + batch]
        Z1 = np.maximum(Xb @ W1, 0)                          # ReLU(X W1)
        G2 = np.exp(Z1 @ W2)
        G2 /= G2.sum(axis=1, keepdims=True)
        G2[np.arange(len(yb)), yb] -= 1                      # normalize(exp(Z1 W2)) − I_y
        G1 = (Z1 > 0) * (G2 @ W2.T)                          # 1{Z1 > 0} ∘ (G2 W2ᵀ)
        W1 -= lr * Xb.T @ G1 / len(Xb)
        W2 -= lr * Z1.T @ G2 / len(Xb)


@pytest.mark.parametrize("batch", [100, 64])   # 64 leaves a last batch of 40
def test_softmax_regression_epoch_matches_the_equations_on_real_digits(mnist, batch):
    X, y = mnist[0][:1000], mnist[1][:1000]
    theta = np.zeros((784, 10), np.float32)
    expected = theta.copy()
    softmax_regression_epoch(X, y, theta, lr=0.2, batch=batch)
    transcribed_softmax_regression_epoch(X, y, expected, lr=0.2, batch=batch)
    assert np.linalg.norm(theta) == pytest.approx(np.linalg.norm(expected), rel=1e-5)
    np.testing.assert_allclose(theta, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


@pytest.mark.parametrize("batch", [100, 64])
def test_nn_epoch_matches_the_equations_on_real_digits(mnist, batch):
    X, y = mnist[0][:1000], mnist[1][:1000]
    rng = np.random.default_rng(0)
    W1 = (rng.standard_normal((784, 100)).astype(np.float32) / np.sqrt(100)).astype(np.float32)
    W2 = (rng.standard_normal((100, 10)).astype(np.float32) / np.sqrt(10)).astype(np.float32)
    expected_W1, expected_W2 = W1.copy(), W2.copy()
    nn_epoch(X, y, W1, W2, lr=0.2, batch=batch)
    transcribed_nn_epoch(X, y, expected_W1, expected_W2, lr=0.2, batch=batch)
    assert np.linalg.norm(W1) == pytest.approx(np.linalg.norm(expected_W1), rel=1e-5)
    assert np.linalg.norm(W2) == pytest.approx(np.linalg.norm(expected_W2), rel=1e-5)
    np.testing.assert_allclose(W1, expected_W1, rtol=1e-4, atol=1e-5 * np.abs(expected_W1).max())
    np.testing.assert_allclose(W2, expected_W2, rtol=1e-4, atol=1e-5 * np.abs(expected_W2).max())


# --- accuracy targets --------------------------------------------------------------------------------

def softmax_regression_error(X_train, y_train, X_test, y_test, epochs):
    theta = np.zeros((X_train.shape[1], 10), np.float32)
    for _ in range(epochs):
        softmax_regression_epoch(X_train, y_train, theta, lr=0.2, batch=100)
    return loss_err(X_train @ theta, y_train)[1], loss_err(X_test @ theta, y_test)[1]


def two_layer_error_nn_epoch(X_train, y_train, X_test, y_test, epochs):
    rng = np.random.default_rng(0)
    W1 = (rng.standard_normal((X_train.shape[1], 100)) / np.sqrt(100)).astype(np.float32)
    W2 = (rng.standard_normal((100, 10)) / np.sqrt(10)).astype(np.float32)
    for _ in range(epochs):
        nn_epoch(X_train, y_train, W1, W2, lr=0.2, batch=100)
    def logits(X):
        return np.maximum(X @ W1, 0) @ W2
    return loss_err(logits(X_train), y_train)[1], loss_err(logits(X_test), y_test)[1]


def trainer_error(kind, X_train, y_train, X_test, y_test, epochs):
    trainer = build_trainer(ModelConfig(kind=kind, hidden=(100,), init="scaled" if kind == "two-layer" else "zeros"),
                            TrainConfig(learning_rate=0.2, batch_size=100, epochs=epochs), X_train, y_train,
                            X_test, y_test)
    for _ in range(epochs):
        trainer.run_epoch()
    assert trainer.epoch == epochs and trainer.samples_seen == epochs * len(X_train)
    train, test = trainer.evaluate(X_train, y_train), trainer.evaluate(X_test, y_test)
    # the Trainer's figures agree with the model's own outputs
    assert test.error == pytest.approx(loss_err(trainer.model.forward(X_test), y_test)[1])
    return train.error, test.error


def report(name, errors, target):
    train, test = errors
    print(f"\n{name}: train error {train:.2%}, test error {test:.2%} (target < {target:.0%})")
    assert test < target, f"{name}: test error {test:.2%} is not below {target:.0%}"


def test_mnist_softmax_regression_accuracy(mnist):
    X, y = mnist
    report("MNIST softmax regression, 10 epochs (softmax_regression_epoch)",
           softmax_regression_error(X[:8000], y[:8000], X[8000:], y[8000:], epochs=10), 0.09)


def test_mnist_two_layer_accuracy(mnist):
    X, y = mnist
    report("MNIST two-layer 784-100-10, 10 epochs (build_trainer + Trainer)",
           trainer_error("two-layer", X[:8000], y[:8000], X[8000:], y[8000:], epochs=10), 0.06)


def test_fashion_softmax_regression_accuracy(fashion):
    report("Fashion-MNIST softmax regression, 10 epochs (build_trainer + Trainer)",
           trainer_error("softmax", fashion.train.X, fashion.train.y, fashion.test.X, fashion.test.y, epochs=10),
           0.20)


def test_fashion_two_layer_accuracy(fashion):
    report("Fashion-MNIST two-layer 784-100-10, 10 epochs (nn_epoch)",
           two_layer_error_nn_epoch(fashion.train.X, fashion.train.y, fashion.test.X, fashion.test.y, epochs=10),
           0.15)


def test_mnist_two_layer_paths_agree(mnist):
    """nn_epoch and the Trainer built by build_trainer are one implementation: same weights after an epoch."""
    X, y = mnist[0][:2000], mnist[1][:2000]
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(100,), init="scaled", seed=1),
                            TrainConfig(learning_rate=0.2, batch_size=100), X, y)
    W1, W2 = (W.copy() for W in trainer.model.weights)
    trainer.run_epoch()
    nn_epoch(X, y, W1, W2, lr=0.2, batch=100)
    np.testing.assert_array_equal(trainer.model.weights[0], W1)
    np.testing.assert_array_equal(trainer.model.weights[1], W2)
