"""Turn one file's tree into objectives, benchmarks and papers, collecting every problem on the way.

Checks that need only the file itself live here and in ``catalog.source.results`` (types,
required and unknown fields, dates, evidence against the abstract, values against their
evidence or row). Checks across files (duplicate ids, objectives and benchmarks defined
elsewhere) need the whole catalog and live in ``catalog.source.rules``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from catalog.model import Benchmark, Objective, Paper
from catalog.source import fields as f
from catalog.source.reader import Fields, FileContent, ref
from catalog.source.results import ResultsReader
from catalog.source.tree import Node, describe, line_of
from catalog.source.yamlsafe import place

_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_OBJECTIVE_ID = re.compile(r"[a-z][a-z0-9_]*")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")


class _Reader(ResultsReader):
    """Reads one document: its objectives, benchmarks and papers."""

    _TOP: ClassVar[Fields] = Fields({"objectives": False, "benchmarks": False, "papers": False})
    _OBJECTIVE: ClassVar[Fields] = Fields(
        {
            "label": True,
            "better": True,
            "unit": False,
            "kind": False,
            "aliases": False,
            "per_benchmark": False,
        }
    )
    _BENCHMARK: ClassVar[Fields] = Fields({"label": True, "aliases": False, "url": False})

    # The document -----------------------------------------------------------------

    def document(self, root: Node) -> FileContent:
        top = self.fields(root, "the top level of a catalog file", self._TOP)
        if top is None:
            return self.out
        if not top:
            self.problem(root, "a catalog file needs `objectives:`, `benchmarks:`, `papers:` or some of them")
        if "objectives" in top:
            self.objectives(top["objectives"][1])
        if "benchmarks" in top:
            self.benchmarks(top["benchmarks"][1])
        if "papers" in top:
            node = top["papers"][1]
            if not isinstance(node, list):
                self.problem(
                    node, f"papers should be a list (lines starting with '- '), not {describe(node)}"
                )
            else:
                for item in node:
                    self.paper(item)
        return self.out

    def objectives(self, node: Node) -> None:
        try:
            items = f.mapping_items(self.file, node, "objectives")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return
        for key, value in items:
            oid = str(key)
            if not _OBJECTIVE_ID.fullmatch(oid):
                self.problem(
                    key,
                    f"objective id {oid!r} should be lowercase letters, digits and _ (like bits_per_weight)",
                )
                continue
            found = self.fields(value, f"objective {oid!r}", self._OBJECTIVE)
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
                per_benchmark=self.get(found, "per_benchmark", f.flag, f"per_benchmark of {oid!r}") or False,
            )
            self.out.objectives.append((objective, place(self.file, key, "")))

    def benchmarks(self, node: Node) -> None:
        try:
            items = f.mapping_items(self.file, node, "benchmarks")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return
        for key, value in items:
            bid = str(key)
            if not _OBJECTIVE_ID.fullmatch(bid):
                self.problem(
                    key, f"benchmark id {bid!r} should be lowercase letters, digits and _ (like wikitext2)"
                )
                continue
            found = self.fields(value, f"benchmark {bid!r}", self._BENCHMARK)
            if found is None:
                continue
            benchmark = Benchmark(
                id=bid,
                label=self.get(found, "label", f.text, f"label of {bid!r}") or bid,
                aliases=self.get(found, "aliases", f.text_list, f"aliases of {bid!r}") or (),
                url=self.get(found, "url", f.text, f"url of {bid!r}"),
            )
            self.out.benchmarks.append((benchmark, place(self.file, key, "")))

    # Papers --------------------------------------------------------------------------

    _PAPER: ClassVar[Fields] = Fields(
        {
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
            "tables": False,
            "notes": False,
        }
    )

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
        results = self.results(found["results"][1], abstract) if "results" in found else []
        if "tables" in found:
            results += self.tables(found["tables"][1])
        paper = Paper(
            id=pid or "",
            title=self.get(found, "title", f.text, "title") or "",
            file=self.file,
            line=line_of(node),
            published=self.get(found, "published", f.date, "published"),
            authors=self.get(found, "authors", f.text_list, "authors") or (),
            authors_count=self.get(found, "authors_count", f.count, "authors_count"),
            url=self.get(found, "url", f.text, "url"),
            arxiv=arxiv,
            code=self.get(found, "code", f.text_list, "code") or (),
            tags=self.get(found, "tags", f.text_list, "tags") or (),
            abstract=abstract,
            tradeoffs=tradeoffs,
            results=tuple(results),
            notes=self.get(found, "notes", f.text, "notes"),
        )
        if len(self.out.problems) == before and pid:
            self.out.papers.append(paper)
            self.out.paper_places.append(place(self.file, found["id"][1], ""))

    def tradeoffs(self, node: Node) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, list):
            self.problem(node, "tradeoffs should be a list of pairs, like [[accuracy, bits_per_weight]]")
            return ()
        pairs = []
        for item in node:
            if not isinstance(item, list) or len(item) != 2:
                self.problem(
                    item, "each trade-off should be a pair of two objectives, like [accuracy, latency]"
                )
                continue
            try:
                x, y = (f.text(self.file, end, "an objective of a trade-off") for end in item)
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                continue
            if x == y:
                self.problem(item, f"the trade-off pairs {x!r} with itself: name two different objectives")
                continue
            if self.refs:
                for end, name in zip(item, (x, y)):
                    self.out.refs.append(ref(self.file, end, name, kinds_allowed=True))
            pairs.append((x, y))
        return tuple(pairs)


def parse_document(file: str, root: Node, refs: bool = True) -> FileContent:
    """Read a catalog document's tree (``catalog.source.tree``) into objectives, papers and
    problems (``refs``: and the references to check across files)."""
    if not isinstance(root, dict):
        content = FileContent()
        content.problems.append(
            place(
                file,
                root,
                "the top level should be a mapping with `objectives:`, `benchmarks:` and/or `papers:`, "
                f"not {describe(root)}",
            )
        )
        return content
    return _Reader(file, refs).document(root)
