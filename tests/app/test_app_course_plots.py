"""Every plot of the shipped course, drawn at 80×24 as a learner first sees it: each series keeps
at least one visible cell (its colour is somewhere in the plot; a category's name is on its axis).

Curves drawn over each other can hide one another (a braille cell takes the colour of the last
curve drawn in it); the plot then switches to small multiples. This test fails when a series
is still hidden, whatever the layout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.app.plotting import color_of, is_categories
from tutor.app.widgets.figure_plot import FigurePlot, cells_by_colour
from tutor.course.loader import load_course
from tutor.progress import Store, Workspace

from .conftest import FakeChecker

LESSONS = Path(__file__).resolve().parents[2] / "lessons"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped():
    return load_course(LESSONS)


def unseen_series(plot: FigurePlot, figure, dark: bool) -> list[str]:
    """The labels of the series of ``figure`` with no visible cell in ``plot`` as it renders now."""
    text = plot.render()
    plain = text.plain
    cells = cells_by_colour(text)
    missing = []
    for i, s in enumerate(figure.series):
        if s.kind == "bar" and is_categories(figure.series):
            if s.label[:12] not in plain:  # one bar per name: the name is on the axis
                missing.append(s.label)
        elif cells.get(color_of(i, dark), 0) < 1:
            missing.append(s.label)
    return missing


async def test_every_plot_of_the_course_shows_every_series_at_80x24(shipped, tmp_path):
    from tutor.app.app import TutorApp

    refs = None
    store = Store.open(tmp_path)
    app = TutorApp(shipped, store, Workspace(tmp_path), checker=FakeChecker(), deterministic=True)
    problems: dict[str, list[str]] = {}
    checked = 0
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(300):
                if app.main_screen is not None and app.main_screen.ready:
                    break
                await pilot.pause(0.02)
            screen = app.main_screen
            refs = [r for r in screen.index.refs if r.step.type == "plot"]
            for ref in refs:
                await screen.show(ref)
                view = screen.view
                for _ in range(400):
                    await pilot.pause(0.02)
                    if view.figure is not None or "failed" in str(view.query_one("#plot-status").render()):
                        break
                await app.workers.wait_for_complete()
                await pilot.pause(0.05)
                assert view.figure is not None, f"{ref.key}: the experiment did not draw"
                plot = view.query_one(FigurePlot)
                plot.render()  # the layout decision (small multiples) is made while rendering
                await pilot.pause(0.05)
                missing = unseen_series(plot, view.figure, app.current_theme.dark)
                assert plot.error == "", f"{ref.key}: {plot.error}"
                if missing:
                    problems[ref.key] = missing
                # and by the plot's own, stricter measure (a curve keeps half the columns it spans)
                assert not plot.missing, f"{ref.key}: a curve is mostly hidden: {plot.missing}"
                if ref.key == "7.3/shapes-plot":  # the step-decay staircase gets a panel of its own
                    assert plot.panels and "2 step decay" in plot.render().plain
                checked += 1
    finally:
        store.close()
    assert refs and checked == len(refs)
    assert not problems, f"series with no visible cell at 80x24: {problems}"


async def test_7_1_at_a_large_rate_does_not_squash_the_other_curves(shipped, tmp_path):
    """At lr = 0.5 the stochastic curve spikes over four decades: the batch and mini-batch curves
    keep a y range of their own instead of a flat line at the bottom."""
    from tutor.app.app import TutorApp

    store = Store.open(tmp_path)
    store.set_position("7.1", "variants-plot")
    app = TutorApp(shipped, store, Workspace(tmp_path), checker=FakeChecker(), deterministic=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(300):
                if app.main_screen is not None and app.main_screen.ready:
                    break
                await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            view = app.main_screen.view
            view.query_one("#setting-lr").value = "0.5"
            view.rerun()
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            plot = view.query_one(FigurePlot)
            text = plot.render().plain
            assert plot.panels and not plot.missing
            assert "1 batch (own y)" in text
    finally:
        store.close()
