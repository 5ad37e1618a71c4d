"""A user's SQL over the catalog, bounded in time and memory, and stopped by an interrupt.

DuckDB has no statement timeout, and its ``memory_limit`` bounds its buffers, not every
allocation (``repeat('x', 2000000000)`` passes it). So the query runs in a thread of its own
while this one waits: past the time limit, or on Ctrl-C, the connection is interrupted, which
stops even a recursive query that never ends. Memory is bounded by the process's data size
(``RLIMIT_DATA``) while the query runs: an allocation past it fails as out of memory, in DuckDB
or in Python, instead of growing until the system kills the process. (The catalog's connection
is locked down, so DuckDB's own ``memory_limit`` cannot be changed on it.)
"""

from __future__ import annotations

import contextlib
import resource
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.errors import QueryError

if TYPE_CHECKING:  # the command line reads the defaults below before it needs DuckDB
    import duckdb

    from catalog.store.store import Store

#: How long a query may run, and how much memory it may take, unless the user says otherwise.
DEFAULT_SECONDS = 60
DEFAULT_MEGABYTES = 2048
_EXAMPLE = "SELECT count(*) FROM papers"


class SqlError(Exception):
    """The query failed, was refused, or went past a limit; the message says which, plainly."""


@dataclass(frozen=True)
class Answer:
    """A query's columns and rows."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_sql(
    store: Store, query: str, *, seconds: float = DEFAULT_SECONDS, megabytes: int = DEFAULT_MEGABYTES
) -> Answer:
    """Run ``query`` on the catalog's read-only connection, within ``seconds`` and ``megabytes``.

    Raises ``QueryError`` for an empty query, ``SqlError`` for a refused or failed one and one
    past a limit, and ``KeyboardInterrupt`` (after stopping the query) when the user interrupts.
    """
    import duckdb

    cursor = store.cursor()
    try:
        if not cursor.extract_statements(query):
            raise QueryError(f"the query is empty: give one, as in tradeoffs sql {_EXAMPLE!r}")
    except duckdb.Error as err:
        raise SqlError(_said(err)) from None
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def work() -> None:
        try:
            found = cursor.execute(query)
            columns = [d[0] for d in found.description or []] if found is not None else []
            outcome["answer"] = Answer(columns, found.fetchall() if columns and found is not None else [])
        except BaseException as err:  # handed to the waiting thread, which raises it there
            outcome["error"] = err
        finally:
            finished.set()

    # The wait is on an event, not ``Thread.join``: a join cut short by Ctrl-C can report the
    # thread finished while it still runs, and the process then aborts on its way out.
    with _data_limit(megabytes):
        threading.Thread(target=work, name="tradeoffs-sql", daemon=True).start()
        try:
            if not finished.wait(seconds):
                cursor.interrupt()
                finished.wait()
                raise SqlError(
                    f"the query ran past the time limit of {seconds:g} s and was stopped: "
                    "raise it with --timeout SECONDS"
                )
        except KeyboardInterrupt:
            cursor.interrupt()
            finished.wait(5)
            raise
    error = outcome.get("error")
    if error is not None:
        raise _translated(error, megabytes) from None
    answer: Answer = outcome["answer"]
    return answer


def _translated(error: BaseException, megabytes: int) -> BaseException:
    """The worker's failure as the user should read it (a damaged cache as it is: the caller
    builds it again)."""
    import duckdb

    from catalog.store.store import is_damage

    if is_damage(error):
        return error
    if isinstance(error, duckdb.OutOfMemoryException | MemoryError):
        return SqlError(
            f"the query needs more than the memory limit of {megabytes:,} MB and was stopped: "
            "raise it with --memory MB"
        )
    if isinstance(error, duckdb.InterruptException):
        return KeyboardInterrupt()
    if isinstance(error, duckdb.Error):
        message = _said(error)
        if "read-only" in message or "read only" in message:
            return SqlError(
                "the catalog is read-only: sql runs queries (SELECT ...), it does not change data; "
                "edit the YAML files to change the catalog"
            )
        return SqlError(f"SQL error: {message}")
    return error


def _said(error: duckdb.Error) -> str:
    """DuckDB's words for ``error``, whole (a value it quotes may hold a line break, which the
    message shows escaped), without the picture of the query it may draw under them."""
    return str(error).split("\n\nLINE ", 1)[0].strip() or "no reason given"


@contextlib.contextmanager
def _data_limit(megabytes: int) -> Any:
    """Let the process's data grow by at most ``megabytes`` while the query runs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    wanted = _data_size() + megabytes * 2**20
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY:
        wanted = min(wanted, soft)
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    except (OSError, ValueError):
        yield  # a system that will not set it: the time limit still holds
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_size() -> int:
    """The process's data size now, in bytes (0 where the system does not say)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0
