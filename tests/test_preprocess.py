"""engine.preprocess_drawing: a drawing made into an MNIST input (issue 11).

The round trips use the real MNIST test digits (found through TRAINER_DATA_DIR): a digit drawn large
and off-centre on a 280×280 canvas must come back as itself. Figures are printed (run with -s).
"""
import numpy as np
import pytest

from engine import ModelConfig, TrainConfig, build_trainer, parse_mnist, preprocess_drawing

CANVAS = 280
N_HELD_OUT = 500


def centre_of_mass(image):
    """(row, col) of an image's centre of mass in pixel indices, computed here (not by the engine)."""
    image = np.asarray(image, np.float64)
    total = image.sum()
    return (image.sum(axis=1) @ np.arange(image.shape[0]) / total,
            image.sum(axis=0) @ np.arange(image.shape[1]) / total)


def ink_box(image, level=0.1):
    """(height, width) of the bounding box of the pixels above `level`."""
    rows = np.flatnonzero((image > level).any(axis=1))
    cols = np.flatnonzero((image > level).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def pearson(A, B):
    """Row-wise Pearson correlation of two (n, d) arrays."""
    A = A - A.mean(axis=1, keepdims=True)
    B = B - B.mean(axis=1, keepdims=True)
    return (A * B).sum(axis=1) / np.sqrt((A * A).sum(axis=1) * (B * B).sum(axis=1))


def drawn_on_canvas(digit, rng):
    """The 28×28 digit enlarged (nearest neighbour) to a random 0.5–0.9 of the canvas side and pasted
    at a random place of a 280×280 canvas: the digit as a user might draw it."""
    side = int(round(CANVAS * rng.uniform(0.5, 0.9)))
    source = (np.arange(side) * 28) // side          # the digit pixel each canvas pixel shows
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    top, left = rng.integers(0, CANVAS - side + 1, size=2)
    canvas[top:top + side, left:left + side] = digit.reshape(28, 28)[np.ix_(source, source)]
    return canvas


@pytest.fixture(scope="module")
def mnist(shared_data):
    folder = shared_data / "mnist"
    return parse_mnist(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")


@pytest.fixture(scope="module")
def round_trip(mnist):
    """500 held-out digits, their canvases made into inputs again, and the other 9,500 digits."""
    X, y = mnist
    rng = np.random.default_rng(11)
    order = rng.permutation(len(X))
    held, rest = order[:N_HELD_OUT], order[N_HELD_OUT:]
    processed = np.stack([preprocess_drawing(drawn_on_canvas(X[i], rng)) for i in held])
    return X[held], processed, X[rest], y[rest]


# --- round trips on real digits --------------------------------------------------------------------

def test_a_digit_drawn_large_and_off_centre_comes_back_as_itself(round_trip):
    originals, processed, _, _ = round_trip
    assert processed.shape == (N_HELD_OUT, 784) and processed.dtype == np.float32
    assert np.isfinite(processed).all() and processed.min() >= 0 and processed.max() <= 1
    correlation = pearson(originals.astype(np.float64), processed.astype(np.float64))
    print(f"\nround trip of {N_HELD_OUT} digits: Pearson correlation mean {correlation.mean():.4f}, "
          f"median {np.median(correlation):.4f}, min {correlation.min():.4f}")
    assert correlation.mean() > 0.8


def test_a_trained_network_reads_the_drawings_as_it_reads_the_digits(round_trip):
    originals, processed, X_train, y_train = round_trip
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(100,)),
                            TrainConfig(epochs=3, shuffle=True), X_train, y_train)
    for _ in range(3):
        trainer.run_epoch()
    on_originals = trainer.model.forward(originals).argmax(axis=1)
    on_drawings = trainer.model.forward(processed).argmax(axis=1)
    agreement = np.mean(on_originals == on_drawings)
    print(f"\nthe network classifies {agreement:.1%} of the drawings as their originals")
    assert agreement >= 0.95


def test_an_mnist_digit_is_already_preprocessed(mnist):
    # MNIST's digits are 20-pixel boxes centred by mass in 28×28: preprocessing one, at its own size or
    # enlarged ten times, gives it back, but for faint pixels (≤ the ink threshold 0.05) beside its box
    X, _ = mnist
    for digit in X[:200]:
        image = digit.reshape(28, 28)
        assert np.abs(preprocess_drawing(image) - digit).max() <= 0.05 + 1e-6
        enlarged = np.kron(image, np.ones((10, 10), np.float32))
        assert np.abs(preprocess_drawing(enlarged) - digit).max() <= 0.05 + 1e-6


def test_uint8_input_is_the_same_as_float_input_divided_by_255(mnist):
    X, _ = mnist
    rng = np.random.default_rng(3)
    for digit in X[:20]:
        canvas = np.round(drawn_on_canvas(digit, rng) * 255).astype(np.uint8)
        as_uint8 = preprocess_drawing(canvas)
        np.testing.assert_array_equal(as_uint8, preprocess_drawing(canvas / 255.0))
        np.testing.assert_allclose(as_uint8, preprocess_drawing(canvas.astype(np.float32) / 255),
                                   atol=1e-6)


# --- shapes drawn here -----------------------------------------------------------------------------

@pytest.mark.parametrize("canvas", [np.zeros((280, 280)), np.zeros((280, 280), np.uint8),
                                    np.full((50, 70), 0.03)],   # faint, below the ink threshold
                         ids=["float", "uint8", "faint"])
def test_an_empty_canvas_gives_zeros(canvas):
    out = preprocess_drawing(canvas)
    assert out.shape == (784,) and out.dtype == np.float32
    assert np.isfinite(out).all() and not out.any()


@pytest.mark.parametrize("radius", [0, 6], ids=["one pixel", "a brush dot"])
def test_a_single_dot_becomes_a_blob_at_the_centre(radius):
    canvas = np.zeros((280, 280))
    r, c = np.ogrid[:280, :280]
    canvas[(r - 37) ** 2 + (c - 250) ** 2 <= radius ** 2] = 1.0
    out = preprocess_drawing(canvas).reshape(28, 28)
    assert np.isfinite(out).all() and out.sum() > 0
    assert np.allclose(centre_of_mass(out), (14, 14), atol=0.5)


def test_a_blob_in_a_corner_comes_back_centred_and_20_pixels_long():
    canvas = np.zeros((280, 280), np.float32)
    r, c = np.ogrid[:280, :280]
    # an ellipse 61 px tall and 31 px wide near the top-left corner, with a brighter off-centre spot
    canvas[((r - 35) / 30.5) ** 2 + ((c - 20) / 15.5) ** 2 <= 1] = 0.7
    canvas[(r - 50) ** 2 + (c - 25) ** 2 <= 25] = 1.0
    out = preprocess_drawing(canvas).reshape(28, 28)
    assert np.allclose(centre_of_mass(out), (14, 14), atol=0.5)
    height, width = ink_box(out)
    assert abs(height - 20) <= 1
    assert abs(width - 20 * 31 / 61) <= 1   # the aspect ratio is kept


def test_a_tall_thin_stroke_stays_tall_and_thin():
    canvas = np.zeros((280, 280))
    canvas[60:210, 200:204] = 1.0   # 150 px tall, 4 px wide
    out = preprocess_drawing(canvas).reshape(28, 28)
    height, width = ink_box(out)
    assert abs(height - 20) <= 1 and width <= 2
    assert np.allclose(centre_of_mass(out), (14, 14), atol=0.5)
    # lying down, it is the same stroke turned
    np.testing.assert_array_equal(preprocess_drawing(canvas.T).reshape(28, 28), out.T)


def test_where_the_drawing_is_on_the_canvas_does_not_matter():
    rng = np.random.default_rng(5)
    shape = (rng.random((90, 60)) > 0.5) * rng.random((90, 60))
    first, second = np.zeros((280, 280)), np.zeros((300, 250))
    first[10:100, 200:260] = shape
    second[190:280, 30:90] = shape
    np.testing.assert_array_equal(preprocess_drawing(first), preprocess_drawing(second))


def test_other_sizes():
    canvas = np.zeros((100, 100))
    canvas[20:80, 40:55] = 1.0   # 60 × 15
    out = preprocess_drawing(canvas, size=32, box=24)
    assert out.shape == (32 * 32,) and out.dtype == np.float32
    frame = out.reshape(32, 32)
    assert ink_box(frame) == (24, 6)
    assert np.allclose(centre_of_mass(frame), (16, 16), atol=0.5)
    assert preprocess_drawing(canvas, size=8, box=8).reshape(8, 8).max() == pytest.approx(1.0)


@pytest.mark.parametrize("image, options", [
    (np.zeros((3, 28, 28)), {}),                 # not 2-D
    (np.zeros((0, 28)), {}),                     # empty
    (np.full((28, 28), np.nan), {}),             # NaN pixels
    (np.zeros((28, 28), np.int64), {}),          # integers other than uint8: their scale is unknown
    (np.zeros((28, 28)), {"box": 30}),           # a box larger than the frame
    (np.zeros((28, 28)), {"size": 0, "box": 0}),
], ids=["3-D", "empty", "NaN", "int64", "box > size", "size 0"])
def test_refused_inputs(image, options):
    with pytest.raises(ValueError):
        preprocess_drawing(image, **options)


def test_values_outside_0_1_are_clipped():
    canvas = np.zeros((50, 50))
    canvas[10:40, 20:30] = 3.0
    canvas[0, 0] = -1.0
    out = preprocess_drawing(canvas)
    assert out.min() == 0.0 and out.max() == 1.0
