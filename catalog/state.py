"""The user's own data: bookmarks, notes, and the last query and pair, kept between sessions.

Saved as JSON under the user data folder, atomically (a temporary file, flushed to disk, then
renamed over the old one), so a crash mid-save leaves the previous version whole. A file that
cannot be read as state is moved aside, never silently emptied, and the caller is told.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from catalog.atomic import write_atomic
from catalog.paths import state_dir

STATE_FILE = "state.json"
T = TypeVar("T")


@dataclass
class UserState:
    """What the user keeps: bookmarked paper ids, a note per paper, the last view."""

    bookmarks: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    last_query: str = ""
    last_pair: str | None = None

    def is_bookmarked(self, paper_id: str) -> bool:
        """Whether ``paper_id`` is bookmarked."""
        return paper_id in self.bookmarks

    def set_bookmark(self, paper_id: str, marked: bool) -> bool:
        """Bookmark ``paper_id`` or remove its bookmark; returns ``marked``."""
        if marked and paper_id not in self.bookmarks:
            self.bookmarks.append(paper_id)
        elif not marked and paper_id in self.bookmarks:
            self.bookmarks.remove(paper_id)
        return marked

    def set_note(self, paper_id: str, text: str) -> None:
        """Keep ``text`` as the note of ``paper_id`` (an empty text removes it)."""
        if text.strip():
            self.notes[paper_id] = text
        else:
            self.notes.pop(paper_id, None)


def state_path() -> Path:
    """Where the state lives."""
    return state_dir() / STATE_FILE


def load_state(path: Path | None = None) -> tuple[UserState, str | None]:
    """The saved state, and a message when the file was unreadable and moved aside."""
    path = path or state_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return UserState(), None
    except OSError as err:
        return UserState(), f"could not read {path}: {err.strerror}; starting without saved state"
    try:
        return _parsed(raw), None
    except _NotState as err:
        aside = _move_aside(path)
        return (
            UserState(),
            f"{path} was not valid state ({err}); it was moved to {aside}, and a new one started",
        )


class _NotState(ValueError):
    """The file holds something other than the state; the message says what is wrong."""


def _parsed(raw: bytes) -> UserState:
    """The state a file's bytes hold; each field of the type it must have, never coerced."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _NotState("it is not UTF-8 text") from None
    except RecursionError:
        raise _NotState("it is nested too deeply") from None
    except ValueError as err:
        raise _NotState(f"it is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise _NotState("it is not a JSON object")
    bookmarks = data.get("bookmarks", [])
    if not isinstance(bookmarks, list) or not all(isinstance(b, str) for b in bookmarks):
        raise _NotState("bookmarks must be a list of paper ids")
    notes = data.get("notes", {})
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise _NotState("notes must map paper ids to texts")
    last_query = data.get("last_query", "")
    if not isinstance(last_query, str):
        raise _NotState("last_query must be a text")
    last_pair = data.get("last_pair")
    if last_pair is not None and not isinstance(last_pair, str):
        raise _NotState("last_pair must be a text or null")
    return UserState(list(bookmarks), dict(notes), last_query, last_pair)


def _move_aside(path: Path) -> Path:
    """Move an unreadable state file to a name of its own, never over an earlier one."""
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


class Updated(NamedTuple, Generic[T]):
    """What ``update_state`` did: the state as saved, what ``change`` returned, and the message
    saying the file on disk was unreadable and moved aside (None when it was fine)."""

    state: UserState
    result: T
    moved_aside: str | None


def update_state(change: Callable[[UserState], T], path: Path | None = None) -> Updated[T]:
    """Apply ``change`` to the state on disk and save it, under a lock.

    Two copies of the app each make their own changes: reading the file afresh inside the lock
    means one's bookmark never overwrites the other's. A file that turned unreadable meanwhile
    is moved aside, and the returned message says so: the caller must tell the user.
    """
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.stem}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state, moved_aside = load_state(path)
            result = change(state)
            save_state(state, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return Updated(state, result, moved_aside)


def save_state(state: UserState, path: Path | None = None) -> None:
    """Write ``state`` atomically: the old file stays whole until the new one is complete."""
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(asdict(state), ensure_ascii=False, indent=2).encode(), private=True)
    # A save cut short by a killed process leaves its temporary file; clear old ones away
    # (recent ones may belong to another instance saving right now).
    for leftover in path.parent.glob(f".{path.name}.*"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 60:
                leftover.unlink()
