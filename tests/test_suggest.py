"""The one "did you mean" (tutor.suggest) used by every command and the lesson validator."""

from __future__ import annotations

import pytest

from tutor.suggest import closest, hint


@pytest.mark.parametrize(
    "word, known, meant",
    [
        ("adma", ["adam", "adagrad"], "adam"),  # a swap is one edit
        ("Adam", ["adam", "adagrad"], "adam"),  # case ignored
        ("momentum", ["momentum_update", "sgd"], "momentum_update"),  # contained
        ("markdwon", ["markdown", "title"], "markdown"),
        ("qiuz", ["text", "plot", "quiz", "exercise"], "quiz"),
        ("zzzz", ["adam", "sgd"], None),
        ("x", ["adam"], None),
        ("ad", [], None),
    ],
)
def test_closest(word: str, known: list[str], meant: str | None) -> None:
    assert closest(word, known) == meant


def test_hint_and_the_callers_share_the_rule() -> None:
    from tutor.commands._common import unknown
    from tutor.commands.check import did_you_mean
    from tutor.course.schema import did_you_mean as schema_hint

    assert hint("adma", ["adam"]) == ' (did you mean "adam"?)' == schema_hint("adma", ["adam"])
    assert did_you_mean("adma", ["adam"]) == "adam"
    assert "did you mean `adam`" in str(unknown("exercise", "adma", ["adam"]))
