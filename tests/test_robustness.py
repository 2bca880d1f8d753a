"""engine.robustness: the four spoilers against hand computations, and the accuracy curves of a
small model on the real MNIST test digits (found through TRAINER_DATA_DIR)."""
import numpy as np
import pytest

from engine import ModelConfig, TrainConfig, build_trainer, evaluate, load_folder
from engine.robustness import (SPOILERS, Cancelled, add_noise, robustness_curves, rotate, shift, spoil,
                               thickness)


def random_images(n=3, h=7, w=7, seed=0):
    return np.random.default_rng(seed).random((n, h, w), dtype=np.float32)


# --- rotation ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(6, 6), (7, 7), (28, 28)])
@pytest.mark.parametrize("degrees, k", [(90, 1), (180, 2), (270, 3), (-90, 3), (450, 1), (360, 0)])
def test_rotation_by_right_angles_is_rot90_exactly(size, degrees, k):
    images = random_images(4, *size)
    turned = rotate(images, degrees)
    assert turned.dtype == np.float32 and turned.shape == images.shape
    for image, result in zip(images, turned):
        np.testing.assert_array_equal(result, np.rot90(image, k=k))


def test_positive_rotation_is_counter_clockwise_on_screen():
    image = np.zeros((5, 5), np.float32)
    image[0, 4] = 1.0                      # top right corner
    assert rotate(image, 90)[0, 0] == 1.0  # goes to the top left corner


def test_rotation_by_45_degrees_of_a_centred_bar_by_hand():
    """A horizontal bar through the middle of a 5×5 image, turned 45° counter-clockwise: output pixel
    (r, c) samples the source at (2 + (dy + dx)/√2, 2 + (dx − dy)/√2), (dy, dx) = (r − 2, c − 2)."""
    bar = np.zeros((5, 5), np.float32)
    bar[2, :] = 1.0
    turned = rotate(bar[None], 45)[0]
    root = np.sqrt(2.0)
    expected = {
        (2, 2): 1.0,                 # the centre stays
        (1, 3): 1.0,                 # samples (2, 2 + √2): on the bar, between two lit pixels
        (3, 1): 1.0,
        (0, 4): 3.0 - 2.0 * root,    # samples (2, 2 + 2√2) = (2, 4.83): 0.17 of pixel (2, 4), rest outside
        (4, 0): 3.0 - 2.0 * root,
        (1, 2): 1.0 - 1.0 / root,    # samples (2 − 1/√2, 2 + 1/√2): 0.29 of the lit row 2
        (2, 3): 1.0 - 1.0 / root,
        (1, 1): 0.0,                 # samples (2 − √2, 2): between rows 0 and 1, both dark
        (0, 0): 0.0,
        (3, 3): 0.0,
    }
    for (r, c), value in expected.items():
        assert turned[r, c] == pytest.approx(value, abs=1e-6), (r, c)
    np.testing.assert_allclose(turned, turned.T[::-1, ::-1], atol=1e-6)   # symmetric about the "/" diagonal


def test_rotation_fills_with_zeros_outside():
    ones = np.ones((1, 9, 9), np.float32)
    turned = rotate(ones, 45)[0]
    assert turned[4, 4] == 1.0
    assert turned[0, 0] == 0.0 and turned[8, 8] == 0.0      # corners sample far outside


# --- identities -------------------------------------------------------------------------------------

def test_zero_settings_are_the_identity_exactly():
    images = random_images(5, 28, 28)
    for result in (rotate(images, 0), shift(images, 0), add_noise(images, 0.0), thickness(images, 0),
                   shift(images, (0, 0))):
        assert result is not images and result.dtype == images.dtype
        np.testing.assert_array_equal(result, images)
    for name, spoiler in SPOILERS.items():
        assert 0 in spoiler.settings
        np.testing.assert_array_equal(spoil(images, name, 0), images)


# --- shift ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("k", range(0, 7))
def test_shift_moves_a_lit_pixel_down_and_right_by_k(k):
    image = np.zeros((1, 10, 10), np.float32)
    image[0, 2, 3] = 0.75
    moved = shift(image, k)
    expected = np.zeros_like(image)
    expected[0, 2 + k, 3 + k] = 0.75
    np.testing.assert_array_equal(moved, expected)


def test_shift_fills_with_zeros_and_drops_what_leaves():
    ones = np.ones((2, 6, 8), np.float32)
    moved = shift(ones, 2)
    assert moved[:, :2].sum() == 0 and moved[:, :, :2].sum() == 0
    assert (moved[:, 2:, 2:] == 1).all()
    assert shift(ones, 6).sum() == 0                       # everything moved out
    up_right = shift(np.arange(12, dtype=np.float32).reshape(1, 3, 4), (-1, 2))[0]
    np.testing.assert_array_equal(up_right, [[0, 0, 4, 5], [0, 0, 8, 9], [0, 0, 0, 0]])


# --- stroke thickness -------------------------------------------------------------------------------

def hand_filter(image, pick):
    """min or max over the 3×3 neighbourhood inside the image, with explicit loops."""
    h, w = image.shape
    out = np.empty_like(image)
    for r in range(h):
        for c in range(w):
            out[r, c] = pick(image[rr, cc] for rr in range(r - 1, r + 2) for cc in range(c - 1, c + 2)
                             if 0 <= rr < h and 0 <= cc < w)
    return out


@pytest.mark.parametrize("amount", [-3, -2, -1, 1, 2, 3])
def test_erosion_and_dilation_equal_a_hand_written_min_and_max(amount):
    images = random_images(3, 6, 7, seed=amount + 10)
    expected = images.copy()
    for i in range(len(images)):
        for _ in range(abs(amount)):
            expected[i] = hand_filter(expected[i], min if amount < 0 else max)
    np.testing.assert_array_equal(thickness(images, amount), expected)


def test_erosion_thins_and_dilation_thickens_a_stroke():
    stroke = np.zeros((1, 9, 9), np.float32)
    stroke[0, 2:7, 3:6] = 1.0                               # 3 px wide
    assert thickness(stroke, -1)[0, :, 4].sum() == 3 and thickness(stroke, -1).sum() == 3
    assert thickness(stroke, 1).sum() == 7 * 5


# --- noise ------------------------------------------------------------------------------------------

def test_noise_is_deterministic_with_a_seed_and_chunk_independent():
    images = random_images(250, 28, 28)
    once = add_noise(images, 0.3, seed=4)
    np.testing.assert_array_equal(once, add_noise(images, 0.3, seed=4))
    assert not np.array_equal(once, add_noise(images, 0.3, seed=5))
    assert once.min() >= 0.0 and once.max() <= 1.0 and once.dtype == np.float32
    # spoiled in chunks that do not follow the noise's blocks, each told where it starts
    pieces = [add_noise(images[a:b], 0.3, seed=4, start=a) for a, b in ((0, 37), (37, 180), (180, 250))]
    np.testing.assert_array_equal(np.concatenate(pieces), once)


def test_noise_has_the_requested_sigma():
    grey = np.full((100, 28, 28), 0.5, np.float32)
    for sigma in (0.05, 0.1):        # 5σ from the clipping edges: practically never clipped
        noise = add_noise(grey, sigma, seed=1) - 0.5
        assert noise.mean() == pytest.approx(0.0, abs=3e-3 * sigma / 0.1)
        assert noise.std() == pytest.approx(sigma, rel=0.02)
    # the same draws scaled: the noise at 2σ is twice that at σ before clipping
    np.testing.assert_allclose(add_noise(grey, 0.1, seed=1) - 0.5,
                               (add_noise(grey, 0.05, seed=1) - 0.5) * 2, atol=1e-6)


def test_spoilers_keep_a_single_image_2d():
    image = random_images(1, 28, 28)[0]
    for name, spoiler in SPOILERS.items():
        assert spoil(image, name, spoiler.settings[-1]).shape == (28, 28)


# --- the curves on real MNIST -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits_and_model(shared_data):
    test = load_folder(shared_data / "mnist").test
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(100,)), TrainConfig(epochs=2),
                            test.X[2000:], test.y[2000:])
    for _ in range(2):
        trainer.run_epoch()
    return test.X[:2000], test.y[:2000], trainer.model


@pytest.fixture(scope="module")
def curves(digits_and_model):
    X, y, model = digits_and_model
    return robustness_curves(model, X, y, (28, 28))


def test_zero_settings_equal_the_held_out_accuracy_exactly(digits_and_model, curves):
    X, y, model = digits_and_model
    plain = 1 - evaluate(model, "softmax_ce", X, y).error
    assert plain > 0.85
    assert list(curves) == list(SPOILERS)
    for name, (settings, accuracy) in curves.items():
        np.testing.assert_array_equal(settings, SPOILERS[name].settings)
        assert accuracy.dtype == np.float64 and ((0 <= accuracy) & (accuracy <= 1)).all()
        assert accuracy[settings == 0][0] == plain, name


def test_accuracy_falls_at_the_extremes(digits_and_model, curves):
    plain = 1 - evaluate(digits_and_model[2], "softmax_ce", *digits_and_model[:2]).error
    noise, rotation, moved, thick = (curves[name][1] for name in ("noise", "rotation", "shift", "thickness"))
    assert noise[-1] < 0.8 * plain and noise[-1] < noise[3] < noise[0]
    assert rotation[0] < 0.8 * plain and rotation[-1] < 0.8 * plain
    assert moved[-1] < 0.5 * plain
    assert thick[0] < 0.8 * plain and thick[-1] < 0.8 * plain


def test_a_point_equals_the_model_on_the_spoiled_digits(digits_and_model, curves):
    X, y, model = digits_and_model
    images = X.reshape(-1, 28, 28)
    for name, setting in (("noise", 0.3), ("rotation", 15), ("shift", 2), ("thickness", -1)):
        settings, accuracy = curves[name]
        spoiled = spoil(images, name, setting).reshape(len(X), -1)
        wrong = np.count_nonzero(model.forward(spoiled).argmax(axis=1) != y)
        assert accuracy[np.flatnonzero(np.isclose(settings, setting))[0]] == 1 - wrong / len(y), name


def test_curves_barely_depend_on_the_chunk(digits_and_model, curves):
    X, y, model = digits_and_model
    chunked = robustness_curves(model, X, y, (28, 28), chunk=700)
    for name, (settings, accuracy) in chunked.items():
        # the same spoiled digits; only the model's rounding on other batch sizes may differ
        np.testing.assert_allclose(accuracy, curves[name][1], atol=2 / len(y))
        assert accuracy[settings == 0][0] == curves[name][1][settings == 0][0]


# --- cancelling -------------------------------------------------------------------------------------

def test_cancelled_raises_and_is_polled_between_chunks():
    rng = np.random.default_rng(0)
    X, y = rng.random((50, 64), dtype=np.float32), rng.integers(0, 3, 50)
    from engine import MLP
    model = MLP([64, 5, 3])
    with pytest.raises(Cancelled):
        robustness_curves(model, X, y, (8, 8), chunk=20, cancelled=lambda: True)
    calls = []

    def after_three():
        calls.append(1)
        return len(calls) >= 3
    with pytest.raises(Cancelled):
        robustness_curves(model, X, y, (8, 8), chunk=20, cancelled=after_three)
    assert len(calls) == 3
    polls = []
    result = robustness_curves(model, X, y, (8, 8), chunk=20, cancelled=lambda: polls.append(1) and False)
    n_passes = sum(np.count_nonzero(s.settings != 0) for s in SPOILERS.values())
    assert len(polls) >= 3 * n_passes and set(result) == set(SPOILERS)


def test_bad_arguments_are_refused():
    from engine import MLP
    model = MLP([16, 3])
    X, y = np.zeros((4, 16), np.float32), np.array([0, 1, 2, 0])
    with pytest.raises(ValueError):
        robustness_curves(model, X, y, (5, 5))
    with pytest.raises(ValueError):
        robustness_curves(model, X, y[:3], (4, 4))
    with pytest.raises(ValueError):
        thickness(X.reshape(4, 4, 4), 1.5)
    with pytest.raises(ValueError):
        add_noise(X.reshape(4, 4, 4), -0.1)
