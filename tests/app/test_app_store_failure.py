"""The disk fills mid-session (issue 11): the app keeps running, says so once, navigation and
reading still work, and what could not be saved is saved at the next write once there is room."""

from __future__ import annotations

from tutor.app.app import TutorApp
from tutor.progress import Store, Workspace

from ..progress.test_progress_guard import Flaky
from .conftest import FakeChecker, settle


async def test_a_full_disk_mid_session_keeps_the_app_running(course, home):
    with Store.open(home) as real:
        flaky = Flaky(real)
        app = TutorApp(course, flaky, Workspace(home), checker=FakeChecker(), deterministic=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.main_screen.current.key == "7.1/intro"
            flaky.full = True
            await pilot.press("f8")
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            assert app.is_running and app.main_screen.current.key == "7.1/pick-one"
            messages = [n.message for n in app._notifications]
            full = [m for m in messages if "the disk is full" in m]
            assert len(full) == 1 and "cannot be saved" in full[0]
            assert real.position() == ("7.1", "intro")  # not saved yet
            flaky.full = False
            await pilot.press("f7")
            await settle(pilot)
            assert real.position() == ("7.1", "curves")
            assert "7.1/curves" in real.done_steps()  # the step done while the disk was full
            assert any("saved again" in n.message for n in app._notifications)
