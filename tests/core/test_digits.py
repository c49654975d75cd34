"""The shipped UCI optical digits: shapes, ranges, labels, and the fixed split."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import data


def test_digits_are_the_1797_images_scaled_to_unit_range():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.array_equal(np.unique(X * 16), np.arange(17))  # counts 0..16, divided by 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first image is a 0 (as in scikit-learn's copy), row by row
    assert y[0] == 0 and (X[0, :8] * 16).tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_digits_returns_new_arrays():
    X, y = data.digits()
    X[0, 0] = 99.0
    y[0] = 7
    X2, y2 = data.digits()
    assert X2[0, 0] == 0.0 and y2[0] == 0


def test_split_is_fixed_by_its_seed_and_covers_every_image_once():
    s = data.digits_split(0)
    assert [len(a) for a in s] == [1257, 1257, 270, 270, 270, 270]
    again = data.digits_split(0)
    assert all(np.array_equal(a, b) for a, b in zip(s, again))
    other = data.digits_split(1)
    assert not np.array_equal(s.y_test, other.y_test)
    rows = np.concatenate([s.X_train, s.X_val, s.X_test])
    X, _ = data.digits()
    assert sorted(map(bytes, rows)) == sorted(map(bytes, X))


@pytest.mark.parametrize("bad", [{"seed": -1}, {"seed": 1.5}, {"n_val": 0}, {"n_test": 1000, "n_val": 1000}])
def test_split_refuses_bad_arguments(bad):
    with pytest.raises(ValueError):
        data.digits_split(**bad)
