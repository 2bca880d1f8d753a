"""The loss along a line between two sets of parameters: its ends are the two models' own held-out
loss, it is convex for softmax regression (a convex loss of a linear model), and the line needs one
architecture at both ends."""
import numpy as np
import pytest

from engine import ModelConfig, TrainConfig, build_trainer, evaluate, load_folder
from engine.landscape import ALPHAS, interpolate, loss_along_line


@pytest.fixture(scope="module")
def digits(shared_data):
    test = load_folder(shared_data / "mnist").test
    return test.X, test.y


def trained(kind, X, y, epochs=1):
    trainer = build_trainer(ModelConfig(kind, hidden=(32,)), TrainConfig(epochs=epochs), X, y, n_outputs=10)
    initial = [p.copy() for p in trainer.model.parameters]
    for _ in range(epochs):
        trainer.run_epoch()
    return trainer.model, initial


def test_the_ends_are_the_two_models_and_softmax_regression_is_convex_between(digits):
    X, y = digits
    model, initial = trained("softmax", X[2000:6000], y[2000:6000])
    start = [np.asarray(p) for p in initial]
    alphas, losses, errors = loss_along_line(start, model.parameters, 1, "relu", "identity", "softmax_ce",
                                             X[:2000], y[:2000])
    assert 0.0 in alphas and 1.0 in alphas and alphas.min() == -0.5 and alphas.max() == 1.5
    end = evaluate(model, "softmax_ce", X[:2000], y[:2000])
    assert losses[alphas == 1.0][0] == pytest.approx(end.loss, rel=1e-5)
    assert errors[alphas == 1.0][0] == pytest.approx(end.error)
    assert losses[alphas == 0.0][0] == pytest.approx(np.log(10), rel=1e-5)   # W₀ = 0: uniform answers
    assert np.all(np.diff(losses, 2) >= -1e-4)              # convex in α
    assert losses[alphas == 1.0][0] < losses[alphas == 0.0][0]


def test_a_two_layer_line_and_interpolation(digits):
    X, y = digits
    model, initial = trained("two-layer", X[2000:6000], y[2000:6000])
    halfway = interpolate(initial, model.parameters, 0.5)
    np.testing.assert_allclose(halfway[0], (initial[0] + model.weights[0]) / 2, rtol=1e-6)
    alphas, losses, _ = loss_along_line(initial, model.parameters, 2, "relu", "identity", "softmax_ce",
                                        X[:500], y[:500], alphas=[0.0, 0.5, 1.0])
    assert losses[2] < losses[0]
    calls = []
    _, stopped, _ = loss_along_line(initial, model.parameters, 2, "relu", "identity", "softmax_ce", X[:500],
                                    y[:500], alphas=ALPHAS, cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert np.isfinite(stopped[:3]).all() and np.isnan(stopped[3:]).all()


def test_a_line_needs_one_architecture():
    a = [np.zeros((4, 3), np.float32)]
    b = [np.zeros((4, 2), np.float32)]
    with pytest.raises(ValueError, match="different architectures"):
        loss_along_line(a, b, 1, "relu", "identity", "softmax_ce", np.zeros((2, 4), np.float32), np.zeros(2, int))
