"""Turn one file's node tree into objectives and papers, collecting every problem on the way.

Checks that need only the file itself live here (types, required and unknown fields, dates,
evidence against the abstract, values against their evidence). Checks across files (duplicate
ids, objectives defined elsewhere) need the whole catalog and live in ``catalog.source.rules``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalog.errors import Problem
from catalog.model import MODES, Objective, Paper, Result, Value
from catalog.source import fields as f
from catalog.source.yamlsafe import place
from catalog.suggest import suggest
from catalog.text import number_set, squash_space

_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_OBJECTIVE_ID = re.compile(r"[a-z][a-z0-9_]*")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")


@dataclass(frozen=True)
class Ref:
    """A use of an objective id (or kind) that can only be checked against the whole catalog."""

    name: str
    file: str
    line: int
    col: int
    kinds_allowed: bool


@dataclass
class FileContent:
    """What one file contributes: objectives with their key nodes, papers, references, problems."""

    objectives: list[tuple[Objective, Problem]] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    paper_places: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _ref(file: str, node: Node, name: str, kinds_allowed: bool) -> Ref:
    return Ref(name, file, node.start_mark.line + 1, node.start_mark.column + 1, kinds_allowed)


class _Reader:
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

    # The document -----------------------------------------------------------------

    def document(self, root: Node) -> FileContent:
        top = self.fields(root, "the top level of a catalog file", {"objectives": False, "papers": False})
        if top is None:
            return self.out
        if not top:
            self.problem(root, "a catalog file needs `objectives:`, `papers:` or both")
        if "objectives" in top:
            self.objectives(top["objectives"][1])
        if "papers" in top:
            node = top["papers"][1]
            if not isinstance(node, SequenceNode):
                self.problem(
                    node, f"papers should be a list (lines starting with '- '), not {f.describe(node)}"
                )
            else:
                for item in node.value:
                    self.paper(item)
        return self.out

    def objectives(self, node: Node) -> None:
        try:
            items = f.mapping_items(self.file, node, "objectives")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return
        spec = {"label": True, "better": True, "unit": False, "kind": False, "aliases": False}
        for key, value in items:
            oid = key.value
            if not _OBJECTIVE_ID.fullmatch(oid):
                self.problem(
                    key,
                    f"objective id {oid!r} should be lowercase letters, digits and _ (like bits_per_weight)",
                )
                continue
            found = self.fields(value, f"objective {oid!r}", spec)
            if found is None:
                continue
            better = self.get(found, "better", f.text, f"better of {oid!r}")
            if better is not None and better not in ("higher", "lower"):
                self.problem(found["better"][1], f"better should be 'higher' or 'lower', not {better!r}")
                better = None
            label = self.get(found, "label", f.text, f"label of {oid!r}")
            objective = Objective(
                id=oid,
                label=label or oid,
                better=better or "higher",
                unit=self.get(found, "unit", f.text, f"unit of {oid!r}"),
                kind=self.get(found, "kind", f.text, f"kind of {oid!r}"),
                aliases=self.get(found, "aliases", f.text_list, f"aliases of {oid!r}") or (),
            )
            self.out.objectives.append((objective, place(self.file, key, "")))

    # Papers --------------------------------------------------------------------------

    _PAPER: ClassVar[dict[str, bool]] = {
        "id": True,
        "title": True,
        "published": False,
        "authors": False,
        "authors_count": False,
        "url": False,
        "arxiv": False,
        "code": False,
        "tags": False,
        "abstract": False,
        "tradeoffs": False,
        "results": False,
        "notes": False,
    }

    def paper(self, node: Node) -> None:
        found = self.fields(node, "a paper", self._PAPER)
        if found is None:
            return
        before = len(self.out.problems)
        pid = self.get(found, "id", f.text, "id")
        if pid is not None and not _SLUG.fullmatch(pid):
            self.problem(
                found["id"][1], f"id {pid!r} should be a slug: lowercase letters, digits, '.', '_' and '-'"
            )
        arxiv = self.get(found, "arxiv", f.text, "arxiv")
        if arxiv is not None and not _ARXIV.fullmatch(arxiv):
            self.problem(found["arxiv"][1], f"arxiv {arxiv!r} is not an arXiv id like 2405.14852")
        abstract = self.get(found, "abstract", f.text, "abstract")
        tradeoffs = self.tradeoffs(found["tradeoffs"][1]) if "tradeoffs" in found else ()
        results = self.results(found["results"][1], abstract) if "results" in found else ()
        paper = Paper(
            id=pid or "",
            title=self.get(found, "title", f.text, "title") or "",
            file=self.file,
            line=node.start_mark.line + 1,
            published=self.get(found, "published", f.date, "published"),
            authors=self.get(found, "authors", f.text_list, "authors") or (),
            authors_count=self.get(found, "authors_count", f.count, "authors_count"),
            url=self.get(found, "url", f.text, "url"),
            arxiv=arxiv,
            code=self.get(found, "code", f.text_list, "code") or (),
            tags=self.get(found, "tags", f.text_list, "tags") or (),
            abstract=abstract,
            tradeoffs=tradeoffs,
            results=results,
            notes=self.get(found, "notes", f.text, "notes"),
        )
        if len(self.out.problems) == before and pid:
            self.out.papers.append(paper)
            self.out.paper_places.append(place(self.file, found["id"][1], ""))

    def tradeoffs(self, node: Node) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, "tradeoffs should be a list of pairs, like [[accuracy, bits_per_weight]]")
            return ()
        pairs = []
        for item in node.value:
            if not isinstance(item, SequenceNode) or len(item.value) != 2:
                self.problem(
                    item, "each trade-off should be a pair of two objectives, like [accuracy, latency]"
                )
                continue
            try:
                x, y = (f.text(self.file, end, "an objective of a trade-off") for end in item.value)
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                continue
            if x == y:
                self.problem(item, f"the trade-off pairs {x!r} with itself: name two different objectives")
                continue
            for end, name in zip(item.value, (x, y)):
                self.out.refs.append(_ref(self.file, end, name, kinds_allowed=True))
            pairs.append((x, y))
        return tuple(pairs)

    _RESULT: ClassVar[dict[str, bool]] = {
        "method": True,
        "setting": False,
        "baseline": False,
        "values": True,
        "evidence": False,
        "source": False,
    }

    def results(self, node: Node, abstract: str | None) -> tuple[Result, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"results should be a list, not {f.describe(node)}")
            return ()
        flat_abstract = squash_space(abstract) if abstract else None
        out = []
        for item in node.value:
            found = self.fields(item, "a result", self._RESULT)
            if found is None:
                continue
            evidence = self.get(found, "evidence", f.text, "evidence")
            source = self.get(found, "source", f.text, "source")
            baseline = self.get(found, "baseline", f.text, "baseline")
            values = self.values(found["values"][1]) if "values" in found else ()
            if "evidence" not in found and "source" not in found:
                self.problem(
                    item, "a result needs `evidence` (the abstract's words) or `source` (a table or figure)"
                )
            elif "evidence" in found and "source" in found:
                self.problem(found["source"][0], "give either `evidence` or `source`, not both")
            if evidence is not None:
                evidence_node = found["evidence"][1]
                if flat_abstract is None:
                    self.problem(
                        evidence_node,
                        "evidence is given but the paper has no abstract: add it, or use `source`",
                    )
                elif squash_space(evidence) not in flat_abstract:
                    self.problem(
                        evidence_node, "evidence does not occur in the abstract: copy the words verbatim"
                    )
                stated = number_set(evidence)
                for value, value_node in values:
                    if abs(value.number) not in stated:
                        self.problem(
                            value_node,
                            f"{value.objective} = {value.number:g} does not occur in its evidence: "
                            "a value must be a number the evidence states",
                        )
            relative = [v for v, _ in values if v.mode != "absolute"]
            if relative and baseline is None:
                self.problem(
                    item, "a result with relative values needs a `baseline` (what they are relative to)"
                )
            out.append(
                Result(
                    method=self.get(found, "method", f.text, "method") or "",
                    values=tuple(v for v, _ in values),
                    setting=self.get(found, "setting", f.text, "setting"),
                    baseline=baseline,
                    evidence=evidence,
                    source=source,
                    line=item.start_mark.line + 1,
                )
            )
        return tuple(out)

    def values(self, node: Node) -> list[tuple[Value, Node]]:
        try:
            items = f.mapping_items(self.file, node, "values")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return []
        if not items:
            self.problem(node, "values is empty: give at least one objective: number")
        out = []
        for key, value_node in items:
            oid = key.value
            self.out.refs.append(_ref(self.file, key, oid, kinds_allowed=False))
            mode, number_node = "absolute", value_node
            if isinstance(value_node, MappingNode):
                inner = self.fields(
                    value_node, f"the relative value of {oid!r}", dict.fromkeys(MODES[1:], False)
                )
                if not inner or len(inner) != 1:
                    if inner is not None:
                        self.problem(value_node, "a relative value has one of: difference, percent, ratio")
                    continue
                ((mode, (_, number_node)),) = inner.items()
            try:
                number = f.number(self.file, number_node, f"the value of {oid!r}")
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                continue
            out.append((Value(oid, number, mode), number_node))  # type: ignore[arg-type]
        return out


def parse_document(file: str, root: Node) -> FileContent:
    """Read a composed catalog document into objectives, papers and problems."""
    if not isinstance(root, MappingNode):
        content = FileContent()
        content.problems.append(
            place(
                file,
                root,
                "the top level should be a mapping with `objectives:` and/or `papers:`, "
                f"not {f.describe(root)}",
            )
        )
        return content
    return _Reader(file).document(root)
