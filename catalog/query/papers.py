"""Whole paper records, results included, as plain dicts: what export writes and the detail view shows."""

from __future__ import annotations

import json
from typing import Any

from catalog.model import axis_key
from catalog.query.records import PaperRecord, RecordValue, ResultRecord
from catalog.store.store import Store


def papers(store: Store, ids: list[str] | None = None) -> list[PaperRecord]:
    """Whole paper records (in catalog order, or in the order of ``ids``), results included."""
    cur = store.cursor()
    sql = """
        SELECT p.id, p.title, p.published, p.year, p.authors, p.authors_count, p.url, p.arxiv,
               p.code, pt.tags, p.abstract, p.notes, p.file, p.line
        FROM papers p JOIN paper_tags pt ON pt.id = p.id
    """
    params: list[Any] = []
    if ids is not None:
        sql += (
            " JOIN (SELECT unnest($1::VARCHAR[]) AS id, generate_subscripts($1::VARCHAR[], 1) AS rank) q"
            " ON q.id = p.id ORDER BY q.rank"
        )
        params = [ids]
    else:
        sql += " ORDER BY p.position"
    rows = cur.execute(sql, params).fetchall()
    wanted = [r[0] for r in rows]
    pair_rows = cur.execute(
        "SELECT paper_id, x, y FROM tradeoffs WHERE paper_id IN (SELECT unnest($1::VARCHAR[]))", [wanted]
    ).fetchall()
    result_rows = cur.execute(
        "SELECT paper_id, result_no, method, setting, baseline, evidence, source, objective, value, mode, "
        "benchmark, source_at, source_row, claim "
        "FROM results WHERE paper_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY paper_id, result_no, rowid",
        [wanted],
    ).fetchall()
    condition_rows = cur.execute(
        "SELECT paper_id, result_no, key, value FROM conditions "
        "WHERE paper_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY paper_id, result_no, rowid",
        [wanted],
    ).fetchall()
    tradeoffs: dict[str, list[list[str]]] = {}
    for pid, x, y in pair_rows:
        tradeoffs.setdefault(pid, []).append([x, y])
    results: dict[str, dict[int, ResultRecord]] = {}
    for (
        pid,
        no,
        method,
        setting,
        baseline,
        evidence,
        source,
        objective,
        value,
        mode,
        bid,
        at,
        row,
        claim,
    ) in result_rows:
        record = results.setdefault(pid, {}).setdefault(
            no,
            {
                "method": method,
                "setting": setting,
                "conditions": {},
                "baseline": baseline,
                "values": {},
                "evidence": evidence,
                "source": source,
                "at": at,
                "row": row,
            },
        )
        form: RecordValue = json.loads(claim) if claim else value if mode == "absolute" else {mode: value}
        record["values"][axis_key(objective, bid)] = form
    for pid, no, key, value in condition_rows:
        results[pid][no]["conditions"][key] = value
    out: list[PaperRecord] = []
    for r in rows:
        out.append(
            {
                "id": r[0],
                "title": r[1],
                "published": r[2],
                "year": r[3],
                "authors": list(r[4] or []),
                "authors_count": r[5],
                "url": r[6],
                "arxiv": r[7],
                "code": list(r[8] or []),
                "tags": list(r[9] or []),
                "abstract": r[10],
                "notes": r[11],
                "tradeoffs": tradeoffs.get(r[0], []),
                "results": [results[r[0]][k] for k in sorted(results.get(r[0], {}))],
                "file": r[12],
                "line": r[13],
            }
        )
    return out


def summaries(store: Store, ids: list[str]) -> dict[str, tuple[str, int | None]]:
    """The title and year of each of ``ids``, by id; unknown ids are left out."""
    rows = (
        store.cursor()
        .execute("SELECT id, title, year FROM papers WHERE id IN (SELECT unnest($1::VARCHAR[]))", [ids])
        .fetchall()
    )
    return {pid: (title, year) for pid, title, year in rows}
