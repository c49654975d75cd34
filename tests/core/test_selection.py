"""early_stopping, kfold_indices and the selection helpers."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import cross_validate, early_stopping, grid_search, kfold_indices, regularization_path


def reference_early_stopping(losses, patience):
    """The contract's walk, written independently: best = first index of the running minimum."""
    best = 0
    for e, x in enumerate(losses):
        if x < losses[best]:
            best = e
        if e - best == patience:
            return best, e
    return best, len(losses) - 1


@pytest.mark.parametrize(
    "losses, patience, expected",
    [
        ([3.0, 2.0, 2.5, 2.1, 2.2, 1.0], 2, (1, 3)),
        ([3.0, 2.0, 2.5, 2.1, 2.2, 1.0], 5, (5, 5)),
        ([1.0, 1.0, 1.0], 1, (0, 1)),             # equal is not an improvement
        ([1.0, 1.0, 1.0], 2, (0, 2)),
        ([1.0, 1.0, 1.0], 3, (0, 2)),             # never triggers
        ([5.0], 1, (0, 0)),
        ([4.0, 3.0, 2.0, 1.0], 1, (3, 3)),
        ([1.0, 2.0, 0.5, 3.0, 4.0], 2, (2, 4)),
    ],
)
def test_early_stopping_examples(losses, patience, expected):
    assert early_stopping(losses, patience) == expected
    assert early_stopping(np.array(losses), np.int64(patience)) == expected


def test_early_stopping_matches_the_walk_on_random_curves():
    rng = np.random.default_rng(0)
    for _ in range(200):
        losses = list(np.round(rng.random(rng.integers(1, 15)), 1))
        patience = int(rng.integers(1, 6))
        assert early_stopping(losses, patience) == reference_early_stopping(losses, patience)


def test_kfold_indices_follow_the_contract():
    folds = kfold_indices(11, 3, np.random.default_rng(5))
    perm = np.random.default_rng(5).permutation(11)
    parts = np.array_split(perm, 3)
    assert len(folds) == 3
    for i, (train, val) in enumerate(folds):
        np.testing.assert_array_equal(val, parts[i])
        np.testing.assert_array_equal(train, np.concatenate([parts[j] for j in range(3) if j != i]))
    all_val = np.sort(np.concatenate([v for _, v in folds]))
    np.testing.assert_array_equal(all_val, np.arange(11))


@pytest.mark.parametrize("m, k", [(10, 2), (11, 3), (7, 7), (23, 5)])
def test_kfold_sizes_equal_sklearn(m, k):
    sk = pytest.importorskip("sklearn.model_selection", reason="sklearn's KFold fixes the fold sizes")
    ours = [len(v) for _, v in kfold_indices(m, k, np.random.default_rng(0))]
    theirs = [len(v) for _, v in sk.KFold(n_splits=k).split(np.zeros(m))]
    assert ours == theirs


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: early_stopping([1.0, 2.0], 0), "patience must be >= 1"),
        (lambda: early_stopping([], 1), "at least one loss"),
        (lambda: early_stopping([[1.0], [2.0]], 1), "1-D"),
        (lambda: early_stopping([1.0], 1.5), "patience must be an integer"),
        (lambda: kfold_indices(5, 1, np.random.default_rng(0)), "k must be >= 2"),
        (lambda: kfold_indices(5, 6, np.random.default_rng(0)), r"k must be in \[2, m=5\]"),
        (lambda: kfold_indices(5, 2, 0), "rng must be"),
        (lambda: grid_search([], lambda v: 1.0), "at least one candidate"),
        (lambda: regularization_path([-1.0], lambda lam: np.ones(2)), "must be >= 0"),
        (lambda: cross_validate(np.ones((4, 1)), np.ones(3), 2, np.random.default_rng(0), lambda *a: 0.0), "same number of rows"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_cross_validate_calls_fit_score_per_fold():
    X = np.arange(12.0).reshape(6, 2)
    Y = np.arange(6.0)
    seen = []

    def fit_score(Xtr, Ytr, Xva, Yva):
        seen.append((len(Xtr), len(Xva)))
        np.testing.assert_array_equal(Xva[:, 0] / 2, Yva)
        return float(Yva.mean())

    scores = cross_validate(X, Y, 3, np.random.default_rng(1), fit_score)
    folds = kfold_indices(6, 3, np.random.default_rng(1))
    np.testing.assert_allclose(scores, [Y[v].mean() for _, v in folds])
    assert seen == [(4, 2)] * 3 and scores.dtype == np.float64


def test_grid_search_picks_the_lowest_first():
    best, scores = grid_search([0.1, 1.0, 10.0, 100.0], lambda lam: (np.log10(lam) - 1) ** 2)
    assert best == 10.0
    np.testing.assert_allclose(scores, [4.0, 1.0, 0.0, 1.0])
    assert grid_search([1, 2, 3], lambda v: 0.0)[0] == 1


def test_regularization_path_stacks_weights():
    path = regularization_path([0.0, 1.0, 3.0], lambda lam: np.array([[1.0, 2.0]]) / (1 + lam))
    np.testing.assert_allclose(path, [[1.0, 2.0], [0.5, 1.0], [0.25, 0.5]])
