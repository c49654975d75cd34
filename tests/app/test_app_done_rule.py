"""One "step done" rule (issue 11): the app's outline and `tutor progress` count the same steps."""

from __future__ import annotations

from tutor.progress.status import Snapshot, done_step_keys, tally


def test_the_outline_and_tutor_progress_agree(make_app, course):
    app = make_app()
    store = app.store
    store.record_quiz("7.1/pick-one", 0, True)  # answered right, never marked done
    store.record_attempt("momentum", True, 8, 8, "code", 1)  # the exercise passed
    store.mark_done("7.1/intro")
    done = app.done_keys()
    assert {"7.1/pick-one", "7.1/intro", "7.2/momentum"} <= done
    snap = Snapshot.read(store)
    assert done == done_step_keys(course.lessons, snap)
    assert len(done) == tally(course.lessons, snap).steps_done
