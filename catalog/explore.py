"""What the app shows, computed without the app: the papers a query selects, their pairs, the points.

The app keeps one ``Explorer`` and asks it questions from worker threads; every answer is plain
data. Each call takes its own DuckDB cursor, so calls from different threads never share one.

A selection is a list of paper ids, never of whole rows: at 100,000 papers, summarising every
paper (its pairs take a self-join of all results) costs seconds, while the list shows a few
dozen. The list asks for the rows it shows (``rows_for``), and sorting runs in SQL over the ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog import query as q
from catalog.filters import Query, filter_ids, parse_query
from catalog.search import SearchIndex
from catalog.store import Store


@dataclass(frozen=True)
class PaperRow:
    """One line of the paper list."""

    id: str
    title: str
    year: int | None
    pairs: tuple[str, ...]
    results: int


@dataclass(frozen=True)
class PairRow:
    """One objective pair among the listed papers, written as a plottable spec."""

    spec: str
    label: str
    papers: int
    points: int
    kinds: str


@dataclass(frozen=True)
class Selection:
    """The answer to a search box: the papers, in order, and what was wrong with the query."""

    query: Query
    ids: list[str]
    """The selected papers' ids, best match (or catalog order, or the chosen sort) first."""
    problems: tuple[str, ...]
    words: tuple[str, ...] = ()
    """The words the query matched (typos resolved), to highlight where they occur."""


#: The columns a selection can be sorted by, as the list names them.
SORT_COLUMNS = ("title", "year", "pairs", "results", "mark")

# The pairs and result count of the papers in ``chosen``. Their results are read once (one scan)
# and paired among themselves, rather than through the ``result_pairs`` view, which pairs every
# result of the catalog before filtering.
_SUMMARY = """
r AS MATERIALIZED (
    SELECT paper_id, result_no, point, objective FROM results WHERE paper_id IN (SELECT id FROM chosen)
),
paired AS (
    SELECT paper_id, least(x, y) AS x, greatest(x, y) AS y FROM tradeoffs
    WHERE paper_id IN (SELECT id FROM chosen)
    UNION
    SELECT a.paper_id, a.objective, b.objective FROM r a JOIN r b USING (point)
    WHERE a.objective < b.objective
),
pair_lists AS (SELECT paper_id, list(x || ':' || y ORDER BY x, y) AS pairs FROM paired GROUP BY 1),
counts AS (SELECT paper_id, count(DISTINCT result_no) AS results FROM r GROUP BY 1)
"""

_ROWS = (
    "WITH chosen AS (SELECT DISTINCT unnest($ids::VARCHAR[]) AS id),"
    + _SUMMARY
    + """
SELECT p.id, p.title, p.year, coalesce(l.pairs, []), coalesce(c.results, 0)
FROM papers p LEFT JOIN pair_lists l ON l.paper_id = p.id LEFT JOIN counts c ON c.paper_id = p.id
WHERE p.id IN (SELECT id FROM chosen)
"""
)

# Sort keys in SQL, in the order a person reading the column expects: missing years after every
# year, no pairs (an empty text) before any. Ties keep the order the ids came in.
_SORT_KEYS = {
    "title": ("", "lower(p.title) {dir}"),
    "year": ("", "(p.year IS NULL) {dir}, p.year {dir}"),
    "pairs": ("pairs", "coalesce(lower(array_to_string(l.pairs, ', ')), '') {dir}"),
    "results": ("counts", "coalesce(c.results, 0) {dir}"),
}


class Explorer:
    """Answers the app's questions over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = SearchIndex(store)
        self.order: list[str] = [
            r[0] for r in store.cursor().execute("SELECT id FROM papers ORDER BY position").fetchall()
        ]
        """Every paper's id, in catalog order."""

    def rows_for(self, ids: Sequence[str]) -> dict[str, PaperRow]:
        """The list rows of ``ids`` (a page of the list), by id; unknown ids are left out."""
        if not ids:
            return {}
        found = self.store.cursor().execute(_ROWS, {"ids": list(ids)}).fetchall()
        return {
            pid: PaperRow(pid, title, year, tuple(pairs), results)
            for pid, title, year, pairs, results in found
        }

    def title(self, paper_id: str) -> str:
        """One paper's title."""
        row = self.store.cursor().execute("SELECT title FROM papers WHERE id = ?", [paper_id]).fetchone()
        return row[0] if row else paper_id

    def sort(self, ids: list[str], column: str, descending: bool, bookmarks: Sequence[str]) -> list[str]:
        """``ids`` sorted by a list column (``SORT_COLUMNS``); papers that tie keep their order."""
        if column == "mark":
            marked = set(bookmarks)
            first = [i for i in ids if (i in marked) == descending]
            return first + [i for i in ids if (i in marked) != descending]
        if column not in _SORT_KEYS or not ids:
            return list(ids)
        needs, key = _SORT_KEYS[column]
        direction = "DESC" if descending else "ASC"
        # Only fixed texts go into the SQL: the column was checked against _SORT_KEYS above.
        joins = {
            "": "",
            "pairs": "LEFT JOIN pair_lists l ON l.paper_id = c0.id",
            "counts": "LEFT JOIN counts c ON c.paper_id = c0.id",
        }[needs]
        sql = (
            "WITH numbered AS (SELECT unnest($ids::VARCHAR[]) AS id, "
            "generate_subscripts($ids::VARCHAR[], 1) AS i), chosen AS (SELECT id FROM numbered)"
            + (f", {_SUMMARY}" if needs else "")
            + f" SELECT c0.id FROM numbered c0 JOIN papers p ON p.id = c0.id {joins} "
            + f"ORDER BY {key.format(dir=direction)}, c0.i"
        )
        return [r[0] for r in self.store.cursor().execute(sql, {"ids": ids}).fetchall()]

    def select(self, raw: str, bookmarks: list[str]) -> Selection:
        """The papers the search box ``raw`` selects: ranked by the free text, narrowed by filters."""
        query = parse_query(raw)
        problems = list(query.problems)
        ids = None
        words: list[str] = []
        if query.text.strip():
            hits, words = self.index.matches(query.text, limit=max(self.index.total, 1))
            ids = [h.paper_id for h in hits]
        if query.pair:
            known = set(self.store.objectives) | self.store.kinds
            problems += [f"unknown objective {end!r} in pair:" for end in query.pair if end not in known]
        if query.has_filters:
            ids = filter_ids(self.store, query, ids, bookmarks)
        chosen = list(self.order) if ids is None else ids
        return Selection(query, chosen, tuple(problems), tuple(dict.fromkeys(words)))

    def pairs(self, paper_ids: list[str]) -> list[PairRow]:
        """The plottable pairs among ``paper_ids`` (absolute and relative), most points first."""
        rows = (
            self.store.cursor()
            .execute(
                """
            SELECT x, x_mode, y, y_mode, count(DISTINCT paper_id), count(*)
            FROM result_pairs
            WHERE paper_id IN (SELECT unnest($1::VARCHAR[]))
              AND (x_mode = 'absolute') = (y_mode = 'absolute')
            GROUP BY ALL ORDER BY 6 DESC, 1, 3
            """,
                [paper_ids],
            )
            .fetchall()
        )
        objectives = self.store.objectives
        out = []
        for x, xm, y, ym, papers, points in rows:
            spec_x = x if xm == "absolute" else f"{x}@{xm}"
            spec_y = y if ym == "absolute" else f"{y}@{ym}"
            label = f"{objectives[x].label} vs {objectives[y].label}"
            if xm != "absolute":
                label += f" ({xm} / {ym} vs baseline)"
            kinds = f"{objectives[x].kind or ''} {objectives[y].kind or ''}".strip()
            out.append(PairRow(f"{spec_x}:{spec_y}", label, papers, points, kinds))
        return out

    def points(self, spec: str, paper_ids: list[str]) -> tuple[q.Axis, q.Axis, list[dict[str, Any]]]:
        """The axes of ``spec`` and its points among ``paper_ids``, each flagged ``on_frontier``."""
        x, y = q.parse_pair(self.store, spec)
        return x, y, q.points(self.store, x, y, paper_ids)

    def paper(self, paper_id: str) -> dict[str, Any]:
        """The whole record of one paper."""
        return q.papers(self.store, [paper_id])[0]
