"""What the app shows, computed without the app: the papers a query selects, their pairs, the points.

The app keeps one ``Explorer`` and asks it questions from worker threads; every answer is plain
data. Each call takes its own DuckDB cursor, so calls from different threads never share one.

A selection is a list of paper ids, never of whole rows: at 100,000 papers, summarising every
paper (its pairs take a self-join of all results) costs seconds, while the list shows a few
dozen. The list asks for the rows it shows (``rows_for``), and sorting runs in SQL over the ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from catalog.errors import QueryError
from catalog.query import questions
from catalog.query.claims_map import ClaimsMap, claims_map
from catalog.query.history import history, published_by
from catalog.query.pairs import Axis, PairRow, pairs_among, parse_pair
from catalog.query.papers import papers
from catalog.query.points import PlotData, Spread, plot_points, points, qualified, spread
from catalog.query.records import PaperRecord, PointRecord, QualifiedRecord
from catalog.query.search import SearchIndex
from catalog.query.select import Selection, catalog_order, select
from catalog.store.schema import PAIRABLE
from catalog.store.store import Store


@dataclass(frozen=True)
class PaperRow:
    """One line of the paper list."""

    id: str
    title: str
    year: int | None
    pairs: tuple[str, ...]
    results: int


#: What the plot pane says before a pair is chosen.
NO_PAIR = "Press p to pick an objective pair."


@dataclass(frozen=True)
class Frontier:
    """What the plot shows for a pair over the listed papers (or why it shows nothing)."""

    pair: str | None
    axes: tuple[Axis, Axis] | None
    points: list[PointRecord]
    message: str
    mixed: tuple[Spread, ...] = ()
    """The conditions the points differ on: a plot that mixes them says so."""
    conditions: tuple[tuple[str, str], ...] = ()
    """The conditions every point was measured under (the query's ``setting:`` filters)."""
    qualified: tuple[QualifiedRecord, ...] = ()
    """The points with a range, a bound or an approximate value, drawn apart from the others."""
    as_of: str | None = None
    """The date the frontier is drawn as of (only papers published by then), if any."""
    paper_ids: tuple[str, ...] | None = None
    """The papers the points were taken from, when fewer than those listed (``as_of``)."""


#: The columns a selection can be sorted by, as the list names them.
SORT_COLUMNS = ("title", "year", "pairs", "results", "mark")

# The pairs and result count of the papers in ``chosen``. Their results are read once (one scan)
# and paired among themselves, rather than through the ``result_pairs`` view, which pairs every
# result of the catalog before filtering.
_SUMMARY = (
    """
r AS MATERIALIZED (
    SELECT paper_id, result_no, point, objective, benchmark,
           objective || coalesce('/' || benchmark, '') AS axis
    FROM results WHERE paper_id IN (SELECT id FROM chosen)
),
paired AS (
    SELECT paper_id, least(x, y) AS x, greatest(x, y) AS y FROM tradeoffs
    WHERE paper_id IN (SELECT id FROM chosen)
    UNION
    SELECT a.paper_id, a.axis, b.axis FROM r a JOIN r b USING (point)
    WHERE """
    + PAIRABLE
    + """
),
pair_lists AS (SELECT paper_id, list(x || ':' || y ORDER BY x, y) AS pairs FROM paired GROUP BY 1),
counts AS (SELECT paper_id, count(DISTINCT result_no) AS results FROM r GROUP BY 1)
"""
)

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
        self.order: list[str] = catalog_order(store)
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

    def select(self, raw: str, bookmarks: Sequence[str], first: int | None = None) -> Selection:
        """The papers the search box ``raw`` selects: ranked by the free text, narrowed by filters
        (``first``: only the best so many ranked yet, the rest listed after them)."""
        return select(self.store, raw, bookmarks, index=self.index, order=self.order, first=first)

    #: Up to this many listed papers, a plot with no pair suggests the richest pairs among them
    #: (finding them pairs every listed paper's results: about 50 ms for 10,000 papers).
    SUGGEST_PAIRS_UP_TO = 10_000

    def no_pair_message(self, paper_ids: list[str], count: int = 8) -> str:
        """What the plot says before a pair is chosen: the listed papers' pairs with the most
        points, to pick from, or just how to pick one."""
        if len(paper_ids) > self.SUGGEST_PAIRS_UP_TO:
            return (
                f"{len(paper_ids):,} papers are listed: narrow the search to {self.SUGGEST_PAIRS_UP_TO:,} "
                "or fewer to see their pairs with the most points.\n\n" + NO_PAIR
            )
        if not paper_ids:
            return NO_PAIR
        rich = [p for p in self.pairs(paper_ids) if p.points][:count]
        if not rich:
            return NO_PAIR
        lines = [f"{p.spec}  ·  {p.points:,} point{'s' if p.points != 1 else ''}" for p in rich]
        return "The listed papers' pairs with the most points:\n\n" + "\n".join(lines) + "\n\n" + NO_PAIR

    def moments(self, pair: str, paper_ids: list[str], conditions: Sequence[tuple[str, str]]) -> list[str]:
        """The dates (``YYYY-MM-DD``) the frontier of ``pair`` among ``paper_ids`` moved, oldest first."""
        x, y = parse_pair(self.store, pair)
        return [step.date.isoformat() for step in history(self.store, x, y, paper_ids, conditions).steps]

    def why(
        self,
        pair: str,
        paper_ids: list[str],
        conditions: Sequence[tuple[str, str]],
        point: PointRecord,
        *,
        hull: bool = False,
    ) -> list[str]:
        """Why ``point`` is or is not on the frontier of ``pair`` among ``paper_ids`` (``hull``:
        on its hull), in words: what dominates it, and the improvement that would bring it there."""
        x, y = parse_pair(self.store, pair)
        answer = questions.frontier(self.store, x, y, paper_ids, conditions, hull=hull)
        found = next((i for i, p in enumerate(answer.points) if _same_point(p, point)), None)
        if found is None:
            return ["That point is no longer among the listed papers' points."]
        return questions.explanation_lines(questions.explanation(answer, found), x, y, listed=8)

    def budgets(
        self, pair: str, paper_ids: list[str], conditions: Sequence[tuple[str, str]], budgets: Sequence[float]
    ) -> list[str]:
        """The best second objective of ``pair`` at each budget of the first, in words."""
        x, y = parse_pair(self.store, pair)
        answer = questions.frontier(self.store, x, y, paper_ids, conditions)
        if not answer.points:
            return [f"No listed paper reports both {x.spec} and {y.spec} exactly."]
        return questions.budget_lines(questions.at_budgets(answer, budgets), x, y)

    def published_by(self, as_of: str, paper_ids: list[str]) -> list[str]:
        """Those of ``paper_ids`` surely published by ``as_of``."""
        return published_by(self.store, as_of, paper_ids).ids

    def claims(self, paper_ids: list[str], conditions: Sequence[tuple[str, str]] = ()) -> ClaimsMap:
        """The claims map of ``paper_ids``: their relative results, quality against the rest."""
        return claims_map(self.store, paper_ids, conditions=conditions)

    def knows_pair(self, spec: str) -> bool:
        """Whether this catalog has the objectives and benchmarks a pair names."""
        try:
            parse_pair(self.store, spec)
        except QueryError:
            return False
        return True

    def pairs(self, paper_ids: list[str]) -> list[PairRow]:
        """The plottable pairs among ``paper_ids`` (absolute and relative), most points first."""
        return pairs_among(self.store, paper_ids)

    def frontier(
        self,
        pair: str | None,
        paper_ids: list[str],
        conditions: Sequence[tuple[str, str]] = (),
        as_of: str | None = None,
    ) -> Frontier:
        """The points of ``pair`` among ``paper_ids`` (measured under ``conditions``, of the
        papers published by ``as_of``), each flagged ``on_frontier``, or why there are none;
        with the conditions they differ on."""
        if not pair:
            return Frontier(pair, None, [], self.no_pair_message(paper_ids))
        if as_of is not None:
            kept = published_by(self.store, as_of, paper_ids).ids
            drawn = self.frontier(pair, kept, conditions)
            return replace(drawn, as_of=as_of, paper_ids=tuple(kept))
        try:
            x, y = parse_pair(self.store, pair)
        except QueryError as err:
            return Frontier(pair, None, [], str(err))
        found = points(self.store, x, y, paper_ids, conditions=conditions)
        loose = qualified(self.store, x, y, paper_ids, conditions)
        message = "" if found or loose else f"No listed paper reports both {x.spec} and {y.spec}."
        # Only points that state conditions can differ on them: most pairs need no second query.
        stated = any(p["conditions"] for p in found)
        mixed = [s for s in spread(self.store, x, y, paper_ids, conditions) if s.mixed] if stated else []
        return Frontier(pair, (x, y), found, message, tuple(mixed), tuple(conditions), tuple(loose))

    def plot_data(
        self,
        frontier: Frontier,
        paper_ids: list[str],
        cols: int,
        rows: int,
        log_x: bool,
        log_y: bool,
    ) -> PlotData:
        """The points of a frontier's pair among ``paper_ids`` reduced for a ``cols`` x ``rows``
        plot: the frontier exactly, every other point one per cell (``points.plot_points``)."""
        assert frontier.axes is not None  # only a frontier with points is drawn
        return plot_points(
            self.store,
            *frontier.axes,
            paper_ids,
            cols=cols,
            rows=rows,
            log_x=log_x,
            log_y=log_y,
            conditions=frontier.conditions,
        )

    def paper(self, paper_id: str) -> PaperRecord:
        """The whole record of one paper."""
        return papers(self.store, [paper_id])[0]


def _same_point(a: PointRecord, b: PointRecord) -> bool:
    """Whether two records are the same point: the same paper's result, at the same values."""
    return (a["paper_id"], a["method"], a["setting"], a["x"], a["y"], a["conditions"]) == (
        b["paper_id"],
        b["method"],
        b["setting"],
        b["x"],
        b["y"],
        b["conditions"],
    )
