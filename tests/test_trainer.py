"""The Trainer: one minibatch per step, the classic numbers, seeds, evaluation, snapshots, configuration."""
import numpy as np
import pytest

from engine import (MLP, SGD, ModelConfig, TrainConfig, Trainer, build_trainer, nn_epoch,
                    softmax_regression_epoch)


def synthetic(n=53, features=12, k=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features)).astype(np.float32)
    y = (X @ rng.standard_normal((features, k))).argmax(axis=1).astype(np.uint8)
    return X, y


def two_layer_trainer(X, y, hidden=9, lr=0.3, batch=10, shuffle=False, seed=0, model_seed=0, **options):
    model = MLP([X.shape[1], hidden, int(y.max()) + 1], bias=False, seed=model_seed, init="scaled")
    return Trainer(model, "softmax_ce", SGD(model.weights, learning_rate=lr), X, y,
                   batch_size=batch, shuffle=shuffle, seed=seed, **options)


def softmax_probabilities(logits):
    logits = logits.astype(np.float64)
    E = np.exp(logits - logits.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(logits, y):
    return float(np.mean(-np.log(softmax_probabilities(logits)[np.arange(len(y)), y])))


# --- stepping -----------------------------------------------------------------------------------

def test_step_runs_exactly_one_minibatch_and_counts_right():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10)
    assert trainer.batches_per_epoch == 6
    assert (trainer.samples_seen, trainer.epoch, trainer.batch, trainer.steps) == (0, 0, 0, 0)

    seen = []
    for expected_batch in range(6):
        result = trainer.step()
        assert (result.epoch, result.batch) == (0, expected_batch)
        assert result.epoch_end == (expected_batch == 5)
        seen.append(trainer.samples_seen)
    assert seen == [10, 20, 30, 40, 50, 53]         # the last, shorter batch counts its 3 rows
    assert (trainer.epoch, trainer.batch, trainer.steps) == (1, 0, 6)

    result = trainer.step()
    assert (result.epoch, result.batch, result.epoch_end) == (1, 0, False)
    assert (trainer.samples_seen, trainer.epoch, trainer.batch, trainer.steps) == (63, 1, 1, 7)

    rest = trainer.run_epoch()
    assert [r.batch for r in rest] == [1, 2, 3, 4, 5] and rest[-1].epoch_end
    assert (trainer.samples_seen, trainer.epoch, trainer.steps) == (106, 2, 12)


def test_step_changes_the_weights_by_one_batch_gradient():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10, lr=0.3)
    model = trainer.model
    reference = MLP.from_arrays([W.astype(np.float64) for W in model.weights], hidden="relu")
    _, grads, _ = reference.loss_and_grads(X[:10].astype(np.float64), y[:10], "softmax_ce")
    before = [W.copy() for W in model.weights]
    trainer.step()
    for W, W0, g in zip(model.weights, before, grads):
        np.testing.assert_allclose(W, W0 - 0.3 * g, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("every", [1, 2, None])
def test_step_result_reports_the_batch_loss_error_and_gradient_norms(every):
    """The norms on every `grad_norm_every`-th step (default: once per 100 examples, here every
    10th step), nan on the others; the other figures on every step."""
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10, lr=0.3, grad_norm_every=every)
    assert trainer.grad_norm_every == (every or 10)
    model = trainer.model
    for start in range(0, 53, 10):
        Xb, yb = X[start:start + 10].astype(np.float64), y[start:start + 10]
        W1, W2 = (W.astype(np.float64) for W in model.weights)   # the weights this step starts from
        Z1 = np.maximum(Xb @ W1, 0)
        logits = Z1 @ W2
        G2 = softmax_probabilities(logits)
        G2[np.arange(len(yb)), yb] -= 1
        G1 = (Z1 > 0) * (G2 @ W2.T)
        result = trainer.step()
        assert result.loss == pytest.approx(cross_entropy(logits, yb), rel=1e-5)
        assert result.error == pytest.approx(np.mean(logits.argmax(axis=1) != yb))
        assert result.learning_rate == pytest.approx(0.3)
        if start // 10 % trainer.grad_norm_every == 0:
            assert result.grad_norms == pytest.approx([np.linalg.norm(Xb.T @ G1 / len(yb)),
                                                       np.linalg.norm(Z1.T @ G2 / len(yb))], rel=1e-4)
        else:
            assert np.isnan(result.grad_norms).all() and len(result.grad_norms) == 2
        assert result.finite


def test_gradient_norms_default_to_once_per_100_examples_and_every_kept_step():
    X, y = synthetic(n=300)
    assert [two_layer_trainer(X, y, batch=b).grad_norm_every for b in (1, 10, 30, 64, 100, 300)] \
        == [100, 10, 4, 2, 1, 1]
    trainer = two_layer_trainer(X, y, batch=10, grad_norm_every=3)
    shown = [np.isfinite(trainer.step(keep_rows=step in (4, 5)).grad_norms).all() for step in range(8)]
    assert shown == [True, False, False, True, True, True, True, False]   # 0, 3, 6 and the kept 4, 5
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match="every k"):
            two_layer_trainer(X, y, grad_norm_every=bad)


def test_finite_flag_turns_false_when_training_blows_up():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10)
    trainer.model.weights[1][0, 0] = np.inf
    with np.errstate(all="ignore"):
        assert trainer.step().finite is False


@pytest.mark.parametrize("n, batch", [(53, 10), (60, 10), (53, 53), (31, 7)])
def test_trainer_in_order_equals_nn_epoch_exactly(n, batch):
    X, y = synthetic(n=n)
    trainer = two_layer_trainer(X, y, batch=batch, lr=0.3)
    W1, W2 = (W.copy() for W in trainer.model.weights)
    for _ in range(2):
        results = trainer.run_epoch()
        nn_epoch(X, y, W1, W2, lr=0.3, batch=batch)
        assert len(results) == -(-n // batch)
    np.testing.assert_array_equal(trainer.model.weights[0], W1)
    np.testing.assert_array_equal(trainer.model.weights[1], W2)


def test_softmax_regression_trainer_equals_softmax_regression_epoch_exactly():
    X, y = synthetic(n=53)
    model = MLP([12, 4], bias=False, init="zeros")
    trainer = Trainer(model, "softmax_ce", SGD(model.weights, 0.5), X, y, batch_size=10)
    theta = np.zeros((12, 4), np.float32)
    trainer.run_epoch()
    softmax_regression_epoch(X, y, theta, lr=0.5, batch=10)
    np.testing.assert_array_equal(model.weights[0], theta)
    assert np.abs(theta).max() > 0


# --- seeds and shuffling -------------------------------------------------------------------------

def run(X, y, shuffle, seed, epochs=2):
    trainer = two_layer_trainer(X, y, batch=10, shuffle=shuffle, seed=seed)
    losses = [r.loss for _ in range(epochs) for r in trainer.run_epoch()]
    return trainer.model.weights, losses


def test_identical_seeds_give_identical_runs():
    X, y = synthetic(n=53)
    (W1a, W2a), losses_a = run(X, y, shuffle=True, seed=5)
    (W1b, W2b), losses_b = run(X, y, shuffle=True, seed=5)
    np.testing.assert_array_equal(W1a, W1b)
    np.testing.assert_array_equal(W2a, W2b)
    assert losses_a == losses_b


def test_different_seeds_differ_with_shuffle_on():
    X, y = synthetic(n=53)
    (W1a, _), losses_a = run(X, y, shuffle=True, seed=5)
    (W1b, _), losses_b = run(X, y, shuffle=True, seed=6)
    (W1c, _), _ = run(X, y, shuffle=False, seed=5)
    assert not np.allclose(W1a, W1b) and losses_a != losses_b
    assert not np.allclose(W1a, W1c)


def test_shuffle_does_not_change_the_data_and_reshuffles_each_epoch():
    X, y = synthetic(n=53)
    X_copy, y_copy = X.copy(), y.copy()
    trainer = two_layer_trainer(X, y, batch=10, shuffle=True, seed=1, lr=1e-12)
    first = [r.loss for r in trainer.run_epoch()]
    second = [r.loss for r in trainer.run_epoch()]
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert first != second   # weights barely move at this rate, so the batches differ


def test_a_shuffled_epoch_visits_every_example_once():
    """At a negligible learning rate, the batch losses weighted by batch size add up to the full-data loss."""
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10, shuffle=True, seed=3, lr=1e-12)
    full = cross_entropy(trainer.model.forward(X), y)
    sizes = [10] * 5 + [3]
    for _ in range(3):   # the first epoch and the reshuffled ones after it
        results = trainer.run_epoch()
        assert sum(r.loss * s for r, s in zip(results, sizes)) / 53 == pytest.approx(full, rel=1e-5)


# --- evaluate ------------------------------------------------------------------------------------

def test_evaluate_against_the_forward_pass():
    rng = np.random.default_rng(8)
    n, k = 4500, 5   # more rows than one evaluation chunk, so indices cross chunk boundaries
    X = rng.standard_normal((n, 6)).astype(np.float32)
    y = rng.integers(0, k, n).astype(np.uint8)
    model = MLP([6, 8, k], seed=8, init="he")
    trainer = Trainer(model, "softmax_ce", SGD(model.weights + model.biases, 0.1), X[:100], y[:100])

    evaluation = trainer.evaluate(X, y)
    logits = model.forward(X)
    predicted = logits.argmax(axis=1)
    wrong = predicted != y

    assert evaluation.error == pytest.approx(np.mean(wrong))
    assert evaluation.loss == pytest.approx(cross_entropy(logits, y), rel=1e-5)
    confusion = evaluation.confusion
    assert confusion.shape == (k, k)
    assert confusion.sum() == n
    assert np.trace(confusion) == np.count_nonzero(~wrong)
    np.testing.assert_array_equal(confusion.sum(axis=1), np.bincount(y, minlength=k))          # rows: truth
    np.testing.assert_array_equal(confusion.sum(axis=0), np.bincount(predicted, minlength=k))  # cols: prediction
    assert confusion[2, 3] == np.count_nonzero((y == 2) & (predicted == 3))

    mistakes = evaluation.misclassified
    assert len(mistakes.indices) == np.count_nonzero(wrong)
    assert sorted(mistakes.indices.tolist()) == np.flatnonzero(wrong).tolist()
    np.testing.assert_array_equal(mistakes.predicted, predicted[mistakes.indices])
    assert np.all(y[mistakes.indices] != mistakes.predicted)
    assert np.all(np.diff(mistakes.confidence) <= 0), "most confident mistakes must come first"
    probabilities = softmax_probabilities(logits[mistakes.indices])
    np.testing.assert_allclose(mistakes.confidence, probabilities.max(axis=1), rtol=1e-5)


@pytest.mark.parametrize("loss, output", [("mse", "identity"), ("mse", "sigmoid"), ("bce", "sigmoid")])
def test_evaluate_loss_for_mse_and_bce_is_the_mean_over_all_elements(loss, output):
    rng = np.random.default_rng(9)
    n, k = 2300, 3
    X = rng.standard_normal((n, 6)).astype(np.float32)
    y = rng.integers(0, k, n).astype(np.uint8)
    model = MLP([6, 8, k], output=output, seed=9, init="he")
    trainer = Trainer(model, loss, SGD(model.weights + model.biases, 0.1), X[:100], y[:100])
    evaluation = trainer.evaluate(X, y)
    A = model.forward(X).astype(np.float64)
    Y = np.eye(k)[y]
    if loss == "mse":
        expected = np.mean((A - Y) ** 2)
    else:
        expected = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert evaluation.loss == pytest.approx(expected, rel=1e-5)
    assert evaluation.error == pytest.approx(np.mean(A.argmax(axis=1) != y))
    assert evaluation.confusion.sum() == n


def test_evaluate_does_not_train():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y)
    before = [W.copy() for W in trainer.model.weights]
    trainer.evaluate(X, y)
    for W, W0 in zip(trainer.model.weights, before):
        np.testing.assert_array_equal(W, W0)
    assert (trainer.steps, trainer.samples_seen) == (0, 0)


# --- snapshot ------------------------------------------------------------------------------------

def test_snapshot_returns_copies():
    X, y = synthetic(n=53)
    model = MLP([12, 9, 4], seed=1)
    trainer = Trainer(model, "softmax_ce", SGD(model.weights + model.biases, 0.3), X, y, batch_size=10)
    trainer.step()
    trainer.step()
    snap = trainer.snapshot()
    assert (snap.steps, snap.epoch, snap.samples_seen) == (2, 0, 20)
    for mine, theirs in zip(snap.weights + snap.biases, model.weights + model.biases):
        np.testing.assert_array_equal(mine, theirs)
        assert not np.shares_memory(mine, theirs)

    kept = [W.copy() for W in model.weights + model.biases]
    for array in snap.weights + snap.biases:
        array[...] = 123.0
    for W, W0 in zip(model.weights + model.biases, kept):
        np.testing.assert_array_equal(W, W0)

    snap = trainer.snapshot()
    frozen = [W.copy() for W in snap.weights]
    trainer.step()
    for W, W0 in zip(snap.weights, frozen):
        np.testing.assert_array_equal(W, W0)


# --- learning rate -------------------------------------------------------------------------------

def test_learning_rate_set_on_the_trainer_shows_in_the_next_step():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, lr=0.3)
    assert trainer.step().learning_rate == pytest.approx(0.3)
    trainer.learning_rate = 0.05
    assert trainer.learning_rate == pytest.approx(0.05)
    before = [W.astype(np.float64) for W in trainer.model.weights]
    reference = MLP.from_arrays([W.copy() for W in before], hidden="relu")
    _, grads, _ = reference.loss_and_grads(X[10:20].astype(np.float64), y[10:20], "softmax_ce")
    assert trainer.step().learning_rate == pytest.approx(0.05)
    for W, W0, g in zip(trainer.model.weights, before, grads):
        np.testing.assert_allclose(W, W0 - 0.05 * g, rtol=1e-5, atol=1e-6)


# --- configuration ------------------------------------------------------------------------------

@pytest.mark.parametrize("model_config, train_config", [
    (ModelConfig(), TrainConfig(batch_size=0)),
    (ModelConfig(), TrainConfig(batch_size=-5)),
    (ModelConfig(), TrainConfig(learning_rate=0.0)),
    (ModelConfig(), TrainConfig(learning_rate=-0.1)),
    (ModelConfig(), TrainConfig(learning_rate=float("nan"))),
    (ModelConfig(kind="transformer"), TrainConfig()),
    (ModelConfig(hidden=(0,)), TrainConfig()),
    (ModelConfig(kind="mlp", hidden=(8, 0)), TrainConfig()),
    (ModelConfig(kind="mlp", activation="swish"), TrainConfig()),
    (ModelConfig(kind="mlp", loss="bce", output="identity"), TrainConfig()),
    (ModelConfig(), TrainConfig(schedule="exponential")),
], ids=["batch-0", "batch-negative", "lr-0", "lr-negative", "lr-nan", "unknown-kind", "hidden-0",
        "mlp-hidden-0", "unknown-activation", "bce-identity", "unknown-schedule"])
def test_build_trainer_rejects_bad_configs(model_config, train_config):
    X, y = synthetic(n=53)
    with pytest.raises(ValueError):
        build_trainer(model_config, train_config, X, y)


@pytest.mark.parametrize("kind, sizes, n_biases", [
    ("softmax", [12, 4], 0), ("two-layer", [12, 7, 4], 0), ("mlp", [12, 7, 5, 4], 3), ("linear", [12, 4], 1)])
def test_build_trainer_builds_the_described_model(kind, sizes, n_biases):
    X, y = synthetic(n=53)
    trainer = build_trainer(ModelConfig(kind=kind, hidden=(7, 5)), TrainConfig(batch_size=10, learning_rate=0.1),
                            X, y, X[:20], y[:20])
    assert trainer.model.sizes == sizes
    assert len(trainer.model.biases) == n_biases
    assert trainer.batches_per_epoch == 6
    assert trainer.step().learning_rate == pytest.approx(0.1)


def test_build_trainer_two_layer_equals_nn_epoch():
    X, y = synthetic(n=53)
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(9,), seed=4),
                            TrainConfig(learning_rate=0.3, batch_size=10), X, y)
    W1, W2 = (W.copy() for W in trainer.model.weights)
    trainer.run_epoch()
    nn_epoch(X, y, W1, W2, lr=0.3, batch=10)
    np.testing.assert_array_equal(trainer.model.weights[0], W1)
    np.testing.assert_array_equal(trainer.model.weights[1], W2)


# --- steps kept to be inspected, and one-example steps ------------------------------------------

def _expected_after(trainer, rows, lr):
    """The weights one plain SGD step on X_train[rows] gives, from an independent copy."""
    copy = MLP.from_arrays([w.copy() for w in trainer.model.weights], hidden="relu", output="identity")
    _, grads, _ = copy.loss_and_grads(trainer.X_train[rows], trainer.y_train[rows].astype(np.intp), "softmax_ce")
    return [w - lr * g for w, g in zip(trainer.model.weights, grads)]


@pytest.mark.parametrize("shuffle", [False, True], ids=["in-order", "shuffled"])
def test_a_kept_step_names_the_rows_it_trained_on(shuffle):
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10, shuffle=shuffle, seed=3)
    for _ in range(7):   # into the second epoch (a fresh shuffle), past the short last batch
        trainer.step()
    planned = trainer.next_rows()
    expected = _expected_after(trainer, planned, 0.3)
    result = trainer.step(keep_rows=True)
    assert np.array_equal(result.rows, planned) and len(result.rows) == 10
    if not shuffle:
        assert np.array_equal(result.rows, np.arange(10, 20))
    for w, e in zip(trainer.model.weights, expected):
        np.testing.assert_allclose(w, e, rtol=1e-5, atol=1e-7)
    assert trainer.step().rows is None   # only when asked


def test_a_one_example_step_trains_on_the_first_example_and_leaves_the_epoch_where_it_was():
    X, y = synthetic(n=53)
    trainer = two_layer_trainer(X, y, batch=10, shuffle=True, seed=1)
    trainer.step()
    batch_rows = trainer.next_rows()
    expected = _expected_after(trainer, batch_rows[:1], 0.3)
    result = trainer.step(keep_rows=True, size=1)
    assert np.array_equal(result.rows, batch_rows[:1])
    for w, e in zip(trainer.model.weights, expected):
        np.testing.assert_allclose(w, e, rtol=1e-5, atol=1e-7)
    assert (trainer.steps, trainer.samples_seen, trainer.batch) == (2, 11, 1)
    assert np.array_equal(trainer.step(keep_rows=True).rows, batch_rows)   # the whole batch comes next
    results = [trainer.step() for _ in range(trainer.batches_per_epoch - 2)]
    assert results[-1].epoch_end and trainer.epoch == 1 and trainer.history[-1].samples_seen == 54
    with pytest.raises(ValueError, match="at least one example"):
        trainer.step(size=0)
