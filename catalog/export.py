"""Write records in the formats people take elsewhere: CSV, JSON, JSON Lines, Markdown, BibTeX, YAML, Parquet.

One module serves the command line and the app. Records are the plain dicts of
``catalog.query``: papers (with their results) or the points of a pair. The YAML of papers is
the catalog format itself, so an export validates and loads back to the same catalog.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from catalog import query
from catalog.atomic import write_atomic
from catalog.model import Objective
from catalog.store import Store

_PAPER_KEYS = (
    "id",
    "title",
    "published",
    "authors",
    "authors_count",
    "url",
    "arxiv",
    "code",
    "tags",
    "abstract",
    "tradeoffs",
    "results",
    "notes",
)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _clean_paper(record: dict[str, Any]) -> dict[str, Any]:
    """A paper record with only catalog fields, empty ones left out, whole numbers as integers."""
    out: dict[str, Any] = {}
    for key in _PAPER_KEYS:
        value = record.get(key)
        if value is None or value == []:
            continue
        if key == "results":
            value = [
                {
                    k: ({o: _plain_value(v) for o, v in r["values"].items()} if k == "values" else r[k])
                    for k in ("method", "setting", "baseline", "values", "evidence", "source")
                    if r.get(k) is not None
                }
                for r in value
            ]
        out[key] = value
    return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {mode: _number(n) for mode, n in value.items()}
    return _number(value)


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A record with lists joined and nested values as JSON, for tabular formats."""
    out = {}
    for key, value in record.items():
        if key in ("results", "values") or (
            isinstance(value, list) and value and isinstance(value[0], (list, dict))
        ):
            out[key] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list):
            out[key] = "; ".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def to_csv(records: list[dict[str, Any]]) -> str:
    """Comma-separated values with a header; nested values as JSON, lists joined by '; '."""
    rows = [_flat(r) for r in records]
    buffer = io.StringIO()
    fields = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(records: list[dict[str, Any]]) -> str:
    """A JSON array."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(records: list[dict[str, Any]]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(records: list[dict[str, Any]], columns: list[str]) -> str:
    """A Markdown table of ``columns``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for r in records:
        flat = _flat(r)
        lines.append("| " + " | ".join(_md_cell(flat.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _bib_escape(text: str) -> str:
    for char in "\\&%$#_":
        text = text.replace(char, "\\" + char)
    return text.replace("{", "\\{").replace("}", "\\}")


def to_bibtex(papers: list[dict[str, Any]]) -> str:
    """One ``@misc`` entry per paper (papers repeated in the records appear once)."""
    entries, seen = [], set()
    for p in papers:
        if p["id"] in seen:
            continue
        seen.add(p["id"])
        fields = [("title", "{" + _bib_escape(p["title"]) + "}")]
        if p.get("authors"):
            fields.append(("author", " and ".join(_bib_escape(a) for a in p["authors"])))
        if p.get("year"):
            fields.append(("year", str(p["year"])))
        if p.get("arxiv"):
            fields += [("eprint", p["arxiv"]), ("archivePrefix", "arXiv")]
        if p.get("url"):
            fields.append(("url", p["url"]))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@misc{{{p['id']},\n{body}\n}}\n")
    return "\n".join(entries)


class _CatalogDumper(yaml.SafeDumper):
    """Writes floats in plain decimal notation, the only one the catalog reader accepts."""


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    text = format(Decimal(repr(value)), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_CatalogDumper.add_representer(float, _represent_float)


def to_catalog_yaml(papers: list[dict[str, Any]], objectives: dict[str, Objective]) -> str:
    """The papers (and the objectives vocabulary) as a catalog file."""
    vocab = {}
    for o in objectives.values():
        entry: dict[str, Any] = {"label": o.label, "better": o.better}
        if o.unit:
            entry["unit"] = o.unit
        if o.kind:
            entry["kind"] = o.kind
        if o.aliases:
            entry["aliases"] = list(o.aliases)
        vocab[o.id] = entry
    document = {"objectives": vocab, "papers": [_clean_paper(p) for p in papers]}
    return yaml.dump(document, Dumper=_CatalogDumper, sort_keys=False, allow_unicode=True, width=100)


def to_yaml(records: list[dict[str, Any]]) -> str:
    """Plain YAML records (for points, which are not catalog papers)."""
    return yaml.dump(records, Dumper=_CatalogDumper, sort_keys=False, allow_unicode=True, width=100)


def write_parquet(records: list[dict[str, Any]], target: Path) -> None:
    """Write ``records`` to a Parquet file through DuckDB (nested values keep their structure)."""
    fd, name = tempfile.mkstemp(suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(to_jsonl(records))
        con = duckdb.connect()
        try:
            if records:
                con.execute(
                    "CREATE TABLE t AS SELECT * FROM read_json(?, format='newline_delimited')", [name]
                )
            else:
                con.execute("CREATE TABLE t (empty VARCHAR)")
            con.execute(f"COPY t TO '{_sql_path(target)}' (FORMAT parquet)")
        finally:
            con.close()
    finally:
        os.unlink(name)


def _sql_path(path: Path) -> str:
    # COPY takes no parameter for its target; the path is quoted as an SQL string literal.
    return str(path).replace("'", "''")


PAPER_TABLE_COLUMNS = ["id", "title", "published", "tags", "tradeoffs"]
POINT_TABLE_COLUMNS = ["paper_id", "method", "x", "y", "on_frontier", "title"]


def render(fmt: str, records: list[dict[str, Any]], *, points: bool, objectives: dict[str, Objective]) -> str:
    """``records`` as text in ``fmt`` (every format but Parquet, which is binary)."""
    if fmt == "csv":
        return to_csv(records)
    if fmt == "json":
        return to_json(records)
    if fmt == "jsonl":
        return to_jsonl(records)
    if fmt == "md":
        return to_markdown(records, POINT_TABLE_COLUMNS if points else PAPER_TABLE_COLUMNS)
    if fmt == "bibtex":
        return to_bibtex(records)
    if fmt == "yaml":
        return to_yaml(records) if points else to_catalog_yaml(records, objectives)
    raise ValueError(f"unknown text format {fmt!r}")


def gather(
    store: Store, fmt: str, pair: str | None, paper_ids: list[str] | None, frontier_only: bool = False
) -> tuple[list[dict[str, Any]], bool]:
    """What an export writes: the pair's points (or, for BibTeX, their papers), or the papers.

    Returns the records and whether they are points. Raises ``QueryError`` for an unknown pair.
    """
    if pair:
        x, y = query.parse_pair(store, pair)
        records = query.points(store, x, y, paper_ids, frontier_only=frontier_only)
        if fmt != "bibtex":
            return records, True
        return query.papers(store, list(dict.fromkeys(r["paper_id"] for r in records))), False
    records = query.papers(store, paper_ids)
    for record in records:
        del record["file"], record["line"]
    return records, False


def write(
    store: Store, fmt: str, records: list[dict[str, Any]], points: bool, target: Path | None
) -> str | None:
    """Write ``records`` atomically to ``target`` (returns None), or return the text when no target."""
    if fmt == "parquet":
        if target is None:
            raise ValueError("parquet needs a file to write to")
        write_parquet(records, target)
        return None
    text = render(fmt, records, points=points, objectives=store.objectives)
    if target is None:
        return text
    write_atomic(target, text.encode())
    return None
