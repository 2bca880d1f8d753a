"""What the Evaluate tab reads from an engine Evaluation, checked against NumPy on real MNIST: the
accuracy per class, the rows of a confusion cell (the drill-down), very confident errors, and the
coverage and accuracy of answering only above a confidence threshold."""
import numpy as np
import pytest

from engine import ModelConfig, TrainConfig, build_trainer, evaluate, load_folder


@pytest.fixture(scope="module")
def evaluated(shared_data):
    """A two-layer net trained one epoch on test digits 2,000–9,999, evaluated on the first 2,000,
    with its softmax probabilities computed independently in float64."""
    test = load_folder(shared_data / "mnist").test
    X, y = test.X[:2000], test.y[:2000].astype(np.intp)
    trainer = build_trainer(ModelConfig("two-layer", hidden=(50,)), TrainConfig(epochs=1), test.X[2000:],
                            test.y[2000:], n_outputs=10)
    trainer.run_epoch()
    W1, W2 = (w.astype(np.float64) for w in trainer.model.weights)
    logits = np.maximum(X.astype(np.float64) @ W1, 0) @ W2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return evaluate(trainer.model, "softmax_ce", X, y), X, y, p, trainer.model


def test_accuracy_per_class_is_each_digits_share_answered_right(evaluated):
    evaluation, X, y, p, _ = evaluated
    predicted = p.argmax(axis=1)
    expected = np.array([np.mean(predicted[y == c] == c) for c in range(10)])
    np.testing.assert_allclose(evaluation.accuracy_per_class(), expected, rtol=0, atol=1e-12)
    assert 0.5 < evaluation.accuracy == pytest.approx(np.mean(predicted == y))
    np.testing.assert_array_equal(evaluation.predicted, predicted)
    np.testing.assert_allclose(evaluation.confidence, p.max(axis=1), rtol=1e-4)


def test_a_class_with_no_rows_has_no_accuracy(evaluated):
    evaluation, X, y, _, model = evaluated
    keep = y != 3
    accuracies = evaluate(model, "softmax_ce", X[keep], y[keep]).accuracy_per_class()
    assert np.isnan(accuracies[3]) and np.isfinite(np.delete(accuracies, 3)).all()
    np.testing.assert_allclose(np.delete(accuracies, 3), np.delete(evaluation.accuracy_per_class(), 3))


def test_a_confusion_cell_holds_exactly_its_digits_worst_first(evaluated):
    evaluation, X, y, p, _ = evaluated
    predicted = p.argmax(axis=1)
    wrong_cells = np.argwhere((evaluation.confusion > 0) & ~np.eye(10, dtype=bool))
    true, guess = max(wrong_cells.tolist(), key=lambda cell: evaluation.confusion[cell[0], cell[1]])
    rows = evaluation.rows_of(y, true, guess)
    assert sorted(rows.tolist()) == np.flatnonzero((y == true) & (predicted == guess)).tolist()
    assert len(rows) == evaluation.confusion[true, guess] >= 2
    assert np.all(np.diff(p[rows, guess]) <= 1e-6)               # the most confident mistake first
    right = evaluation.rows_of(y, 1, 1)
    assert sorted(right.tolist()) == np.flatnonzero((y == 1) & (predicted == 1)).tolist()
    assert np.all(np.diff(p[right, 1]) >= -1e-6)                 # right answers: the least sure first


def test_very_confident_errors_and_answering_above_a_threshold(evaluated):
    evaluation, X, y, p, _ = evaluated
    predicted, sure = p.argmax(axis=1), p.max(axis=1)
    assert evaluation.confident_errors(0.9) == np.count_nonzero((predicted != y) & (sure >= 0.9))
    assert evaluation.mean_confidence == pytest.approx(sure.mean(), rel=1e-5)
    for threshold in (0.0, 0.5, 0.9, 0.99):
        answered = evaluation.confidence >= threshold
        coverage, accuracy = evaluation.answered(y, threshold)
        assert coverage == pytest.approx(np.mean(answered))
        assert accuracy == pytest.approx(np.mean(predicted[answered] == y[answered]))
    assert evaluation.answered(y, 1.01) == (0.0, pytest.approx(np.nan, nan_ok=True))
    coverage, accuracy = evaluation.coverage_curve(y)
    assert coverage[-1] == 1.0 and accuracy[-1] == pytest.approx(evaluation.accuracy)
    most_sure = np.argsort(-evaluation.confidence, kind="stable")[:100]
    assert accuracy[99] == pytest.approx(np.mean(predicted[most_sure] == y[most_sure]))
    assert accuracy[99] > accuracy[-1]            # the surest answers are the more often right
