"""Learning-rate schedules and the SGD update (momentum, weight decay, rate changes) by hand and against torch."""
import math

import numpy as np
import pytest

from engine import MLP, SGD, Constant, Cosine, InverseTime, StepDecay, Trainer, make_schedule


def rates(schedule, steps, base=0.4):
    """The learning rate SGD reports before each of `steps` steps (zero gradients: nothing moves)."""
    param = np.ones(3)
    optimizer = SGD([param], learning_rate=base, schedule=schedule)
    seen = []
    for _ in range(steps):
        seen.append(optimizer.current_learning_rate())
        optimizer.step([np.zeros(3)])
    np.testing.assert_array_equal(param, np.ones(3))
    return seen


# --- schedules by hand ----------------------------------------------------------------------------

def test_constant_schedule():
    assert rates(Constant(), 5) == pytest.approx([0.4] * 5)
    assert rates(None, 5) == pytest.approx([0.4] * 5)


def test_inverse_time_schedule():
    tau = 4.0
    expected = [0.4 / (1 + t / tau) for t in range(12)]   # 0.4, 0.32, 0.2667, ...
    assert rates(InverseTime(tau), 12) == pytest.approx(expected, rel=1e-12)
    assert expected[4] == pytest.approx(0.2)                # halved after τ steps


def test_step_decay_schedule():
    assert rates(StepDecay(3, 0.5), 8) == pytest.approx([0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1, 0.1], rel=1e-12)


@pytest.mark.parametrize("min_fraction", [0.0, 0.1])
def test_cosine_schedule_endpoints_and_middle(min_fraction):
    seen = rates(Cosine(10, min_fraction=min_fraction), 11)
    assert seen[0] == pytest.approx(0.4, rel=1e-12)
    assert seen[5] == pytest.approx(0.4 * (min_fraction + (1 - min_fraction) / 2), rel=1e-12)
    assert seen[10] == pytest.approx(0.4 * min_fraction, abs=1e-12)
    expected = [0.4 * (min_fraction + (1 - min_fraction) * 0.5 * (1 + math.cos(math.pi * t / 10))) for t in range(11)]
    assert seen == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_make_schedule_names():
    total = 100
    assert rates(make_schedule("constant", total), total) == pytest.approx([0.4] * total)

    inverse = rates(make_schedule("inverse_time", total), total)
    tau = inverse[1] / (inverse[0] - inverse[1])          # from η₁ = η₀ / (1 + 1/τ)
    assert tau > 0
    assert inverse == pytest.approx([0.4 / (1 + t / tau) for t in range(total)], rel=1e-9)

    step = rates(make_schedule("step", total), total)
    assert step[0] == pytest.approx(0.4)
    assert all(b <= a for a, b in zip(step, step[1:])) and step[-1] < 0.4
    assert len(set(np.round(step, 12))) > 1 and len(set(np.round(step, 12))) < 10   # a few flat steps

    cosine = rates(make_schedule("cosine", total), total + 1)
    assert cosine[0] == pytest.approx(0.4) and cosine[total] == pytest.approx(0.0, abs=1e-12)
    assert all(b < a for a, b in zip(cosine[:total], cosine[1:]))

    with pytest.raises(ValueError):
        make_schedule("exponential", total)


def test_base_rate_change_keeps_the_schedule_shape():
    optimizer = SGD([np.zeros(2)], learning_rate=0.4, schedule=InverseTime(2.0))
    for _ in range(3):
        optimizer.step([np.zeros(2)])
    optimizer.learning_rate = 1.0
    assert optimizer.learning_rate == 1.0
    assert optimizer.current_learning_rate() == pytest.approx(1.0 / (1 + 3 / 2.0))


# --- the update itself, observed through a Trainer -------------------------------------------------

def small_problem(seed=0, n=40, bias=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 6))
    y = rng.integers(0, 3, n)
    model = MLP([6, 5, 3], bias=bias, seed=seed, dtype=np.float64)
    return model, X, y


def hand_sgd_run(model, X, y, batch, lrs, momentum=0.0, weight_decay=0.0):
    """v ← μ v + (∇ + λ p); p ← p − η_t v, with ∇ from the (finite-difference-checked) loss_and_grads."""
    clone = MLP.from_arrays([W.copy() for W in model.weights], [b.copy() for b in model.biases],
                            hidden="relu", output="identity")
    params = clone.weights + clone.biases
    velocity = [np.zeros_like(p) for p in params]
    starts = list(range(0, len(X), batch))
    for t, lr in enumerate(lrs):
        start = starts[t % len(starts)]
        _, wg, bg = clone.loss_and_grads(X[start:start + batch], y[start:start + batch], "softmax_ce")
        for p, g, v in zip(params, wg + bg, velocity):
            v *= momentum
            v += g + weight_decay * p
            p -= lr * v
    return clone


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.01), (0.8, 0.05)])
@pytest.mark.parametrize("bias", [False, True])
def test_sgd_update_matches_hand_computation(momentum, weight_decay, bias):
    model, X, y = small_problem(seed=1, bias=bias)
    for b in model.biases:
        b[...] = 0.1
    lrs = [0.3] * 5 + [0.05] * 4 + [0.2] * 3      # the rate changed twice between steps
    expected = hand_sgd_run(model, X, y, batch=16, lrs=lrs, momentum=momentum, weight_decay=weight_decay)

    optimizer = SGD(model.weights + model.biases, learning_rate=lrs[0], momentum=momentum, weight_decay=weight_decay)
    trainer = Trainer(model, "softmax_ce", optimizer, X, y, batch_size=16)
    for lr in lrs:
        trainer.learning_rate = lr
        assert trainer.step().learning_rate == pytest.approx(lr)
    for mine, theirs in zip(model.weights + model.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


def test_schedule_drives_the_actual_update():
    model, X, y = small_problem(seed=2)
    tau = 3.0
    lrs = [0.5 / (1 + t / tau) for t in range(7)]
    expected = hand_sgd_run(model, X, y, batch=8, lrs=lrs)
    trainer = Trainer(model, "softmax_ce", SGD(model.weights, 0.5, schedule=InverseTime(tau)), X, y, batch_size=8)
    reported = [trainer.step().learning_rate for _ in lrs]
    assert reported == pytest.approx(lrs, rel=1e-12)
    for mine, theirs in zip(model.weights, expected.weights):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.01), (0.9, 0.01)])
def test_sgd_matches_torch_optim_sgd(momentum, weight_decay):
    torch = pytest.importorskip("torch")
    model, X, y = small_problem(seed=3, n=48)
    weights = [torch.tensor(W.copy(), requires_grad=True) for W in model.weights]
    reference = torch.optim.SGD(weights, lr=0.2, momentum=momentum, weight_decay=weight_decay)
    trainer = Trainer(model, "softmax_ce", SGD(model.weights, 0.2, momentum, weight_decay), X, y, batch_size=12)

    lrs = [0.2] * 6 + [0.05] * 6
    for t, lr in enumerate(lrs):
        start = (t % 4) * 12
        for group in reference.param_groups:
            group["lr"] = lr
        reference.zero_grad()
        hidden = torch.relu(torch.tensor(X[start:start + 12]) @ weights[0])
        loss = torch.nn.functional.cross_entropy(hidden @ weights[1], torch.tensor(y[start:start + 12]))
        loss.backward()
        reference.step()
        trainer.learning_rate = lr
        result = trainer.step()
        assert result.loss == pytest.approx(loss.item(), rel=1e-10)
    for mine, theirs in zip(model.weights, weights):
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_invalid_optimizer_settings():
    params = [np.zeros(3)]
    for kwargs in (dict(learning_rate=0.0), dict(learning_rate=-1.0), dict(momentum=-0.1),
                   dict(weight_decay=-0.01)):
        with pytest.raises(ValueError):
            SGD(params, **kwargs)


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.01)])
def test_step_with_plain_gradients_descends_and_leaves_them_untouched(momentum, weight_decay):
    rng = np.random.default_rng(3)
    p = rng.standard_normal((4, 3))
    g = rng.standard_normal((4, 3))
    before, grad_copy = p.copy(), g.copy()
    SGD([p], learning_rate=0.05, momentum=momentum, weight_decay=weight_decay).step([g])
    # first step: velocity = g + λp, so the update is −η(g + λp) with or without momentum
    np.testing.assert_allclose(p, before - 0.05 * (grad_copy + weight_decay * before), rtol=1e-12)
    np.testing.assert_array_equal(g, grad_copy)


def test_a_cosine_schedule_run_down_to_zero_steps_without_diverging():
    """After the planned steps the rate is 0: a step changes nothing and is not a divergence."""
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 5), dtype=np.float32), rng.integers(0, 3, 40)
    model = MLP([5, 3], bias=False)
    trainer = Trainer(model, "softmax_ce", SGD(model.parameters, 0.5, schedule=Cosine(total_steps=2)),
                      X, y, batch_size=20, grad_norm_every=1)
    trainer.run_epoch()
    before = model.weights[0].copy()
    result = trainer.step()
    assert result.learning_rate == 0.0 and result.finite
    assert all(math.isfinite(n) and n > 0 for n in result.grad_norms)
    np.testing.assert_array_equal(model.weights[0], before)
