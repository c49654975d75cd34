"""``tutor list``, ``progress``, ``hint``, ``solution`` and ``reset``, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.progress.store import Store
from tutor.progress.workspace import Workspace


def _store(home: Path) -> Store:
    return Store.open(home)


# -- list -----------------------------------------------------------------------------------------


def test_list_on_a_first_run_shows_everything_not_started(tutor) -> None:
    code, out, err = tutor("list")
    assert code == 0 and err == ""
    assert "7  Optimizers" in out and "8  Regularization" in out
    assert "[ ] 7.1" in out and "[ ] adam  The adam exercise" in out
    assert "not started" in out and "[x] done" in out  # the legend
    assert all(len(line) <= 80 for line in out.splitlines())


def test_list_json_has_the_documented_shape_and_statuses(tutor, home: Path) -> None:
    with _store(home) as s:
        s.record_attempt("sgd", True, 8, 8, "code", 1)  # sgd done
        s.mark_done("7.1/idea")
        s.record_quiz("7.1/quiz", 0, True)  # so lesson 7.1 is done
        s.record_attempt("adam", False, 3, 8, "code", 2)  # adam started
    Workspace(home).ensure("momentum", "starter")  # momentum opened: started
    code, out, _ = tutor("list", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["format"] == 1 and doc["course"] == "Test course"
    assert [m["id"] for m in doc["modules"]] == ["7", "8"]
    m7 = doc["modules"][0]
    assert set(m7) == {"id", "title", "status", "lessons"} and m7["status"] == "started"
    l71, l72, l77 = m7["lessons"]
    assert set(l71) == {"id", "title", "status", "steps_done", "steps_total", "exercises"}
    assert (l71["status"], l71["steps_done"], l71["steps_total"]) == ("done", 3, 3)
    (sgd,) = l71["exercises"]
    assert sgd == {
        "id": "sgd", "title": "The sgd exercise", "status": "done", "attempts": 1,
        "hints_revealed": 0, "hints_total": 3, "solution_revealed": False,
    }
    assert l72["status"] == "started" and l72["exercises"][0]["status"] == "started"
    assert l77["exercises"][0]["status"] == "started" and l77["exercises"][0]["attempts"] == 1
    assert doc["modules"][1]["status"] == "not started"
    assert doc["orphans"] == {"exercises": [], "lessons": [], "steps": []}


def test_list_text_marks_done_and_started(tutor, home: Path) -> None:
    with _store(home) as s:
        s.record_attempt("adam", True, 8, 8, "code", 1)
        s.mark_seen("7.2/idea")
    _, out, _ = tutor("list")
    assert "[x] adam" in out and "done, 1 attempt" in out
    assert "[~] 7.2" in out and "[~] 7.7" in out


# -- progress -------------------------------------------------------------------------------------


def test_progress_per_module_with_bar_attempts_and_time(tutor, home: Path) -> None:
    with _store(home) as s:
        s.record_attempt("sgd", False, 2, 8, "c", 1)
        s.record_attempt("sgd", True, 8, 8, "c", 2)
        s.record_attempt("adam", False, 0, 8, "c", 3)
        s.mark_done("7.1/idea")
        s.add_time("7.1", 3900)
        s.add_time("8.1", 40)
        s.set_position("7.7", "adam")
    code, out, err = tutor("progress")
    assert code == 0 and err == ""
    lines = out.splitlines()
    i = lines.index("7  Optimizers")
    # 7: steps done = 7.1/idea + 7.1/sgd = 2 of 9
    assert lines[i + 1].strip().startswith("[#") and "2/9 steps" in lines[i + 1] and "22%" in lines[i + 1]
    assert "exercises 1/3" in lines[i + 2] and "3 attempts" in lines[i + 2] and "1 h 05 min" in lines[i + 2]
    j = lines.index("8  Regularization")
    assert "[------------------------]" in lines[j + 1] and "40 s" in lines[j + 2]
    assert "Last seen: lesson 7.7" in out
    assert all(len(line) <= 80 for line in lines)


def test_progress_json_totals(tutor, home: Path) -> None:
    with _store(home) as s:
        s.record_attempt("adam", True, 8, 8, "c", 1)
        s.add_time("7.7", 60)
    code, out, _ = tutor("progress", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["format"] == 1
    m7 = doc["modules"][0]
    expected_keys = {
        "id", "title", "status", "lessons_done", "lessons_total", "steps_done", "steps_total",
        "exercises_done", "exercises_total", "attempts", "seconds", "fraction",
    }
    assert set(m7) == expected_keys
    assert (m7["exercises_done"], m7["exercises_total"], m7["attempts"], m7["seconds"]) == (1, 3, 1, 60.0)
    assert m7["steps_done"] == 1 and m7["fraction"] == round(1 / 9, 4)
    assert doc["total"]["steps_total"] == 11 and doc["total"]["lessons_total"] == 4
    assert doc["position"] is None and doc["messages"] == []


def test_bar_and_duration_formatting() -> None:
    from tutor.commands.progress import bar, duration

    assert bar(0.0, 10) == "[----------]" and bar(1.0, 10) == "[##########]"
    assert bar(0.001, 10) == "[#---------]" and bar(0.999, 10) == "[#########-]"
    assert bar(0.5, 10) == "[#####-----]"
    assert [duration(s) for s in (0, 40, 60, 3599, 3600, 3900)] == [
        "0 min", "40 s", "1 min", "59 min", "1 h 00 min", "1 h 05 min"]


# -- hint -----------------------------------------------------------------------------------------


def test_hints_come_one_at_a_time_and_are_recorded(tutor, home: Path) -> None:
    outs = [tutor("hint", "adam") for _ in range(4)]
    assert all(code == 0 for code, _, _ in outs)
    assert outs[0][1].startswith("Hint 1 of 3 for `adam`:\nhint 1 for adam")
    assert "Hint 2 of 3" in outs[1][1] and "hint 2 for adam" in outs[1][1]
    assert "hint 3 for adam" in outs[2][1] and "all 3 hints shown" in outs[2][1]
    assert outs[3][1].startswith("all 3 hints shown for `adam`")
    assert "tutor solution adam" in outs[3][1]
    with _store(home) as s:
        assert s.hints_revealed("adam") == 3


def test_unknown_ids_get_a_suggestion_and_exit_2(tutor) -> None:
    code, out, err = tutor("hint", "adamm")
    assert code == 2 and out == ""
    assert err == "tutor: no exercise `adamm` — did you mean `adam`?\n"
    code, _, err = tutor("solution", "momentun", "--yes")
    assert code == 2 and "did you mean `momentum`?" in err
    code, _, err = tutor("reset", "7.77", "--yes")
    assert code == 2 and "no exercise or lesson `7.77` — did you mean `7.7`?" in err
    code, _, err = tutor("hint", "qqqqq")
    assert code == 2 and "no exercise `qqqqq`" in err and "tutor list" in err


# -- solution -------------------------------------------------------------------------------------


def test_solution_asks_first_and_is_recorded(tutor, home: Path) -> None:
    code, out, err = tutor("solution", "adam")  # no terminal, no --yes
    assert code == 2 and "stdin is not a terminal" in err and "--yes" in err and "the adam solution" not in out
    code, out, _ = tutor("solution", "adam", stdin="n\n", tty=True)
    assert code == 0 and "Show the worked solution for `adam`?" in out and "Not shown." in out
    assert "the adam solution" not in out
    with _store(home) as s:
        assert not s.solution_revealed("adam")
    code, out, _ = tutor("solution", "adam", stdin="y\n", tty=True)
    assert code == 0 and "return x  # the adam solution" in out
    with _store(home) as s:
        assert s.solution_revealed("adam")
    code, out, _ = tutor("solution", "adam")  # seen before: no second question
    assert code == 0 and "the adam solution" in out and "Show the worked" not in out


def test_solution_with_yes(tutor, home: Path) -> None:
    code, out, _ = tutor("solution", "sgd", "--yes")
    assert code == 0 and "the sgd solution" in out
    with _store(home) as s:
        assert s.solution_revealed("sgd") and not s.solution_revealed("adam")


# -- reset ----------------------------------------------------------------------------------------


def _some_progress(home: Path) -> None:
    with _store(home) as s:
        s.record_attempt("adam", True, 8, 8, "adam code", 1)
        s.record_attempt("sgd", False, 1, 8, "sgd code", 2)
        s.reveal_hint("adam")
        s.mark_done("7.7/idea")
        s.mark_done("7.7/adam")
        s.record_quiz("7.7/quiz", 0, True)
        s.add_time("7.7", 100)
        s.mark_done("7.1/idea")
        s.set_setting("theme", "dark")
    ws = Workspace(home)
    ws.write("adam", "my adam\n")
    ws.write("sgd", "my sgd\n")


def test_reset_refuses_without_a_terminal_and_without_yes(tutor, home: Path) -> None:
    _some_progress(home)
    code, out, err = tutor("reset", "adam")
    assert code == 2 and "will not reset without asking" in err and "--yes" in err
    code, out, _ = tutor("reset", "adam", stdin="no\n", tty=True)
    assert code == 0 and "Nothing was reset." in out
    assert "Reset exercise `adam`: forget 1 step, 1 check attempt, 1 hint shown" in out
    with _store(home) as s:
        assert s.exercise_done("adam")
    assert Workspace(home).read("adam") == "my adam\n"
    assert not (home / "backups").exists() or not any((home / "backups").iterdir())


def test_reset_an_exercise_backs_up_the_code_and_the_records(tutor, home: Path) -> None:
    _some_progress(home)
    code, out, err = tutor("reset", "adam", stdin="y\n", tty=True)
    assert code == 0, err
    (folder,) = (home / "backups").iterdir()
    assert (folder / "adam.py").read_text() == "my adam\n"
    assert str(folder) in out
    record = json.loads((folder / "progress.json").read_text())
    assert record["reset"] == "exercise `adam`"
    assert [a["code"] for a in record["attempts"]] == ["adam code"]
    assert [r["step_key"] for r in record["steps"]] == ["7.7/adam"]
    ws = Workspace(home)
    assert not ws.exists("adam") and ws.read("sgd") == "my sgd\n"
    with _store(home) as s:
        assert s.attempts("adam") == [] and s.hints_revealed("adam") == 0
        assert len(s.attempts("sgd")) == 1
        assert s.done_steps() == {"7.7/idea", "7.1/idea"}


def test_reset_a_lesson_forgets_its_steps_quizzes_time_and_exercises(tutor, home: Path) -> None:
    _some_progress(home)
    code, out, err = tutor("reset", "7.7", "--yes")
    assert code == 0, err
    assert "Reset lesson 7.7 (Adam)." in out
    with _store(home) as s:
        assert s.done_steps() == {"7.1/idea"}
        assert s.quiz_answer("7.7/quiz") is None and "7.7" not in s.time_spent()
        assert s.attempts("adam") == [] and len(s.attempts("sgd")) == 1
    (folder,) = (home / "backups").iterdir()
    assert (folder / "adam.py").exists() and not (folder / "sgd.py").exists()


def test_reset_all_keeps_settings_and_backs_up_every_file(tutor, home: Path) -> None:
    _some_progress(home)
    Workspace(home).write("orphan_exercise", "old code\n")
    code, out, err = tutor("reset", "--all", "--yes")
    assert code == 0, err
    (folder,) = (home / "backups").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["adam.py", "orphan_exercise.py", "progress.json", "sgd.py"]
    with _store(home) as s:
        assert s.attempts() == [] and s.done_steps() == set() and s.time_spent() == {}
        assert s.get_setting("theme") == "dark"
    assert Workspace(home).exercise_ids() == []
    code, out, _ = tutor("list", "--json")
    assert all(m["status"] == "not started" for m in json.loads(out)["modules"])


def test_reset_needs_an_id_or_all(tutor) -> None:
    with pytest.raises(SystemExit) as e:
        tutor("reset")
    assert e.value.code == 2


# -- with the real loader -------------------------------------------------------------------------

FIXTURE = Path(__file__).with_name("fixtures") / "course"


def test_the_commands_read_a_course_folder_given_with_lessons(home: Path, capsys) -> None:
    from tutor.cli import main

    assert main(["--lessons", str(FIXTURE), "hint", "sgd_step"]) == 0
    assert "Hint 1 of 2 for `sgd_step`" in capsys.readouterr().out
    with _store(home) as s:
        s.record_attempt("sgd_step", True, 9, 9, "def sgd_step(w, dw, lr): return w - lr * dw", 3)
        s.mark_done("7.1/idea")
        s.record_quiz("7.1/quiz", [0], True)
    assert main(["--lessons", str(FIXTURE), "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["course"] == "Progress fixture course"
    (lesson,) = doc["modules"][0]["lessons"]
    assert lesson["status"] == "done" and lesson["steps_done"] == 3
    assert lesson["exercises"][0]["hints_revealed"] == 1 and lesson["exercises"][0]["hints_total"] == 2
    assert main(["--lessons", str(FIXTURE), "progress"]) == 0
    out = capsys.readouterr().out
    assert "[########################] 100%  3/3 steps" in out
    assert main(["--lessons", str(FIXTURE), "solution", "sgd_step", "--yes"]) == 0
    assert "return w - lr * dw" in capsys.readouterr().out
    assert main(["--lessons", str(FIXTURE), "hint", "sgd_stepp"]) == 2
    assert "did you mean `sgd_step`?" in capsys.readouterr().err


def test_the_store_can_be_used_from_another_thread(home: Path) -> None:
    import threading

    with _store(home) as s:
        errors: list[BaseException] = []

        def work() -> None:
            try:
                for i in range(20):
                    s.record_attempt("adam", False, i, 20, "c", i)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for i in range(20):
            s.mark_seen(f"7.1/s{i}")
        for t in threads:
            t.join()
        assert errors == []
        assert len(s.attempts("adam")) == 60 and len(s.seen_steps()) == 20
