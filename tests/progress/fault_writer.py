"""Processes that write progress in a loop, for the fault tests (killed with SIGKILL).

    python fault_writer.py write HOME TAG START [N]     one writer, reports on stdout
    python fault_writer.py zygote                       forks writers on request (fast restarts)

A writer opens the store in HOME, reports ``ready``, then loops: record a check attempt of exercise
``ex<TAG>`` and report ``A <id>`` once it is committed; save the workspace file ``ex<TAG>.py``
atomically (its text ends with the SHA-256 of its body) and report ``W <counter>``; then a few other
writes (step seen, hint revealed, time, position). The counter starts at START. With N it stops
after N loops and reports ``done``; without, it runs until killed.

The zygote has imported the store once; for each line ``spawn HOME TAG START LOG`` on stdin it forks
a writer whose reports go to the file LOG (each one ``os.write``-n, so a kill never loses a report
already made) and answers ``pid <pid>``. Its children are reaped automatically (SIGCHLD ignored).
Forking from a warm interpreter takes milliseconds where starting Python takes 100 ms or more,
which keeps a test of more than a hundred kills fast on a busy machine.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sys
from collections.abc import Callable


def body_text(tag: str, i: int, rng: random.Random) -> str:
    lines = "".join(f"w{k} = {rng.random()!r}\n" for k in range(rng.randint(1, 120)))
    return f"# writer {tag} save {i}\n{lines}"


def write_loop(home: str, tag: str, start: int, limit: int | None, report: Callable[[str], None]) -> None:
    from tutor.progress.store import Store
    from tutor.progress.workspace import Workspace

    rng = random.Random(f"{tag}-{start}")
    store = Store.open(home)
    if store.notice:
        report(f"NOTICE {store.notice}")
    ws = Workspace(home)
    report("ready")
    exercise = f"ex{tag}"
    i = start
    n = 0
    while limit is None or n < limit:
        code = body_text(tag, i, rng)
        aid = store.record_attempt(exercise, rng.random() < 0.3, rng.randint(0, 8), 8, code, i)
        report(f"A {aid}")
        body = body_text(tag, i, rng)
        digest = hashlib.sha256(body.encode()).hexdigest()
        ws.write(exercise, f"{body}# n={i} sha256={digest}\n")
        report(f"W {i}")
        store.mark_seen(f"7.{tag}/step-{i % 5}")
        store.reveal_hint(exercise)
        store.add_time("7.1", 0.5)
        store.set_position("7.1", f"step-{i % 5}")
        i += 1
        n += 1
    store.close()
    report("done")


def _stdout_report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def zygote() -> None:
    import tutor.progress.store  # noqa: F401  (warm: the children start with it imported)
    import tutor.progress.workspace  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "spawn":
            break
        home, tag, start, log = parts[1], parts[2], int(parts[3]), parts[4]
        pid = os.fork()
        if pid == 0:  # the writer
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

            def report(text: str) -> None:
                os.write(fd, (text + "\n").encode())

            try:
                write_loop(home, tag, start, None, report)
            except BaseException as exc:  # report, so the test shows why a writer stopped
                report(f"ERROR {type(exc).__name__}: {exc}")
            finally:
                os._exit(3)
        _stdout_report(f"pid {pid}")


def main() -> int:
    if sys.argv[1] == "zygote":
        zygote()
        return 0
    home, tag, start = sys.argv[2], sys.argv[3], int(sys.argv[4])
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else None
    write_loop(home, tag, start, limit, _stdout_report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
