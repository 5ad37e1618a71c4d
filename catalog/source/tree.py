"""A catalog file as the field readers see it: plain data, whichever way its YAML was read.

Mappings are ``dict`` (each key a text), lists are ``list``, scalars are ``str``: the text as
written. The exact way of reading (``catalog.source.yamlsafe``) hands over its own kinds of each,
which remember where they were written (``mark``) and how (``Plain``, ``Tagged``). The fast way
(``catalog.source.fast``) hands over what ``json.loads`` makes, which remembers no place, with
``Plain`` for what only a plain scalar writes (numbers, ``true`` and ``false``). The readers
(``catalog.source.document`` and the modules it uses) take either tree, so both go through one
validator.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol


class Mark(Protocol):
    """A place in a file: its line and column, both from 0 (PyYAML's marks are such places)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class Place(NamedTuple):
    """A place found without PyYAML: line and column, both from 0."""

    line: int
    column: int


#: A node of a tree: a ``dict``, a ``list`` or a ``str`` (of the kinds below, or plain).
Node = Any


class Mapping(dict[Any, Any]):
    """A mapping, with where it starts (``mark``; None where nobody looked)."""

    mark: Mark | None = None
    odd: bool = False
    """Whether a key is not text (an ``OddKey``)."""


class Sequence(list[Any]):
    """A list, with where it starts."""

    mark: Mark | None = None


class Text(str):
    """A scalar written quoted or as block text, with its place."""

    mark: Mark | None = None


class Plain(str):
    """A scalar written plainly (no quotes, no tag, not block text)."""

    mark: Mark | None = None


class Tagged(str):
    """A scalar written with a tag of its own (``!!str``), with its place."""

    mark: Mark | None = None
    tag: str = ""


class OddKey:
    """A mapping's key that is not text (a list or mapping written as a key), kept by its place."""

    def __init__(self, mark: Mark) -> None:
        self.mark = mark


#: What YAML reads as null when it is written plainly: a field written so counts as absent.
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


# What ``json.loads`` makes has no place (asking it for one would raise and catch, slowly).
_PLACELESS = frozenset({str, list, dict})


def mark_of(node: object) -> Mark | None:
    """Where ``node`` was written, when the reading kept it."""
    return None if type(node) in _PLACELESS else getattr(node, "mark", None)


def line_of(node: object) -> int:
    """The line ``node`` starts on, from 1 (1 when no place was kept)."""
    mark = mark_of(node)
    return 1 if mark is None else mark.line + 1


def is_plain(node: object) -> bool:
    """Whether a scalar is written plainly: without quotes, a block indicator or a tag."""
    return type(node) is Plain


def written_tag(node: object) -> str | None:
    """The tag written on a scalar (``!!str``), or None when it has none of its own."""
    return node.tag if type(node) is Tagged else None


def describe(node: object) -> str:
    """How to name a node's type in a message."""
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    return f"{str(node)!r}" if isinstance(node, str) else repr(node)
