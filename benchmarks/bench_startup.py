"""Start-up of ``tutor start`` against a bare Textual app with a Footer, measured in tmux.

Three figures (issue 6, "Quality bars"):

- first useful screen: the outline, the step's title and the footer are on screen
  (goal ≤ 1.3 × the bare app's time to show its footer);
- complete first step: the step's Markdown is rendered (goal ≤ 2.0 × bare);
- resident memory of the tutor process on the first screen (goal ≤ 80 MiB).

Both apps run in the same tmux session, alternately, ``--runs`` times each; the time is from
sending the command line to the moment ``tmux capture-pane`` first shows the marker text (polled
every few milliseconds), the median is reported. The tutor runs on the shipped course as a
returning learner (one ``TUTOR_HOME`` for all runs, opened once before measuring: the store
exists, the last step seen is 7.1's first) and, reported apart, as a first run (a fresh
``TUTOR_HOME`` each time: the store is created, which costs a few fsyncs).

    python benchmarks/bench_startup.py [--runs 7] [--json out.json] [--lessons DIR]
    chrt -f 70 python benchmarks/bench_startup.py --rt     # on a busy machine
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SESSION = "tutor-bench"
WIDTH, HEIGHT = 120, 40
POLL = 0.004

BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Static("bare app")
        yield Footer()


Bare().run()
'''


SOCKET = "tutor-bench"  # a tmux server of its own (its priority may be raised, see --rt)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True).stdout


def capture() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(predicate, timeout: float = 20.0) -> float | None:
    """Seconds until ``predicate(screen)`` holds (None on timeout)."""
    start = time.perf_counter()
    while True:
        now = time.perf_counter()
        if predicate(capture()):
            return now
        if now - start > timeout:
            return None
        time.sleep(POLL)


def foreground_pid() -> int | None:
    shell = int(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())
    try:
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def rss_mib(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_ms(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far (10 ms resolution)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) * 1000 / ticks


def markdown_fragment(markdown: str) -> str:
    """A short run of plain words from the first paragraph (what the rendered Markdown shows)."""
    for line in markdown.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "`", "|", "-", "*", ">")):
            continue
        words = []
        for word in line.split():
            if re.search(r"[`*_\[\]()<>|]", word):
                break
            words.append(word)
            if len(" ".join(words)) >= 14:
                break
        if len(" ".join(words)) >= 6:
            return " ".join(words)
    raise SystemExit("could not find plain words in the first step's Markdown")


def run_one(command: str, first, complete, quit_keys=("C-q",)) -> dict:
    tmux("send-keys", "-t", SESSION, "clear", "Enter")
    wait_for(lambda s: s.strip().endswith("$") or s.strip() == "" or s.strip().endswith("#"), 5)
    time.sleep(0.2)
    t0 = time.perf_counter()
    tmux("send-keys", "-t", SESSION, command, "Enter")
    t_first = wait_for(first)
    pid = foreground_pid()
    cpu_first = cpu_ms(pid)
    t_complete = wait_for(complete) if complete is not None else t_first
    cpu_complete = cpu_ms(pid)
    mem = rss_mib(pid)
    time.sleep(0.3)
    for key in quit_keys:
        tmux("send-keys", "-t", SESSION, key)
    time.sleep(0.5)
    return {
        "first": None if t_first is None else t_first - t0,
        "complete": None if t_complete is None else t_complete - t0,
        "rss_mib": mem,
        "cpu_first": cpu_first,
        "cpu_complete": cpu_complete,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    p.add_argument("--verbose", action="store_true", help="also print every run's figures")
    p.add_argument("--lessons", metavar="DIR", help="another course folder (default: the shipped one)")
    p.add_argument(
        "--rt",
        action="store_true",
        help="run both apps with real-time priority (chrt -f 50) and the tmux server above them "
        "(60), so that a busy machine distorts the figures less; needs root; run the benchmark "
        "itself with `chrt -f 70` too, so that its polling is not starved",
    )
    args = p.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is needed for this benchmark", file=sys.stderr)
        return 2

    from tutor.course import load_course
    from tutor.paths import lessons_dir

    folder = lessons_dir(args.lessons)
    course = load_course(folder)
    first_lesson = course.lesson("7.1") or course.lessons[0]
    step = first_lesson.steps[0]
    fragment = markdown_fragment(step.markdown)
    title = (getattr(step, "title", "") or "")[:25]
    module_title = course.modules[0].title

    python = sys.executable
    tutor = shlex.quote(str(Path(python).with_name("tutor")))
    work = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    bare = work / "bare.py"
    bare.write_text(BARE_APP)

    def tutor_first(screen: str) -> bool:
        return title in screen and module_title in screen and "Quit" in screen

    def tutor_complete(screen: str) -> bool:
        return tutor_first(screen) and fragment in screen

    try:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        tmux("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), "bash --norc --noprofile")
        if args.rt:
            # the terminal (tmux) must draw as soon as an app writes: above the apps' priority
            server = tmux("display-message", "-p", "-t", SESSION, "#{pid}").strip()
            subprocess.run(["chrt", "-f", "-p", "60", server], check=True)
        tmux("send-keys", "-t", SESSION, "export PS1='$ '", "Enter")
        time.sleep(0.3)
        bare_runs, tutor_runs, fresh_runs = [], [], []
        prio = "chrt -f 50 " if args.rt else ""
        start = f"{prio}{tutor} --lessons {shlex.quote(str(folder))} start"
        home = work / "home"
        run_one(f"TUTOR_HOME={home} {start}", tutor_first, tutor_complete)  # warm-up: creates the store
        for i in range(args.runs):
            bare_runs.append(run_one(f"{prio}{shlex.quote(python)} {bare}", lambda s: "Quit" in s and "bare app" in s, None))
            tutor_runs.append(run_one(f"TUTOR_HOME={home} {start}", tutor_first, tutor_complete))
            fresh_runs.append(run_one(f"TUTOR_HOME={work / f'fresh{i}'} {start}", tutor_first, tutor_complete))
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)

    def med(runs: list[dict], key: str) -> float:
        values = [r[key] for r in runs if r[key] is not None]
        if len(values) < len(runs):
            raise SystemExit(f"{len(runs) - len(values)} run(s) timed out waiting for {key}")
        return statistics.median(values)

    bare_t = med(bare_runs, "first")
    first_t = med(tutor_runs, "first")
    complete_t = med(tutor_runs, "complete")
    rss = med(tutor_runs, "rss_mib")
    result = {
        "runs": args.runs,
        "real_time_priority": bool(args.rt),
        "load_average": os.getloadavg()[0],
        "terminal": f"tmux {WIDTH}x{HEIGHT}",
        "bare_ms": round(bare_t * 1000, 1),
        "first_screen_ms": round(first_t * 1000, 1),
        "first_screen_ratio": round(first_t / bare_t, 2),
        "complete_step_ms": round(complete_t * 1000, 1),
        "complete_step_ratio": round(complete_t / bare_t, 2),
        "rss_mib": round(rss, 1),
        "bare_rss_mib": round(med(bare_runs, "rss_mib"), 1),
        "cpu_ms": {
            "bare": med(bare_runs, "cpu_first"),
            "first_screen": med(tutor_runs, "cpu_first"),
            "complete_step": med(tutor_runs, "cpu_complete"),
        },
        "first_run": {
            "first_screen_ms": round(med(fresh_runs, "first") * 1000, 1),
            "first_screen_ratio": round(med(fresh_runs, "first") / bare_t, 2),
            "complete_step_ms": round(med(fresh_runs, "complete") * 1000, 1),
            "complete_step_ratio": round(med(fresh_runs, "complete") / bare_t, 2),
            "rss_mib": round(med(fresh_runs, "rss_mib"), 1),
        },
        "goals": {"first_screen_ratio": 1.3, "complete_step_ratio": 2.0, "rss_mib": 80},
    }
    paired_first = statistics.median(t["first"] / b["first"] for t, b in zip(tutor_runs, bare_runs))
    paired_complete = statistics.median(t["complete"] / b["first"] for t, b in zip(tutor_runs, bare_runs))
    result["paired"] = {"first_screen_ratio": round(paired_first, 2), "complete_step_ratio": round(paired_complete, 2)}
    print(f"bare Textual app with a Footer : {result['bare_ms']:7.1f} ms   ({result['bare_rss_mib']} MiB)")
    print(f"tutor: first useful screen     : {result['first_screen_ms']:7.1f} ms   {result['first_screen_ratio']:.2f}x (goal <= 1.3x)")
    print(f"tutor: first step rendered     : {result['complete_step_ms']:7.1f} ms   {result['complete_step_ratio']:.2f}x (goal <= 2.0x)")
    print(f"tutor: resident memory         : {result['rss_mib']:7.1f} MiB (goal <= 80 MiB)")
    c = result["cpu_ms"]
    print(f"CPU time used by then (medians): bare {c['bare']:.0f} ms, first screen {c['first_screen']:.0f} ms "
          f"({c['first_screen'] / c['bare']:.2f}x), step rendered {c['complete_step']:.0f} ms ({c['complete_step'] / c['bare']:.2f}x)")
    print(f"median of the per-run ratios (each tutor run over the bare run just before it): "
          f"first screen {paired_first:.2f}x, step rendered {paired_complete:.2f}x")
    fr = result["first_run"]
    print(f"first run (fresh TUTOR_HOME)   : first screen {fr['first_screen_ms']:.1f} ms ({fr['first_screen_ratio']:.2f}x), "
          f"step rendered {fr['complete_step_ms']:.1f} ms ({fr['complete_step_ratio']:.2f}x), {fr['rss_mib']} MiB")
    if args.verbose:
        for b, t in zip(bare_runs, tutor_runs):
            print(f"  bare {b['first'] * 1000:6.0f} ms   tutor {t['first'] * 1000:6.0f} / {t['complete'] * 1000:6.0f} ms   "
                  f"{t['first'] / b['first']:.2f}x / {t['complete'] / b['first']:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    ok = result["first_screen_ratio"] <= 1.3 and result["complete_step_ratio"] <= 2.0 and result["rss_mib"] <= 80
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
