"""One selection for the app's search box, ``tradeoffs search`` and every ``--query``.

A query's free text is ranked by the fuzzy search; its filters narrow the papers in one
parameterised query. What cannot match is said, not silently answered with nothing: an
unknown tag (with the closest known one), an objective no catalog defines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.query.filters import Query, parse_query
from catalog.query.search import Hit, SearchIndex
from catalog.store.store import Store
from catalog.suggest import suggest


@dataclass(frozen=True)
class Selection:
    """The answer to a query: the papers, in order, and what was wrong with the query."""

    query: Query
    ids: list[str]
    """The selected papers' ids, best match first (or in catalog order, without free text)."""
    problems: tuple[str, ...]
    words: tuple[str, ...] = ()
    """The words the query matched (typos resolved), to highlight where they occur."""
    hits: tuple[Hit, ...] = ()
    """The fuzzy search's matches among the selected papers, with their scores, best first."""
    settled: bool = True
    """Whether ``ids`` are all in their final order; if not, the first ``len(hits)`` are, and
    the rest follow in a provisional one (``select``'s ``first``)."""


def catalog_order(store: Store) -> list[str]:
    """Every paper's id, in catalog order."""
    return [r[0] for r in store.cursor().execute("SELECT id FROM papers ORDER BY position").fetchall()]


def select(
    store: Store,
    raw: str,
    bookmarks: Sequence[str] = (),
    *,
    index: SearchIndex | None = None,
    order: list[str] | None = None,
    complete_only: bool = False,
    limit: int | None = None,
    first: int | None = None,
) -> Selection:
    """The papers ``raw`` selects: ranked by its free text, narrowed by its filters.

    ``index`` and ``order`` (every id in catalog order) are reused when given. With
    ``complete_only``, free text selects only papers matching every word (what a script wants
    of ``--query``); otherwise, when no paper matches them all, the closest partial matches.
    ``limit`` keeps the best so many (ranking fewer matches is quicker); filters apply first.
    ``first``: rank only the best so many exactly and list every other match after them,
    unranked (a list on screen shows the first ones at once; ``settled`` says which it got).
    """
    query = parse_query(raw)
    problems = list(query.problems) + _impossible(store, query)
    ids: list[str] | None = None
    settled = True
    words: list[str] = []
    hits: list[Hit] = []
    if query.text.strip():
        index = index or SearchIndex(store)
        ranked = limit if limit is not None and not query.has_filters else max(index.total, 1)
        if first is not None and limit is None and not query.has_filters and not complete_only:
            ranking = index.ranking(query.text, first)
            hits, words = ranking.hits, ranking.words
            ids = [h.paper_id for h in hits] + ranking.rest
            settled = not ranking.rest
        else:
            hits, words = index.matches(query.text, limit=ranked)
            if complete_only:
                hits = [h for h in hits if h.complete]
            ids = [h.paper_id for h in hits]
    if query.has_filters:
        ids = filter_ids(store, query, ids, bookmarks, order)
        if hits:
            kept = set(ids)
            hits = [h for h in hits if h.paper_id in kept]
    chosen = (list(order) if order is not None else catalog_order(store)) if ids is None else ids
    if limit is not None:
        chosen, hits = chosen[:limit], hits[:limit]
    return Selection(query, chosen, tuple(problems), tuple(dict.fromkeys(words)), tuple(hits), settled)


def _impossible(store: Store, query: Query) -> list[str]:
    """Why filters that are well written cannot match: names the catalog does not know."""
    problems = []
    if query.tags:
        known = [r[0] for r in store.cursor().execute("SELECT DISTINCT tag FROM tags ORDER BY 1").fetchall()]
        lowered = {t.lower() for t in known}
        for tag in query.tags:
            if tag.lower() not in lowered:
                problems.append(f"no paper has the tag {tag!r}{suggest(tag, known)}")
    if query.pair:
        names = list(store.objectives) + sorted(store.kinds)
        for end in query.pair:
            oid, _, bid = end.partition("/")
            if oid not in names:
                problems.append(f"unknown objective {oid!r} in pair:{suggest(oid, names)}")
            elif bid and bid not in store.benchmarks:
                problems.append(f"unknown benchmark {bid!r} in pair:{suggest(bid, list(store.benchmarks))}")
    for key, value in query.conditions:
        found = (
            store.cursor()
            .execute("SELECT DISTINCT value FROM conditions WHERE lower(key) = lower(?) ORDER BY 1", [key])
            .fetchall()
        )
        values = [v for (v,) in found]
        if not values:
            keys = [k for (k,) in store.cursor().execute("SELECT DISTINCT key FROM conditions").fetchall()]
            problems.append(f"no result has the condition {key!r}{suggest(key, keys)}")
        elif value.lower() not in {v.lower() for v in values}:
            hint = suggest(value, values) or (f" (known: {', '.join(values)})" if len(values) <= 8 else "")
            problems.append(f"no result has {key}={value}{hint}")
    return problems


def filter_ids(
    store: Store,
    query: Query,
    ids: list[str] | None,
    bookmarks: Sequence[str],
    order: list[str] | None = None,
) -> list[str]:
    """The ids among ``ids`` (or all papers, in catalog order) that pass the filters, in order."""
    conditions = []
    params: dict[str, Any] = {}
    if ids is not None:
        conditions.append("p.id IN (SELECT unnest($ids::VARCHAR[]))")
        params["ids"] = ids
    for i, tag in enumerate(query.tags):
        conditions.append(
            f"EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id AND lower(t.tag) = lower($tag{i}))"
        )
        params[f"tag{i}"] = tag
    if query.years:
        conditions.append("p.year BETWEEN $low AND $high")
        params["low"], params["high"] = query.years
    if query.pair:
        conditions.append(
            "(EXISTS (SELECT 1 FROM tradeoffs t WHERE t.paper_id = p.id AND "
            "((t.x = $px AND t.y = $py) OR (t.x = $py AND t.y = $px))) OR "
            "EXISTS (SELECT 1 FROM result_pairs r WHERE r.paper_id = p.id AND "
            "((r.x = $px AND r.y = $py) OR (r.x = $py AND r.y = $px))))"
        )
        params["px"], params["py"] = query.pair
    if query.bookmarked:
        conditions.append("p.id IN (SELECT unnest($marks::VARCHAR[]))")
        params["marks"] = list(bookmarks)
    if query.conditions:
        # One result measured under every condition asked for.
        each = " AND ".join(
            "EXISTS (SELECT 1 FROM conditions c WHERE c.paper_id = r.paper_id AND c.result_no = r.result_no "
            f"AND lower(c.key) = lower($ck{i}) AND lower(c.value) = lower($cv{i}))"
            for i in range(len(query.conditions))
        )
        conditions.append(
            "EXISTS (SELECT 1 FROM (SELECT DISTINCT paper_id, result_no FROM conditions) r "
            f"WHERE r.paper_id = p.id AND {each})"
        )
        for i, (key, value) in enumerate(query.conditions):
            params[f"ck{i}"], params[f"cv{i}"] = key, value
    where = " AND ".join(conditions) or "TRUE"
    # The condition texts above are fixed; only values travel, as parameters.
    found = {
        r[0] for r in store.cursor().execute(f"SELECT p.id FROM papers p WHERE {where}", params).fetchall()
    }
    if ids is not None:
        return [i for i in ids if i in found]
    return [i for i in (order if order is not None else catalog_order(store)) if i in found]
