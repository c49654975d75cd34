"""After the capstone passes: the learner's own ``train`` fits the whole digits split, drawn live
against the reference's run, with the final test accuracy.

The exercise's ``race:`` has ``kind: digits`` (``tutor/app/race.py``'s ``RaceSpec``). Its reference
module (trusted, e.g. ``tutor.exercises.capstone``) provides ``APP_RUN`` (settings),
``app_run_kwargs()`` (the arrays and settings of the run, ``rng`` an ``Rng`` marker),
``reference_app_run() -> (result, test accuracy)`` and ``test_accuracy(params)``.

The learner's code runs only in the sandbox: a case program calls their ``train`` with the data
as arrays (their code cannot read files). The sandbox answers when a run ends, so the curves grow
by runs of 5, 10, 20, then all epochs: the same seed and the same rng calls give the same first
epochs, so each run extends the last one's curves. The reference's curves are drawn from the
start. The test accuracy of the learner's kept weights is computed here, in the trusted process,
from the arrays that came back (data, never objects).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tutor.grading.report import visible

CHUNKS: tuple[int, ...] = (5, 10, 20)  # epochs of the first runs; the last run has them all
HEAD = "$accent bold"
DIM = "$text-muted"
OK = "$success bold"
BAD = "$error bold"
KEYS = ("train_loss", "val_loss")


class RaceError(Exception):
    """The learner's run could not be drawn (the message is for the learner)."""


def epochs_plan(total: int) -> list[int]:
    """The epochs of each successive run: ``[5, 10, 20, total]`` (those below ``total``, then it)."""
    return [c for c in CHUNKS if c < total] + [total]


def learner_request(source: str, filename: str, kwargs: dict[str, Any], time_limit: float, name: str = "train") -> Any:
    """A ``RunRequest``: one case that calls the learner's ``train(**kwargs)`` in the sandbox."""
    from tutor.grading.sandbox import RunRequest

    case = {"name": "digits", "ops": [{"op": "call", "fn": name, "kwargs": kwargs, "out": "train"}]}
    return RunRequest(source=source, filename=filename, names=(name,), cases=(case,), time_limit=time_limit)


def _curve(history: Any, key: str) -> list[float]:
    out = []
    for i, h in enumerate(history):
        if not isinstance(h, dict) or key not in h:
            raise RaceError(f'history[{i}] has no "{key}"')
        value = h[key]
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            raise RaceError(f'history[{i}]["{key}"] is not a number') from None
    return out


def read_run(result: Any) -> dict[str, Any]:
    """The learner's ``train`` result from a ``RunResult``: ``{"train_loss", "val_loss" (lists),
    "best_epoch", "stop_epoch", "params"}``; raises ``RaceError`` saying why not."""
    if getattr(result, "status", "") != "ok" or not getattr(result, "cases", ()):
        raise RaceError(getattr(result, "message", "") or "the run did not finish")
    case = result.cases[0]
    if case.error is not None:
        raise RaceError(f"{getattr(case.error, 'type', 'Error')}: {getattr(case.error, 'message', '')}")
    out = case.outputs.get("train")
    if not isinstance(out, dict) or not isinstance(out.get("history"), (list, tuple)) or not out["history"]:
        raise RaceError('train did not return a dict with a non-empty "history" list')
    params = out.get("params")
    if not isinstance(params, dict):
        raise RaceError('train did not return "params" as a dict of arrays')
    curves = {key: _curve(out["history"], key) for key in KEYS}
    return {**curves, "best_epoch": out.get("best_epoch"), "stop_epoch": len(out["history"]) - 1, "params": params}


def reference_curves(result: dict[str, Any]) -> dict[str, list[float]]:
    return {key: [float(h[key]) for h in result["history"]] for key in KEYS}


def first_departure(mine: Sequence[float], reference: Sequence[float], rtol: float = 1e-6) -> int | None:
    """The first epoch where ``mine`` differs from ``reference`` (beyond ``rtol``), or None."""
    for e, (a, b) in enumerate(zip(mine, reference)):
        if not (math.isfinite(a) and abs(a - b) <= rtol * abs(b) + 1e-12):
            return e
    return None


class TrainingCurves(Vertical):
    """The capstone's live curves: title, plot, legend and a status line (classes ``race``)."""

    DEFAULT_CSS = """
    TrainingCurves { height: auto; }
    TrainingCurves > PlotextPlot { height: 16; }
    TrainingCurves > .race-status { height: auto; }
    """

    def __init__(self, reference: dict[str, list[float]], total_epochs: int, **kwargs: Any) -> None:
        super().__init__(classes="race", **kwargs)
        self.reference = reference
        self.total_epochs = total_epochs
        self.mine: dict[str, list[float]] = {key: [] for key in KEYS}
        self.kept: int | None = None  # the learner's best epoch, marked once the last run is in

    def compose(self):
        from tutor.app.widgets.figure_plot import FigurePlot

        yield Static(Content.assemble(("Your network on the digits", HEAD), " — loss per epoch, against the reference"),
                     classes="race-title")
        plot = FigurePlot()
        plot.set_drawing(self._draw)
        yield plot
        yield Static(self._legend(), classes="race-legend")
        yield Static(Content.assemble(("Training your network on 1,257 digits…", DIM)), classes="race-status")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda theme: self._recolor())

    def _entries(self) -> list[tuple[str, str, tuple[int, int, int]]]:
        from tutor.app.plotting import color_of

        dark = self.app.current_theme.dark
        return [
            ("━━", "ref. train", color_of(0, dark)),
            ("━━", "ref. validation", color_of(1, dark)),
            ("━━", "your train", color_of(2, dark)),
            ("━━", "your validation", color_of(3, dark)),
        ]

    def _legend(self) -> Any:
        from tutor.app.plotting import legend_content

        return legend_content(self._entries())

    def _recolor(self) -> None:
        self.query_one(".race-legend", Static).update(self._legend())
        self.query_one("FigurePlot").refresh()

    def _draw(self, plt: Any, width: int) -> None:
        from tutor.app.plotting import drawable, ticks

        entries = self._entries()
        curves = [self.reference["train_loss"], self.reference["val_loss"], self.mine["train_loss"], self.mine["val_loss"]]
        ys_all: list[float] = []
        for (_, _, color), ys in zip(entries, curves):
            x, y = drawable(range(len(ys)), ys, ylog=True)
            if x:
                plt.plot(list(x), list(y), marker="braille", color=color)  # fresh lists: plotext logs in place
                ys_all += y
        if self.kept is not None and 0 <= self.kept <= self.total_epochs:
            plt.vline(self.kept, color=entries[3][2])  # the epoch whose weights were kept
        plt.yscale("log")
        if ys_all:
            plt.yticks(*ticks(min(ys_all), max(ys_all), log=True))
        plt.xticks(*ticks(0, max(self.total_epochs, 1), integral=True))
        plt.xlim(0, max(self.total_epochs, 1))
        plt.xlabel("epoch")
        plt.ylabel("loss")

    def grow(self, mine: dict[str, Any], done: bool) -> None:
        """Show the learner's curves so far (``done``: the last run)."""
        self.mine = {key: list(mine[key]) for key in KEYS}
        best = mine.get("best_epoch")
        self.kept = best if done and isinstance(best, int) and not isinstance(best, bool) else None
        self.query_one("FigurePlot").refresh()
        if not done:
            self.status(Content.assemble(("Training your network… ", DIM), f"epochs 0–{len(self.mine['val_loss']) - 1} so far"))

    def status(self, content: Any) -> None:
        self.query_one(".race-status", Static).update(content)


def summary(mine: dict[str, Any], mine_acc: float, reference: dict[str, Any], ref_acc: float) -> Content:
    """The last line: both test accuracies, the kept epoch, and where the curves part (if they do)."""
    parts: list[Any] = [
        ("Test accuracy: ", HEAD),
        (f"yours {100 * mine_acc:.1f} %", OK if mine_acc >= 0.95 else BAD),
        f", reference {100 * ref_acc:.1f} % (270 test digits). ",
        f"Weights kept from epoch {mine.get('best_epoch')} of {mine['stop_epoch']} (the vertical line).",
    ]
    ref = reference_curves(reference)
    departs = [e for e in (first_departure(mine[k], ref[k]) for k in KEYS) if e is not None]
    if departs or len(mine["val_loss"]) != len(ref["val_loss"]):
        at = min(departs) if departs else min(len(mine["val_loss"]), len(ref["val_loss"]))
        parts.append((f"\nYour curves part from the reference's at epoch {at}.", DIM))
    else:
        parts.append(("\nYour curves lie on the reference's, epoch for epoch.", DIM))
    return Content.assemble(*parts)


def start(view: Any, spec: Any, source: str) -> None:
    """Mount the curves under ``view``'s results and run the learner's ``train`` (thread worker)."""
    from tutor.course.resolve import resolve

    results = view.results
    for old in results.query(".race"):
        old.remove()
    python_path = getattr(view.app.course, "python_path", None)
    filename = str(view.draft.path)

    def failed(message: str) -> None:
        if results.is_mounted:
            for old in results.query(".race"):
                old.remove()
            results.mount(Static(Content.assemble(("Your network could not be trained on the digits: ", DIM), visible(message)),
                                 classes="race"))

    def work() -> None:
        try:
            module = resolve(view.exercise.reference, python_path)
            reference, ref_acc = module.reference_app_run()
            kwargs = module.app_run_kwargs()
            total = int(kwargs["epochs"])
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            view.app.call_from_thread(failed, f"{type(exc).__name__}: {exc}")
            return
        holder: dict[str, TrainingCurves] = {}

        def mount() -> None:
            if results.is_mounted:
                holder["w"] = TrainingCurves(reference_curves(reference), total)
                results.mount(holder["w"])

        view.app.call_from_thread(mount)
        mine: dict[str, Any] = {}
        for epochs in epochs_plan(total):
            try:
                result = view.app.checker.run(learner_request(source, filename, {**kwargs, "epochs": epochs},
                                                              float(module.APP_RUN["time_limit"]), spec.name))
                mine = read_run(result)
            except RaceError as exc:
                view.app.call_from_thread(failed, str(exc))
                return
            except Exception as exc:  # noqa: BLE001
                view.app.call_from_thread(failed, f"{type(exc).__name__}: {exc}")
                return
            last = epochs == total or mine["stop_epoch"] < epochs  # stopped early: later runs add nothing
            widget = holder.get("w")
            if widget is None or not widget.is_mounted:
                return
            view.app.call_from_thread(widget.grow, mine, last)
            if last:
                break
        try:
            acc = float(module.test_accuracy(mine["params"]))
        except Exception as exc:  # noqa: BLE001 - e.g. params of the wrong shape
            view.app.call_from_thread(failed, f"the returned params cannot be evaluated ({type(exc).__name__}: {exc})")
            return
        widget = holder.get("w")
        if widget is not None and widget.is_mounted:
            view.app.call_from_thread(widget.status, summary(mine, acc, reference, ref_acc))
            # at 80x24 the curves sit below the verdict: say where they are
            view.app.call_from_thread(
                view.app.notify,
                f"Your network: {100 * acc:.1f} % of the test digits (reference {100 * ref_acc:.1f} %). "
                "Your curves are at the end of the results (F6 there enlarges them).",
                timeout=8,
            )

    view.run_worker(work, thread=True, exit_on_error=False, group="race", name="capstone-race")
