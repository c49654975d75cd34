"""Shared fixtures for the grading tests: one warm sandbox per test module."""

from __future__ import annotations

import pytest

from tutor.grading.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as box:
        yield box
