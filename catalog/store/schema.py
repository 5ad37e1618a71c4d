"""The catalog database's tables, declared once: columns, types and constraints.

Everything else is derived from this list: the DDL, and how a row of JSON becomes a row of
its table (``catalog.store.rows`` writes each row's values in this order, as a JSON array;
``catalog.store.bulk`` casts them to these types).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

#: The code that decides what a file's rows hold and whether a file is valid: reading and
#: checking a file (``catalog/source``), making its rows and moving them into the tables, and
#: the tables' declarations (this module). A change to any of it changes
#: ``SCHEMA_VERSION``, so a cache is never kept across a change to the rules it was built by.
_STORE_RULES = ("schema", "rows", "bulk", "checks", "words", "update")
_RULES = [
    *sorted((Path(__file__).parents[1] / "source").glob("*.py")),
    *(Path(__file__).parent / f"{name}.py" for name in _STORE_RULES),
    *(Path(__file__).parents[1] / f"{name}.py" for name in ("model", "claims", "text")),
]


def _rules_version() -> str:
    digest = hashlib.sha256()
    for path in _RULES:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())  # installed without its source: the name stands in
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Column:
    """One column: its name, its DuckDB type, and any constraint."""

    name: str
    type: str
    constraint: str = ""


@dataclass(frozen=True)
class Table:
    """One table: a name and its columns, in order."""

    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def ddl(self, temp: bool = False) -> str:
        """The ``CREATE TABLE`` statement."""
        body = ", ".join(f"{c.name} {c.type} {c.constraint}".rstrip() for c in self.columns)
        return f"CREATE {'TEMP ' if temp else ''}TABLE {self.name} ({body});"

    def from_text_row(self, row: str) -> str:
        """The select list that turns ``row``, a row read as ``VARCHAR[]`` (its values in column
        order, as ``read_json`` gives an array's items), into this table's typed columns."""
        casts = []
        for i, c in enumerate(self.columns, start=1):
            item = f"{row}[{i}]"
            if c.type == "VARCHAR":
                casts.append(item)
            elif c.type == "VARCHAR[]":  # an array within the row comes as its JSON text
                casts.append(f"from_json({item}, '[\"VARCHAR\"]')")
            else:
                casts.append(f"{item}::{c.type}")
        return ", ".join(casts)


def _table(name: str, *columns: tuple[str, str] | tuple[str, str, str]) -> Table:
    return Table(name, tuple(Column(*c) for c in columns))


V, INT, B, D, VL = "VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR[]"

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table("meta", ("key", V, "PRIMARY KEY"), ("value", V)),
        # One row per catalog file: the cache's record of what each file held when it was read.
        _table(
            "files",
            ("path", V),
            ("display", V),
            ("size", B),
            ("mtime_ns", B),
            ("sha", V),
            ("file_no", INT),
            ("objectives", V),  # the file's objective definitions, as JSON rows of ``objectives``
            ("benchmarks", V),  # the file's benchmark definitions, as JSON rows of ``benchmarks``
        ),
        _table(
            "objectives",
            ("id", V, "PRIMARY KEY"),
            ("label", V, "NOT NULL"),
            ("better", V, "NOT NULL"),
            ("unit", V),
            ("kind", V),
            ("aliases", VL),
            ("per_benchmark", "BOOLEAN"),
        ),
        _table("benchmarks", ("id", V, "PRIMARY KEY"), ("label", V, "NOT NULL"), ("aliases", VL), ("url", V)),
        _table(
            "papers",
            ("id", V),
            ("position", B),
            ("title", V, "NOT NULL"),
            ("published", V),
            ("year", INT),
            ("authors", VL),
            ("authors_count", INT),
            ("url", V),
            ("arxiv", V),
            ("code", VL),
            ("abstract", V),
            ("notes", V),
            ("file", V),
            ("line", INT),
        ),
        _table("tags", ("paper_id", V), ("tag", V)),
        _table("tradeoffs", ("paper_id", V), ("x", V), ("y", V)),
        # One row per value: a result reporting three objectives is three rows sharing a point.
        _table(
            "results",
            ("paper_id", V),
            ("result_no", INT),
            ("method", V),
            ("setting", V),
            ("baseline", V),
            ("evidence", V),
            ("source", V),
            ("line", INT),
            ("objective", V),
            ("value", D),  # the exact number on the axis; NULL when the claim is qualified
            ("mode", V),  # the axis's mode (``times_less`` is a ratio), or ``percent_or_points``, on no axis
            ("point", B),
            ("benchmark", V),  # what the value was measured on, when it says
            ("source_at", V),  # where the source was read: a URL, or repo@commit:path
            ("source_row", V),  # the row as the source writes it
            ("shape", V),  # exact, about, range, at_most, at_least, below, above
            ("low", D),  # where the value lies on the axis: NULL is an open end
            ("high", D),
            ("claim", V),  # the value as the result writes it (JSON), when not a plain number
        ),
        # What a result's values were measured under: hardware, steps, shots...
        _table("conditions", ("paper_id", V), ("result_no", INT), ("key", V), ("value", V)),
        # The search index: each word of a paper with the weight of where it occurs.
        _table("words", ("word", V), ("paper_id", V), ("weight", INT)),
        _table("vocab", ("word", V), ("papers", INT)),
        _table(
            "pairs",
            ("x", V),
            ("y", V),
            ("papers", INT),
            ("points", INT),
            ("relative_points", INT),
            ("qualified", INT),
        ),
    )
}

#: The tables each catalog file contributes rows to (the rest are the build's own).
FROM_FILES = ("papers", "tags", "tradeoffs", "results", "conditions")

#: A file's new place in the catalog order, while positions are renumbered.
RENUMBER = _table("renumber", ("path", V), ("file_no", INT))

#: When two values of one result form a point of a pair (``a`` and ``b``, rows of ``results``):
#: one objective on two benchmarks is no trade-off, nor are two objectives each measured on
#: another benchmark (accuracy on AIME24 against tokens on MATH500). Said once, used by the
#: ``result_pairs`` view and by the queries that pair only some papers' results.
PAIRABLE = (
    "a.objective < b.objective AND (a.benchmark IS NULL OR b.benchmark IS NULL OR a.benchmark = b.benchmark)"
)

VIEWS = f"""
CREATE VIEW paper_tags AS
    SELECT p.id, list(t.tag ORDER BY t.tag) FILTER (WHERE t.tag IS NOT NULL) AS tags
    FROM papers p LEFT JOIN tags t ON t.paper_id = p.id GROUP BY p.id;
CREATE VIEW axes AS
    SELECT *, objective || coalesce('/' || benchmark, '') AS axis FROM results;
CREATE VIEW result_pairs AS
    SELECT a.paper_id, a.result_no, a.axis AS x, b.axis AS y, a.mode AS x_mode, b.mode AS y_mode,
           a.value IS NOT NULL AND b.value IS NOT NULL AS exact
    FROM axes a JOIN axes b ON a.point = b.point
    WHERE {PAIRABLE};
"""


#: What the ``pairs`` table holds: every objective pair, declared by a paper or measured in a
#: result, with its papers, its exact absolute points, its exact relative points and its
#: qualified points. Kept as a table, counted once per build (``update.count_pairs``):
#: at 100,000 papers it takes a third of a second, which every start would pay as a view.
PAIRS = """
WITH declared AS (
    SELECT paper_id, least(x, y) AS x, greatest(x, y) AS y FROM tradeoffs
), measured AS (
    SELECT paper_id, x, y,
           count(*) FILTER (WHERE x_mode = 'absolute' AND y_mode = 'absolute' AND exact) AS points,
           count(*) FILTER (WHERE x_mode <> 'absolute' AND y_mode <> 'absolute' AND exact)
               AS relative_points,
           count(*) FILTER (WHERE x_mode = 'absolute' AND y_mode = 'absolute' AND NOT exact) AS qualified
    FROM result_pairs GROUP BY ALL
)
SELECT x, y, count(DISTINCT paper_id)::INTEGER AS papers,
       coalesce(sum(points), 0)::INTEGER AS points,
       coalesce(sum(relative_points), 0)::INTEGER AS relative_points,
       coalesce(sum(qualified), 0)::INTEGER AS qualified
FROM (SELECT paper_id, x, y, 0 AS points, 0 AS relative_points, 0 AS qualified FROM declared
      UNION ALL SELECT * FROM measured)
GROUP BY x, y
"""


def ddl() -> str:
    """Every table and view of a catalog database."""
    return "\n".join(t.ddl() for t in TABLES.values()) + VIEWS


#: What a cache was built by (its tables and its rules): caches built by another version are
#: rebuilt, not updated.
SCHEMA_VERSION = f"{_rules_version()}-{hashlib.sha256(ddl().encode()).hexdigest()[:12]}"
