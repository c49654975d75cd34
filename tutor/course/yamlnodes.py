"""Reading YAML while keeping where every value came from.

``yaml.safe_load`` forgets line numbers and silently keeps the last of two duplicate keys. Here the
file is *composed* into PyYAML's node tree (the safe loader's resolver decides each scalar's type;
nothing is constructed beyond plain scalars, lists and mappings), and the tree is walked by hand:
every node carries ``start_mark.line``. libyaml's C composer is used when available (it is several
times faster); on a syntax error the pure-Python composer re-reads the file so that messages are the
same on every machine.
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


def compose(text: str) -> Node | None:
    """The node tree of one YAML document (None for an empty document).

    Raises :class:`YamlSyntaxError` with the line of the problem.
    """
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass
    try:  # the same text again with the pure-Python composer, for portable messages
        return yaml.compose(text, Loader=_SafeLoader)
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
