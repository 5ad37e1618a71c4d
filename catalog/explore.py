"""What the app shows, computed without the app: the papers a query selects, their pairs, the points.

The app keeps one ``Explorer`` and asks it questions from worker threads; every answer is plain
data. Each call takes its own DuckDB cursor, so calls from different threads never share one.
"""

from __future__ import annotations

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
    rows: list[PaperRow]
    problems: tuple[str, ...]
    words: tuple[str, ...] = ()
    """The words the query matched (typos resolved), to highlight where they occur."""


class Explorer:
    """Answers the app's questions over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = SearchIndex(store)
        self.rows = self._all_rows()

    def _all_rows(self) -> dict[str, PaperRow]:
        cur = self.store.cursor()
        pairs: dict[str, list[str]] = {}
        for pid, x, y in cur.execute(
            "SELECT paper_id, x, y FROM (SELECT paper_id, least(x, y) AS x, greatest(x, y) AS y "
            "FROM tradeoffs UNION SELECT paper_id, x, y FROM result_pairs) ORDER BY paper_id, x, y"
        ).fetchall():
            pairs.setdefault(pid, []).append(f"{x}:{y}")
        counts = dict(
            cur.execute("SELECT paper_id, count(DISTINCT result_no) FROM results GROUP BY 1").fetchall()
        )
        rows = cur.execute("SELECT id, title, year FROM papers ORDER BY position").fetchall()
        return {
            pid: PaperRow(pid, title, year, tuple(pairs.get(pid, ())), counts.get(pid, 0))
            for pid, title, year in rows
        }

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
        chosen = list(self.rows) if ids is None else ids
        return Selection(query, [self.rows[i] for i in chosen], tuple(problems), tuple(dict.fromkeys(words)))

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
