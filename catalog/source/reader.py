"""What reading one catalog file collects, and the reader's base: fields read one by one, every
mistake kept as a problem with its place while reading goes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node, ScalarNode

from catalog.errors import Problem
from catalog.model import Benchmark, Objective, Paper
from catalog.source import fields as f
from catalog.source.yamlsafe import place
from catalog.suggest import suggest


@dataclass(frozen=True)
class Ref:
    """A use of a vocabulary's id that can only be checked against the whole catalog: an
    objective (or, where ``kinds_allowed``, a kind), or a benchmark."""

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
    mark = node.start_mark
    return Ref(name, file, mark.line + 1, mark.column + 1 + shift, kinds_allowed, vocabulary, unqualified)


class ReaderBase:
    """Reads one document; every ``FieldError`` becomes a problem and reading goes on."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.out = FileContent()

    def problem(self, node: Node | None, message: str) -> None:
        self.out.problems.append(place(self.file, node, message))

    def fields(
        self, node: Node, what: str, allowed: dict[str, bool]
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """The fields of a mapping, reporting unknown and missing ones (``allowed``: name -> required)."""
        try:
            items = f.mapping_items(self.file, node, what)
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return None
        found: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in items:
            if key.value not in allowed:
                hint = suggest(key.value, list(allowed))
                self.problem(key, f"unknown field {key.value!r} in {what}{hint}")
            elif not f.is_null(value):
                found[key.value] = (key, value)
        missing = [name for name, required in allowed.items() if required and name not in found]
        for name in missing:
            self.problem(node, f"{what} is missing the required field {name!r}")
        return found

    def get(
        self, found: dict[str, tuple[ScalarNode, Node]], name: str, read: Callable[..., Any], what: str
    ) -> Any:
        """Read one optional field with ``read``, or None when absent or wrong."""
        if name not in found:
            return None
        try:
            return read(self.file, found[name][1], what)
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return None
