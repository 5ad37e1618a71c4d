"""Read catalog files into table rows, one file at a time, in parallel when there are many.

A file's rows depend on nothing but its bytes and its name, which is what makes a cache per
file possible: ``catalog.build`` keeps each file's rows with the file's size, modification
time and content hash, and reads a file again only when those change. Rows are produced as
newline-delimited JSON text, ready for DuckDB's ``read_json``; workers send that text back,
never Python objects per paper, so the parent process holds one chunk of files at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.load import collector_paused, read_file
from catalog.model import FileStat, Objective, Paper, Problem

#: The tables filled from files, with their columns' types in order.
TABLES: dict[str, list[str]] = {
    "papers": [
        "VARCHAR",  # id
        "BIGINT",  # position
        "VARCHAR",  # title
        "VARCHAR",  # published
        "INTEGER",  # year
        "VARCHAR[]",  # authors
        "INTEGER",  # authors_count
        "VARCHAR",  # url
        "VARCHAR",  # arxiv
        "VARCHAR[]",  # code
        "VARCHAR",  # abstract
        "VARCHAR",  # notes
        "VARCHAR",  # file
        "INTEGER",  # line
    ],
    "tags": ["VARCHAR", "VARCHAR"],
    "tradeoffs": ["VARCHAR", "VARCHAR", "VARCHAR"],
    "results": [
        "VARCHAR",  # paper_id
        "INTEGER",  # result_no
        "VARCHAR",  # method
        "VARCHAR",  # setting
        "VARCHAR",  # baseline
        "VARCHAR",  # evidence
        "VARCHAR",  # source
        "INTEGER",  # line
        "VARCHAR",  # objective
        "DOUBLE",  # value
        "VARCHAR",  # mode
        "BIGINT",  # point
    ],
}

#: Papers are ordered as their files are, then as they stand in their file: a paper's position
#: is its file's number times this, plus its place in the file (a 32 MiB file holds fewer).
PAPERS_PER_FILE = 1 << 24
#: Each result (the values reported together) has a number of its own, its ``point``: its
#: file's number times this, plus its place among the file's results. An integer key makes
#: pairing the values of a result several times faster than (paper id, result number).
POINTS_PER_FILE = 1 << 32

# Below this many bytes to read, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 4 << 20
_CHUNK_FILES = 64


@dataclass
class FileRows:
    """What one file contributes: its rows as JSON lines per table, its objectives, its problems."""

    stat: FileStat
    sha: str = ""
    problems: list[Problem] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)


def content_hash(data: bytes) -> str:
    """The content hash kept per file, to tell an edit from a touch."""
    return hashlib.sha256(data).hexdigest()


def json_line(values: tuple | list) -> str:
    """One row as a line of JSON with columns c0, c1, ... (what ``read_json`` is told to expect)."""
    return json.dumps({f"c{i}": v for i, v in enumerate(values)}, ensure_ascii=False)


def paper_rows(paper: Paper, position: int, first_point: int) -> dict[str, list[str]]:
    """The JSON lines of one paper, per table; its results are numbered from ``first_point``."""
    p = paper
    head = (p.id, position, p.title, p.published, p.year, list(p.authors), p.authors_count, p.url)
    rest = (p.arxiv, list(p.code), p.abstract, p.notes, p.file, p.line)
    return {
        "papers": [json_line(head + rest)],
        "tags": [json_line((p.id, t)) for t in dict.fromkeys(p.tags)],
        "tradeoffs": [json_line((p.id, x, y)) for x, y in p.tradeoffs],
        "results": [
            json_line(
                (
                    p.id,
                    n,
                    r.method,
                    r.setting,
                    r.baseline,
                    r.evidence,
                    r.source,
                    r.line,
                    v.objective,
                    v.number,
                    v.mode,
                    first_point + n,
                )
            )
            for n, r in enumerate(p.results)
            for v in r.values
        ],
    }


def ingest(stat: FileStat, file_no: int) -> FileRows:
    """Read, check and turn one file into rows. Never raises for bad content."""
    out = FileRows(stat)
    content, data = read_file(Path(stat.path), stat.display)
    if data is not None:
        out.sha = content_hash(data)
    out.problems = content.problems
    out.objectives = [objective for objective, _ in content.objectives]
    lines: dict[str, list[str]] = {table: [] for table in TABLES}
    point = file_no * POINTS_PER_FILE
    for n, paper in enumerate(content.papers):
        for table, rows in paper_rows(paper, file_no * PAPERS_PER_FILE + n, point).items():
            lines[table].extend(rows)
        point += len(paper.results)
    out.rows = {table: "".join(f"{row}\n" for row in rows) for table, rows in lines.items() if rows}
    return out


def _ingest_chunk(chunk: list[tuple[FileStat, int]]) -> list[FileRows]:
    with collector_paused():
        return [ingest(stat, file_no) for stat, file_no in chunk]


def workers_for(total_bytes: int) -> int:
    """How many worker processes are worth starting for this much to read (1: none)."""
    if total_bytes < _PARALLEL_BYTES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def ingest_all(
    files: list[tuple[FileStat, int]], on_progress: Callable[[int, int], None] | None = None
) -> Iterator[FileRows]:
    """Each file's rows, in the order given; with many files, read by several processes."""
    chunks = [files[i : i + _CHUNK_FILES] for i in range(0, len(files), _CHUNK_FILES)]
    workers = workers_for(sum(max(stat.size, 0) for stat, _ in files))
    results = _in_workers(chunks, workers) if workers > 1 and len(chunks) > 1 else map(_ingest_chunk, chunks)
    done = 0
    for chunk in results:
        done += len(chunk)
        if on_progress:
            on_progress(done, len(files))
        yield from chunk


def _in_workers(chunks: list[list[tuple[FileStat, int]]], count: int) -> Iterator[list[FileRows]]:
    """The chunks read by ``count`` worker processes, in order, each worker a chunk or two ahead.

    Workers are fresh interpreters running ``serve`` (not forks: the parent may hold DuckDB's
    threads and the app's, and not ``multiprocessing``: that imports the caller's main module,
    which a script or notebook may not guard). Chunk ``i`` goes to worker ``i % count``; pipes
    bound how far ahead they run, so memory stays flat. A worker that fails has its chunks
    read here instead.
    """
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", "from catalog.ingest import serve; serve()"]
    procs = [
        subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        for _ in range(count)
    ]
    alive = [True] * count

    def send(i: int) -> None:
        if i < len(chunks) and alive[i % count]:
            try:
                pickle.dump(chunks[i], procs[i % count].stdin)
                procs[i % count].stdin.flush()
            except OSError:
                alive[i % count] = False

    try:
        for i in range(min(2 * count, len(chunks))):
            send(i)
        for i, chunk in enumerate(chunks):
            proc = procs[i % count]
            got = None
            if alive[i % count]:
                try:
                    got = pickle.load(proc.stdout)
                except (EOFError, OSError, pickle.UnpicklingError):
                    alive[i % count] = False
            send(i + 2 * count)
            yield got if got is not None else _ingest_chunk(chunk)
    finally:
        # Closing both pipes ends a worker whether it waits to read or to write.
        for proc in procs:
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def serve() -> None:
    """A worker's loop: read chunks of files from stdin, write their rows to stdout, until EOF."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            chunk = pickle.load(source)
        except EOFError:
            return
        pickle.dump(_ingest_chunk(chunk), sink)
        sink.flush()
