"""Dropout: the exact rng contract, and statistics against torch.nn.functional.dropout."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import (
    Dropout,
    dropconnect_forward,
    dropout_backward,
    dropout_forward,
    spatial_dropout_forward,
)


def test_mask_is_drawn_with_one_rng_random_call():
    A = np.arange(12.0).reshape(3, 4) - 5
    out, mask = dropout_forward(A, 0.7, np.random.default_rng(42))
    expected_mask = (np.random.default_rng(42).random((3, 4)) < 0.7) / 0.7
    np.testing.assert_array_equal(mask, expected_mask)
    np.testing.assert_array_equal(out, A * expected_mask)
    assert mask.dtype == np.float64 and out.dtype == np.float64


def test_keep_prob_one_keeps_everything():
    A = np.random.default_rng(0).normal(size=(5, 3))
    out, mask = dropout_forward(A, 1.0, np.random.default_rng(1))
    np.testing.assert_array_equal(out, A)
    np.testing.assert_array_equal(mask, np.ones_like(A))


def test_backward_is_da_times_mask():
    rng = np.random.default_rng(3)
    dA = rng.normal(size=(4, 6))
    mask = (rng.random((4, 6)) < 0.5) / 0.5
    np.testing.assert_array_equal(dropout_backward(dA, mask), dA * mask)


def test_layer_training_then_backward_uses_last_training_mask():
    layer = Dropout(0.6)
    A = np.ones((3, 5))
    out = layer.forward(A, np.random.default_rng(9))
    mask = (np.random.default_rng(9).random((3, 5)) < 0.6) / 0.6
    np.testing.assert_array_equal(out, mask)
    # an evaluation forward keeps the training mask for backward and draws nothing
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(layer.forward(A * 2, rng, training=False), A * 2)
    assert rng.random() == np.random.default_rng(5).random()
    dA = np.full((3, 5), 2.0)
    np.testing.assert_array_equal(layer.backward(dA), dA * mask)


def test_layer_eval_accepts_no_rng_and_returns_a_copy():
    A = np.ones(4)
    out = Dropout(0.5).forward(A, None, training=False)
    np.testing.assert_array_equal(out, A)
    assert out is not A


def test_dropconnect_masks_the_weights_once_for_the_batch():
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(7, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    Z, mask = dropconnect_forward(A_prev, W, b, 0.8, np.random.default_rng(4))
    expected_mask = (np.random.default_rng(4).random((4, 3)) < 0.8) / 0.8
    np.testing.assert_array_equal(mask, expected_mask)
    np.testing.assert_allclose(Z, A_prev @ (W * expected_mask) + b, rtol=1e-15)


def test_spatial_dropout_drops_whole_channels():
    A = np.random.default_rng(1).normal(size=(2, 5, 3, 4))
    out, mask = spatial_dropout_forward(A, 0.5, np.random.default_rng(8))
    expected_mask = (np.random.default_rng(8).random((2, 5, 1, 1)) < 0.5) / 0.5
    np.testing.assert_array_equal(mask, expected_mask)
    np.testing.assert_array_equal(out, A * expected_mask)
    for i in range(2):
        for c in range(5):
            channel = out[i, c]
            assert np.all(channel == 0) or np.allclose(channel, A[i, c] * 2)


# ---- statistics against torch ----------------------------------------------------------------------

N = 200_000


@pytest.mark.parametrize("keep_prob", [0.1, 0.5, 0.8, 0.95])
def test_statistics_match_torch(keep_prob):
    torch = pytest.importorskip("torch", reason="torch.nn.functional.dropout is the statistical oracle")
    A = np.ones(N)
    ours, _ = dropout_forward(A, keep_prob, np.random.default_rng(123))
    torch.manual_seed(123)
    theirs = torch.nn.functional.dropout(torch.ones(N, dtype=torch.float64), p=1 - keep_prob, training=True).numpy()

    sd_zero = np.sqrt(keep_prob * (1 - keep_prob) / N)
    sd_mean = np.sqrt((1 / keep_prob - 1) / N)  # each entry is 1/keep_prob w.p. keep_prob, else 0
    for name, out in (("ours", ours), ("torch", theirs)):
        zero_fraction = np.mean(out == 0)
        assert abs(zero_fraction - (1 - keep_prob)) < 4 * sd_zero, name
        assert abs(out.mean() - 1.0) < 4 * sd_mean, name
    # survivors are scaled the same way (by 1/keep_prob)
    np.testing.assert_allclose(np.unique(ours[ours != 0]), np.unique(theirs[theirs != 0]), rtol=1e-15)
    # and the two zero fractions agree with each other (difference of two binomials)
    assert abs(np.mean(ours == 0) - np.mean(theirs == 0)) < 4 * np.sqrt(2) * sd_zero


def test_evaluation_mode_is_identity_like_torch():
    torch = pytest.importorskip("torch", reason="torch.nn.functional.dropout is the oracle")
    A = np.random.default_rng(0).normal(size=(4, 5))
    theirs = torch.nn.functional.dropout(torch.tensor(A), p=0.5, training=False).numpy()
    np.testing.assert_array_equal(Dropout(0.5).forward(A, None, training=False), theirs)


def test_backward_equals_torch_autograd_given_the_mask():
    torch = pytest.importorskip("torch", reason="torch autograd is the oracle for the backward pass")
    rng = np.random.default_rng(2)
    A, dA = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    out, mask = dropout_forward(A, 0.7, np.random.default_rng(3))
    a = torch.tensor(A, requires_grad=True)
    y = a * torch.tensor(mask)
    y.backward(torch.tensor(dA))
    np.testing.assert_allclose(dropout_backward(dA, mask), a.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(out, y.detach().numpy(), rtol=1e-15)


# ---- bad input -------------------------------------------------------------------------------------

RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: dropout_forward(np.ones(3), 0.0, RNG), r"keep_prob must be in \(0, 1\]"),
        (lambda: dropout_forward(np.ones(3), 1.5, RNG), r"keep_prob must be in \(0, 1\]"),
        (lambda: dropout_forward(np.ones(3), -0.2, RNG), "keep_prob"),
        (lambda: dropout_forward(np.ones(3), 0.5, 42), "rng must be a numpy.random.Generator"),
        (lambda: dropout_backward(np.ones(3), np.ones(4)), "mask must have the shape"),
        (lambda: Dropout(0), "keep_prob"),
        (lambda: Dropout(0.5).backward(np.ones(3)), "backward needs a training forward"),
        (lambda: Dropout(0.5).forward(np.ones(3), None), "rng must be"),
        (lambda: spatial_dropout_forward(np.ones((2, 3)), 0.5, RNG), "A must be 4-D"),
        (lambda: dropconnect_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(2), 0.5, RNG), "W must be 2-D"),
        (lambda: dropconnect_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(3), 0.5, RNG), "b must have shape"),
        (lambda: dropconnect_forward(np.ones(3), np.ones((3, 2)), np.ones(2), 0.5, RNG), "A_prev must be 2-D"),
        (lambda: dropconnect_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(2), 2.0, RNG), "keep_prob"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_layer_backward_shape_must_match():
    layer = Dropout(0.5)
    layer.forward(np.ones((2, 3)), np.random.default_rng(0))
    with pytest.raises(ValueError, match="dA must have the shape"):
        layer.backward(np.ones((3, 2)))
