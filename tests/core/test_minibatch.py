"""make_minibatches: one permutation, consecutive slices, the remainder last."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import make_minibatches


def test_one_permutation_and_consecutive_slices():
    X = np.arange(20.0).reshape(10, 2)
    Y = np.arange(10.0) * 10
    batches = make_minibatches(X, Y, 4, np.random.default_rng(7))
    perm = np.random.default_rng(7).permutation(10)
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X[perm])
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), Y[perm])
    for xb, yb in batches:  # X and Y shuffled with the same permutation
        np.testing.assert_array_equal(xb[:, 0] * 5, yb)
        assert isinstance(xb, np.ndarray) and isinstance(yb, np.ndarray)


def test_exact_multiple_has_no_empty_batch():
    batches = make_minibatches(np.zeros((6, 1)), np.zeros((6, 2)), 3, np.random.default_rng(0))
    assert [xb.shape for xb, _ in batches] == [(3, 1), (3, 1)]
    assert [yb.shape for _, yb in batches] == [(3, 2), (3, 2)]


@pytest.mark.parametrize("batch_size", [10, 11, 1000])
def test_batch_larger_than_m_gives_one_batch(batch_size):
    batches = make_minibatches(np.ones((10, 3)), np.ones(10), batch_size, np.random.default_rng(0))
    assert len(batches) == 1 and batches[0][0].shape == (10, 3)


def test_batch_size_one_is_stochastic():
    batches = make_minibatches(np.ones((5, 2)), np.ones(5), 1, np.random.default_rng(0))
    assert len(batches) == 5 and all(xb.shape == (1, 2) for xb, _ in batches)


def test_rng_is_called_once_with_permutation():
    rng = np.random.default_rng(3)
    make_minibatches(np.ones((8, 2)), np.ones(8), 3, rng)
    ref = np.random.default_rng(3)
    ref.permutation(8)
    assert rng.random() == ref.random()


def test_inputs_not_mutated_and_batches_do_not_alias_them():
    X = np.random.default_rng(0).normal(size=(7, 3))
    Y = np.arange(7.0)
    X0, Y0 = X.copy(), Y.copy()
    batches = make_minibatches(X, Y, 2, np.random.default_rng(1))
    for xb, yb in batches:
        assert not np.shares_memory(xb, X) and not np.shares_memory(yb, Y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((5, 2)), np.ones(4), 2), r"len\(Y\) == m"),
        ((np.ones((5, 2)), np.ones(5), 0), "batch_size must be >= 1"),
        ((np.ones((5, 2)), np.ones(5), 2.5), "batch_size must be an integer"),
        ((np.ones((0, 2)), np.ones(0), 2), "at least one example"),
        ((np.float64(1.0), np.ones(1), 1), "X must have the examples along axis 0"),
    ],
)
def test_bad_input_raises_value_error(args, match):
    with pytest.raises(ValueError, match=match):
        make_minibatches(*args, np.random.default_rng(0))


def test_rng_must_be_a_generator():
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        make_minibatches(np.ones((3, 1)), np.ones(3), 1, np.random.RandomState(0))
