"""Read many catalog files in parallel: chunks of files to worker processes, rows back over pipes.

Workers are fresh interpreters running ``serve`` (not forks: the parent may hold DuckDB's
threads and the app's, and not ``multiprocessing``: that imports the caller's main module,
which a script or notebook may not guard). Each worker turns files into rows
(``catalog.store.rows``) and sends back their text, so the parent holds one chunk at a time.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from catalog.model import FileStat
from catalog.source.read import collector_paused
from catalog.store.rows import FileRows, file_rows

# Below this many bytes to read, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 4 << 20
_CHUNK_FILES = 64


def _read_chunk(chunk: list[tuple[FileStat, int]], fast: bool = False) -> list[FileRows]:
    """``fast``: through the fast path (``catalog.source.fast``), which only workers take: its
    parser writes to stderr about a file it refuses, and a worker's stderr goes nowhere."""
    with collector_paused():
        return [file_rows(stat, file_no, fast) for stat, file_no in chunk]


def workers_for(total_bytes: int) -> int:
    """How many worker processes are worth starting for this much to read (1: none)."""
    if total_bytes < _PARALLEL_BYTES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def read_all(
    files: list[tuple[FileStat, int]], on_progress: Callable[[int, int], None] | None = None
) -> Iterator[FileRows]:
    """Each file's rows, in the order given; with many files, read by several processes."""
    chunks = [files[i : i + _CHUNK_FILES] for i in range(0, len(files), _CHUNK_FILES)]
    workers = workers_for(sum(max(stat.size, 0) for stat, _ in files))
    results = _in_workers(chunks, workers) if workers > 1 and len(chunks) > 1 else map(_read_chunk, chunks)
    done = 0
    for chunk in results:
        done += len(chunk)
        if on_progress:
            on_progress(done, len(files))
        yield from chunk


def _in_workers(chunks: list[list[tuple[FileStat, int]]], count: int) -> Iterator[list[FileRows]]:
    """The chunks read by ``count`` worker processes, in order, each worker a chunk or two ahead.

    Chunk ``i`` goes to worker ``i % count``; pipes
    bound how far ahead they run, so memory stays flat. A worker that fails has its chunks
    read here instead.
    """
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", "from catalog.store.pool import serve; serve()"]
    procs = [
        subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        for _ in range(count)
    ]
    alive = [True] * count
    ins = [_pipe(proc.stdin) for proc in procs]
    outs = [_pipe(proc.stdout) for proc in procs]

    def send(i: int) -> None:
        if i < len(chunks) and alive[i % count]:
            try:
                pickle.dump(chunks[i], ins[i % count])
                ins[i % count].flush()
            except OSError:
                alive[i % count] = False

    try:
        for i in range(min(2 * count, len(chunks))):
            send(i)
        for i, chunk in enumerate(chunks):
            got = None
            if alive[i % count]:
                try:
                    got = pickle.load(outs[i % count])
                except (EOFError, OSError, pickle.UnpicklingError):
                    alive[i % count] = False
            send(i + 2 * count)
            yield got if got is not None else _read_chunk(chunk)
    finally:
        # Closing both pipes ends a worker whether it waits to read or to write.
        for pipe in ins + outs:
            with contextlib.suppress(OSError):
                pipe.close()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _pipe(pipe: IO[bytes] | None) -> IO[bytes]:
    assert pipe is not None  # every worker is started with both pipes
    return pipe


def serve() -> None:
    """A worker's loop: read chunks of files from stdin, write their rows to stdout, until EOF."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            chunk = pickle.load(source)
        except EOFError:
            return
        pickle.dump(_read_chunk(chunk, fast=True), sink)
        sink.flush()
