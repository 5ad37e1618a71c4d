"""What reading one catalog file collects, and the reader's base: fields read one by one, every
mistake kept as a problem with its place while reading goes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from catalog.errors import Problem
from catalog.model import Benchmark, Objective, Paper
from catalog.source import fields as f
from catalog.source.tree import NULLS, Mapping, Node, Plain, mark_of
from catalog.source.yamlsafe import place
from catalog.suggest import suggest


class Ref(NamedTuple):
    """A use of a vocabulary's id that can only be checked against the whole catalog: an
    objective (or, where ``kinds_allowed``, a kind), or a benchmark. (A named tuple: a file
    makes one or two for each value.)"""

    name: str
    file: str
    line: int
    col: int
    kinds_allowed: bool
    vocabulary: str = "objectives"
    """Which vocabulary the name belongs to: ``objectives`` or ``benchmarks``."""
    unqualified: bool = False
    """Whether it is a value's objective written without a benchmark (``score``, not ``score/mmlu``)."""


@dataclass
class FileContent:
    """What one file contributes: objectives with their key nodes, papers, references, problems."""

    objectives: list[tuple[Objective, Problem]] = field(default_factory=list)
    benchmarks: list[tuple[Benchmark, Problem]] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    paper_places: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def ref(
    file: str,
    node: Node,
    name: str,
    kinds_allowed: bool,
    vocabulary: str = "objectives",
    shift: int = 0,
    unqualified: bool = False,
) -> Ref:
    """A reference to ``name`` at ``node`` (``shift`` columns into it)."""
    mark = mark_of(node)
    line, column = (0, 0) if mark is None else (mark.line, mark.column)
    return Ref(name, file, line + 1, column + 1 + shift, kinds_allowed, vocabulary, unqualified)


class Fields:
    """The fields a mapping may hold, each marked required or not, as ``ReaderBase.fields``
    checks them (made once per kind of mapping, not per mapping read)."""

    __slots__ = ("allowed", "required")

    def __init__(self, allowed: dict[str, bool]) -> None:
        self.allowed = allowed
        self.required = tuple(name for name, required in allowed.items() if required)


class ReaderBase:
    """Reads one document; every ``FieldError`` becomes a problem and reading goes on."""

    def __init__(self, file: str, refs: bool = True) -> None:
        self.file = file
        self.out = FileContent()
        self.refs = refs
        """Whether to keep the references to check across files (the store checks them over its
        rows instead, and reads a file again for the places when one fails)."""

    def problem(self, node: Node | None, message: str) -> None:
        self.out.problems.append(place(self.file, node, message))

    def fields(self, node: Node, what: str, spec: Fields) -> dict[str, tuple[str, Node]] | None:
        """The fields of a mapping, reporting unknown and missing ones; null ones count as absent."""
        if type(node) is Mapping and not node.odd:
            items = node.items()  # a mapping whose keys are all text: the usual case, quickly
        else:
            try:
                items = f.mapping_items(self.file, node, what)  # type: ignore[assignment]
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                return None
        allowed = spec.allowed
        found: dict[str, tuple[str, Node]] = {}
        for key, value in items:
            if key not in allowed:
                hint = suggest(key, list(allowed))
                self.problem(key, f"unknown field {str(key)!r} in {what}{hint}")
            elif type(value) is not Plain or value not in NULLS:
                found[key] = (key, value)
        for name in spec.required:
            if name not in found:
                self.problem(node, f"{what} is missing the required field {name!r}")
        return found

    def get(self, found: dict[str, tuple[str, Node]], name: str, read: Callable[..., Any], what: str) -> Any:
        """Read one optional field with ``read``, or None when absent or wrong."""
        if name not in found:
            return None
        try:
            return read(self.file, found[name][1], what)
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return None
