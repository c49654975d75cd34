"""Loading a course folder: ``course.yaml`` → modules → lesson files → exercise files → :class:`Course`.

A course folder holds::

    course.yaml            format, title, modules (id, title, dir, lessons), notation, python
    <module dir>/*.yaml    one lesson per file; every file there must be listed in course.yaml
    exercises/*.yaml       one exercise per file, used by lessons through `exercise: <id>`
    notation.md            (optional) the notation page named by course.yaml

Every problem is collected (the whole course is read even after the first error) and reported at
once by :class:`CourseError`. Loading reads YAML and parses code with :mod:`ast`; it imports nothing
from the lessons' dotted paths (that is :func:`tutor.course.validate.validate_course` with
``resolve=True``), so it never imports NumPy.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.course.contract import CONTRACT_NAMES
from tutor.course.errors import CourseError, LessonError
from tutor.course.model import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    Choice,
    Course,
    EdgeCase,
    Exercise,
    ExerciseStep,
    Lesson,
    Mistake,
    Module,
    Race,
    NumberCheck,
    PlotStep,
    QuantitySpec,
    QuizStep,
    Setting,
    Source,
    Step,
    TextStep,
)
from tutor.course.schema import (
    CHECK,
    CHOICE,
    COURSE,
    EDGE_CASE,
    EXERCISE,
    LESSON,
    MISTAKE,
    MODULE,
    RACE,
    RACE_KINDS,
    QUANTITY,
    SETTING,
    SETTING_TYPES,
    STEPS,
    TOLERANCE,
    Field,
    Reader,
    Record,
    did_you_mean,
    join_field,
    setting_value_problem,
)
from tutor.course.yamlnodes import (
    STR,
    FileProblem,
    YamlLimitError,
    YamlSyntaxError,
    code_line,
    compose,
    duplicate_keys,
    is_scalar,
    kind,
    line,
    read_text,
    to_python,
)

COURSE_FILE = "course.yaml"
EXERCISES_DIR = "exercises"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Located:
    """A model object that loaded cleanly, with the file and field path it came from."""

    obj: Any
    path: Path
    where: str


@dataclass
class LoadResult:
    """Everything one pass over a course folder found."""

    root: Path
    course: Course | None = None  # None when there are errors
    errors: list[LessonError] = field(default_factory=list)
    positions: dict[Path, dict[str, int]] = field(default_factory=dict)  # file -> field path -> line
    plots: list[Located] = field(default_factory=list)  # PlotSteps that loaded cleanly
    checks: list[Located] = field(default_factory=list)  # TextSteps and PlotSteps with checks
    exercises: list[Located] = field(default_factory=list)  # Exercises that loaded cleanly
    python_path: Path | None = None

    def line(self, path: Path, where: str, default: int = 0) -> int:
        return self.positions.get(path, {}).get(where, default)


def load_course(root: str | Path) -> Course:
    """Load the course in folder ``root``; raises :class:`CourseError` listing every problem."""
    result = read_course(root)
    if result.errors or result.course is None:
        raise CourseError(result.errors)
    return result.course


def read_exercise_file(path: str | Path, python_path: Path | None = None) -> Exercise:
    """One exercise file (``<course>/exercises/<id>.yaml``), read and checked by the rules the
    course loader applies to each of them: the one exercise-file reader (``tutor check`` reads
    a single file with it, its cache keeps the result). Raises :class:`CourseError`."""
    path = Path(path)
    loader = _CourseLoader(path.parent.parent)
    loader.python_path = python_path
    read = loader._exercise_file(path)
    if read is None or read[1] is None or loader.errors:
        raise CourseError(loader.errors or [LessonError(path, 0, "", "not an exercise file")])
    return read[1]


def read_course(root: str | Path) -> LoadResult:
    """Read a course folder, collecting every problem instead of stopping at the first."""
    return _CourseLoader(Path(root)).load()


def _exists(path: Path) -> bool:
    """True when something is at ``path`` (even a dangling link or a FIFO: reading it explains)."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


# ---------------------------------------------------------------------------------------------


class _CourseLoader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.result = LoadResult(root=root)
        self.errors = self.result.errors
        self.python_path: Path | None = None

    # -- files ---------------------------------------------------------------------------------
    def _reader(self, path: Path) -> Reader:
        reader = Reader(path, self.errors)
        self.result.positions[path] = reader.positions
        return reader

    def _compose(self, path: Path) -> Node | None:
        """The node tree of a YAML file, or None (after reporting) when it cannot be read."""
        try:
            text = read_text(path)
        except FileProblem as exc:
            self.errors.append(LessonError(path, exc.line, "", exc.message))
            return None
        try:
            node = compose(text)
        except YamlLimitError as exc:
            self.errors.extend(LessonError(path, ln, "", message) for ln, message in exc.problems)
            return None
        except YamlSyntaxError as exc:
            self.errors.append(LessonError(path, exc.line, "", exc.message))
            return None
        if node is None:
            self.errors.append(LessonError(path, 1, "", "the file is empty"))
            return None
        for ln, where, key, first in duplicate_keys(node):
            self.errors.append(
                LessonError(path, ln, join_field(where, key), f'duplicate key "{key}" (first on line {first})')
            )
        return node

    def _yaml_files(self, folder: Path) -> tuple[list[Path], bool]:
        """The ``.yaml`` files of ``folder``, sorted, and False (after reporting) when the folder
        or one of its entries cannot be read.

        An entry with a YAML suffix that is not a regular file (a FIFO, a folder, a symlink loop
        or a dangling link) is reported naming its path, and the folder counts as broken.
        """
        try:
            entries = sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES)
        except OSError as exc:
            self.errors.append(LessonError(folder, 0, "", f"cannot list the folder: {exc.strerror or exc}"))
            return [], False
        files: list[Path] = []
        ok = True
        for path in entries:
            try:
                path.stat()
            except OSError as exc:
                why = "a symbolic link loop" if exc.errno == 40 else (
                    "a symbolic link that leads nowhere" if isinstance(exc, FileNotFoundError) else exc.strerror
                )
                self.errors.append(LessonError(path, 0, "", f"cannot read: {why}"))
                ok = False
                continue
            if path.is_dir():
                self.errors.append(LessonError(path, 0, "", "is a folder, not a lesson file (rename it)"))
                ok = False
                continue
            files.append(path)  # a FIFO or device is refused by read_text, naming the path
        return files, ok

    # -- the course ----------------------------------------------------------------------------
    def load(self) -> LoadResult:
        root = self.root
        course_path = root / COURSE_FILE
        if not root.is_dir():
            self.errors.append(LessonError(root, 0, "", "no such folder"))
            return self.result
        if not _exists(course_path):
            self.errors.append(LessonError(course_path, 0, "", f"missing: a course folder needs a {COURSE_FILE}"))
            return self.result
        node = self._compose(course_path)
        if node is None:
            return self.result
        reader = self._reader(course_path)
        rec = reader.record(node, COURSE)
        if rec is None:
            return self.result

        notation = ""
        if rec.has("notation"):
            notation = self._notation(reader, rec)
        python_path = None
        if rec.has("python"):
            python_path = self._python_dir(reader, rec)
            self.result.python_path = python_path
        self.python_path = python_path

        exercises, broken_exercise_files = self._exercises()
        modules: list[Module] = []
        if rec.has("modules"):
            modules = self._modules(reader, rec["modules"], exercises, broken_exercise_files)

        if not self.errors:
            self.result.course = Course(
                title=rec["title"],
                modules=tuple(modules),
                exercises={k: v.obj for k, v in exercises.items()},
                root=root,
                notation=notation,
                python_path=python_path,
            )
        return self.result

    def _notation(self, reader: Reader, rec: Record) -> str:
        path = self.root / rec["notation"]
        if not _exists(path):
            reader.error(rec.line("notation"), "notation", f'file "{rec["notation"]}" not found in the course folder')
            return ""
        try:
            return read_text(path)
        except FileProblem as exc:
            if exc.line:  # a line of the notation page itself
                self.errors.append(LessonError(path, exc.line, "", exc.message))
            else:
                reader.error(rec.line("notation"), "notation", f'"{rec["notation"]}": {exc.message}')
        return ""

    def _python_dir(self, reader: Reader, rec: Record) -> Path | None:
        path = self.root / rec["python"]
        if not path.is_dir():
            reader.error(rec.line("python"), "python", f'folder "{rec["python"]}" not found in the course folder')
            return None
        return path.resolve()

    # -- modules and lessons -------------------------------------------------------------------
    def _modules(
        self,
        reader: Reader,
        seq: SequenceNode,
        exercises: dict[str, Located],
        broken_exercise_files: bool,
    ) -> list[Module]:
        modules: list[Module] = []
        module_ids: dict[str, int] = {}
        lesson_ids: dict[str, int] = {}
        dirs: dict[str, int] = {}
        for i, mnode in enumerate(seq.value):
            where = join_field("modules", i)
            m = reader.record(mnode, MODULE, where)
            if m is None:
                continue
            if m.has("id"):
                if m["id"] in module_ids:
                    reader.error(m.line("id"), m.field("id"), f'duplicate module id "{m["id"]}" (first on line {module_ids[m["id"]]})')
                else:
                    module_ids[m["id"]] = m.line("id")
            listed: list[tuple[str, int, str]] = []  # (lesson id, line, field)
            if m.has("lessons"):
                for j, lnode in enumerate(m["lessons"].value):
                    f = join_field(m.field("lessons"), j)
                    if not is_scalar(lnode, STR):
                        msg = f"expected a lesson id (a string), got {kind(lnode)}"
                        if isinstance(lnode, ScalarNode):
                            msg += f'; write "{lnode.value}" in quotes'
                        reader.error(lnode, f, msg)
                        continue
                    lid = lnode.value
                    if lid in lesson_ids:
                        reader.error(lnode, f, f'duplicate lesson id "{lid}" (first on line {lesson_ids[lid]})')
                        continue
                    lesson_ids[lid] = line(lnode)
                    listed.append((lid, line(lnode), f))
            if not m.has("dir"):
                continue
            rel = m["dir"]
            if rel in dirs:
                reader.error(m.line("dir"), m.field("dir"), f'folder "{rel}" is already used by another module (line {dirs[rel]})')
                continue
            dirs[rel] = m.line("dir")
            mdir = self.root / rel
            if not mdir.is_dir():
                reader.error(m.line("dir"), m.field("dir"), f'folder "{rel}" not found in the course folder')
                continue
            found, broken = self._lesson_files(mdir, exercises, broken_exercise_files, m.get("id", ""))
            lessons: list[Lesson] = []
            listed_ids = {lid for lid, _, _ in listed}
            for lid, ln, f in listed:
                if lid in found:
                    lesson = found[lid][0]
                    if lesson is not None:
                        lessons.append(lesson)
                elif not broken:  # an unreadable file there may be that lesson: its error says why
                    reader.error(ln, f, f'lesson "{lid}" not found: no file in {rel}/ has id "{lid}"')
            for lid, (_, path, id_line) in found.items():
                if lid not in listed_ids:
                    self.errors.append(
                        LessonError(path, id_line, "id", f'lesson "{lid}" is not listed in {COURSE_FILE} (module {m.get("id", "?")})')
                    )
            if m.has("id") and m.has("title"):
                modules.append(Module(id=m["id"], title=m["title"], lessons=tuple(lessons)))
        return modules

    def _lesson_files(
        self,
        mdir: Path,
        exercises: dict[str, Located],
        broken_exercise_files: bool,
        module_id: str,
    ) -> tuple[dict[str, tuple[Lesson | None, Path, int]], bool]:
        """The lessons of one module folder by id, and whether some file there could not be read."""
        found: dict[str, tuple[Lesson | None, Path, int]] = {}
        paths, listed = self._yaml_files(mdir)
        broken = not listed
        for path in paths:
            node = self._compose(path)
            if node is None:
                broken = True
                continue
            reader = self._reader(path)
            before = len(self.errors)
            rec = reader.record(node, LESSON)
            if rec is None or not rec.has("id"):
                broken = True
                continue
            lid = rec["id"]
            if lid in found:
                reader.error(rec.line("id"), "id", f'duplicate lesson id "{lid}" (also in {found[lid][1].name})')
                continue
            steps = self._steps(reader, rec, exercises, broken_exercise_files)
            lesson = None
            if len(self.errors) == before and steps is not None:
                lesson = Lesson(
                    id=lid,
                    title=rec["title"],
                    summary=rec["summary"],
                    minutes=rec["minutes"],
                    steps=tuple(steps),
                    module_id=module_id,
                    source=Source(path, rec.line("id")),
                )
            found[lid] = (lesson, path, rec.line("id"))
        return found, broken

    # -- steps -----------------------------------------------------------------------------------
    def _steps(
        self,
        reader: Reader,
        rec: Record,
        exercises: dict[str, Located],
        broken_exercise_files: bool,
    ) -> list[Step] | None:
        if not rec.has("steps"):
            return None
        steps: list[Step] = []
        ids: dict[str, int] = {}
        ok = True
        for i, snode in enumerate(rec["steps"].value):
            where = join_field("steps", i)
            step = self._step(reader, snode, where, exercises, broken_exercise_files)
            if step is None:
                ok = False
                continue
            if step.id in ids:
                reader.error(step.source.line if step.source else 0, join_field(where, "id"),
                             f'duplicate step id "{step.id}" (first on line {ids[step.id]})')
                ok = False
                continue
            ids[step.id] = step.source.line if step.source else 0
            steps.append(step)
        return steps if ok else None

    def _step(
        self,
        reader: Reader,
        node: Node,
        where: str,
        exercises: dict[str, Located],
        broken_exercise_files: bool,
    ) -> Step | None:
        if not isinstance(node, MappingNode):
            reader.error(node, where, f"expected a step (a mapping with id and type), got {kind(node)}")
            return None
        type_node = next((v for k, v in node.value if is_scalar(k, STR) and k.value == "type"), None)
        if type_node is None:
            reader.error(node, join_field(where, "type"), f"required field is missing (one of: {', '.join(STEPS)})")
            return None
        if not is_scalar(type_node, STR) or type_node.value not in STEPS:
            shown = type_node.value if isinstance(type_node, ScalarNode) else kind(type_node)
            hint = did_you_mean(str(shown), list(STEPS))
            reader.error(type_node, join_field(where, "type"),
                         f'unknown step type "{shown}"{hint}; expected one of: {", ".join(STEPS)}')
            return None
        stype = type_node.value
        before = len(self.errors)
        rec = reader.record(node, STEPS[stype], where)
        assert rec is not None
        # the id of an exercise step is its exercise id
        id_line = rec.line("id") if rec.has("id") else rec.line("exercise")
        source = Source(reader.path, id_line)
        step: Step | None
        if stype == "text":
            step = self._text(reader, rec, source)
        elif stype == "plot":
            step = self._plot(reader, rec, source)
        elif stype == "quiz":
            step = self._quiz(reader, rec, source)
        else:
            step = self._exercise_step(reader, rec, source, exercises, broken_exercise_files)
        if len(self.errors) != before:
            return None
        return step

    def _text(self, reader: Reader, rec: Record, source: Source) -> TextStep | None:
        markdown = rec.get("markdown", "")
        checks = self._number_checks(reader, rec, markdown, "markdown")
        if not all(rec.has(k) for k in ("id", "title", "markdown")):
            return None
        step = TextStep(id=rec["id"], title=rec["title"], markdown=markdown, checks=tuple(checks), source=source)
        if checks:
            self.result.checks.append(Located(step, reader.path, rec.where))
        return step

    def _number_checks(self, reader: Reader, rec: Record, text: str, text_field: str) -> list[NumberCheck]:
        """The step's ``checks``: each ``code`` an expression, each ``shows`` a number in ``text``."""
        checks: list[NumberCheck] = []
        if not rec.has("checks"):
            return checks
        for j, cnode in enumerate(rec["checks"].value):
            c = reader.record(cnode, CHECK, rec.field(join_field("checks", j)))
            if c is None or not c.has("code") or not c.has("shows"):
                continue
            cnode_code = c.nodes["code"]
            try:
                ast.parse(c["code"].strip(), mode="eval")
            except SyntaxError as exc:
                reader.error(code_line(cnode_code, exc.lineno or 1), c.field("code"),
                             f"is not a Python expression: {exc.msg}")
                continue
            shows = c["shows"]
            if number_value(shows) is None:
                reader.error(c.line("shows"), c.field("shows"), f'"{shows}" is not a number')
                continue
            if (text or text_field == "caption") and not shows_in_text(shows, text):  # empty markdown: own error
                reader.error(c.line("shows"), c.field("shows"), f'"{shows}" does not appear in the step\'s {text_field}')
                continue
            checks.append(NumberCheck(code=c["code"].strip(), shows=shows))
        return checks

    def _plot(self, reader: Reader, rec: Record, source: Source) -> PlotStep | None:
        settings: list[Setting] = []
        names: dict[str, int] = {}
        if rec.has("settings"):
            for j, snode in enumerate(rec["settings"].value):
                s = self._setting(reader, snode, rec.field(join_field("settings", j)))
                if s is None:
                    continue
                setting, s_line = s
                if setting.name in names:
                    reader.error(s_line, rec.field(join_field(join_field("settings", j), "name")),
                                 f'duplicate setting "{setting.name}" (first on line {names[setting.name]})')
                    continue
                names[setting.name] = s_line
                settings.append(setting)
        defaults: dict[str, Any] = {}
        if rec.has("defaults"):
            by_name = {s.name: s for s in settings}
            for knode, vnode in rec["defaults"].value:
                f = rec.field("defaults")
                if not is_scalar(knode, STR):
                    reader.error(knode, f, f"setting names must be strings, got {kind(knode)}")
                    continue
                name = knode.value
                f = join_field(f, name)
                reader.positions[f] = line(knode)
                if not isinstance(vnode, ScalarNode):
                    reader.error(vnode, f, f"expected a single value, got {kind(vnode)}")
                    continue
                ok, value = reader.value(vnode, _ANY, f)
                if not ok or value is None:
                    if ok:
                        reader.error(vnode, f, "expected a value, got nothing (null)")
                    continue
                setting = by_name.get(name)
                if setting is not None:
                    problem = setting_value_problem(setting, value)
                    if problem:
                        reader.error(vnode, f, problem)
                        continue
                    if setting.type == "float":
                        value = float(value)
                defaults[name] = value
        checks = self._number_checks(reader, rec, rec.get("caption", ""), "caption")
        if not all(rec.has(k) for k in ("id", "title", "experiment")):
            return None
        step = PlotStep(
            id=rec["id"],
            title=rec["title"],
            experiment=rec["experiment"],
            defaults=defaults,
            settings=tuple(settings),
            xlabel=rec["xlabel"],
            ylabel=rec["ylabel"],
            xlog=rec["xlog"],
            ylog=rec["ylog"],
            caption=rec["caption"],
            checks=tuple(checks),
            check_setting_names=rec["check_setting_names"],
            source=source,
            python_path=self.python_path,
        )
        self.result.plots.append(Located(step, reader.path, rec.where))
        if checks:
            self.result.checks.append(Located(step, reader.path, rec.where))
        return step

    def _setting(self, reader: Reader, node: Node, where: str) -> tuple[Setting, int] | None:
        before = len(reader.errors)
        s = reader.record(node, SETTING, where)
        if s is None or not s.has("name") or not s.has("type"):
            return None
        stype = s["type"]
        if stype not in SETTING_TYPES:
            reader.error(s.line("type"), s.field("type"),
                         f'unknown setting type "{stype}"{did_you_mean(stype, SETTING_TYPES)}; expected one of: {", ".join(SETTING_TYPES)}')
            return None
        lo, hi = s.get("min"), s.get("max")
        if stype in ("float", "int"):
            for k in ("min", "max"):
                if k not in s.nodes:
                    reader.error(s.node, s.field(k), f"required for a {stype} setting")
            if stype == "int":
                for k in ("min", "max"):
                    if s.has(k) and s[k] != int(s[k]):
                        reader.error(s.line(k), s.field(k), f"expected an integer for an int setting, got {s[k]:g}")
            if "choices" in s.nodes:
                reader.error(s.line("choices"), s.field("choices"), f"a {stype} setting has min and max, not choices")
            if lo is not None and hi is not None and lo > hi:
                reader.error(s.line("min"), s.field("min"), f"min ({lo:g}) is greater than max ({hi:g})")
            if s.get("log") and lo is not None and lo <= 0:
                reader.error(s.line("log"), s.field("log"), f"a log scale needs min > 0, got min {lo:g}")
        elif stype == "choice":
            if "choices" not in s.nodes:
                reader.error(s.node, s.field("choices"), "required for a choice setting")
            elif s.has("choices") and len(set(s["choices"])) != len(s["choices"]):
                reader.error(s.line("choices"), s.field("choices"), "lists the same choice twice")
        if stype in ("choice", "bool"):
            for k in ("min", "max"):
                if k in s.nodes:
                    reader.error(s.line(k), s.field(k), f"a {stype} setting has no {k}")
            if "log" in s.nodes:
                reader.error(s.line("log"), s.field("log"), f"a {stype} setting has no log scale")
        if stype == "bool" and "choices" in s.nodes:
            reader.error(s.line("choices"), s.field("choices"), "a bool setting has no choices")
        if len(reader.errors) != before:
            return None
        setting = Setting(
            name=s["name"],
            type=stype,
            label=s["label"],
            min=(int(lo) if stype == "int" else lo) if lo is not None else None,
            max=(int(hi) if stype == "int" else hi) if hi is not None else None,
            log=s["log"],
            choices=tuple(s.get("choices", ())),
        )
        return setting, s.line("name")

    def _quiz(self, reader: Reader, rec: Record, source: Source) -> QuizStep | None:
        choices: list[Choice] = []
        has_choices = "choices" in rec.nodes
        has_answer = "answer" in rec.nodes
        if has_choices and has_answer:
            reader.error(rec.line("answer"), rec.field("answer"),
                         "a quiz has either choices or a numeric answer, not both")
            return None
        if not has_choices and not has_answer:
            reader.error(rec.node, rec.where, "a quiz needs choices (multiple choice) or answer (a number)")
            return None
        if has_choices and rec.has("choices"):
            texts: dict[str, int] = {}
            for j, cnode in enumerate(rec["choices"].value):
                c = reader.record(cnode, CHOICE, rec.field(join_field("choices", j)))
                if c is None or not c.has("text"):
                    continue
                if c["text"] in texts:
                    reader.error(c.line("text"), c.field("text"), f"the same choice twice (first on line {texts[c['text']]})")
                    continue
                texts[c["text"]] = c.line("text")
                choices.append(Choice(text=c["text"], correct=c["correct"]))
            if len(choices) == len(rec["choices"].value) and not any(c.correct for c in choices):
                reader.error(rec.line("choices"), rec.field("choices"), "no choice is marked correct: true")
        if has_choices and "tolerance" in rec.nodes:
            reader.error(rec.line("tolerance"), rec.field("tolerance"), "a tolerance belongs to a numeric answer, not to choices")
        if not all(rec.has(k) for k in ("id", "question", "explanation")):
            return None
        return QuizStep(
            id=rec["id"],
            title=rec["title"],
            question=rec["question"],
            explanation=rec["explanation"],
            choices=tuple(choices),
            answer=rec.get("answer"),
            tolerance=rec.get("tolerance", 0.0),
            source=source,
        )

    def _exercise_step(
        self,
        reader: Reader,
        rec: Record,
        source: Source,
        exercises: dict[str, Located],
        broken_exercise_files: bool,
    ) -> ExerciseStep | None:
        if not rec.has("exercise"):
            return None
        ex_id = rec["exercise"]
        if rec.has("id") and rec["id"] != ex_id:
            reader.error(rec.line("id"), rec.field("id"), f'an exercise step\'s id is its exercise id: write "{ex_id}" or leave id out')
            return None
        located = exercises.get(ex_id)
        if located is None:
            if not broken_exercise_files:
                hint = did_you_mean(ex_id, list(exercises))
                reader.error(rec.line("exercise"), rec.field("exercise"),
                             f'unknown exercise "{ex_id}"{hint}: no file in {EXERCISES_DIR}/ has this id')
            else:
                # keep the error list honest: the exercise may be in the file that failed
                reader.error(rec.line("exercise"), rec.field("exercise"),
                             f'unknown exercise "{ex_id}" (some files in {EXERCISES_DIR}/ could not be read)')
            return None
        if located.obj is None:
            return None  # the exercise file has its own errors
        ex: Exercise = located.obj
        return ExerciseStep(id=ex_id, title=rec["title"] or ex.title, exercise=ex, source=source)

    # -- exercises -------------------------------------------------------------------------------
    def _exercises(self) -> tuple[dict[str, Located], bool]:
        """Every exercise file by id (``obj`` None when the file has errors), and whether some file had no id."""
        exdir = self.root / EXERCISES_DIR
        found: dict[str, Located] = {}
        if not exdir.is_dir():
            return found, False
        paths, listed = self._yaml_files(exdir)
        broken = not listed
        for path in paths:
            read = self._exercise_file(path, found)
            if read is None:
                broken = True
                continue
            ex_id, ex = read
            if ex_id in found:
                continue  # a duplicate id: reported by _exercise_file
            found[ex_id] = Located(ex, path, "")
            if ex is not None:
                self.result.exercises.append(Located(ex, path, ""))
        return found, broken

    def _exercise_file(self, path: Path, found: dict[str, Located] | None = None) -> tuple[str, Exercise | None] | None:
        """One exercise file: ``(id, Exercise or None when it has errors)``, or None when it has
        no id to go by (unreadable, not YAML, not a mapping). ``found``: ids already read."""
        node = self._compose(path)
        if node is None:
            return None
        reader = self._reader(path)
        before = len(self.errors)
        rec = reader.record(node, EXERCISE)
        if rec is None or not rec.has("id"):
            return None
        ex_id = rec["id"]
        if found is not None and ex_id in found:
            reader.error(rec.line("id"), "id", f'duplicate exercise id "{ex_id}" (also in {found[ex_id].path.name})')
            return ex_id, None
        ex = self._exercise(reader, rec, path)
        return ex_id, ex if len(self.errors) == before else None

    def _exercise(self, reader: Reader, rec: Record, path: Path) -> Exercise | None:
        ex_id = rec["id"]
        names: tuple[str, ...] = rec.get("names", ())
        for j, name in enumerate(names):
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                reader.error(rec.nodes["names"].value[j], join_field("names", j), f'"{name}" is not a Python name')
        if len(set(names)) != len(names):
            reader.error(rec.line("names"), "names", "lists the same name twice")

        contract = CONTRACT_NAMES.get(ex_id)
        extra = rec.get("extra", False)
        if contract is None and not extra:
            hint = did_you_mean(ex_id, list(CONTRACT_NAMES))
            reader.error(rec.line("id"), "id",
                         f'"{ex_id}" is not an exercise id of the contract (curriculum.md){hint}; mark an exercise of your own with extra: true')
        elif contract is not None and extra:
            reader.error(rec.line("extra"), "extra", f'"{ex_id}" is a contract exercise, not an extra: remove extra: true')
        elif contract is not None and "names" in rec.values:
            missing = [n for n in contract if n not in names]
            if missing:
                reader.error(rec.line("names"), "names",
                             f'the contract of "{ex_id}" needs {", ".join(missing)} (curriculum.md)')

        for key in ("starter", "solution"):
            if rec.has(key):
                self._parse_code(reader, rec, key)

        rtol, atol = DEFAULT_RTOL, DEFAULT_ATOL
        if rec.has("tolerance"):
            t = reader.record(rec["tolerance"], TOLERANCE, "tolerance")
            if t is not None:
                rtol, atol = t.get("rtol", rtol), t.get("atol", atol)

        edge_cases: list[EdgeCase] = []
        if rec.has("edge_cases"):
            for j, enode in enumerate(rec["edge_cases"].value):
                e = reader.record(enode, EDGE_CASE, join_field("edge_cases", j))
                if e is None or not all(e.has(k) for k in ("name", "call", "args")):
                    continue
                if names and e["call"] not in names:
                    reader.error(e.line("call"), e.field("call"),
                                 f'"{e["call"]}" is not one of the exercise\'s names ({", ".join(names)})')
                    continue
                args_node = e["args"]
                bad_key = next((k for k, _ in args_node.value if not is_scalar(k, STR)), None)
                if bad_key is not None:
                    reader.error(bad_key, e.field("args"), f"argument names must be strings, got {kind(bad_key)}")
                    continue
                try:
                    args = to_python(args_node)
                except ValueError as exc:
                    reader.error(args_node, e.field("args"), str(exc))
                    continue
                bad = next(((k, p) for k, v in args.items() if (p := edge_value_problem(v))), None)
                if bad is not None:
                    arg_node = next(v for k, v in args_node.value if k.value == bad[0])
                    reader.error(arg_node, join_field(e.field("args"), bad[0]), bad[1])
                    continue
                edge_cases.append(EdgeCase(name=e["name"], call=e["call"], args=args))

        mistakes: list[Mistake] = []
        if rec.has("mistakes"):
            seen: dict[str, int] = {}
            for j, mnode in enumerate(rec["mistakes"].value):
                m = reader.record(mnode, MISTAKE, join_field("mistakes", j))
                if m is None or not all(m.has(k) for k in ("name", "impl", "message")):
                    continue
                if m["name"] in seen:
                    reader.error(m.line("name"), m.field("name"), f'duplicate mistake name "{m["name"]}" (first on line {seen[m["name"]]})')
                    continue
                seen[m["name"]] = m.line("name")
                if m["replaces"] and names and m["replaces"] not in names:
                    reader.error(m.line("replaces"), m.field("replaces"),
                                 f'"{m["replaces"]}" is not one of the exercise\'s names ({", ".join(names)})')
                    continue
                mistakes.append(Mistake(name=m["name"], impl=m["impl"], message=m["message"], replaces=m["replaces"]))

        race = self._race(reader, rec, names) if rec.has("race") else None
        quantities = self._quantities(reader, rec, names)

        required = ("id", "title", "names", "instructions", "starter", "hints", "reference", "cases", "solution")
        if not all(rec.has(k) for k in required):
            return None
        return Exercise(
            id=ex_id,
            title=rec["title"],
            names=names,
            instructions=rec["instructions"],
            starter=rec["starter"],
            hints=rec["hints"],
            reference=rec["reference"],
            cases=rec["cases"],
            solution=rec["solution"],
            mistakes=tuple(mistakes),
            edge_cases=tuple(edge_cases),
            extra=extra,
            rtol=rtol,
            atol=atol,
            time_limit=rec["time_limit"],
            memory_mb=rec["memory_mb"],
            allow_mutation=rec["allow_mutation"],
            quantities=quantities,
            source=Source(path, rec.line("id")),
            race=race,
            python_path=self.python_path,
        )

    @staticmethod
    def _race(reader: Reader, rec: Record, names: tuple[str, ...]) -> Race | None:
        """The optional ``race:`` mapping (schema.RACE): its name is one of ``names``; a
        "quadratic" race needs ``lr`` and an ``update`` statement, and its code must parse."""
        r = reader.record(rec["race"], RACE, "race")
        if r is None or not r.has("name"):
            return None
        kind = r.get("kind", "quadratic")
        ok = True
        if kind not in RACE_KINDS:
            reader.error(r.line("kind"), r.field("kind"), f'"{kind}" is not a race kind ({", ".join(RACE_KINDS)})')
            ok = False
        if kind == "quadratic":
            for key in ("lr", "update"):
                if not r.has(key) and key not in r.nodes:
                    reader.error(rec.line("race"), r.field(key), 'required for a "quadratic" race')
                    ok = False
        if names and r["name"] not in names:
            reader.error(r.line("name"), r.field("name"),
                         f'"{r["name"]}" is not one of the exercise\'s names ({", ".join(names)})')
            ok = False
        for key in ("update", "setup"):
            if r.get(key):
                try:
                    ast.parse(r[key], filename=key)
                except SyntaxError as exc:
                    reader.error(code_line(r.nodes[key], exc.lineno or 1), r.field(key),
                                 f"does not parse: {exc.msg} (line {exc.lineno or 1} of the code)")
                    ok = False
        if not ok or not all(r.has(k) for k in (("lr", "update") if kind == "quadratic" else ())):
            return None
        return Race(name=r["name"], kind=kind, lr=r.get("lr", 0.0), update=r.get("update", ""), setup=r.get("setup", ""))

    @staticmethod
    def _quantities(reader: Reader, rec: Record, names: tuple[str, ...]) -> tuple[QuantitySpec, ...]:
        """The optional ``quantities:`` list: ``{call: NAME or Class.method, impl: dotted}``, one per call."""
        found: list[QuantitySpec] = []
        if not rec.has("quantities"):
            return ()
        seen: set[str] = set()
        for j, qnode in enumerate(rec["quantities"].value):
            q = reader.record(qnode, QUANTITY, join_field("quantities", j))
            if q is None or not all(q.has(k) for k in ("call", "impl")):
                continue
            owner = q["call"].split(".")[0]
            if names and owner not in names:
                reader.error(q.line("call"), q.field("call"),
                             f'"{owner}" is not one of the exercise\'s names ({", ".join(names)})')
                continue
            if q["call"] in seen:
                reader.error(q.line("call"), q.field("call"), f'quantities of "{q["call"]}" are declared twice')
                continue
            seen.add(q["call"])
            found.append(QuantitySpec(call=q["call"], impl=q["impl"]))
        return tuple(found)

    @staticmethod
    def _parse_code(reader: Reader, rec: Record, key: str) -> None:
        node = rec.nodes[key]
        try:
            ast.parse(rec[key], filename=f"{key}")
        except SyntaxError as exc:
            lineno = exc.lineno or 1
            reader.error(code_line(node, lineno), key, f"does not parse: {exc.msg} (line {lineno} of the code)")


_ANY = Field("any")


def edge_value_problem(value: Any) -> str | None:
    """Why an ``edge_cases`` argument cannot become a case value (see
    ``tutor.grading.cases.edge_case_program``), or None: a list is an array, so it holds numbers,
    or lists of numbers all of one length (2-D); ``{rng: N}`` needs a seed N ≥ 0."""
    if isinstance(value, dict):
        if set(value) == {"rng"}:
            seed = value["rng"]
            if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
                return f"{{rng: N}} needs a non-negative integer seed, got {seed!r}"
            return None
        return next((p for v in value.values() if (p := edge_value_problem(v))), None)
    if isinstance(value, list):
        return None if _array_shape(value) is not None else (
            "a list becomes an array: write numbers, or lists of numbers all of the same length (2-D)"
        )
    return None


def _array_shape(value: list[Any]) -> tuple[int, ...] | None:
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return (len(value),)
    if all(isinstance(v, list) for v in value):
        shapes = {_array_shape(v) for v in value}
        if len(shapes) == 1 and None not in shapes:
            return (len(value), *next(iter(shapes)))
    return None


# -- numbers shown in text --------------------------------------------------------------------


def number_value(shows: str) -> Decimal | None:
    """The number a ``shows`` string stands for, or None.

    A Unicode minus and thousands commas (``"8,000,000"``) are accepted.
    """
    text = shows.strip().replace("\u2212", "-").replace("_", "")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", text):
        text = text.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above is a valid Decimal
        return None


def half_unit(shows: str) -> float:
    """Half a unit of the last digit shown: ``"0.40"`` → 0.005, ``"12"`` → 0.5, ``"1.5e-3"`` → 5e-5."""
    value = number_value(shows)
    if value is None:
        raise ValueError(f"{shows!r} is not a number")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return 0.5 * 10.0**exponent


def shows_in_text(shows: str, markdown: str) -> bool:
    """True when ``shows`` appears in ``markdown`` as a whole number (not inside a longer one).

    A leading minus may be written ``-`` or ``−`` in either place.
    """
    variants = {shows, shows.replace("-", "\u2212"), shows.replace("\u2212", "-")}
    for v in variants:
        if re.search(r"(?<![0-9.])" + re.escape(v) + r"(?![0-9]|\.[0-9])", markdown):
            return True
    return False
