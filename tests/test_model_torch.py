"""The MLP against the same network built in PyTorch (float32), and its initialisation statistics."""
import itertools

import numpy as np
import pytest

from engine import MLP

HIDDEN = ["relu", "sigmoid", "tanh", "identity"]
CASES = [(h, o, loss) for h, o, loss in itertools.product(HIDDEN, ["identity", "sigmoid"], ["softmax_ce", "mse", "bce"])
         if not (loss == "bce" and o != "sigmoid")]


def torch_case(model, X, Y, hidden, output, loss):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    acts = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda z: z}
    weights = [torch.tensor(W, requires_grad=True) for W in model.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in model.biases]
    Z = torch.tensor(X)
    for i, W in enumerate(weights):
        Z = Z @ W + (biases[i] if biases else 0.0)
        Z = acts[output if i == len(weights) - 1 else hidden](Z)
    if loss == "softmax_ce":
        value = F.cross_entropy(Z, torch.tensor(Y.astype(np.int64)))
    elif loss == "mse":
        value = F.mse_loss(Z, torch.tensor(Y))
    else:
        value = F.binary_cross_entropy(Z, torch.tensor(Y))
    value.backward()
    return (Z.detach().numpy(), value.item(), [w.grad.numpy() for w in weights],
            [b.grad.numpy() for b in biases])


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("hidden, output, loss", CASES, ids=["-".join(c) for c in CASES])
def test_forward_loss_and_gradients_match_torch(hidden, output, loss, bias):
    rng = np.random.default_rng(11)
    model = MLP([20, 16, 12, 10], hidden=hidden, output=output, bias=bias, seed=11, init="he")
    for b in model.biases:
        b[...] = 0.1 * rng.standard_normal(b.shape).astype(np.float32)
    X = rng.standard_normal((32, 20)).astype(np.float32)
    if loss == "softmax_ce":
        Y = rng.integers(0, 10, 32)
    elif loss == "mse":
        Y = rng.standard_normal((32, 10)).astype(np.float32)
    else:
        Y = rng.uniform(0, 1, (32, 10)).astype(np.float32)

    out_t, loss_t, wgrads_t, bgrads_t = torch_case(model, X, Y, hidden, output, loss)
    out = model.forward(X)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, out_t, rtol=1e-4, atol=1e-6)
    value, wgrads, bgrads = model.loss_and_grads(X, Y, loss)
    assert value == pytest.approx(loss_t, rel=1e-4)
    assert len(bgrads) == len(bgrads_t)
    for mine, theirs in zip(wgrads + bgrads, wgrads_t + bgrads_t):
        assert mine.dtype == np.float32
        scale = np.abs(theirs).max()
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-5 * scale + 1e-8)


@pytest.mark.parametrize("label_dtype", [np.int64, np.uint8], ids=["int64", "uint8"])   # uint8: what parse_mnist gives
def test_mnist_sized_two_layer_net_matches_torch(label_dtype):
    rng = np.random.default_rng(12)
    model = MLP([784, 100, 10], bias=False, seed=12, init="scaled")
    X = rng.uniform(0, 1, (100, 784)).astype(np.float32)
    y = rng.integers(0, 10, 100).astype(label_dtype)
    out_t, loss_t, wgrads_t, _ = torch_case(model, X, y, "relu", "identity", "softmax_ce")
    np.testing.assert_allclose(model.forward(X), out_t, rtol=1e-4, atol=1e-5)
    value, wgrads, bgrads = model.loss_and_grads(X, y, "softmax_ce")
    assert bgrads == []
    assert value == pytest.approx(loss_t, rel=1e-5)
    for mine, theirs in zip(wgrads, wgrads_t):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-5 * np.abs(theirs).max())


# --- initialisation --------------------------------------------------------------------------------

FAN_IN, FAN_OUT = 1600, 400
EXPECTED_STD = {
    "normal": np.sqrt(1 / FAN_IN),
    "scaled": np.sqrt(1 / FAN_OUT),
    "he": np.sqrt(2 / FAN_IN),
    "xavier": np.sqrt(2 / (FAN_IN + FAN_OUT)),
}


@pytest.mark.parametrize("init", list(EXPECTED_STD))
def test_init_standard_deviation(init):
    model = MLP([FAN_IN, FAN_OUT], init=init, seed=1)
    (W,), (b,) = model.weights, model.biases
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float32
    # 640,000 draws: the sample std is within ~0.1 % of the true one; 3 % separates every scheme
    assert W.std() == pytest.approx(EXPECTED_STD[init], rel=0.03)
    assert abs(W.mean()) < 0.01 * EXPECTED_STD[init]
    np.testing.assert_array_equal(b, np.zeros(FAN_OUT, np.float32))


def test_init_schemes_differ_from_each_other():
    """The test above can only tell schemes apart if their formulas differ at this shape."""
    stds = sorted(EXPECTED_STD.values())
    assert all(b / a > 1.06 for a, b in zip(stds, stds[1:]))


def test_zeros_init():
    model = MLP([30, 20, 10], init="zeros")
    for W in model.weights:
        assert not W.any()


def test_every_layer_is_initialised_by_its_own_fans():
    model = MLP([900, 100, 10], init="scaled", seed=2)
    assert model.weights[0].std() == pytest.approx(np.sqrt(1 / 100), rel=0.03)
    assert model.weights[1].std() == pytest.approx(np.sqrt(1 / 10), rel=0.05)
    assert [W.shape for W in model.weights] == [(900, 100), (100, 10)]
    assert [b.shape for b in model.biases] == [(100,), (10,)]
    assert model.sizes == [900, 100, 10]


def test_same_seed_same_weights_different_seed_different_weights():
    a = MLP([50, 20, 10], seed=3)
    b = MLP([50, 20, 10], seed=3)
    c = MLP([50, 20, 10], seed=4)
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_from_arrays_wraps_without_copying():
    W1, W2 = np.ones((4, 3), np.float32), np.ones((3, 2), np.float32)
    model = MLP.from_arrays([W1, W2], hidden="relu", output="identity")
    assert model.weights[0] is W1 and model.weights[1] is W2
    assert model.biases == []
    W2[0, 0] = 5.0   # changing the caller's array changes the model's output
    np.testing.assert_allclose(model.forward(np.ones((1, 4), np.float32)), [[4 * 7.0, 4 * 3.0]])
