"""Reading YAML while keeping where every value came from.

``yaml.safe_load`` forgets line numbers and silently keeps the last of two duplicate keys. Here the
file is *composed* into PyYAML's node tree (the safe loader's resolver decides each scalar's type;
nothing is constructed beyond plain scalars, lists and mappings), and the tree is walked by hand:
every node carries ``start_mark.line``. libyaml's C composer is used when available (it is several
times faster); on a syntax error the pure-Python composer re-reads the file so that messages are the
same on every machine.

Before any node is built, :func:`check_limits` reads the file's *events* (the parser is a state
machine, not recursive) and refuses what would exhaust the machine or build Python objects:
nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes, aliases that expand to
more than :data:`MAX_EXPANDED` values (a "billion laughs" bomb is a few lines), and tags outside
YAML's core schema (``!!python/object/apply:...``). Files larger than :data:`MAX_FILE_BYTES` are
refused by :func:`read_text` before they are parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
_PLAIN_TAGS = {STR, INT, FLOAT, BOOL, NULL}

# YAML 1.1 (PyYAML) reads ``1e-8`` as a string because it has no dot; YAML 1.2 and every author
# mean a number. Both loaders below also accept exponent floats without a dot.
_EXP_FLOAT = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")


class _SafeLoader(yaml.SafeLoader):
    pass


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


# YAML 1.1 also reads yes/no/on/off as booleans (so a key `on:` or `no:` silently becomes True or
# False); like YAML 1.2, only true/false are booleans here.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")

for _cls in (_SafeLoader, _FastLoader):
    _cls.add_implicit_resolver(FLOAT, _EXP_FLOAT, list("-+0123456789."))  # copies the table first
    for _first, _resolvers in _cls.yaml_implicit_resolvers.items():
        _resolvers[:] = [(tag, rx) for tag, rx in _resolvers if tag != BOOL]
    _cls.add_implicit_resolver(BOOL, _BOOL, list("tTfF"))


class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


MAX_FILE_BYTES = 1 << 20  # a lesson is ~15 KB
MAX_DEPTH = 64  # the shipped files nest 7 deep
MAX_NODES = 100_000  # the shipped files hold at most ~600 nodes
MAX_EXPANDED = 100_000  # values once every alias is expanded
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
_ALLOWED_TAGS = {STR, INT, FLOAT, BOOL, NULL, SEQ, MAP, "!"}


class YamlLimitError(YamlSyntaxError):
    """The YAML is well formed but refused: too deep, too large, an alias bomb, a forbidden tag.
    ``problems`` lists every ``(line, message)`` found (the first is ``line``/``message``)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(*problems[0])
        self.problems = problems


def show_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/object/apply:os.system`` → ``!!python/object/apply:os.system``."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def check_limits(text: str) -> list[tuple[int, str]]:
    """Every ``(line, message)`` that makes ``text`` unsafe to compose (see the module docstring).

    A syntax error is not reported here (:func:`compose` reports it with its line).
    """
    for loader in (_FastLoader, _SafeLoader):  # libyaml stops at its own depth limit (1000), unsaid
        problems, complete = _scan(text, loader)
        if complete or problems:
            return problems
    return []


def _scan(text: str, loader: type) -> tuple[list[tuple[int, str]], bool]:
    """:func:`check_limits` with one parser; also whether the parser reached the end."""
    problems: list[tuple[int, str]] = []
    depth = nodes = expanded = 0
    sizes: list[int] = []  # the expanded size of each open collection
    anchors: dict[str, int] = {}
    open_anchors: list[str | None] = []
    try:
        for ev in yaml.parse(text, Loader=loader):
            ln = ev.start_mark.line + 1 if ev.start_mark is not None else 1
            if isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                tag = ev.tag
                if tag is not None and tag not in _ALLOWED_TAGS and len(problems) < 20:
                    problems.append((ln, f'forbidden YAML tag "{show_tag(tag)}": lesson files hold plain data '
                                         "(text, numbers, true/false, lists, mappings); tags that build "
                                         "Python objects are not allowed"))
                if nodes > MAX_NODES:
                    problems.append((ln, f"too many values: more than {MAX_NODES:,} in one file"))
                    break
            if isinstance(ev, yaml.ScalarEvent):
                size = 1
                if ev.anchor:
                    anchors[ev.anchor] = 1
            elif isinstance(ev, yaml.AliasEvent):
                size = anchors.get(ev.anchor or "", 1)
            elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append((ln, f"nested too deeply: more than {MAX_DEPTH} levels of lists and mappings"))
                    break
                sizes.append(1)
                open_anchors.append(ev.anchor)
                expanded += 1
                continue
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                size = sizes.pop()
                anchor = open_anchors.pop()
                if anchor:
                    anchors[anchor] = size
                if sizes:
                    sizes[-1] += size
                continue
            else:
                continue
            expanded += size
            if sizes:
                sizes[-1] += size
            if expanded > MAX_EXPANDED:
                problems.append((ln, f"aliases expand to more than {MAX_EXPANDED:,} values "
                                     "(an alias repeats what its anchor holds; nest them and they multiply)"))
                break
    except yaml.YAMLError:
        return problems, False  # a syntax error: compose() says where
    return problems, True


def compose(text: str) -> Node | None:
    """The node tree of one YAML document (None for an empty document).

    Raises :class:`YamlSyntaxError` with the line of the problem (:class:`YamlLimitError` when
    :func:`check_limits` refuses the text).
    """
    problems = check_limits(text)
    if problems:
        raise YamlLimitError(problems)
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass
    try:  # the same text again with the pure-Python composer, for portable messages
        return yaml.compose(text, Loader=_SafeLoader)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids: the mark has no line
        where = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlSyntaxError(where, f"the character U+{ord(char):04X} is not allowed in YAML: "
                                     "remove it (or write it as an escape in a double-quoted string)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                problem += f" started on line {exc.context_mark.line + 1}"
            problem += ")"
        raise YamlSyntaxError(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        raise YamlSyntaxError(1, f"YAML syntax error: {exc}") from None


class FileProblem(Exception):
    """A file that cannot be read as text; ``line`` is 1-based, 0 for the whole file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_text(path: Any, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes, or :class:`FileProblem`.

    Never blocks: a FIFO, a device or a folder is refused before it is read; a symlink loop, a
    missing permission and a non-UTF-8 byte (named with its line) are problems, not tracebacks.
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise FileProblem(0, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(0, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
            raise FileProblem(0, f"cannot read: it is {kind}")
        if info.st_size > limit:
            raise FileProblem(0, f"too large: {info.st_size:,} bytes (at most {limit:,})")
        chunks = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError as exc:
                raise FileProblem(0, f"cannot read: {exc.strerror or exc}") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise FileProblem(0, f"too large: more than {limit:,} bytes")
            chunks.append(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        newline = b"\n"
        ln = data[: exc.start].count(newline) + 1
        column = exc.start - data.rfind(newline, 0, exc.start)
        raise FileProblem(ln, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {ln}, column {column}; "
                              "save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def line(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def kind(node: Node) -> str:
    """A word for what the node holds, for messages: 'a string', 'a list', ..."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return {
        STR: "a string",
        INT: "an integer",
        FLOAT: "a number",
        BOOL: "true/false",
        NULL: "nothing (null)",
        "tag:yaml.org,2002:timestamp": "a date",
    }.get(node.tag, f"a value tagged {node.tag}")


def is_scalar(node: Node, *tags: str) -> bool:
    return isinstance(node, ScalarNode) and (not tags or node.tag in tags)


def to_python(node: Node) -> Any:
    """The plain Python value of a node (str, int, float, bool, None, list, dict).

    Raises ``ValueError`` for tags outside YAML's core schema (``!!python/...`` and friends).
    """
    for sub in iter_nodes(node):
        if isinstance(sub, ScalarNode) and sub.tag not in _PLAIN_TAGS:
            raise ValueError(f"unsupported YAML tag {sub.tag!r} on line {line(sub)}")
        if isinstance(sub, SequenceNode) and sub.tag != "tag:yaml.org,2002:seq":
            raise ValueError(f"unsupported YAML tag {sub.tag!r} on line {line(sub)}")
        if isinstance(sub, MappingNode) and sub.tag != "tag:yaml.org,2002:map":
            raise ValueError(f"unsupported YAML tag {sub.tag!r} on line {line(sub)}")
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except ConstructorError as exc:
        raise ValueError(str(exc.problem or exc)) from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
        raise ValueError(f"cannot read a value: {exc}") from None


def iter_nodes(node: Node) -> Iterator[Node]:
    """Every node of the tree (aliases are visited once)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        if isinstance(n, MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


def duplicate_keys(node: Node, where: str = "") -> Iterator[tuple[int, str, str, int]]:
    """Every repeated key: ``(line, field path of the mapping, key, line of the first one)``.

    Field paths follow the error format: ``steps[3].settings[0]``.
    """
    stack: list[tuple[Node, str]] = [(node, where)]
    seen: set[int] = set()
    while stack:
        n, path = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, MappingNode):
            first: dict[Any, int] = {}
            for k, v in n.value:
                key = k.value if isinstance(k, ScalarNode) else None
                if key is not None:
                    if key in first:
                        yield line(k), path, str(key), first[key]
                    else:
                        first[key] = line(k)
                child = f"{path}.{key}" if path else str(key)
                stack.append((v, child))
        elif isinstance(n, SequenceNode):
            for i, v in enumerate(n.value):
                stack.append((v, f"{path}[{i}]"))


def code_line(node: ScalarNode, lineno: int) -> int:
    """The file line of line ``lineno`` (1-based) of the code held by a string node.

    In a block scalar (``|``) the text starts on the line after the indicator; a plain or quoted
    scalar starts on its own line.
    """
    start = node.start_mark.line + 1
    if node.style in ("|", ">"):
        return start + lineno
    return start + lineno - 1
