"""Dropout, data augmentation and early stopping."""
import numpy as np
import pytest

from engine import (MLP, ModelConfig, TrainConfig, Trainer, build_trainer, evaluate, get_loss, load_run,
                    restore_trainer, save_run)
from engine.augment import Augmenter, transform
from engine.optim import SGD
from engine.robustness import rotate, shift


# --- dropout --------------------------------------------------------------------------------------

def training_output(model, X, loss="mse"):
    """The output of one training-mode pass (dropout on), as a copy."""
    loss = get_loss(loss)
    Y = np.zeros((len(X), model.sizes[-1]), model.dtype)
    return model.backprop_step(X, Y, loss, training=True)[1].copy()


@pytest.mark.parametrize("sizes, hidden", [([8, 16, 3], "relu"), ([8, 12, 10, 3], "identity")],
                         ids=["one-relu-layer", "two-linear-layers"])
@pytest.mark.parametrize("p", [0.2, 0.5])
def test_the_mean_training_output_over_many_seeds_is_the_plain_output(sizes, hidden, p):
    """Inverted dropout: E[output] = plain output wherever the layers after the masks are linear in
    the dropped units (one hidden layer before an identity output; or linear hidden layers, whose
    independent masks' expectations multiply)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, sizes[0]))
    model = MLP(sizes, hidden=hidden, seed=1, init="he", dtype=np.float64)
    for b in model.biases:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    plain = model.forward(X)
    draws = 3000
    outputs = np.empty((draws, *plain.shape))
    for seed in range(draws):
        model.set_dropout(p, seed=seed)
        outputs[seed] = training_output(model, X)
    assert not np.allclose(outputs[0], plain)                       # a single pass does drop
    spread = outputs.std(axis=0, ddof=1)
    tolerance = 5 * spread / np.sqrt(draws) + 1e-12                 # 5 standard errors of the mean
    assert np.all(np.abs(outputs.mean(axis=0) - plain) <= tolerance)
    assert np.abs(outputs.mean(axis=0) - plain).max() < 0.1 * np.abs(plain).max()


def test_dropout_drops_the_right_fraction_and_scales_the_rest():
    model = MLP([4, 1000, 2], hidden="identity", bias=False, seed=0, dtype=np.float64, dropout=0.3, dropout_seed=5)
    X = np.ones((50, 4))
    model.backprop_step(X, np.zeros(50, np.intp), get_loss("softmax_ce"), training=True)
    mask = model._buffers_for(50).masks[0]
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert (mask == 0).mean() == pytest.approx(0.3, abs=0.01)


def test_forward_evaluation_and_plain_gradients_never_drop():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((20, 6)), rng.integers(0, 3, 20)
    model = MLP([6, 10, 3], seed=2, dtype=np.float64)
    plain = MLP.from_arrays([W.copy() for W in model.weights], [b.copy() for b in model.biases])
    model.set_dropout(0.5, seed=0)
    np.testing.assert_array_equal(model.forward(X), plain.forward(X))
    for mine, theirs in zip(model.layer_outputs(X), plain.layer_outputs(X)):
        np.testing.assert_array_equal(mine, theirs)
    assert evaluate(model, "softmax_ce", X, y).loss == evaluate(plain, "softmax_ce", X, y).loss
    value, wgrads, _ = model.loss_and_grads(X, y, "softmax_ce")
    assert value == plain.loss_and_grads(X, y, "softmax_ce")[0]
    training_loss = model.backprop_step(X, y, get_loss("softmax_ce"), training=True)[0]
    assert training_loss != value


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu"])
def test_backprop_through_a_fixed_mask_matches_finite_differences(hidden):
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
    model = MLP([5, 8, 6, 3], hidden=hidden, seed=3, init="he", dtype=np.float64, dropout=0.4, dropout_seed=9)
    for b in model.biases:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    loss = get_loss("softmax_ce")
    mask_state = model.dropout_rng.bit_generator.state

    def loss_with_the_mask():
        model.dropout_rng.bit_generator.state = mask_state   # the same masks every time
        return model.backprop_step(X, y, loss, training=True)[0]

    loss_with_the_mask()
    grads = [g.copy() for g in model.gradients]
    assert any((m == 0).any() for m in model._buffers_for(7).masks)
    h = 1e-6
    for p, g in zip(model.parameters, grads):
        numeric = np.empty_like(p)
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + h
            up = loss_with_the_mask()
            p[index] = saved - h
            down = loss_with_the_mask()
            p[index] = saved
            numeric[index] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)


def small_images(n=60, side=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, side * side), dtype=np.float32)
    return X, rng.integers(0, 4, n)


def test_a_dropout_trainer_is_seeded_and_evaluates_without_dropping():
    X, y = small_images()
    model_config = ModelConfig("mlp", hidden=(16,))
    runs = [build_trainer(model_config, TrainConfig(batch_size=20, dropout=d, seed=s), X, y, X, y)
            for d, s in ((0.5, 0), (0.5, 0), (0.5, 1), (0.0, 0))]
    losses = [[t.step().loss for _ in range(6)] for t in runs]
    assert losses[0] == losses[1] and losses[0] != losses[2] and losses[0] != losses[3]
    assert runs[0].model.dropout == 0.5 and runs[3].model.dropout == 0.0
    record = runs[0].history[-1]
    assert record.test_loss == evaluate(runs[0].model, "softmax_ce", X, y).loss   # no dropout there


# --- augmentation ---------------------------------------------------------------------------------

def test_zero_amounts_are_the_identity_and_do_no_work():
    X, _ = small_images()
    before = X.copy()
    assert np.array_equal(Augmenter((6, 6), 0, 0.0, 0.0)(X), before)
    assert np.array_equal(transform(X, (6, 6), np.zeros(len(X)), np.zeros((len(X), 2), int)), before)
    assert np.array_equal(transform(X, (6, 6)), before)
    X, y = small_images()
    for shuffle in (False, True):
        plain = build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=20, shuffle=shuffle), X, y)
        zero = build_trainer(ModelConfig("softmax"),
                             TrainConfig(batch_size=20, shuffle=shuffle, augment_shift=0, augment_rotation=0.0,
                                         augment_noise=0.0), X, y)
        assert zero.augmenter is None
        assert (zero._X_batch is None) == (not shuffle)       # in order: the data's own rows, no copy
        assert [zero.step().loss for _ in range(5)] == [plain.step().loss for _ in range(5)]
        np.testing.assert_array_equal(zero.model.weights[0], plain.model.weights[0])


def test_a_shift_moves_a_lit_pixel_by_at_most_k():
    images = np.zeros((200, 9, 9), np.float32)
    images[:, 4, 4] = 1.0
    X = images.reshape(200, 81)
    Augmenter((9, 9), shift=2, seed=3)(X)
    moved = X.reshape(200, 9, 9)
    assert np.all(moved.sum(axis=(1, 2)) == 1.0)                     # still one lit pixel, whole
    rows, cols = np.nonzero(moved)[1:]
    assert set(rows - 4) == set(cols - 4) == {-2, -1, 0, 1, 2}       # every shift in −2 … 2 happens
    assert np.mean((rows == 4) & (cols == 4)) < 0.2


def test_per_image_transforms_agree_with_the_robustness_spoilers():
    rng = np.random.default_rng(4)
    images = rng.random((3, 8, 10), dtype=np.float32)
    shifts = np.array([[1, -2], [0, 3], [-4, 0]])
    moved = transform(images.reshape(3, 80), (8, 10), shifts=shifts).reshape(3, 8, 10)
    for image, s, got in zip(images, shifts, moved):
        np.testing.assert_array_equal(got, shift(image, tuple(s)))
    angles = np.array([17.0, -90.0, 33.5])
    turned = transform(images.reshape(3, 80), (8, 10), degrees=angles).reshape(3, 8, 10)
    for image, angle, got in zip(images, angles, turned):
        np.testing.assert_allclose(got, rotate(image, angle), rtol=1e-5, atol=1e-6)


def test_rotation_and_noise_keep_pixels_in_range():
    X = np.ones((100, 64), np.float32)                     # all-white: the worst case for rounding up
    X[50:] = np.random.default_rng(5).random((50, 64), dtype=np.float32)
    before = X.copy()
    Augmenter((8, 8), rotation=45.0, seed=1)(X)
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert not np.array_equal(X, before)
    Augmenter((8, 8), shift=1, rotation=30.0, noise=0.5, seed=2)(X)
    assert X.min() >= 0.0 and X.max() <= 1.0
    grey = np.full((400, 64), 0.5, np.float32)
    Augmenter((8, 8), noise=0.1, seed=3)(grey)
    assert grey.std() == pytest.approx(0.1, rel=0.05) and grey.mean() == pytest.approx(0.5, abs=0.005)


@pytest.mark.parametrize("shuffle", [False, True])
def test_augmented_runs_are_seeded_reproducible_and_leave_the_data_alone(shuffle):
    X, y = small_images(seed=6)
    data = X.copy()
    config = dict(batch_size=20, shuffle=shuffle, augment_shift=1, augment_rotation=15.0, augment_noise=0.1)
    runs = [build_trainer(ModelConfig("two-layer", hidden=(8,)), TrainConfig(seed=s, **config), X, y)
            for s in (0, 0, 1)]
    steps = [[t.step(keep_rows=True) for _ in range(7)] for t in runs]
    losses = [[r.loss for r in s] for s in steps]
    assert losses[0] == losses[1] and losses[0] != losses[2]
    np.testing.assert_array_equal(runs[0].model.weights[0], runs[1].model.weights[0])
    assert np.array_equal(X, data)                                    # the data set never changes
    first = steps[0][0]
    assert first.inputs is not None and first.inputs.shape == (20, 36)
    assert not np.array_equal(first.inputs, X[first.rows])           # the step trained on augmented rows
    plain = build_trainer(ModelConfig("two-layer", hidden=(8,)), TrainConfig(batch_size=20, shuffle=shuffle), X, y)
    assert [plain.step().loss for _ in range(7)] != losses[0]


def test_augmenting_inputs_that_are_not_images_is_refused():
    rng = np.random.default_rng(7)
    X, y = rng.random((30, 10), dtype=np.float32), rng.integers(0, 2, 30)
    for amounts in (dict(augment_shift=1), dict(augment_rotation=5.0), dict(augment_noise=0.1)):
        with pytest.raises(ValueError, match="image"):
            build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=10, **amounts), X, y)
    with pytest.raises(ValueError, match="image"):
        build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=10, augment_shift=1), X, y, image_shape=(3, 3))
    trainer = build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=10, augment_shift=1), X, y,
                            image_shape=(2, 5))
    assert trainer.image_shape == (2, 5) and trainer.step().finite
    assert build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=10), X, y).step().finite   # no augmentation


# --- early stopping -------------------------------------------------------------------------------

def overfitting_problem():
    """40 training rows with 40 % noisy labels, a clean held-out set: the held-out loss falls for a
    few epochs, then rises as the network learns the noise."""
    rng = np.random.default_rng(1)
    T = rng.standard_normal((20, 3))
    X = rng.standard_normal((40, 20))
    y = (X @ T).argmax(axis=1)
    noisy = rng.random(40) < 0.4
    y[noisy] = rng.integers(0, 3, noisy.sum())
    X_test = rng.standard_normal((200, 20))
    return X, y, X_test, (X_test @ T).argmax(axis=1)


def overfitting_trainer(patience, restore_best):
    model = MLP([20, 64, 3], seed=0, init="he", dtype=np.float64)
    return Trainer(model, "softmax_ce", SGD(model.parameters, 0.05), *overfitting_problem(), batch_size=10,
                   early_stopping=patience, restore_best=restore_best)


@pytest.mark.parametrize("restore_best", [False, True])
def test_early_stopping_stops_after_n_epochs_without_improvement(restore_best):
    patience = 3
    trainer = overfitting_trainer(patience, restore_best)
    weights_after = {}
    while not trainer.stopped_early and trainer.epoch < 40:
        trainer.run_epoch()
        weights_after[trainer.epoch] = [p.copy() for p in trainer.model.parameters]
    held_out = [r.test_loss for r in trainer.history]
    best = int(np.argmin(held_out)) + 1
    assert 1 < best < trainer.epoch                           # it improved, then got worse
    assert trainer.stopped_early and trainer.epoch == best + patience
    assert (trainer.best_epoch, trainer.best_loss) == (best, held_out[best - 1])
    assert all(loss >= held_out[best - 1] for loss in held_out[best:])
    kept = weights_after[best] if restore_best else weights_after[trainer.epoch]
    for p, expected in zip(trainer.model.parameters, kept, strict=True):
        np.testing.assert_array_equal(p, expected)
    if restore_best:
        assert trainer.last_evaluation.loss == held_out[best - 1]
        assert evaluate(trainer.model, "softmax_ce", *overfitting_problem()[2:]).loss == held_out[best - 1]
    else:
        assert trainer.best_parameters == []


def test_without_patience_it_never_stops_but_still_knows_its_best_epoch():
    trainer = overfitting_trainer(0, False)
    for _ in range(15):
        trainer.run_epoch()
    assert not trainer.stopped_early
    assert trainer.best_epoch == int(np.argmin([r.test_loss for r in trainer.history])) + 1


def test_a_saved_run_keeps_its_best_so_far_and_stops_where_the_straight_run_stops(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.random((80, 16), dtype=np.float32)
    y = rng.integers(0, 4, 80)
    data = X[:20], y[:20], X[20:], y[20:]   # 20 rows of random labels: it overfits at once
    model_config = ModelConfig("mlp", hidden=(32,))
    train_config = TrainConfig(batch_size=10, learning_rate=0.05, optimizer="adam", early_stopping=2,
                               restore_best=True, epochs=30)
    straight = build_trainer(model_config, train_config, *data)
    while not straight.stopped_early and straight.epoch < 30:
        straight.run_epoch()
    assert straight.stopped_early and straight.best_epoch >= 1

    first = build_trainer(model_config, train_config, *data)
    while first.epoch < straight.best_epoch + 1:            # saved after the best, before the stop
        first.run_epoch()
    save_run(tmp_path / "run.npz", first, model_config, train_config)
    saved = load_run(tmp_path / "run.npz")
    assert len(saved.best) == len(first.model.parameters)
    continued = restore_trainer(saved, *data)
    assert (continued.best_epoch, continued.best_loss) == (first.best_epoch, first.best_loss)
    while not continued.stopped_early and continued.epoch < 30:
        continued.run_epoch()
    assert continued.epoch == straight.epoch
    for got, want in zip(continued.model.parameters, straight.model.parameters, strict=True):
        np.testing.assert_array_equal(got, want)
