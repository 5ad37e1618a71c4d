"""Write records in the formats people take elsewhere: CSV, JSON, JSON Lines, Markdown, BibTeX, YAML, Parquet.

One registry of formats (``FORMATS``) serves the command line's choices, the app's export
dialog and the writing itself. Records are the plain dicts of ``catalog.query``: papers (with
their results) or the points of a pair. The YAML of papers is the catalog format itself, so an
export validates and loads back to the same catalog. Whatever goes wrong while writing comes
back as one ``ExportError`` naming the user's path.

Importing this module loads no database or YAML library: the command line reads the
registry to build its options before it knows whether it will export at all.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from catalog.atomic import write_atomic, write_atomic_from
from catalog.errors import OS_REASONS, ExportError, os_reason
from catalog.model import Benchmark, Objective
from catalog.text import latex_text, markdown_text, one_line

if TYPE_CHECKING:
    import yaml

    from catalog.store.store import Store

Records = Sequence[Mapping[str, Any]]

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
    """A whole number as an integer where a float holds it exactly; -0 and larger ones stay floats."""
    negative_zero = value == 0 and math.copysign(1.0, value) < 0
    if float(value).is_integer() and abs(value) < 2**53 and not negative_zero:
        return int(value)
    return value


def _clean_paper(record: Mapping[str, Any]) -> dict[str, Any]:
    """A paper record with only catalog fields, empty ones left out, whole numbers as integers."""
    out: dict[str, Any] = {}
    for key in _PAPER_KEYS:
        value = record.get(key)
        if value is None or value == []:
            continue
        if key == "results":
            value = [_clean_result(r) for r in value]
        out[key] = value
    return out


_RESULT_KEYS = ("method", "setting", "conditions", "baseline", "values", "evidence", "source", "at", "row")


def _clean_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """A result as the catalog writes it: empty fields left out, a repository place as a mapping."""
    out: dict[str, Any] = {}
    for key in _RESULT_KEYS:
        value = result.get(key)
        if value is None or value == {}:
            continue
        if key == "values":
            value = {axis: _plain_value(v) for axis, v in value.items()}
        elif key == "at":
            value = _place(value)
        out[key] = value
    return out


def _place(at: str) -> str | dict[str, str]:
    """Where a source was read, as a catalog file writes it: a URL, or its repo, path and commit."""
    if at.startswith(("https://", "http://")):
        return at
    repo, _, rest = at.partition("@")
    commit, _, path = rest.partition(":")
    return {"repo": repo, "path": path, "commit": commit}


def _plain_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain_value(inner) for inner in value]
    return _number(value)


_JSON_RAW_CONTROL = re.compile(r"[\x7f-\x9f]")


def _finite(value: Any) -> Any:
    """``value`` with every NaN and infinity in it (in lists, tuples and mappings) as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as strict JSON that any terminal can be shown: every control character escaped
    (C0 as JSON escapes them, DEL and C1 as ``\\u007f``-``\\u009f``, which ``json`` leaves
    raw), NaN and infinities as ``null`` (they are not JSON), and values JSON has no type for
    (dates, decimals) as their text. Loads back to the same text."""
    try:  # the common case, a value with no NaN or infinity in it, in one pass
        text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False, default=str)
    except ValueError:
        text = json.dumps(_finite(value), ensure_ascii=False, indent=indent, allow_nan=False, default=str)
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _flat(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record with lists joined and nested values as JSON, for tabular formats."""
    out = {}
    for key, value in record.items():
        if (
            key in ("results", "values")
            or isinstance(value, dict)
            or (isinstance(value, list) and value and isinstance(value[0], (list, dict)))
        ):
            out[key] = json_text(value)
        elif isinstance(value, list):
            out[key] = "; ".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def to_csv(records: Records, columns: Sequence[str] | None = None) -> str:
    """Comma-separated values with a header (``columns``, or every key of the records); nested
    values as JSON, lists joined by '; '."""
    rows = [_flat(r) for r in records]
    buffer = io.StringIO()
    fields = list(columns) if columns is not None else list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(records: Records) -> str:
    """A JSON array (as ``json_text`` writes JSON)."""
    return json_text(list(records), indent=2) + "\n"


def to_jsonl(records: Records) -> str:
    """One JSON object per line (as ``json_text`` writes JSON)."""
    return "".join(json_text(r) + "\n" for r in records)


def _md_cell(value: Any) -> str:
    """A table cell showing ``value`` as written: its markup escaped, its line breaks as spaces."""
    text = "" if value is None else str(value)
    return markdown_text(text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))


def to_markdown(records: Records, columns: list[str]) -> str:
    """A Markdown table of ``columns``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for r in records:
        flat = _flat(r)
        lines.append("| " + " | ".join(_md_cell(flat.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _bib_escape(text: str) -> str:
    return latex_text(text, bibtex=True)


_BIB_URL_UNSAFE = re.compile(r"[{}\\\s\x00-\x1f\x7f-\x9f]")


def _bib_url(text: str) -> str:
    """A URL (or an arXiv id) for a BibTeX field, which takes it as it is: the characters that
    would unbalance or break the field (braces, backslashes, spaces, controls) percent-encoded."""
    return _BIB_URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


def to_bibtex(papers: Records) -> str:
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
            fields += [("eprint", _bib_url(p["arxiv"])), ("archivePrefix", "arXiv")]
        if p.get("url"):
            fields.append(("url", _bib_url(p["url"])))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@misc{{{p['id']},\n{body}\n}}\n")
    return "\n".join(entries)


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """A YAML dumper writing floats in plain decimal notation, the only one the catalog reader accepts."""
    import yaml

    class CatalogDumper(yaml.SafeDumper):
        pass

    def represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
        text = format(Decimal(repr(value)), "f")
        # A whole number written without a point would read back as an integer, so YAML quotes it.
        return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # Double quotes write every control character and line break as an escape (\e, \n),
        # so the text loads back the same and shows on a terminal as written.
        style = '"' if value != one_line(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    CatalogDumper.add_representer(float, represent_float)
    CatalogDumper.add_representer(str, represent_str)
    return CatalogDumper


def _dump_yaml(document: Any) -> str:
    import yaml

    return yaml.dump(document, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)


def to_catalog_yaml(
    papers: Records, objectives: Mapping[str, Objective], benchmarks: Mapping[str, Benchmark] | None = None
) -> str:
    """The papers (and the objectives and benchmarks vocabularies) as a catalog file."""
    vocab = {}
    for o in objectives.values():
        entry: dict[str, Any] = {"label": o.label, "better": o.better}
        if o.unit:
            entry["unit"] = o.unit
        if o.kind:
            entry["kind"] = o.kind
        if o.aliases:
            entry["aliases"] = list(o.aliases)
        if o.per_benchmark:
            entry["per_benchmark"] = True
        vocab[o.id] = entry
    document: dict[str, Any] = {"objectives": vocab}
    if benchmarks:
        document["benchmarks"] = {
            b.id: {
                "label": b.label,
                **({"aliases": list(b.aliases)} if b.aliases else {}),
                **({"url": b.url} if b.url else {}),
            }
            for b in benchmarks.values()
        }
    document["papers"] = [_clean_paper(p) for p in papers]
    return _dump_yaml(document)


def to_yaml(records: Records) -> str:
    """Plain YAML records (for points, which are not catalog papers)."""
    return _dump_yaml([dict(r) for r in records])


def write_parquet(records: Records, target: Path) -> None:
    """Write ``records`` to a Parquet file through DuckDB (nested values keep their structure),
    atomically: DuckDB writes a temporary file beside ``target``, which then replaces it (or,
    for a device, a pipe or a file with several names, is copied into it)."""
    rows = _rows_file(records, target)
    try:
        write_atomic_from(target, lambda partial: _copy_to_parquet(rows, bool(records), partial, target))
    finally:
        os.unlink(rows)


def _rows_file(records: Records, target: Path) -> str:
    """The records as JSON Lines in a file of the system's temporary folder, for DuckDB to read."""
    try:
        fd, rows = tempfile.mkstemp(suffix=".jsonl", prefix="tradeoffs-export-")
    except OSError as err:
        raise ExportError(_temporary_failure(target, err)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(to_jsonl(records))
    except OSError as err:
        os.unlink(rows)
        raise ExportError(_temporary_failure(target, err)) from None
    return rows


def _temporary_failure(target: Path, err: OSError) -> str:
    reason, _ = os_reason(err)
    return (
        f"cannot write {target}: the temporary folder {tempfile.gettempdir()} cannot take the rows "
        f"on their way to DuckDB ({reason}); free some space there, or set TMPDIR to another folder"
    )


def _copy_to_parquet(rows: str, any_rows: bool, partial: Path, target: Path) -> None:
    """Have DuckDB write the rows in ``rows`` as Parquet to ``partial``; its failure comes back
    as an ``OSError`` (when DuckDB says which) or an ``ExportError`` naming ``target``."""
    import duckdb

    con = duckdb.connect()
    try:
        if any_rows:
            con.execute("CREATE TABLE t AS SELECT * FROM read_json(?, format='newline_delimited')", [rows])
        else:
            con.execute("CREATE TABLE t (empty VARCHAR)")
        # COPY takes no parameter for its target; the path is quoted as an SQL string literal.
        con.execute(f"COPY t TO '{str(partial).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    except duckdb.Error as err:
        raise _duckdb_failure(str(err), partial, target) from None
    finally:
        con.close()


_DUCKDB_ERRNO = re.compile(r'"errno"\s*:\s*"?(\d+)')


def _duckdb_failure(message: str, partial: Path, target: Path) -> Exception:
    """DuckDB's failure to write ``partial`` as the error of writing ``target``: an ``OSError``
    when DuckDB names the system's error (so it reads like any other), else an ``ExportError``."""
    found = _DUCKDB_ERRNO.search(message)
    if found:
        code = int(found.group(1))
        return OSError(code, os.strerror(code))
    for code in OS_REASONS:
        if os.strerror(code) in message:
            return OSError(code, os.strerror(code))
    first = message.splitlines()[0].replace(str(partial), str(target)) if message else "no reason given"
    return ExportError(f"cannot write {target}: DuckDB could not write the Parquet file ({first})")


def is_dataset_target(output: str) -> bool:
    """Whether ``-o OUTPUT`` names a folder (ending in ``/`` or one that exists): a Parquet
    export there is the catalog's tables as a dataset, not one file of records."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def write_dataset(store: Store, target: Path, paper_ids: Sequence[str] | None = None) -> None:
    """Write the catalog of ``store`` (the papers ``paper_ids``, None: all) as a Parquet
    dataset at the folder ``target``, atomically (``catalog.store.dataset``). Raises
    ``ExportError`` naming ``target``."""
    from catalog.store.dataset import write_dataset as write_tables

    write_tables(store.path, target, paper_ids)


PAPER_TABLE_COLUMNS = ["id", "title", "published", "tags", "tradeoffs"]
POINT_TABLE_COLUMNS = ["paper_id", "method", "x", "y", "on_frontier", "title"]


@dataclass(frozen=True)
class Vocabulary:
    """The catalog's objectives and benchmarks, which a catalog file of papers carries along."""

    objectives: Mapping[str, Objective]
    benchmarks: Mapping[str, Benchmark]


TextWriter = Callable[[Records, bool, Vocabulary], str]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, the file extension it takes, and how it is written.

    A text format has ``text`` (records, whether they are points, the vocabulary -> text) and
    can go to standard output; a binary one has only ``to_file`` and needs a file.
    ``escapes_controls``: the format writes control characters as escapes itself (JSON,
    YAML), so its text can go to a terminal as it is; the others keep them raw.
    """

    name: str
    extension: str
    description: str
    text: TextWriter | None = None
    to_file: Callable[[Records, Path], None] | None = None
    escapes_controls: bool = False

    @property
    def needs_file(self) -> bool:
        """Whether the format can only be written to a file."""
        return self.text is None


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", "csv", "comma-separated values", lambda r, p, o: to_csv(r)),
        ExportFormat("json", "json", "a JSON array", lambda r, p, o: to_json(r), escapes_controls=True),
        ExportFormat(
            "jsonl",
            "jsonl",
            "JSON Lines, one record per line",
            lambda r, p, o: to_jsonl(r),
            escapes_controls=True,
        ),
        ExportFormat(
            "md",
            "md",
            "a Markdown table",
            lambda r, p, o: to_markdown(r, POINT_TABLE_COLUMNS if p else PAPER_TABLE_COLUMNS),
        ),
        ExportFormat("bibtex", "bib", "BibTeX entries of the papers", lambda r, p, o: to_bibtex(r)),
        ExportFormat(
            "yaml",
            "yaml",
            "YAML; papers as a catalog file",
            lambda r, p, v: to_yaml(r) if p else to_catalog_yaml(r, v.objectives, v.benchmarks),
            escapes_controls=True,
        ),
        ExportFormat("parquet", "parquet", "Apache Parquet (needs a file)", to_file=write_parquet),
    )
}

#: The format used when none is asked for.
DEFAULT_FORMAT = "json"


def format_names() -> list[str]:
    """Every export format's name, in the order they are offered."""
    return list(FORMATS)


def gather(
    store: Store,
    fmt: str,
    pair: str | None,
    paper_ids: list[str] | None,
    frontier_only: bool = False,
    conditions: Sequence[tuple[str, str]] = (),
) -> tuple[list[dict[str, Any]], bool]:
    """What an export writes: the pair's points (or, for BibTeX, their papers), or the papers.

    A pair's exact points come first, then its qualified ones (``x_said``, ``x_low``...);
    ``conditions`` keep only the points measured under them. Returns the records and whether
    they are points. Raises ``QueryError`` for an unknown pair.
    """
    from catalog.query.pairs import parse_pair
    from catalog.query.papers import papers
    from catalog.query.points import points, qualified

    if pair:
        x, y = parse_pair(store, pair)
        found: list[Any] = points(store, x, y, paper_ids, frontier_only=frontier_only, conditions=conditions)
        if not frontier_only:  # qualified points are never on it
            found += qualified(store, x, y, paper_ids, conditions)
        if fmt != "bibtex":
            return [dict(r) for r in found], True
        return [dict(p) for p in papers(store, list(dict.fromkeys(r["paper_id"] for r in found)))], False
    records: list[dict[str, Any]] = []
    for paper in papers(store, paper_ids):
        record = dict(paper)
        record.pop("file", None)
        record.pop("line", None)
        records.append(record)
    return records, False


def write(
    fmt: str,
    records: Records,
    *,
    points: bool,
    objectives: Mapping[str, Objective],
    benchmarks: Mapping[str, Benchmark] | None = None,
    target: Path | None,
) -> str | None:
    """Write ``records`` in ``fmt`` atomically to ``target`` (returns None), or return the text
    when there is no target. Raises ``ExportError`` with a plain message naming ``target``."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if target is not None and target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder; name a file in it")
    if chosen.text is None:
        to_file = chosen.to_file
        if target is None or to_file is None:
            raise ExportError(f"{fmt} is a binary format: give a file to write it to")
        _writing(target, lambda: to_file(records, target))
        return None
    text = chosen.text(records, points, Vocabulary(objectives, benchmarks or {}))
    if target is None:
        return text
    _writing(target, lambda: write_atomic(target, text.encode()))
    return None


def _writing(target: Path, action: Callable[[], None]) -> None:
    """Run ``action``, which writes ``target``; its failure becomes an ``ExportError`` naming it."""
    try:
        action()
    except OSError as err:
        if isinstance(err, FileNotFoundError) and not target.parent.exists():
            raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist") from None
        raise ExportError(failure(str(target), err)) from None


def failure(name: str, err: OSError) -> str:
    """The one-line message of failing to write ``name``: ``cannot write NAME: what; what to do``."""
    reason, advice = os_reason(err)
    return f"cannot write {name}: {reason}" + (f"; {advice}" if advice else "")


def emit(text: str, stream: TextIO) -> None:
    """Write ``text`` to ``stream`` (standard output) and flush it; a failure (a full disk)
    becomes an ``ExportError`` naming standard output. A broken pipe is left to the caller.

    A real file's bytes go straight to its descriptor, so a failed write leaves nothing in
    Python's buffer to fail again, with a traceback, when the program exits.
    """
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = -1
    try:
        if fd < 0:
            stream.write(text)
            stream.flush()
            return
        stream.flush()
        data = text.encode(stream.encoding or "utf-8", stream.errors or "strict")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BrokenPipeError:
        raise
    except UnicodeEncodeError:
        raise ExportError(
            f"cannot write standard output: it takes {stream.encoding} text and the export has other "
            "characters; set PYTHONIOENCODING=utf-8, or write to a file with -o FILE"
        ) from None
    except OSError as err:
        reason, advice = os_reason(err)
        raise ExportError(
            f"cannot write standard output: {reason}; {advice or 'write it elsewhere'} (-o FILE)"
        ) from None
