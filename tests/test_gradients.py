"""MLP.loss_and_grads against central finite differences (float64) and hand-written losses."""
import itertools

import numpy as np
import pytest

from engine import MLP

HIDDEN = ["relu", "sigmoid", "tanh", "identity"]
OUTPUT = ["identity", "sigmoid"]
LOSSES = ["softmax_ce", "mse", "bce"]
COMBINATIONS = [(h, o, loss, bias) for h, o, loss, bias in itertools.product(HIDDEN, OUTPUT, LOSSES, [True, False])
                if not (loss == "bce" and o != "sigmoid")]

EPS = 1e-6


# --- a direct NumPy transcription of the network and the losses ----------------------------------

def act(name, Z):
    return {"relu": lambda z: np.maximum(z, 0.0),
            "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
            "tanh": np.tanh,
            "identity": lambda z: z}[name](Z)


def reference_forward(X, weights, biases, hidden, output):
    Z = X
    for i, W in enumerate(weights):
        Z = Z @ W + (biases[i] if biases else 0.0)
        Z = act(output if i == len(weights) - 1 else hidden, Z)
    return Z


def one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def reference_loss(A, Y, loss):
    if loss == "softmax_ce":      # mean over the batch of log Σ exp a_j − a_y
        shifted = A - A.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1))
        return np.mean(log_sum - shifted[np.arange(len(Y)), Y])
    if loss == "mse":             # mean over all elements
        return np.mean((A - Y) ** 2)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))   # bce, mean over all elements


def make_case(sizes, hidden, output, loss, bias, m=7, seed=0):
    rng = np.random.default_rng(seed)
    model = MLP(sizes, hidden=hidden, output=output, bias=bias, seed=seed, dtype=np.float64)
    if bias:   # zero biases would leave their gradients' effect on the rest untested
        for b in model.biases:
            b[...] = 0.3 * rng.standard_normal(b.shape)
    X = rng.standard_normal((m, sizes[0]))
    k = sizes[-1]
    if loss == "softmax_ce":
        Y = rng.integers(0, k, size=m)
    elif loss == "mse":
        Y = rng.standard_normal((m, k))
    else:
        Y = rng.uniform(0.0, 1.0, size=(m, k))   # soft targets in [0, 1]
    return model, X, Y


def numerical_grad(model, X, Y, loss, param):
    grad = np.zeros_like(param)
    for index in np.ndindex(param.shape):
        saved = param[index]
        param[index] = saved + EPS
        plus = model.loss_and_grads(X, Y, loss)[0]
        param[index] = saved - EPS
        minus = model.loss_and_grads(X, Y, loss)[0]
        param[index] = saved
        grad[index] = (plus - minus) / (2 * EPS)
    return grad


def check_gradients(model, X, Y, loss):
    value, weight_grads, bias_grads = model.loss_and_grads(X, Y, loss)
    assert len(weight_grads) == len(model.weights) and len(bias_grads) == len(model.biases)
    for i, (W, g) in enumerate(zip(model.weights, weight_grads)):
        assert g.shape == W.shape
        np.testing.assert_allclose(g, numerical_grad(model, X, Y, loss, W), rtol=1e-5, atol=1e-7,
                                   err_msg=f"weight gradient of layer {i}")
    for i, (b, g) in enumerate(zip(model.biases, bias_grads)):
        assert g.shape == b.shape
        np.testing.assert_allclose(g, numerical_grad(model, X, Y, loss, b), rtol=1e-5, atol=1e-7,
                                   err_msg=f"bias gradient of layer {i}")
    return value


@pytest.mark.parametrize("hidden, output, loss, bias", COMBINATIONS,
                         ids=[f"{h}-{o}-{loss}-{'bias' if b else 'nobias'}" for h, o, loss, b in COMBINATIONS])
def test_gradients_match_finite_differences(hidden, output, loss, bias):
    model, X, Y = make_case([5, 4, 3], hidden, output, loss, bias)
    check_gradients(model, X, Y, loss)


@pytest.mark.parametrize("hidden, output, loss", [("relu", "identity", "softmax_ce"),
                                                  ("tanh", "sigmoid", "bce"),
                                                  ("sigmoid", "identity", "mse")])
@pytest.mark.parametrize("bias", [True, False])
def test_gradients_of_a_deeper_net(hidden, output, loss, bias):
    model, X, Y = make_case([6, 5, 4, 3], hidden, output, loss, bias, seed=1)
    check_gradients(model, X, Y, loss)


def test_single_layer_softmax_regression_gradient_is_the_textbook_formula():
    """Softmax regression is MLP([n, k], bias=False); its gradient is Xᵀ(softmax(XΘ) − I_y) / m."""
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((9, 6)), rng.integers(0, 4, 9)
    model = MLP([6, 4], bias=False, dtype=np.float64)
    theta = model.weights[0]
    theta[...] = rng.standard_normal(theta.shape)
    Z = np.exp(X @ theta)
    Z /= Z.sum(axis=1, keepdims=True)
    _, (grad,), biases = model.loss_and_grads(X, y, "softmax_ce")
    assert biases == []
    np.testing.assert_allclose(grad, X.T @ (Z - one_hot(y, 4)) / 9, rtol=1e-12, atol=1e-14)


# --- the loss value and the forward pass themselves -------------------------------------------------

@pytest.mark.parametrize("hidden, output, loss, bias", COMBINATIONS,
                         ids=[f"{h}-{o}-{loss}-{'bias' if b else 'nobias'}" for h, o, loss, b in COMBINATIONS])
def test_loss_and_forward_match_a_hand_transcription(hidden, output, loss, bias):
    model, X, Y = make_case([5, 4, 3], hidden, output, loss, bias, seed=2)
    A = reference_forward(X, model.weights, model.biases, hidden, output)
    np.testing.assert_allclose(model.forward(X), A, rtol=1e-12, atol=1e-14)
    value = model.loss_and_grads(X, Y, loss)[0]
    assert value == pytest.approx(reference_loss(A, Y, loss), rel=1e-12, abs=1e-14)


def test_softmax_ce_hand_computed_numbers():
    # One layer, identity weights: the logits are the inputs themselves.
    model = MLP.from_arrays([np.eye(3)], output="identity")
    X = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    y = np.array([0, 2])
    # row 1: log 3; row 2: log(e + e² + e³) − 3 = log(e⁻² + e⁻¹ + 1)
    expected = (np.log(3.0) + np.log(np.exp(-2.0) + np.exp(-1.0) + 1.0)) / 2
    assert model.loss_and_grads(X, y, "softmax_ce")[0] == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx((1.0986 + 0.4076) / 2, abs=1e-4)   # log 3, log 1.5032


def test_mse_and_bce_are_means_over_all_elements():
    model = MLP.from_arrays([np.eye(2)], output="identity")
    X = np.array([[1.0, 2.0], [3.0, 5.0]])
    Y = np.array([[0.0, 2.0], [3.0, 3.0]])
    # squared errors 1, 0, 0, 4 over four elements
    assert model.loss_and_grads(X, Y, "mse")[0] == pytest.approx(5.0 / 4.0, rel=1e-12)

    sigmoid_model = MLP.from_arrays([np.eye(2)], output="sigmoid")
    X = np.array([[0.0, np.log(3.0)]])        # sigmoid outputs 1/2 and 3/4
    Y = np.array([[1.0, 0.0]])
    expected = -(np.log(0.5) + np.log(0.25)) / 2
    assert sigmoid_model.loss_and_grads(X, Y, "bce")[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("loss, output", [("mse", "identity"), ("mse", "sigmoid"), ("bce", "sigmoid")])
def test_integer_labels_equal_one_hot_targets(loss, output):
    rng = np.random.default_rng(3)
    model = MLP([5, 4, 3], output=output, seed=3, dtype=np.float64)
    X, y = rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
    from_labels = model.loss_and_grads(X, y, loss)
    from_one_hot = model.loss_and_grads(X, one_hot(y, 3), loss)
    assert from_labels[0] == pytest.approx(from_one_hot[0], rel=1e-12)
    for a, b in zip(from_labels[1] + from_labels[2], from_one_hot[1] + from_one_hot[2]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert from_labels[0] == pytest.approx(reference_loss(model.forward(X), one_hot(y, 3), loss), rel=1e-12)


@pytest.mark.parametrize("loss", ["softmax_ce", "mse"])
@pytest.mark.parametrize("label_dtype", [np.uint8, np.int32, np.int16])
def test_label_dtype_does_not_matter(loss, label_dtype):
    """parse_mnist gives uint8 labels; a batch of 100 with 10 classes must not overflow them."""
    rng = np.random.default_rng(6)
    model = MLP([20, 16, 10], seed=6, dtype=np.float64)
    X, y = rng.standard_normal((100, 20)), rng.integers(0, 10, 100)
    expected_value = reference_loss(model.forward(X), y if loss == "softmax_ce" else one_hot(y, 10), loss)
    reference = model.loss_and_grads(X, y.astype(np.int64), loss)
    value, weight_grads, bias_grads = model.loss_and_grads(X, y.astype(label_dtype), loss)
    assert reference[0] == pytest.approx(expected_value, rel=1e-12)
    assert value == pytest.approx(expected_value, rel=1e-12)
    for mine, theirs in zip(weight_grads + bias_grads, reference[1] + reference[2]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)


def test_bce_requires_a_sigmoid_output():
    model = MLP([4, 3], output="identity")
    with pytest.raises(ValueError):
        model.loss_and_grads(np.ones((2, 4), np.float32), np.array([0, 1]), "bce")


@pytest.mark.parametrize("hidden, output, loss", [("relu", "identity", "softmax_ce"), ("tanh", "sigmoid", "bce"),
                                                  ("sigmoid", "identity", "mse")])
def test_any_batch_size_in_any_order(hidden, output, loss):
    """Batch sizes 1 to 9 and back again (as a last, shorter batch or evaluation chunks do)."""
    rng = np.random.default_rng(8)
    model = MLP([5, 4, 3], hidden=hidden, output=output, seed=8, dtype=np.float64)
    for b in model.biases:
        b[...] = 0.3 * rng.standard_normal(b.shape)
    outputs = []
    for m in [1, 7, 2, 9, 3, 5, 6, 4, 1, 7, 8]:
        X = rng.standard_normal((m, 5))
        y = rng.integers(0, 3, m)
        Y = y if loss == "softmax_ce" else one_hot(y, 3)
        A = model.forward(X)
        np.testing.assert_allclose(A, reference_forward(X, model.weights, model.biases, hidden, output),
                                   rtol=1e-12, atol=1e-14)
        outputs.append((A, A.copy()))
        value = model.loss_and_grads(X, Y, loss)[0]
        assert value == pytest.approx(reference_loss(A, Y, loss), rel=1e-12)
        if m == 1 or m == 9:
            check_gradients(model, X, Y, loss)
    for A, kept in outputs:   # forward() hands out new arrays, never its buffers
        np.testing.assert_array_equal(A, kept)


def test_input_memory_layout_does_not_matter():
    """Column-sliced or Fortran-ordered inputs give the same outputs, losses and gradients."""
    rng = np.random.default_rng(9)
    model = MLP([5, 4, 3], seed=9, dtype=np.float64)
    wide = rng.standard_normal((8, 10))
    y = rng.integers(0, 3, 8).astype(np.uint8)
    contiguous = np.ascontiguousarray(wide[:, ::2])
    expected = model.loss_and_grads(contiguous, y, "softmax_ce")
    expected_output = model.forward(contiguous)
    for X in (wide[:, ::2], np.asfortranarray(contiguous), contiguous[::-1][::-1]):
        np.testing.assert_allclose(model.forward(X), expected_output, rtol=1e-12, atol=1e-14)
        value, weight_grads, bias_grads = model.loss_and_grads(X, y, "softmax_ce")
        assert value == pytest.approx(expected[0], rel=1e-12)
        for mine, theirs in zip(weight_grads + bias_grads, expected[1] + expected[2]):
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)


def test_loss_and_grads_returns_new_arrays():
    """Gradients handed out must not change when the model computes the next batch."""
    rng = np.random.default_rng(4)
    model = MLP([5, 4, 3], seed=4, dtype=np.float64)
    X1, X2, y = rng.standard_normal((7, 5)), rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
    _, first, _ = model.loss_and_grads(X1, y, "softmax_ce")
    kept = [g.copy() for g in first]
    model.loss_and_grads(X2, y, "softmax_ce")
    for g, k in zip(first, kept):
        np.testing.assert_array_equal(g, k)


def test_softmax_matches_its_definition_and_never_overflows():
    from engine import softmax
    Z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(softmax(Z)[0], expected, rtol=1e-12)
    np.testing.assert_allclose(softmax(Z)[1], [0.5, 0.5, 0.0], atol=1e-12)
    hot = softmax(Z[:1], temperature=0.5)           # T < 1 sharpens: softmax(2z)
    np.testing.assert_allclose(hot[0], np.exp([2.0, 4.0, 6.0]) / np.exp([2.0, 4.0, 6.0]).sum(), rtol=1e-12)


def test_layer_outputs_are_each_layer_after_its_activation():
    from engine import MLP
    rng = np.random.default_rng(3)
    model = MLP([5, 4, 3, 2], hidden="tanh", output="sigmoid", seed=1)
    X = rng.random((6, 5), np.float32)
    A1 = np.tanh(X @ model.weights[0] + model.biases[0])
    A2 = np.tanh(A1 @ model.weights[1] + model.biases[1])
    A3 = 1 / (1 + np.exp(-(A2 @ model.weights[2] + model.biases[2])))
    outputs = model.layer_outputs(X)
    for got, expected in zip(outputs, (A1, A2, A3), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(outputs[-1], model.forward(X))


# --- the gradients' sums of squares, and their finiteness judged without reading them ------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weight_grads_finite_answers_as_the_sums_of_squares_do(dtype):
    """MLP.weight_grads_finite bounds a small batch's gradient AᵀE by its inputs and error signal
    instead of reading it; over gradients from tiny to overflowing (huge inputs and scales, dropout,
    biases, batches on either side of where the bound pays) it answers exactly as the gradients' own
    Σ g² do, and those are the float64 sums of squares (within the dtype's rounding)."""
    rng = np.random.default_rng(0)
    big = float(np.finfo(dtype).max)
    answers, bound_passed, bound_failed = [], 0, 0
    for case in range(300):
        sizes = [int(rng.integers(20, 90)), int(rng.integers(10, 40)), int(rng.integers(2, 6))]
        m = int(rng.choice([1, 3, 8, 120]))
        model = MLP(sizes, bias=bool(case % 2), seed=case, dtype=dtype, dropout=0.3 * (case % 3 == 0),
                    dropout_seed=case)
        X = (rng.standard_normal((m, sizes[0])) * 10.0 ** rng.uniform(-3, np.log10(big) / 3)).astype(dtype)
        y = rng.integers(0, sizes[-1], m)
        scale = float(rng.choice([-1, 1]) * 10.0 ** rng.uniform(-3, np.log10(big) / 2))
        with np.errstate(all="ignore"):
            model.backprop_step(X, y, model.check_loss("softmax_ce"), scale, training=True)
            squares = model.weight_grad_squares()
            finite = model.weight_grads_finite()
            for g, square in zip(model.weight_grads, squares):
                exact = float(np.sum(g.astype(np.float64) ** 2))
                if np.isfinite(exact) and exact < big / 2:
                    assert square == pytest.approx(exact, rel=1e-3 if dtype == np.float32 else 1e-9)
            buffers = model._buffers_for(m)
            A = X.astype(np.float64)
            bound = np.sum(A ** 2) * np.sum(buffers.grads[0].astype(np.float64) ** 2)
        assert finite == all(np.isfinite(squares)), f"case {case}"
        answers.append(finite)
        if buffers.bounded[0] and bound < big / 8:
            bound_passed += 1
        if buffers.bounded[0] and not bound < big / 2:
            bound_failed += 1
    assert 0 < sum(answers) < len(answers)           # both answers occur
    assert bound_passed > 50 and bound_failed > 20   # the bound proved some, the gradients settled others


def test_weight_grads_finite_reads_the_gradient_when_the_bound_overflows():
    """A batch whose first input is huge (its squares overflow float32) and classified right with a
    saturated softmax: its error signal is exactly 0, so the gradient is finite though the bound
    ‖A‖²‖E‖² is not: weight_grads_finite falls back on the gradient and says finite. With that row's
    label wrong, the gradient overflows and it says not finite; and integer inputs, whose Σ x²
    wraps around, are never taken as a bound."""
    model = MLP([40, 12, 3], hidden="identity", seed=1, init="he")
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 40)).astype(np.float32)
    X[0] *= 1e25
    y = rng.integers(0, 3, 4)
    y[0] = model.forward(X[:1]).argmax()
    loss = model.check_loss("softmax_ce")
    assert model._buffers_for(4).bounded == [True, False]
    with np.errstate(all="ignore"):
        model.backprop_step(X, y, loss)
        assert not np.isfinite(np.vdot(X, X))                   # the bound cannot prove anything
        assert np.isfinite(model.weight_grad_squares()).all() and model.weight_grads_finite()
        y[0] = (y[0] + 1) % 3
        model.backprop_step(X, y, loss)
        assert not np.isfinite(model.weight_grad_squares()[0]) and not model.weight_grads_finite()

        # integer inputs: their Σ x² wraps around (np.vdot of uint8 is uint8), so it bounds nothing
        model = MLP([40, 12], seed=1)
        pixels = np.full((4, 40), 255, np.uint8)
        assert np.vdot(pixels, pixels) < 256
        model.backprop_step(pixels, y, loss)
        error = model._buffers_for(4).grads[0].astype(np.float64)
        scale = np.sqrt(1e33 / np.sum(error ** 2))     # ‖E‖² 1e33 and ‖X‖² 1e7: Σ g² near 1e40
        model.backprop_step(pixels, y, loss, grad_scale=scale)
        assert not np.isfinite(model.weight_grad_squares()[0]) and not model.weight_grads_finite()
