"""The search box's language: free words plus filters a user would expect.

``tag:quantization``, ``tag:"LLM compression"``, ``year:2024``, ``year:2023-2025``,
``pair:fid:latency`` (papers that study or measure the pair) and ``is:bookmarked``. Anything else
is free text for the fuzzy search. Parsing is pure; applying the filters is one parameterised
query.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from catalog.store import Store

_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")


@dataclass(frozen=True)
class Query:
    """A parsed search box: the free text and each filter."""

    text: str = ""
    tags: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    pair: tuple[str, str] | None = None
    bookmarked: bool = False
    problems: tuple[str, ...] = field(default=())

    @property
    def has_filters(self) -> bool:
        """Whether anything but free text was asked for."""
        return bool(self.tags or self.years or self.pair or self.bookmarked)


def parse_query(raw: str) -> Query:
    """Split ``raw`` into free text and filters; malformed filters are reported, not fatal."""
    try:
        tokens = shlex.split(raw)
    except ValueError:  # an unclosed quote while typing: read it as if closed
        tokens = shlex.split(raw + '"') if raw.count('"') % 2 else raw.split()
    words: list[str] = []
    tags: list[str] = []
    years = pair = None
    bookmarked = False
    problems = []
    for token in tokens:
        key, _, value = token.partition(":")
        key = key.lower()
        if key == "tag" and value:
            tags.append(value)
        elif key == "year" and value:
            match = _YEARS.fullmatch(value)
            if match:
                low = int(match.group(1))
                years = (low, int(match.group(2) or low))
            else:
                problems.append(f"year:{value} is not a year or a range like 2023-2025")
        elif key == "pair" and value:
            ends = value.split(":")
            if len(ends) == 2 and all(ends):
                pair = (ends[0], ends[1])
            else:
                problems.append(f"pair:{value} should be pair:X:Y")
        elif key == "is" and value.lower() == "bookmarked":
            bookmarked = True
        else:
            words.append(token)
    return Query(" ".join(words), tuple(tags), years, pair, bookmarked, tuple(problems))


def filter_ids(store: Store, query: Query, ids: list[str] | None, bookmarks: list[str]) -> list[str]:
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
        params["marks"] = bookmarks
    where = " AND ".join(conditions) or "TRUE"
    # The condition texts above are fixed; only values travel, as parameters.
    found = {
        r[0] for r in store.cursor().execute(f"SELECT p.id FROM papers p WHERE {where}", params).fetchall()
    }
    if ids is not None:
        return [i for i in ids if i in found]
    order = store.cursor().execute("SELECT id FROM papers ORDER BY position").fetchall()
    return [r[0] for r in order if r[0] in found]
