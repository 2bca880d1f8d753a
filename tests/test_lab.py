"""The neuron lab's edits (trainer_gui/state/lab.py), without Qt, against forward passes and
prunings written out by hand in NumPy."""
import numpy as np
import pytest

from engine import MLP
from trainer_gui.state.lab import (LabEdits, answer_text, edited_model, entropy_bits, prune_mask,
                                   significant, what_if_text)


def relu(z):
    return np.maximum(z, 0.0)


def read_only_model(sizes=(6, 5, 4, 3), bias=True, seed=1, hidden="relu"):
    """An MLP on read-only arrays, as a recorded moment's model is."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((a, b)).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(b).astype(np.float32) for b in sizes[1:]] if bias else []
    for a in (*weights, *biases):
        a.flags.writeable = False
    return MLP.from_arrays(weights, biases, hidden=hidden)


def by_hand(weights, biases, x, forced=None, act=relu):
    """The forward pass written out, float64; forced = (layer, unit): that hidden unit's activation
    is set to 0 after it is computed."""
    a = np.asarray(x, np.float64)
    for i, W in enumerate(weights):
        z = a @ np.asarray(W, np.float64) + (np.asarray(biases[i], np.float64) if biases else 0.0)
        if i == len(weights) - 1:
            return z
        a = act(z)
        if forced is not None and forced[0] == i:
            a[..., forced[1]] = 0.0


def snapshot(model):
    return [a.copy() for a in model.parameters]


def test_every_edit_leaves_the_original_arrays_alone():
    model = read_only_model()
    before = snapshot(model)
    for layer, unit in ((0, 2), (1, 3), (2, 1)):
        edited = edited_model(model, layer, unit, off=True, scale=2.5, bias_shift=-1.0,
                              prune_fraction=0.5, prune_layer=layer)
        assert all(e is not o and not np.shares_memory(e, o) for e, o in zip(edited.parameters, model.parameters))
        for a, b in zip(model.parameters, before):
            np.testing.assert_array_equal(a, b)
    # the copies are writable, the originals still read-only
    assert all(a.flags.writeable for a in edited.parameters)
    assert not any(a.flags.writeable for a in model.parameters)


def test_neutral_edits_compute_what_the_model_computes():
    model = read_only_model()
    x = np.random.default_rng(0).standard_normal((7, 6)).astype(np.float32)
    edited = edited_model(model, 0, 2)
    np.testing.assert_array_equal(edited.forward(x), model.forward(x))
    assert LabEdits(0, 2).neutral and not LabEdits(0, 2, off=True).neutral
    assert LabEdits(None, None, off=True).neutral          # no unit: the unit edits do nothing
    assert not LabEdits(prune_fraction=0.1).neutral


@pytest.mark.parametrize("layer, unit", [(0, 0), (0, 4), (1, 2)])
@pytest.mark.parametrize("hidden, act", [("relu", relu), ("tanh", np.tanh)])
def test_a_hidden_unit_off_is_its_activation_forced_to_zero(layer, unit, hidden, act):
    model = read_only_model(hidden=hidden)
    x = np.random.default_rng(3).standard_normal((9, 6))
    edited = edited_model(model, layer, unit, off=True)
    expected = by_hand(model.weights, model.biases, x, forced=(layer, unit), act=act)
    np.testing.assert_allclose(edited.forward(x.astype(np.float32)), expected, rtol=1e-5, atol=1e-5)
    # and it is not what the unedited model computes
    assert not np.allclose(by_hand(model.weights, model.biases, x, act=act), expected)
    # a unit switched off stays off whatever its scale and bias
    scaled = edited_model(model, layer, unit, off=True, scale=3.0, bias_shift=2.0)
    np.testing.assert_allclose(scaled.forward(x.astype(np.float32)), expected, rtol=1e-5, atol=1e-5)


def test_a_hidden_unit_off_in_a_model_without_biases():
    model = read_only_model(sizes=(6, 8, 3), bias=False)
    x = np.random.default_rng(4).standard_normal((5, 6))
    edited = edited_model(model, 0, 5, off=True)
    np.testing.assert_allclose(edited.forward(x.astype(np.float32)),
                               by_hand(model.weights, [], x, forced=(0, 5)), rtol=1e-5, atol=1e-5)


def test_an_output_unit_off_scores_zero():
    model = read_only_model()
    x = np.random.default_rng(5).standard_normal((6, 6)).astype(np.float32)
    edited = edited_model(model, 2, 1, off=True)
    out, original = edited.forward(x), model.forward(x)
    np.testing.assert_array_equal(out[:, 1], 0.0)
    np.testing.assert_array_equal(out[:, [0, 2]], original[:, [0, 2]])


def test_scale_multiplies_the_incoming_weights_and_shift_adds_to_the_bias():
    model = read_only_model()
    x = np.random.default_rng(6).standard_normal((4, 6))
    edited = edited_model(model, 1, 3, scale=0.5, bias_shift=1.25)
    W = [np.array(w, np.float64) for w in model.weights]
    b = [np.array(v, np.float64) for v in model.biases]
    W[1][:, 3] *= 0.5
    b[1][3] += 1.25
    np.testing.assert_allclose(edited.forward(x.astype(np.float32)), by_hand(W, b, x), rtol=1e-5, atol=1e-5)
    # only that column and that bias changed
    changed = edited.weights[1] != model.weights[1]
    assert changed[:, 3].any() and not np.delete(changed, 3, axis=1).any()
    assert np.flatnonzero(edited.biases[1] != model.biases[1]).tolist() == [3]


def test_a_bias_shift_needs_biases_and_units_must_exist():
    model = read_only_model(bias=False)
    with pytest.raises(ValueError, match="no biases"):
        edited_model(model, 0, 1, bias_shift=0.5)
    edited_model(model, 0, 1, bias_shift=0.0)   # no shift asked: fine
    with pytest.raises(ValueError):
        edited_model(model, 3, 0, off=True)
    with pytest.raises(ValueError):
        edited_model(model, 0, 5, off=True)
    with pytest.raises(ValueError):
        edited_model(model, prune_fraction=0.2, prune_layer=3)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.9, 0.99])
def test_prune_zeroes_exactly_the_smallest_fraction(fraction):
    model = read_only_model(sizes=(20, 10, 3), seed=8)
    W = np.asarray(model.weights[0], np.float64)
    edited = edited_model(model, prune_fraction=fraction, prune_layer=0)
    count = int(round(fraction * W.size))
    # by hand: the `count` smallest magnitudes, found by sorting the list of (|w|, position)
    ranked = sorted((abs(w), i) for i, w in enumerate(W.ravel()))
    expected = W.ravel().copy()
    expected[[i for _, i in ranked[:count]]] = 0.0
    np.testing.assert_array_equal(edited.weights[0].ravel(), expected.astype(np.float32))
    assert int((edited.weights[0] == 0).sum()) == count
    if 0 < count < W.size:   # every weight kept is at least as large as every weight pruned
        assert np.abs(W.ravel())[expected != 0].min() >= max(m for m, _ in ranked[:count])
    for other, original in zip(edited.weights[1:], model.weights[1:]):   # other layers untouched
        np.testing.assert_array_equal(other, original)
    np.testing.assert_array_equal(edited.biases[0], model.biases[0])


def test_prune_ties_go_to_the_earlier_weight_and_rounding_is_to_nearest():
    W = np.array([[0.5, -0.1, 0.1], [0.1, 2.0, -3.0]], np.float32)
    mask = prune_mask(W, 0.5)                 # 3 of 6: the three ±0.1, whatever their order
    assert mask.tolist() == [[False, True, True], [True, False, False]]
    assert prune_mask(W, 1 / 3).tolist() == [[False, True, True], [False, False, False]]
    assert prune_mask(W, 0.05).sum() == 0     # 0.3 of a weight rounds to none
    assert prune_mask(W, 0.1).sum() == 1      # 0.6 rounds to one
    with pytest.raises(ValueError):
        prune_mask(W, 1.0)


def test_prune_then_unit_edits():
    model = read_only_model(sizes=(6, 5, 3), seed=2)
    edited = edited_model(model, 0, 1, scale=2.0, prune_fraction=0.4, prune_layer=0)
    expected = np.array(model.weights[0])
    expected[prune_mask(model.weights[0], 0.4)] = 0
    expected[:, 1] *= 2
    np.testing.assert_array_equal(edited.weights[0], expected)


def test_entropy_and_numbers():
    assert entropy_bits([0.25] * 4) == pytest.approx(2.0)
    assert entropy_bits([1.0, 0.0, 0.0]) == 0.0
    assert entropy_bits([0.5, 0.5]) == pytest.approx(1.0)
    assert significant(0.123456) == "0.1235"
    assert significant(-12.3456) == "−12.35"
    assert significant(3.16227e-5) == "3.16e−5"
    assert significant(0.00036219) == "3.62e−4"
    assert significant(0.0012345) == "1.23e−3"
    assert significant(0.012345) == "0.01235"
    assert significant(2.5e7) == "2.50e7"
    assert significant(0.0) == "0"
    assert significant(1.0) == "1"


def test_texts():
    class E:
        def __init__(self, error, loss):
            self.error, self.loss = error, loss
    assert what_if_text("validation", E(0.047, 0.16), E(0.082, 0.29)) == \
        "validation accuracy 95.3% → 91.8% · loss 0.16 → 0.29"

    class A:
        predicted = 1
        values = probabilities = np.array([0.2, 0.8])
    assert answer_text(A(), ["zero", "one"]) == "one (80%)"
