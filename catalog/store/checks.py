"""The rules across files, checked over a built database: detected cheaply, worded exactly.

Detection runs over the loaded rows (duplicate ids, unknown references) and over each file's
recorded objectives (conflicting definitions), with the helpers of ``catalog.source.rules``.
Only when a detection fires are the files involved read again, and the same module words
their problems with places. A detection that cannot be worded is a bug, never a silent
failure: ``CatalogError`` refuses to be raised without problems.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from catalog.errors import CatalogError, Problem
from catalog.model import FileStat, Objective
from catalog.source.read import read_files
from catalog.source.rules import is_known, kinds_of, merge_objectives, problems_across


def merged_objectives(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Objective], set[str]]:
    """Every file's objectives merged in catalog order, and the ids defined differently."""
    rows = con.execute(
        "SELECT objectives FROM files WHERE objectives IS NOT NULL ORDER BY file_no"
    ).fetchall()
    defined = (
        (Objective(oid, label, better, unit, kind, tuple(aliases)), None)
        for (text,) in rows
        for oid, label, better, unit, kind, aliases in json.loads(text)
    )
    merged, conflicts = merge_objectives(defined)
    return merged, {objective.id for objective, _, _ in conflicts}


def involved_files(
    con: duckdb.DuckDBPyConnection,
    objectives: dict[str, Objective],
    conflicts: set[str],
    problems: list[Problem],
) -> set[str]:
    """The files (by name shown) that problems involve; empty when the catalog is valid.

    ``problems`` are those found in files on their own while reading them.
    """
    involved = {p.file for p in problems}
    if conflicts:
        for defined, display in con.execute(
            "SELECT objectives, display FROM files WHERE objectives IS NOT NULL"
        ).fetchall():
            if any(row[0] in conflicts for row in json.loads(defined)):
                involved.add(display)
    kinds = kinds_of(objectives)
    used = con.execute(
        "SELECT DISTINCT objective, false FROM results "
        "UNION SELECT DISTINCT x, true FROM (SELECT x FROM tradeoffs UNION SELECT y FROM tradeoffs)"
    ).fetchall()
    unknown = [name for name, kinds_allowed in used if not is_known(name, kinds_allowed, objectives, kinds)]
    if unknown:
        involved.update(
            r[0]
            for r in con.execute(
                "SELECT DISTINCT p.file FROM papers p WHERE p.id IN ("
                "  SELECT paper_id FROM results WHERE objective IN (SELECT unnest($u::VARCHAR[]))"
                "  UNION SELECT paper_id FROM tradeoffs"
                "  WHERE x IN (SELECT unnest($u::VARCHAR[])) OR y IN (SELECT unnest($u::VARCHAR[])))",
                {"u": unknown},
            ).fetchall()
        )
    involved.update(
        r[0]
        for r in con.execute(
            "SELECT DISTINCT file FROM papers "
            "WHERE id IN (SELECT id FROM papers GROUP BY id HAVING count(*) > 1)"
        ).fetchall()
    )
    return involved


def refuse_if_invalid(
    con: duckdb.DuckDBPyConnection,
    files: list[FileStat],
    objectives: dict[str, Objective],
    conflicts: set[str],
    problems: list[Problem],
) -> None:
    """Raise ``CatalogError`` with every problem, worded with its place, when any rule is broken."""
    involved = involved_files(con, objectives, conflicts, problems)
    if not involved:
        return
    chosen = [s for s in files if s.display in involved]
    contents = read_files([Path(s.path) for s in chosen], [s.display for s in chosen])
    raise CatalogError(problems_across(contents, objectives))
