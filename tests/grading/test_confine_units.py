"""Units of the confinement and the framing: no worker needed."""

from __future__ import annotations

import os
import time

import pytest

from tutor.grading import confine, framing
from tutor.grading.sandbox import _decode_answer, _decode_case, isolation_warning, partial
from tutor.grading.wire import pack


def test_disable_names():
    assert confine.disabled_from_env("landlock, pid") == {"landlock", "pid_namespace"}
    assert confine.disabled_from_env("namespaces") == set(confine.NAMESPACES)
    assert confine.disabled_from_env("all") == set(confine.MECHANISMS)
    assert confine.disabled_from_env("nonsense,") == set()


def test_a_folder_holding_a_private_one_is_allowed_around_it(tmp_path):
    for name in ("lib/python/os.py", "lib/python/site-packages/tutor/core.py", "lib/python/json/x.py", "other/y"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    private = [str(tmp_path / "lib/python/site-packages")]
    allowed = confine._expand([str(tmp_path / "lib")], private)
    assert str(tmp_path / "lib/python/os.py") in allowed and str(tmp_path / "lib/python/json") in allowed
    assert not any(p == private[0] or p.startswith(private[0] + os.sep) for p in allowed)
    assert not any(private[0].startswith(p + os.sep) or private[0] == p for p in allowed)


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_the_seccomp_program_is_well_formed(machine):
    program = confine.seccomp_program(machine, 1234, filter_signals=True)
    assert program is not None and len(program) % 8 == 0 and len(program) // 8 < 4096
    assert confine.seccomp_program("sparc", 1, filter_signals=False) is None


def test_partial_isolation_and_its_warning():
    full = {"mechanisms": ["landlock", "seccomp", "no_new_privs", "rlimits", "net_namespace"], "landlock_abi": 7}
    assert not partial(full) and isolation_warning(full) == ""
    no_net = {"mechanisms": ["landlock", "seccomp", "no_new_privs", "rlimits"], "landlock_abi": 3}
    assert partial(no_net) and partial({"mechanisms": []})
    assert "landlock" in isolation_warning({"mechanisms": ["seccomp"]})


def test_frames_are_refused_when_oversized_and_reads_end_at_the_deadline():
    read, write = os.pipe()
    try:
        os.write(write, framing.frame(b"x" * 100))
        with pytest.raises(framing.FrameError):
            framing.read_frame(read, time.monotonic() + 1, limit=10)
        started = time.monotonic()
        assert framing.read_frame(read, time.monotonic() + 0.05) is None
        assert time.monotonic() - started < 1
    finally:
        os.close(read)
        os.close(write)
    whole = framing.kinded(b"C", b"abc")
    assert framing.split_kinded(whole + whole[:6]) == [(b"C", b"abc")]


def test_forged_records_become_failures_not_exceptions():
    inf_case = pack({"name": "c", "outputs": {}, "error": ["E", "m", "", float("inf")], "mutated": [[float("inf"), "w"]]})
    case = _decode_case(0, inf_case)
    assert case.error is not None and case.error.type == "GradingError"
    assert _decode_case(1, b"garbage").error.type == "GradingError"
    result = _decode_answer(pack({"status": "ok", "seconds": float("inf"), "extra": {"x": float("nan")},
                                  "sandbox": {"mechanisms": [1, "seccomp"]}}), [inf_case])
    assert result.status == "ok" and result.seconds == 0.0 and result.extra == {}
    assert result.sandbox["mechanisms"] == ["seccomp"] and result.cases[0].error is not None
    broken = _decode_answer(pack(["not", "a", "header"]), [])
    assert broken.status == "crashed" and "could not read" in broken.message
