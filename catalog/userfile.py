"""The user's own JSON files (``state.json``, ``views.json``): read strictly, moved aside when they
cannot be read, changed under a lock, and written atomically.

A file that holds something other than it should is never silently emptied: it is moved to a
name of its own beside it, and the caller gets a message saying so, for the user. Each field is
read as the type it must have, never coerced, and a wrong one is named. A save writes a
temporary file, flushed to disk, then renamed over the old one, so a crash mid-save leaves the
previous version whole; two programs changing one file take turns under its lock, each reading
it afresh, so one's change never overwrites the other's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from catalog.atomic import write_atomic

T = TypeVar("T")


class NotValid(ValueError):
    """The file holds something other than it should; the message says what is wrong."""


def json_object(raw: bytes) -> dict[str, Any]:
    """The JSON object a file's bytes hold; ``NotValid`` says why when they hold none."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotValid("it is not UTF-8 text") from None
    except RecursionError:
        raise NotValid("it is nested too deeply") from None
    except ValueError as err:
        raise NotValid(f"it is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise NotValid("it is not a JSON object")
    return data


def field(data: Mapping[str, Any], key: str, default: Any, ok: Callable[[Any], bool], rule: str) -> Any:
    """``data[key]`` (``default`` when absent) when ``ok`` holds for it; else ``NotValid``, saying
    ``"KEY must RULE"`` (``rule``: ``"be a text"``)."""
    value = data.get(key, default)
    if not ok(value):
        raise NotValid(f"{key} must {rule}")
    return value


def is_text(value: Any) -> bool:
    """Whether ``value`` is a JSON string."""
    return isinstance(value, str)


def is_text_or_null(value: Any) -> bool:
    """Whether ``value`` is a JSON string or null."""
    return value is None or isinstance(value, str)


def load(
    path: Path, parse: Callable[[bytes], T], empty: Callable[[], T], *, being: str, without: str
) -> tuple[T, str | None]:
    """What the file at ``path`` holds (``empty()`` when there is none), and a message when it
    could not be read or was not valid and was moved aside.

    Args:
        path: The file.
        parse: Reads the file's bytes; raises ``NotValid`` saying what is wrong.
        empty: What there is when there is no file, or none that can be used.
        being: What the file should be, as the message says it was not ("valid state").
        without: What the program goes on without when it cannot read the file ("saved state").
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty(), None
    except OSError as err:
        return empty(), f"could not read {path}: {err.strerror}; starting without {without}"
    try:
        return parse(raw), None
    except NotValid as err:
        aside = move_aside(path)
        return empty(), f"{path} was not {being} ({err}); it was moved to {aside}, and a new one started"


def move_aside(path: Path) -> Path:
    """Move an unreadable file to a name of its own, never over an earlier one."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        aside = path.with_name(f"{path.stem}.corrupt-{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}")
        try:
            os.link(path, aside)  # fails when the name is taken: nothing is overwritten
        except FileExistsError:
            continue
        except OSError:
            if aside.exists():
                continue
            os.replace(path, aside)  # a file system without hard links
            return aside
        path.unlink()
        return aside
    raise OSError(f"no free name to move {path} aside")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the file at ``path`` (``.NAME.lock`` beside it, its folder made if need
    be) while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.stem}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically, readable by the user alone: the old file
    stays whole until the new one is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2).encode(), private=True)
    # A save cut short by a killed process leaves its temporary file; clear old ones away
    # (recent ones may belong to another instance saving right now).
    for leftover in path.parent.glob(f".{path.name}.*"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 60:
                leftover.unlink()
