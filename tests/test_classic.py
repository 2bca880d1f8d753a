"""The classic functional API against hand-computed numbers and a direct transcription of the issue's equations."""
import numpy as np
import pytest

from engine import least_squares, loss_err, nn_epoch, softmax_loss, softmax_regression_epoch


# --- the equations, transcribed ------------------------------------------------------------------

def normalize_exp(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, k, dtype=np.float32):
    I = np.zeros((len(y), k), dtype)
    I[np.arange(len(y)), y] = 1
    return I


def reference_softmax_regression_epoch(X, y, theta, lr, batch, drop_last=False):
    theta = theta.copy()
    for start in range(0, len(X), batch):
        Xb, yb = X[start:start + batch], y[start:start + batch]
        if drop_last and len(Xb) < batch:
            break
        Z = normalize_exp(Xb @ theta)
        theta -= lr * Xb.T @ (Z - one_hot(yb, theta.shape[1])) / len(Xb)
    return theta


def reference_nn_epoch(X, y, W1, W2, lr, batch):
    W1, W2 = W1.copy(), W2.copy()
    for start in range(0, len(X), batch):
        Xb, yb = X[start:start + batch], y[start:start + batch]
        B = len(Xb)
        Z1 = np.maximum(Xb @ W1, 0)                          # (B, d)
        G2 = normalize_exp(Z1 @ W2) - one_hot(yb, W2.shape[1])  # (B, k)
        G1 = (Z1 > 0) * (G2 @ W2.T)                          # (B, d)
        W1 -= lr * Xb.T @ G1 / B
        W2 -= lr * Z1.T @ G2 / B
    return W1, W2


def synthetic(n=53, features=12, k=4, seed=0):
    """Linearly separable-ish data in float32 with integer labels."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features)).astype(np.float32)
    y = (X @ rng.standard_normal((features, k))).argmax(axis=1).astype(np.uint8)
    return X, y


# --- softmax_loss and loss_err -----------------------------------------------------------------

def test_softmax_loss_hand_computed():
    Z = np.array([[0.0, 0.0, 0.0, 0.0], [2.0, 1.0, 0.0, -1.0]], np.float32)
    y = np.array([3, 0], np.uint8)
    # row 1: log 4; row 2: log(e² + e + 1 + e⁻¹) − 2
    expected = (np.log(4.0) + np.log(np.exp(2) + np.exp(1) + 1 + np.exp(-1)) - 2.0) / 2
    assert softmax_loss(Z, y) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_loss_is_stable_for_huge_logits(dtype):
    Z = np.array([[1e4, 0.0, -1e4],           # label 0 is certain: loss 0
                  [0.0, 1e4, 1e4 + 1.0],      # log(1 + e¹) − 0 after removing 10⁴: 1 + log(1 + e⁻¹)
                  [-1e4, -1e4, -1e4]], dtype)  # three equal logits: log 3
    y = np.array([0, 1, 2])
    expected = (0.0 + (1.0 + np.log1p(np.exp(-1.0))) + np.log(3.0)) / 3
    value = softmax_loss(Z, y)
    assert np.isfinite(value)
    assert value == pytest.approx(expected, rel=1e-6)


def test_loss_err_hand_computed():
    h = np.array([[3.0, 1.0, 0.0],    # predicts 0, label 0: right
                  [0.0, 0.0, 5.0],    # predicts 2, label 1: wrong
                  [1.0, 2.0, 0.0],    # predicts 1, label 1: right
                  [4.0, 0.0, 0.0]],   # predicts 0, label 2: wrong
                 np.float32)
    y = np.array([0, 1, 1, 2], np.uint8)
    loss, error = loss_err(h, y)
    log_sums = np.log(np.exp(h.astype(np.float64)).sum(axis=1))
    expected_loss = np.mean(log_sums - h[np.arange(4), y])
    assert loss == pytest.approx(expected_loss, rel=1e-6)
    assert error == pytest.approx(0.5)


# --- softmax_regression_epoch ----------------------------------------------------------------------

@pytest.mark.parametrize("batch", [10, 53, 7, 100])
def test_softmax_regression_epoch_matches_the_equations(batch):
    X, y = synthetic()
    rng = np.random.default_rng(1)
    theta = (0.1 * rng.standard_normal((12, 4))).astype(np.float32)
    expected = reference_softmax_regression_epoch(X, y, theta, lr=0.5, batch=batch)
    same_object = theta
    softmax_regression_epoch(X, y, theta, lr=0.5, batch=batch)
    assert theta is same_object and theta.dtype == np.float32
    np.testing.assert_allclose(theta, expected, rtol=1e-5, atol=1e-6)
    assert np.linalg.norm(theta) == pytest.approx(np.linalg.norm(expected), rel=1e-5)


def test_softmax_regression_epoch_uses_the_last_short_batch():
    X, y = synthetic(n=53)
    theta = np.zeros((12, 4), np.float32)
    with_last = reference_softmax_regression_epoch(X, y, theta, lr=0.5, batch=10)
    without_last = reference_softmax_regression_epoch(X, y, theta, lr=0.5, batch=10, drop_last=True)
    assert not np.allclose(with_last, without_last, rtol=1e-3)   # the check below can tell them apart
    softmax_regression_epoch(X, y, theta, lr=0.5, batch=10)
    np.testing.assert_allclose(theta, with_last, rtol=1e-5, atol=1e-6)


def test_softmax_regression_epoch_default_arguments():
    X, y = synthetic(n=250)
    theta = np.zeros((12, 4), np.float32)
    expected = reference_softmax_regression_epoch(X, y, theta, lr=0.1, batch=100)
    softmax_regression_epoch(X, y, theta)
    np.testing.assert_allclose(theta, expected, rtol=1e-5, atol=1e-6)


# --- nn_epoch -----------------------------------------------------------------------------------

@pytest.mark.parametrize("batch", [10, 53, 8])
def test_nn_epoch_matches_the_equations(batch):
    X, y = synthetic()
    rng = np.random.default_rng(2)
    W1 = (rng.standard_normal((12, 9)) / np.sqrt(9)).astype(np.float32)
    W2 = (rng.standard_normal((9, 4)) / np.sqrt(4)).astype(np.float32)
    expected_W1, expected_W2 = reference_nn_epoch(X, y, W1, W2, lr=0.3, batch=batch)
    objects = (W1, W2)
    nn_epoch(X, y, W1, W2, lr=0.3, batch=batch)
    assert W1 is objects[0] and W2 is objects[1]
    assert W1.dtype == np.float32 and W2.dtype == np.float32
    np.testing.assert_allclose(W1, expected_W1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(W2, expected_W2, rtol=1e-5, atol=1e-6)
    assert np.linalg.norm(W1) == pytest.approx(np.linalg.norm(expected_W1), rel=1e-5)
    assert np.linalg.norm(W2) == pytest.approx(np.linalg.norm(expected_W2), rel=1e-5)


def test_nn_epoch_updates_in_place_and_changes_the_weights():
    X, y = synthetic()
    rng = np.random.default_rng(3)
    W1 = (rng.standard_normal((12, 9)) / 3).astype(np.float32)
    W2 = (rng.standard_normal((9, 4)) / 2).astype(np.float32)
    W1_before, W2_before = W1.copy(), W2.copy()
    W1_id, W2_id = id(W1), id(W2)
    result = nn_epoch(X, y, W1, W2, lr=0.3, batch=10)
    assert id(W1) == W1_id and id(W2) == W2_id
    assert not np.allclose(W1, W1_before) and not np.allclose(W2, W2_before)
    if result is not None:   # whatever it returns, the caller's arrays hold the new weights
        returned = list(result)
        np.testing.assert_array_equal(returned[0], W1)
        np.testing.assert_array_equal(returned[1], W2)


def test_nn_epoch_default_arguments():
    X, y = synthetic(n=230)
    rng = np.random.default_rng(4)
    W1 = (rng.standard_normal((12, 9)) / 3).astype(np.float32)
    W2 = (rng.standard_normal((9, 4)) / 2).astype(np.float32)
    expected_W1, expected_W2 = reference_nn_epoch(X, y, W1, W2, lr=0.1, batch=100)
    nn_epoch(X, y, W1, W2)
    np.testing.assert_allclose(W1, expected_W1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(W2, expected_W2, rtol=1e-5, atol=1e-6)


def test_nn_epoch_lowers_the_loss():
    X, y = synthetic(n=400, seed=5)
    rng = np.random.default_rng(5)
    W1 = (rng.standard_normal((12, 32)) / np.sqrt(32)).astype(np.float32)
    W2 = (rng.standard_normal((32, 4)) / 2).astype(np.float32)
    before = loss_err(np.maximum(X @ W1, 0) @ W2, y)
    for _ in range(5):
        nn_epoch(X, y, W1, W2, lr=0.2, batch=50)
    after = loss_err(np.maximum(X @ W1, 0) @ W2, y)
    assert after[0] < 0.6 * before[0] and after[1] < before[1]


# --- least squares -------------------------------------------------------------------------------

def test_least_squares_matches_lstsq_on_the_augmented_matrix():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((80, 5))
    Y = rng.standard_normal((80, 3))
    W, b = least_squares(X, Y)
    solution = np.linalg.lstsq(np.hstack([X, np.ones((80, 1))]), Y, rcond=None)[0]
    assert W.shape == (5, 3) and np.shape(b) == (3,)
    np.testing.assert_allclose(W, solution[:5], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(b, solution[5], rtol=1e-6, atol=1e-9)


def test_least_squares_recovers_a_known_affine_map():
    rng = np.random.default_rng(7)
    W_true = rng.standard_normal((4, 2))
    b_true = np.array([3.0, -1.5])
    X = rng.uniform(-2, 2, (60, 4))
    W, b = least_squares(X, X @ W_true + b_true)
    np.testing.assert_allclose(W, W_true, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(b, b_true, rtol=1e-6, atol=1e-8)
