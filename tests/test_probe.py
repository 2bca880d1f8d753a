"""engine.probe: every array of one batch's forward and backward pass, and the gradient check.

The probe's arrays are compared with PyTorch autograd (float64), with the model's own
`loss_and_grads` (bit for bit), with derivatives and loss gradients written out by hand, and with
central differences; `gradient_check` must pass on correct gradients, fail on wrong ones, and skip
a parameter whose difference quotient would straddle a ReLU's kink.
"""
import itertools

import numpy as np
import pytest

import engine.activations
import engine.probe
from engine import MLP
from engine.probe import GRADCHECK_EPSILON, GRADCHECK_TOLERANCE, GRADCHECK_WEIGHTS, gradient_check, probe

HIDDEN = ["relu", "sigmoid", "tanh", "identity"]
CASES = [(h, o, loss, bias)
         for h, o, loss, bias in itertools.product(HIDDEN, ["identity", "sigmoid"], ["softmax_ce", "mse", "bce"],
                                                   [True, False])
         if not (loss == "bce" and o != "sigmoid")]
IDS = [f"{h}-{o}-{loss}-{'bias' if b else 'nobias'}" for h, o, loss, b in CASES]
SIZES = [20, 16, 12, 10]
M = 6          # samples of a probed batch
RTOL, ATOL = 1e-10, 1e-12   # float64 against torch


def make_case(hidden, output, loss, bias, dtype=np.float64, m=M, seed=0):
    rng = np.random.default_rng(seed)
    model = MLP(SIZES, hidden=hidden, output=output, bias=bias, seed=seed, init="he", dtype=dtype)
    for b in model.biases:   # zero biases would leave their gradients' effect on the rest untested
        b[...] = 0.1 * rng.standard_normal(b.shape)
    X = rng.standard_normal((m, SIZES[0])).astype(dtype)
    k = SIZES[-1]
    if loss == "softmax_ce":
        Y = rng.integers(0, k, m)
    elif loss == "mse":
        Y = rng.standard_normal((m, k)).astype(dtype)
    else:
        Y = rng.uniform(0, 1, (m, k)).astype(dtype)   # soft targets in [0, 1]
    return model, X, Y


def one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def hand_derivative(name, pre):
    """σ'(pre) written out from the pre-activation, independently of engine.activations."""
    if name == "relu":
        return (pre > 0).astype(np.float64)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-pre))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(pre) ** 2
    assert name == "identity"
    return np.ones_like(pre)


def hand_activation(name, pre):
    return {"relu": lambda z: np.maximum(z, 0.0), "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
            "tanh": np.tanh, "identity": lambda z: z}[name](pre)


def hand_losses(A, Y, loss):
    """Each sample's own loss, written out."""
    if loss == "softmax_ce":
        return np.log(np.exp(A).sum(axis=1)) - A[np.arange(len(Y)), Y]
    if loss == "mse":
        return np.mean((A - Y) ** 2, axis=1)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=1)


def hand_mean_loss(model, X, Y, loss):
    """The batch's mean loss through a NumPy transcription of the network (no engine code)."""
    A = X
    for i, W in enumerate(model.weights):
        A = hand_activation(model.output.name if i == len(model.weights) - 1 else model.hidden.name,
                            A @ W + (model.biases[i] if model.biases else 0.0))
    return hand_losses(A, Y, loss).mean()


# --- 1. against PyTorch autograd, float64 -----------------------------------------------------------

def torch_probe(model, X, Y, hidden, output, loss):
    """The same network in torch: per layer (inputs, pre, outputs, d mean/d pre, d mean/d outputs), and
    the per-sample losses, parameter grads and outputs."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    acts = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda z: z * 1.0}
    weights = [torch.tensor(W, requires_grad=True) for W in model.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in model.biases]
    Z = torch.tensor(X)
    layers = []
    for i, W in enumerate(weights):
        pre = Z @ W + (biases[i] if biases else 0.0)
        pre.retain_grad()
        out = acts[output if i == len(weights) - 1 else hidden](pre)
        out.retain_grad()
        layers.append((Z, pre, out))
        Z = out
    if loss == "softmax_ce":
        losses = F.cross_entropy(Z, torch.tensor(Y.astype(np.int64)), reduction="none")
    elif loss == "mse":
        losses = F.mse_loss(Z, torch.tensor(Y), reduction="none").mean(dim=1)
    else:
        losses = F.binary_cross_entropy(Z, torch.tensor(Y), reduction="none").mean(dim=1)
    losses.mean().backward()
    layers = [(z.detach().numpy(), pre.detach().numpy(), out.detach().numpy(), pre.grad.numpy(), out.grad.numpy())
              for z, pre, out in layers]
    return (layers, losses.detach().numpy(), [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases],
            Z.detach().numpy())


@pytest.mark.parametrize("hidden, output, loss, bias", CASES, ids=IDS)
def test_every_array_matches_torch_autograd(hidden, output, loss, bias):
    model, X, Y = make_case(hidden, output, loss, bias)
    layers_t, losses_t, wgrads_t, bgrads_t, out_t = torch_probe(model, X, Y, hidden, output, loss)
    p = probe(model, loss, X, Y)
    close = dict(rtol=RTOL, atol=ATOL)
    assert len(p.layers) == 3 and p.loss_name == loss
    for i, (layer, (inputs, pre, out, pre_grad, out_grad)) in enumerate(zip(p.layers, layers_t, strict=True)):
        last = i == 2
        assert layer.activation == (output if last else hidden)
        np.testing.assert_allclose(layer.inputs, inputs, **close, err_msg=f"inputs of layer {i}")
        np.testing.assert_allclose(layer.pre_activation, pre, **close, err_msg=f"pre-activation of layer {i}")
        np.testing.assert_allclose(layer.outputs, out, **close, err_msg=f"outputs of layer {i}")
        # per-sample error signals: m × ∂(mean loss)/∂·
        np.testing.assert_allclose(layer.error, M * pre_grad, **close, err_msg=f"error of layer {i}")
        if last and loss == "bce":   # the loss absorbs the sigmoid: no signal between it and the loss
            assert layer.output_grad is None and layer.derivative is None
        else:
            np.testing.assert_allclose(layer.output_grad, M * out_grad, **close, err_msg=f"output_grad of layer {i}")
            assert layer.derivative is not None and layer.derivative.shape == pre.shape
        np.testing.assert_allclose(layer.weight_grad, wgrads_t[i], **close, err_msg=f"weight_grad of layer {i}")
        if bias:
            np.testing.assert_allclose(layer.bias_grad, bgrads_t[i], **close, err_msg=f"bias_grad of layer {i}")
        else:
            assert layer.bias_grad is None
    assert p.losses.shape == (M,) and p.losses.dtype == np.float64
    np.testing.assert_allclose(p.losses, losses_t, **close)
    assert p.loss == pytest.approx(losses_t.mean(), rel=RTOL)
    np.testing.assert_allclose(p.outputs, out_t, **close)
    np.testing.assert_array_equal(p.predictions, out_t.argmax(axis=1))
    assert p.predictions.dtype == np.int64


# --- 2. the probe's gradients are the model's own ---------------------------------------------------

@pytest.mark.parametrize("hidden, output, loss, bias", CASES, ids=IDS)
def test_gradients_and_loss_are_loss_and_grads_to_the_bit(hidden, output, loss, bias):
    model, X, Y = make_case(hidden, output, loss, bias, dtype=np.float32, m=8)
    before = [w.copy() for w in model.parameters]
    value, wgrads, bgrads = model.loss_and_grads(X, Y, loss)
    p = probe(model, loss, X, Y)
    assert p.loss == value   # exactly
    for layer, wg in zip(p.layers, wgrads, strict=True):
        assert layer.weight_grad.dtype == np.float32
        assert np.array_equal(layer.weight_grad, wg)
    if bias:
        for layer, bg in zip(p.layers, bgrads, strict=True):
            assert np.array_equal(layer.bias_grad, bg)
    else:
        assert bgrads == [] and all(layer.bias_grad is None for layer in p.layers)
    assert p.losses.dtype == np.float64
    assert p.losses.mean() == pytest.approx(value, rel=1e-6)
    np.testing.assert_array_equal(p.outputs, model.forward(X))
    for w, kept in zip(model.parameters, before, strict=True):   # the probe changes no parameter
        assert np.array_equal(w, kept)
    # the model's gradient buffers are left holding this batch's gradients
    for g, expected in zip(model.gradients, wgrads + bgrads, strict=True):
        assert np.array_equal(g, expected)


def test_probed_arrays_are_copies_that_outlive_the_next_batch():
    model, X, Y = make_case("relu", "identity", "softmax_ce", True, m=8)
    p = probe(model, "softmax_ce", X, Y)
    kept = [[np.copy(a) for a in (layer.inputs, layer.pre_activation, layer.outputs, layer.output_grad,
                                  layer.derivative, layer.error, layer.weight_grad, layer.bias_grad)]
            for layer in p.layers]
    X2 = X[::-1] + 1.0
    probe(model, "softmax_ce", X2, Y)
    model.loss_and_grads(X2, Y, "softmax_ce")
    for layer, arrays in zip(p.layers, kept):
        for a, k in zip((layer.inputs, layer.pre_activation, layer.outputs, layer.output_grad, layer.derivative,
                         layer.error, layer.weight_grad, layer.bias_grad), arrays):
            np.testing.assert_array_equal(a, k)


# --- 3.–5. derivatives, loss gradients and per-sample shares by hand --------------------------------

@pytest.mark.parametrize("hidden, output, loss, bias", CASES, ids=IDS)
def test_derivatives_errors_and_shares_by_hand(hidden, output, loss, bias):
    model, X, Y = make_case(hidden, output, loss, bias)
    p = probe(model, loss, X, Y)
    k = SIZES[-1]
    for i, layer in enumerate(p.layers):
        name = output if i == 2 else hidden
        pre = layer.pre_activation
        # outputs are σ(pre), inputs chain from the previous layer's outputs
        np.testing.assert_allclose(layer.outputs, hand_activation(name, pre), rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(layer.inputs, X if i == 0 else p.layers[i - 1].outputs)
        np.testing.assert_allclose(pre, layer.inputs @ model.weights[i] + (model.biases[i] if bias else 0.0),
                                   rtol=1e-13, atol=1e-14)
        if layer.derivative is not None:
            expected = hand_derivative(name, pre)
            if name == "relu":
                np.testing.assert_array_equal(layer.derivative, expected)
            else:
                np.testing.assert_allclose(layer.derivative, expected, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(layer.error, layer.output_grad * layer.derivative, rtol=1e-14, atol=0)
        # 5. the per-sample shares add up to the batch's gradients
        shares = [layer.sample_weight_grad(j) for j in range(M)]
        assert all(s.shape == model.weights[i].shape for s in shares)
        np.testing.assert_allclose(np.sum(shares, axis=0), layer.weight_grad, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(np.outer(layer.inputs[0], layer.error[0]) / M, shares[0], rtol=1e-15)
        np.testing.assert_allclose(layer.inputs.T @ layer.error / M, layer.weight_grad, rtol=1e-12, atol=1e-15)
        if bias:
            np.testing.assert_allclose(layer.error.mean(axis=0), layer.bias_grad, rtol=1e-12, atol=1e-15)
        if i < 2:   # the signal reaching a hidden output is the error above through the weights
            np.testing.assert_allclose(layer.output_grad, p.layers[i + 1].error @ model.weights[i + 1].T,
                                       rtol=1e-12, atol=1e-15)

    # 4. the output's signal: the gradient of each sample's own loss, written out
    top = p.layers[-1]
    A = top.outputs
    if loss == "softmax_ce":
        P = np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)
        np.testing.assert_allclose(p.probabilities, P, rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(top.output_grad, P - one_hot(Y, k), rtol=1e-12, atol=1e-15)
        if output == "identity":   # the notes' p − onehot(y)
            np.testing.assert_allclose(top.error, P - one_hot(Y, k), rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(p.targets, Y)
    elif loss == "mse":
        np.testing.assert_allclose(top.output_grad, 2 * (A - Y) / k, rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(p.probabilities, A)
    else:   # through the sigmoid at once: (p − y) / k
        np.testing.assert_allclose(top.error, (A - Y) / k, rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(p.probabilities, A)
    np.testing.assert_allclose(p.losses, hand_losses(A, Y, loss), rtol=1e-12)
    np.testing.assert_array_equal(p.predictions, A.argmax(axis=1))


@pytest.mark.parametrize("loss, output", [("mse", "identity"), ("bce", "sigmoid")])
def test_integer_labels_become_one_hot_targets(loss, output):
    model, X, _ = make_case("tanh", output, loss, True)
    y = np.random.default_rng(1).integers(0, SIZES[-1], M)
    p = probe(model, loss, X, y)
    q = probe(model, loss, X, one_hot(y, SIZES[-1]))
    np.testing.assert_array_equal(p.targets, one_hot(y, SIZES[-1]))
    for a, b in zip(p.layers, q.layers):
        np.testing.assert_array_equal(a.error, b.error)
        np.testing.assert_array_equal(a.weight_grad, b.weight_grad)


def test_probe_refuses_bce_without_a_sigmoid_output():
    model, X, Y = make_case("relu", "identity", "mse", True)
    with pytest.raises(ValueError):
        probe(model, "bce", X, np.clip(Y, 0, 1))


# --- 6. central differences, without torch -----------------------------------------------------------

@pytest.mark.parametrize("hidden, output, loss, bias", [("tanh", "identity", "softmax_ce", True),
                                                         ("sigmoid", "sigmoid", "bce", True),
                                                         ("relu", "identity", "mse", False)],
                         ids=["tanh-identity-softmax_ce", "sigmoid-sigmoid-bce", "relu-identity-mse-nobias"])
def test_weight_grads_match_central_differences(hidden, output, loss, bias):
    model, X, Y = make_case(hidden, output, loss, bias)
    p = probe(model, loss, X, Y)
    eps = 1e-6
    for i, layer in enumerate(p.layers):
        params = [(model.weights[i], layer.weight_grad)] + ([(model.biases[i], layer.bias_grad)] if bias else [])
        for param, analytic in params:
            numerical = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                saved = param[index]
                param[index] = saved + eps
                plus = hand_mean_loss(model, X, Y, loss)
                param[index] = saved - eps
                minus = hand_mean_loss(model, X, Y, loss)
                param[index] = saved
                numerical[index] = (plus - minus) / (2 * eps)
            np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-8, err_msg=f"layer {i}")


# --- 7. gradient_check --------------------------------------------------------------------------------

def n_biases(model):
    return sum(b.size for b in model.biases)


@pytest.mark.parametrize("hidden, output, loss, bias", CASES, ids=IDS)
def test_gradient_check_passes_on_float32_models(hidden, output, loss, bias):
    model, X, Y = make_case(hidden, output, loss, bias, dtype=np.float32, m=8)
    before = [w.copy() for w in model.parameters]
    check = gradient_check(model, loss, X, Y)
    assert check.passed, check.errors
    assert check.max_relative_error < 1e-6
    assert check.tolerance == GRADCHECK_TOLERANCE
    n_drawn = min(GRADCHECK_WEIGHTS, sum(w.size for w in model.weights))
    assert check.checked == n_drawn + n_biases(model) - check.skipped
    assert check.checked > 0 and check.skipped >= 0
    names = {"W1", "W2", "W3"} | ({"b1", "b2", "b3"} if bias else set())
    assert set(check.errors) <= names and {"W1", "W2", "W3"} <= set(check.errors)
    assert check.worst in check.errors
    for w, kept in zip(model.parameters, before, strict=True):   # the float32 model is left alone
        assert w.dtype == np.float32 and np.array_equal(w, kept)


def test_gradient_check_caps_the_draw_at_every_weight():
    model, X, Y = make_case("tanh", "identity", "softmax_ce", True, dtype=np.float32, m=8)
    check = gradient_check(model, "softmax_ce", X, Y, n_weights=10**6)
    total = sum(w.size for w in model.weights) + n_biases(model)
    assert check.skipped == 0 and check.checked == total
    assert check.passed
    few = gradient_check(model, "softmax_ce", X, Y, n_weights=5, seed=3)
    assert few.checked == 5 + n_biases(model) and few.passed


def test_gradient_check_fails_when_a_hidden_derivative_is_wrong(monkeypatch):
    """A tanh whose backprop is off by a factor: the analytic gradients below it are wrong, the
    forward pass (the numerical side) is not."""
    model, X, Y = make_case("tanh", "identity", "softmax_ce", True, dtype=np.float32, m=8)
    assert gradient_check(model, "softmax_ce", X, Y).passed

    def wrong_backprop(self, A, G):
        G *= 1.3 * (1.0 - A * A)

    monkeypatch.setattr(engine.activations.Tanh, "backprop", wrong_backprop)
    check = gradient_check(model, "softmax_ce", X, Y)
    assert not check.passed
    assert check.max_relative_error > 0.1
    assert check.worst in {"W1", "b1", "W2", "b2"}
    assert check.errors["W3"] < 1e-6   # the last layer's gradient does not go through the hidden σ'


@pytest.mark.parametrize("factor", [2.0, 1.0 + 1e-4])
def test_gradient_check_fails_when_the_probe_gradient_is_off(monkeypatch, factor):
    """Even a 1e-4 relative error in one layer's analytic gradient is caught."""
    model, X, Y = make_case("relu", "sigmoid", "bce", True, dtype=np.float32, m=8)
    real_probe = engine.probe.probe

    def off_probe(*args, **kwargs):
        p = real_probe(*args, **kwargs)
        p.layers[1].weight_grad *= factor
        return p

    monkeypatch.setattr(engine.probe, "probe", off_probe)
    check = gradient_check(model, "bce", X, Y)
    assert not check.passed
    assert check.worst == "W2"
    assert check.errors["W2"] == pytest.approx((factor - 1) / factor, rel=1e-3)
    assert all(error < 1e-6 for name, error in check.errors.items() if name != "W2")


def test_gradient_check_skips_a_relu_at_its_kink():
    """A hidden ReLU unit whose pre-activation is 1e-7 for one sample: moving its bias by ±ε switches
    it, so no difference quotient holds there; the check skips that parameter instead of failing."""
    model, X, Y = make_case("relu", "identity", "softmax_ce", True, dtype=np.float32, m=8)
    layer, unit, sample = 1, 3, 2
    assert gradient_check(model, "softmax_ce", X, Y).skipped == 0   # no kink within ±ε before the change
    A = X.astype(np.float64)
    for W, b in zip(model.weights[:layer], model.biases[:layer]):
        A = np.maximum(A @ W.astype(np.float64) + b, 0.0)
    z_without_bias = A[sample] @ model.weights[layer][:, unit].astype(np.float64)
    model.biases[layer][unit] = np.float32(1e-7 - z_without_bias)
    p64 = probe(MLP.from_arrays([w.astype(np.float64) for w in model.weights],
                                [b.astype(np.float64) for b in model.biases], hidden="relu"), "softmax_ce", X, Y)
    pre = p64.layers[layer].pre_activation[sample, unit]
    assert 0 < abs(pre) < 1e-6 < GRADCHECK_EPSILON   # inside ±ε of the kink
    # every other pre-activation of the layer is clear of it, so only this unit's kink is in play
    others = np.delete(np.abs(p64.layers[layer].pre_activation[:, unit]), sample)
    assert others.min() > 1e-3

    # the kink is real: a central difference over it disagrees with the analytic gradient
    b64 = [b.astype(np.float64) for b in model.biases]
    w64 = [w.astype(np.float64) for w in model.weights]
    model64 = MLP.from_arrays(w64, b64, hidden="relu")
    eps = GRADCHECK_EPSILON
    b64[layer][unit] += eps
    plus = hand_mean_loss(model64, X.astype(np.float64), Y, "softmax_ce")
    b64[layer][unit] -= 2 * eps
    minus = hand_mean_loss(model64, X.astype(np.float64), Y, "softmax_ce")
    b64[layer][unit] += eps
    analytic = p64.layers[layer].bias_grad[unit]
    assert abs((plus - minus) / (2 * eps) - analytic) > 1e-4 * abs(analytic)

    check = gradient_check(model, "softmax_ce", X, Y)
    assert check.skipped >= 1
    assert check.passed, check.errors
    assert check.checked == min(GRADCHECK_WEIGHTS, sum(w.size for w in model.weights)) + n_biases(model) \
        - check.skipped


def test_gradient_check_passes_on_an_already_float64_model():
    model, X, Y = make_case("sigmoid", "sigmoid", "mse", False, dtype=np.float64, m=8)
    check = gradient_check(model, "mse", X, Y)
    assert check.passed and check.checked == GRADCHECK_WEIGHTS and check.skipped == 0


# --- 8. the trace hook changes nothing -----------------------------------------------------------------

@pytest.mark.parametrize("hidden, output, loss", [("relu", "identity", "softmax_ce"), ("tanh", "sigmoid", "bce"),
                                                  ("sigmoid", "sigmoid", "mse")])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_trace_hook_does_not_change_results(hidden, output, loss, dtype):
    from engine import get_loss
    model, X, Y = make_case(hidden, output, loss, True, dtype=dtype, m=8)
    twin = MLP.from_arrays([w.copy() for w in model.weights], [b.copy() for b in model.biases],
                           hidden=hidden, output=output)
    L = get_loss(loss)
    targets = L.targets(Y, SIZES[-1], dtype)
    seen = []

    def trace(kind, layer, array):
        seen.append((kind, layer, array.shape))
        array.sum()   # read it, as a tracer would

    for grad_scale in (1.0, -0.05):
        value, out = model.backprop_step(X, targets, L, grad_scale)
        out, grads = out.copy(), [g.copy() for g in model.gradients]
        traced_value, traced_out = twin.backprop_step(X, targets, L, grad_scale, trace=trace)
        assert traced_value == value
        assert np.array_equal(traced_out, out)
        for g, expected in zip(twin.gradients, grads, strict=True):
            assert np.array_equal(g, expected)
    kinds = {(kind, layer) for kind, layer, _ in seen}
    expected = {("pre_activation", i) for i in range(3)} | {("error", i) for i in range(3)} \
        | {("output_grad", i) for i in range(2)} | ({("output_grad", 2)} if loss != "bce" else set())
    assert kinds == expected
    assert all(shape == (8, SIZES[layer + 1]) for _, layer, shape in seen)


@pytest.mark.parametrize("scale", [8.0, 15.0])
def test_gradient_check_passes_a_sigmoid_bce_net_that_is_confidently_wrong(scale):
    """Outputs near 0 or 1 where the label says the opposite: P and 1 − P are known only to ~1e-16/P
    and BCE clamps its logs, so a check differencing the loss of P would fail a right gradient;
    the check differences the loss of the logits, which the gradient (P − Y)/(m k) belongs to."""
    rng = np.random.default_rng(0)
    model = MLP([20, 16, 12, 10], hidden="tanh", output="sigmoid", seed=0, init="he")
    model.weights[-1] *= scale                      # logits up to about ±15 and ±28
    X, y = rng.standard_normal((8, 20)).astype(np.float32), rng.integers(0, 10, 8)
    logits = probe(model, "bce", X, y).layers[-1].pre_activation
    assert np.abs(logits).max() > 12
    result = gradient_check(model, "bce", X, y)
    assert result.passed, result.errors


def test_a_check_that_compares_nothing_or_meets_a_nan_does_not_pass():
    from engine.probe import GradientCheck

    assert not GradientCheck({}, 0, 5).passed
    nan_hidden = GradientCheck({"W1": 1e-9, "W2": float("nan")}, 2, 0)
    assert not nan_hidden.passed and nan_hidden.worst == "W2"
