"""``tutor check``: exit codes, the JSON shape, --seed replay, did-you-mean, recording attempts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.paths import shipped_lessons_dir

LESSONS = shipped_lessons_dir()


def _solution(exercise_id: str) -> str:
    import yaml

    return yaml.safe_load((LESSONS / "exercises" / f"{exercise_id}.yaml").read_text())["solution"]


def _starter(exercise_id: str) -> str:
    import yaml

    return yaml.safe_load((LESSONS / "exercises" / f"{exercise_id}.yaml").read_text())["starter"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    h = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(h))
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)
    return h


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_passing_file_exits_0(home, tmp_path, capsys):
    f = _write(tmp_path / "sol.py", _solution("adam"))
    assert main(["check", "adam", "--file", str(f)]) == 0
    out = capsys.readouterr().out
    assert "adam — One Adam step: PASSED" in out and "✓ first step from zero state" in out


def test_workspace_file_is_graded_and_failure_exits_1(home, capsys):
    _write(home / "workspace" / "momentum.py", _starter("momentum"))
    assert main(["check", "momentum"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "NotImplementedError" in out
    assert "tutor check momentum --seed " in out


def test_missing_workspace_file_exits_2(home, capsys):
    assert main(["check", "adam"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tutor: no code yet for `adam`") and "--file" in err


def test_missing_file_and_folder_exit_2(home, tmp_path, capsys):
    assert main(["check", "adam", "--file", str(tmp_path / "nope.py")]) == 2
    assert "no file" in capsys.readouterr().err
    assert main(["check", "adam", "--file", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err


@pytest.mark.parametrize(("typo", "meant"), [("adma", "adam"), ("Adam", "adam"), ("momentum_update", "momentum"),
                                             ("warmup-cosine", "warmup_cosine"), ("rmsprob", "rmsprop")])
def test_unknown_id_did_you_mean(home, capsys, typo, meant):
    assert main(["check", typo]) == 2
    assert f"did you mean `{meant}`?" in capsys.readouterr().err


def test_unknown_id_without_a_close_match(home, capsys):
    assert main(["check", "qqqqqqq"]) == 2
    err = capsys.readouterr().err
    assert "no exercise `qqqqqqq`" in err and "did you mean" not in err


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_json_shape(home, tmp_path, capsys):
    import inspect

    from tutor.exercises import optim

    src = "import numpy as np\n" + inspect.getsource(optim.adam_eps_inside_sqrt).replace(
        "adam_eps_inside_sqrt", "adam_update"
    )
    f = _write(tmp_path / "eps.py", src)
    assert main(["check", "adam", "--file", str(f), "--json"]) == 1
    data = _json(capsys)
    assert data["exercise"] == "adam" and data["passed"] is False and isinstance(data["seed"], int)
    assert data["status"] == "ok" and data["file"] == str(f) and data["title"] == "One Adam step"
    assert len(data["cases"]) == data["cases_total"] >= 8
    for case in data["cases"]:
        assert isinstance(case["name"], str) and isinstance(case["passed"], bool) and isinstance(case["message"], str)
    assert [d["name"] for d in data["diagnosis"]] == ["eps-inside-sqrt"]
    assert "square root" in data["diagnosis"][0]["message"]


def test_seed_replays_identical_verdict(home, tmp_path, capsys):
    f = _write(tmp_path / "s.py", _solution("minibatches").replace("k + batch_size", "k + batch_size - 1"))
    runs = []
    for _ in range(2):
        assert main(["check", "minibatches", "--file", str(f), "--seed", "77", "--json"]) == 1
        data = _json(capsys)
        data.pop("seconds")
        runs.append(data)
    assert runs[0] == runs[1] and runs[0]["seed"] == 77
    assert main(["check", "minibatches", "--file", str(f), "--seed", "78", "--json"]) == 1
    other = _json(capsys)
    other.pop("seconds")
    assert other != runs[0]


def test_attempts_are_recorded(home, tmp_path, capsys):
    store_mod = pytest.importorskip("tutor.progress.store", reason="the progress store records attempts")
    f = _write(tmp_path / "sol.py", _solution("time_decay"))
    assert main(["check", "time_decay", "--file", str(f), "--seed", "5"]) == 0
    with store_mod.Store.open(home) as store:
        (attempt,) = store.attempts("time_decay")
        assert attempt.passed and attempt.seed == 5 and attempt.cases_passed == attempt.cases_total
        assert store.exercise_done("time_decay")


def test_broken_exercise_is_a_content_error(home, tmp_path, capsys):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    ex = lessons / "exercises" / "adam.yaml"
    ex.write_text(ex.read_text().replace("tutor.exercises.optim.adam_cases", "tutor.exercises.optim.nope_cases"))
    f = _write(tmp_path / "sol.py", _solution("adam"))
    assert main(["--lessons", str(lessons), "check", "adam", "--file", str(f)]) == 2
    err = capsys.readouterr().err
    assert "is broken (not your code)" in err and "nope_cases" in err


def test_exercise_file_with_errors_is_a_content_error(home, tmp_path, capsys):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    ex = lessons / "exercises" / "adam.yaml"
    ex.write_text(ex.read_text().replace("title: One Adam step\n", ""))
    f = _write(tmp_path / "sol.py", _solution("adam"))
    assert main(["--lessons", str(lessons), "check", "adam", "--file", str(f)]) == 2
    assert "title" in capsys.readouterr().err


def test_fast_exercise_read_equals_the_full_loader(home):
    from tutor.commands.check import _load_one
    from tutor.course.loader import read_course
    from tutor.record import replace

    loaded = read_course(LESSONS).exercises
    assert loaded
    for loc in loaded:
        for _ in range(2):  # the second read comes from the JSON cache
            fast = _load_one(LESSONS, loc.obj.id)
            assert fast is not None, loc.obj.id
            assert fast.solution == "" and fast.hints == ()  # a check never shows them
            # race is the app's: a check does not read it
            assert replace(fast, source=loc.obj.source, solution=loc.obj.solution, hints=loc.obj.hints,
                           race=loc.obj.race) == loc.obj


def test_exercise_cache_is_keyed_by_content(home, tmp_path):
    from tutor.commands.check import _cache_path, _load_one

    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    assert _load_one(lessons, "adam").title == "One Adam step"
    assert _cache_path("adam").is_file()
    ex = lessons / "exercises" / "adam.yaml"
    ex.write_text(ex.read_text().replace("title: One Adam step", "title: Another title"))
    assert _load_one(lessons, "adam").title == "Another title"
    _cache_path("adam").write_text("{not json")
    assert _load_one(lessons, "adam").title == "Another title"


def test_exercise_cache_holds_no_solution_and_a_forged_entry_is_ignored(home, tmp_path):
    """The cache is written and read by the trusted side only: the worked solution is never in it,
    and an entry rewritten without the key (say, a huge tolerance) is ignored and rewritten."""
    from tutor.commands.check import _cache_path, _load_one

    exercise = _load_one(LESSONS, "adam")
    text = _cache_path("adam").read_text()
    assert not {"solution", "hints"} & set(json.loads(json.loads(text)["data"]))
    assert _solution("adam").strip().splitlines()[-1].strip() not in text
    import yaml

    first_hint = yaml.safe_load((LESSONS / "exercises" / "adam.yaml").read_text())["hints"][0]
    assert first_hint.split("\n")[0] not in text
    entry = json.loads(text)
    data = json.loads(entry["data"])
    data["tolerance"] = {"rtol": 1e9, "atol": 1e9}
    data["exercise"]["rtol"] = data["exercise"]["atol"] = 1e9  # the model's own fields (tutor.course.serial)
    entry["data"] = json.dumps(data)
    _cache_path("adam").write_text(json.dumps(entry))
    again = _load_one(LESSONS, "adam")
    assert (again.rtol, again.atol) == (exercise.rtol, exercise.atol) and again.rtol < 1
    assert "1000000000" not in _cache_path("adam").read_text()
    assert (home / "cache" / "key").stat().st_mode & 0o077 == 0


def test_check_imports_nothing_heavy(home, tmp_path):
    """A cold ``tutor check`` pays for NumPy and the grader only: no Textual, plotext, torch or
    scikit-learn; and with the exercise cache warm, not even PyYAML or the course loader."""
    import subprocess
    import sys

    f = _write(tmp_path / "sol.py", _solution("adam"))
    code = (
        "import sys, io, contextlib\n"
        "from tutor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['check', 'adam', '--file', {str(f)!r}])\n"
        "print(rc, ' '.join(sorted(m for m in sys.modules if '.' not in m)), "
        "'loader' if 'tutor.course.loader' in sys.modules else '')\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    for out in runs:
        assert out[0] == "0"
        for heavy in ("textual", "plotext", "textual_plotext", "torch", "sklearn", "rich"):
            assert heavy not in out[1:], heavy
    assert "yaml" not in runs[1] and "loader" not in runs[1]


def test_a_lesson_id_names_its_exercises(home, tmp_path, capsys):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    course = lessons / "course.yaml"
    text = course.read_text()
    course.write_text(text[: text.index("  - id: \"8\"")])  # module 7 only: a course that loads
    assert main(["--lessons", str(lessons), "check", "7.7"]) == 2
    err = capsys.readouterr().err
    assert "`7.7` is a lesson, not an exercise; its exercises: `adam`, `adamax`, `nadam`" in err


def test_unwritable_home_prints_the_verdict_then_exits_2(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TUTOR_HOME", str(blocker / "home"))  # root can write anywhere: a path under a file
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)
    src = _write(tmp_path / "adam.py", _solution("adam"))
    assert main(["check", "adam", "--file", str(src)]) == 2
    out, err = capsys.readouterr()
    assert "the check was not recorded" in err and str(blocker) in err
    assert "Traceback" not in out + err
    assert "✓" in out  # the verdict itself was still shown


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_file_that_is_not_regular_is_refused_not_read(home, tmp_path, capsys, special):
    import os

    path = special
    if special == "fifo":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)
    assert main(["check", "momentum", "--file", path]) == 2
    assert "is not a regular file" in capsys.readouterr().err


def test_an_oversized_file_is_refused(home, tmp_path, capsys):
    big = _write(tmp_path / "big.py", "# padding\n" * 200_000)
    assert main(["check", "momentum", "--file", str(big)]) == 2
    assert "a solution file is at most" in capsys.readouterr().err


def test_a_custom_base_exception_is_reported_as_raised(home, tmp_path, capsys):
    src = _write(
        tmp_path / "m.py",
        "class Boom(BaseException):\n    pass\n\ndef momentum_update(w, dw, v, lr, beta=0.9):\n    raise Boom('no')\n",
    )
    assert main(["check", "momentum", "--file", str(src)]) == 1
    out = capsys.readouterr().out
    assert "Boom" in out and "exit code" not in out


def test_forged_result_frames_fail_the_check_without_a_traceback(home, tmp_path, capsys):
    """Frames forged by the learner's code (``inf`` where an integer is expected, garbage, a fake
    final word) make a failed check with a clear reason: never a traceback, never a hang."""
    from tests.grading.test_hostile import FORGE

    body = _solution("momentum").replace("```python", "").replace("```", "")
    f = _write(tmp_path / "forged.py", FORGE + "\n" + body.replace("return", "return 0 *", 1))
    for extra in ([], ["--json"]):
        rc = main(["check", "momentum", "--file", str(f), "--seed", "3", *extra])
        out, err = capsys.readouterr()
        assert rc == 1, (out, err)
        assert "Traceback" not in err and "Error" not in err
        if extra:
            data = json.loads(out)
            assert data["passed"] is False and data["sandbox"]["mechanisms"]
