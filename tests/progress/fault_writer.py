"""A process that writes progress in a loop, for the fault tests (run as a script, killed with -9).

    python fault_writer.py HOME TAG START [N]

Opens the store in HOME, prints ``ready``, then loops: record a check attempt of exercise
``ex<TAG>`` and print ``A <id>`` once it is committed; save the workspace file ``ex<TAG>.py``
atomically (its text ends with the SHA-256 of its body) and print ``W <counter>``; then a few other
writes (step seen, hint revealed, time, position). The counter starts at START. With N, stops after
N loops and prints ``done`` (the concurrency test); without, runs until killed.
"""

from __future__ import annotations

import hashlib
import random
import sys


def body_text(tag: str, i: int, rng: random.Random) -> str:
    lines = "".join(f"w{k} = {rng.random()!r}\n" for k in range(rng.randint(1, 300)))
    return f"# writer {tag} save {i}\n{lines}"


def main() -> int:
    home, tag, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    from tutor.progress.store import Store
    from tutor.progress.workspace import Workspace

    rng = random.Random(f"{tag}-{start}")
    store = Store.open(home)
    if store.notice:
        print(f"NOTICE {store.notice}", flush=True)
    ws = Workspace(home)
    print("ready", flush=True)
    exercise = f"ex{tag}"
    i = start
    n = 0
    while limit is None or n < limit:
        code = body_text(tag, i, rng)
        aid = store.record_attempt(exercise, rng.random() < 0.3, rng.randint(0, 8), 8, code, i)
        print(f"A {aid}", flush=True)
        body = body_text(tag, i, rng)
        digest = hashlib.sha256(body.encode()).hexdigest()
        ws.write(exercise, f"{body}# n={i} sha256={digest}\n")
        print(f"W {i}", flush=True)
        store.mark_seen(f"7.{tag}/step-{i % 5}")
        store.reveal_hint(exercise)
        store.add_time("7.1", 0.5)
        store.set_position("7.1", f"step-{i % 5}")
        i += 1
        n += 1
    store.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
