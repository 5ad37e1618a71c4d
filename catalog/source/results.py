"""A paper's results: each reported point, with what states its numbers, read and checked.

A result's numbers are stated either by ``evidence`` (the abstract's own words) or by a
``source`` (a table or figure), with where it was read (``at``) and the ``row`` as the source
writes it. Every number must occur in the words or the row that states it. A paper's
``tables`` are the compact form of many such results: the columns named once, then each row
verbatim, its numbers read from its cells (``catalog.source.cells``), so none is typed twice.
"""

from __future__ import annotations

import re
from typing import ClassVar

from catalog.model import Result, Value
from catalog.source import fields as f
from catalog.source.cells import Column, parse_column, read_cells, row_numbers, split_row
from catalog.source.claims import ClaimReader
from catalog.source.reader import Fields, ref
from catalog.source.tree import Node, describe, line_of
from catalog.text import digit_numbers, squash_space, word_numbers

#: A condition's key: lowercase letters, digits and _ (``hardware``, ``batch_size``).
CONDITION_KEY = re.compile(r"[a-z][a-z0-9_]*")
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+")
_COMMIT = re.compile(r"[0-9a-f]{40}")

Found = dict[str, tuple[str, Node]]


class ResultsReader(ClaimReader):
    """Reads a paper's ``results`` and ``tables``."""

    _RESULT: ClassVar[Fields] = Fields(
        {
            "method": True,
            "setting": False,
            "conditions": False,
            "baseline": False,
            "values": True,
            "evidence": False,
            "source": False,
            "at": False,
            "row": False,
        }
    )

    _AT: ClassVar[Fields] = Fields({"repo": True, "path": True, "commit": True})

    _TABLE: ClassVar[Fields] = Fields(
        {
            "source": True,
            "at": True,
            "columns": True,
            "rows": True,
            "method": False,
            "setting": False,
            "conditions": False,
            "baseline": False,
            "split": False,
        }
    )

    def results(self, node: Node, abstract: str | None) -> list[Result]:
        """The results of a paper (``abstract``: what evidence must quote)."""
        if not isinstance(node, list):
            self.problem(node, f"results should be a list, not {describe(node)}")
            return []
        flat_abstract = squash_space(abstract) if abstract else None
        out = []
        for item in node:
            found = self.fields(item, "a result", self._RESULT)
            if found is None:
                continue
            out.append(self.result(item, found, flat_abstract))
        return out

    def result(self, item: Node, found: Found, flat_abstract: str | None) -> Result:
        """One result: its values, checked against the words or the row that state them."""
        evidence = self.get(found, "evidence", f.text, "evidence")
        source = self.get(found, "source", f.text, "source")
        baseline = self.get(found, "baseline", f.text, "baseline")
        row = self.get(found, "row", f.text, "row")
        values = self.values(found["values"][1]) if "values" in found else []
        if "evidence" not in found and "source" not in found:
            self.problem(
                item, "a result needs `evidence` (the abstract's words) or `source` (a table or figure)"
            )
        elif "evidence" in found and "source" in found:
            self.problem(found["source"][0], "give either `evidence` or `source`, not both")
        for name in ("at", "row"):
            if name in found and "source" not in found:
                self.problem(
                    found[name][0], f"`{name}` belongs to a `source`: name the table or figure it is from"
                )
        if evidence is not None:
            evidence_node = found["evidence"][1]
            if flat_abstract is None:
                self.problem(
                    evidence_node, "evidence is given but the paper has no abstract: add it, or use `source`"
                )
            elif squash_space(evidence) not in flat_abstract:
                self.problem(
                    evidence_node, "evidence does not occur in the abstract: copy the words verbatim"
                )
            self.stated_in(evidence, values, "its evidence", "the evidence states")
        if row is not None:
            self.stated_in(
                row,
                values,
                "its row",
                "the row states (copy the row as the source writes it)",
                row_numbers(row),
            )
        if baseline is None and any(v.mode != "absolute" for v, _ in values):
            self.problem(item, "a result with relative values needs a `baseline` (what they are relative to)")
        return Result(
            method=self.get(found, "method", f.text, "method") or "",
            values=tuple(v for v, _ in values),
            setting=self.get(found, "setting", f.text, "setting"),
            baseline=baseline,
            evidence=evidence,
            source=source,
            line=line_of(item),
            conditions=self.conditions(found["conditions"][1]) if "conditions" in found else (),
            at=self.location(found["at"][1]) if "at" in found else None,
            row=row,
        )

    def stated_in(
        self,
        words: str,
        values: list[tuple[Value, Node]],
        where: str,
        states: str,
        stated: set[float] | None = None,
    ) -> None:
        """Report every value whose number ``words`` do not write (``stated``: their numbers)."""
        words_read = stated is not None
        if stated is None:  # digits first: the numbers written in words only when needed
            stated = digit_numbers(words)
        unstated = [(v, node, n) for v, node in values for n in v.numbers if abs(n) not in stated]
        if unstated and not words_read:
            stated |= word_numbers(words)
        for value, value_node, number in unstated:
            if abs(number) not in stated:
                self.problem(
                    value_node,
                    f"{value.key} = {number:g} does not occur in {where}: a value must be a number {states}",
                )

    def values(self, node: Node) -> list[tuple[Value, Node]]:
        """The values of a result: ``objective`` or ``objective/benchmark`` keys, each a number
        or a claim (``{percent: -40}``, ``{between: [7, 11]}``: ``catalog.source.claims``)."""
        try:
            items = f.mapping_items(self.file, node, "values")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return []
        if not items:
            self.problem(node, "values is empty: give at least one objective: number")
        out = []
        for key, value_node in items:
            axis = self.axis(key, key)
            if axis is None:
                continue
            value = self.claim(*axis, value_node, f"the value of {key!r}")
            if value is not None:
                out.append((value, value_node))
        return out

    def axis(self, node: Node, written: str) -> tuple[str, str | None] | None:
        """``objective`` or ``objective/benchmark`` as written at ``node``, with references to
        check across files; None (and a problem) when it is not written that way."""
        oid, slash, benchmark = written.partition("/")
        if not oid or (slash and not benchmark) or "/" in benchmark:
            self.problem(
                node,
                f"{written!r} should be an objective id, or one qualified by the benchmark it was "
                "measured on: accuracy/mmlu",
            )
            return None
        if self.refs:
            self.out.refs.append(ref(self.file, node, oid, kinds_allowed=False, unqualified=not benchmark))
            if benchmark:
                self.out.refs.append(ref(self.file, node, benchmark, False, "benchmarks", shift=len(oid) + 1))
        return oid, benchmark or None

    def conditions(self, node: Node) -> tuple[tuple[str, str], ...]:
        """What values were measured under: ``{hardware: H100, steps: 1}``, each value text."""
        try:
            items = f.mapping_items(self.file, node, "conditions")
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return ()
        out = []
        for key, value in items:
            if not CONDITION_KEY.fullmatch(key):
                self.problem(
                    key,
                    f"condition {str(key)!r} should be lowercase letters, digits and _ (like batch_size)",
                )
                continue
            try:
                out.append((str(key), f.text(self.file, value, f"the condition {str(key)!r}")))
            except f.FieldError as err:
                self.out.problems.append(err.problem)
        return tuple(out)

    def location(self, node: Node) -> str | None:
        """Where a source was read: an http(s) URL, or ``{repo, path, commit}``, as one text
        (``owner/name@commit:path``)."""
        if isinstance(node, str):
            url = node.strip()
            if not url.startswith(("https://", "http://")):
                self.problem(
                    node,
                    "`at` is a URL (https://...) or a mapping of repo, path and commit where the table is",
                )
                return None
            return url
        found = self.fields(node, "`at`", self._AT)
        if found is None or len(found) != 3:
            return None
        repo = self.get(found, "repo", f.text, "repo") or ""
        path = self.get(found, "path", f.text, "path") or ""
        commit = self.get(found, "commit", f.text, "commit") or ""
        if not _REPO.fullmatch(repo):
            self.problem(found["repo"][1], f"repo {repo!r} should be owner/name, like allenai/OLMo")
        if not _COMMIT.fullmatch(commit):
            self.problem(found["commit"][1], "commit should be the 40 hexadecimal digits of the version read")
        return f"{repo}@{commit}:{path}"

    # Tables -----------------------------------------------------------------------

    def tables(self, node: Node) -> list[Result]:
        """A paper's tables, one result per row."""
        if not isinstance(node, list):
            self.problem(node, f"tables should be a list, not {describe(node)}")
            return []
        out: list[Result] = []
        for item in node:
            found = self.fields(item, "a table", self._TABLE)
            if found is not None and {"source", "at", "columns", "rows"} <= set(found):
                out.extend(self.table(item, found))
        return out

    def table(self, item: Node, found: Found) -> list[Result]:
        """The results of one table: its shared fields, then a result per row."""
        source = self.get(found, "source", f.text, "source") or ""
        at = self.location(found["at"][1])
        shared = self.conditions(found["conditions"][1]) if "conditions" in found else ()
        method = self.get(found, "method", f.text, "method")
        split = self.get(found, "split", f.text, "split")
        setting = self.get(found, "setting", f.text, "setting")
        baseline = self.get(found, "baseline", f.text, "baseline")
        columns = self.columns(found["columns"][1])
        if columns is None:
            return []
        if method is None and not any(c.kind == "method" for c in columns):
            self.problem(found["columns"][1], "name the `method` column, or give the table a `method:`")
            return []
        rows = found["rows"][1]
        if not isinstance(rows, list) or not rows:
            self.problem(rows, "rows should be a list of the table's rows, each as the source writes it")
            return []
        out = []
        for row_node in rows:
            try:
                row = f.text(self.file, row_node, "a row")
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                continue
            cells = split_row(row, split, len(columns))
            if len(cells) != len(columns):
                self.problem(
                    row_node,
                    f"the row has {len(cells)} cells but `columns` names {len(columns)}: "
                    "name every cell (`-` skips one)",
                )
                continue
            read = read_cells(columns, cells)
            for message in read.problems:
                self.problem(row_node, message)
            if read.problems:
                continue
            if not read.values:
                self.problem(row_node, "the row gives no number: leave it out, or name its number columns")
                continue
            out.append(
                Result(
                    method=read.method or method or "",
                    values=read.values,
                    setting=setting,
                    baseline=baseline,
                    source=source,
                    line=line_of(row_node),
                    conditions=shared + read.conditions,
                    at=at,
                    row=row,
                )
            )
        return out

    def columns(self, node: Node) -> list[Column] | None:
        """What each cell of a row is: ``method``, a value's axis, ``=condition`` or ``-``."""
        if not isinstance(node, list) or not node:
            self.problem(node, "columns should be a list naming each cell: method, an objective, =key or -")
            return None
        out = []
        for item in node:
            try:
                written = f.text(self.file, item, "a column")
            except f.FieldError as err:
                self.out.problems.append(err.problem)
                return None
            column = parse_column(written)
            if column is None:
                self.problem(
                    item,
                    f"column {written!r} should be method, an objective (accuracy or accuracy/mmlu), "
                    "=key for a condition, or - to skip the cell",
                )
                return None
            if column.kind == "value":
                if self.axis(item, written) is None:
                    return None
            elif column.kind == "condition" and not CONDITION_KEY.fullmatch(column.name):
                self.problem(item, f"condition {column.name!r} should be lowercase letters, digits and _")
                return None
            out.append(column)
        return out
