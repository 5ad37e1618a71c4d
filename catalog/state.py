"""The user's own data: bookmarks, notes, and the last query and pair, kept between sessions.

Saved as JSON under the user data folder, atomically (a temporary file, flushed to disk, then
renamed over the old one), so a crash mid-save leaves the previous version whole. A file that
cannot be read as state is moved aside, never silently emptied, and the caller is told (the
reading, moving and writing are ``catalog.userfile``'s, shared with the saved views).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from catalog import userfile
from catalog.paths import state_dir
from catalog.userfile import is_text, is_text_or_null

STATE_FILE = "state.json"
T = TypeVar("T")


@dataclass
class UserState:
    """What the user keeps: bookmarked paper ids, a note per paper, the last view, and the
    pairs whose frontier is joined by its hull (two of their points can be mixed)."""

    bookmarks: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    last_query: str = ""
    last_pair: str | None = None
    hull_pairs: list[str] = field(default_factory=list)

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

    def set_hull(self, pair: str, hull: bool) -> bool:
        """Join ``pair``'s frontier by its hull, or by its steps again; returns ``hull``."""
        if hull and pair not in self.hull_pairs:
            self.hull_pairs.append(pair)
        elif not hull and pair in self.hull_pairs:
            self.hull_pairs.remove(pair)
        return hull


def state_path() -> Path:
    """Where the state lives."""
    return state_dir() / STATE_FILE


def load_state(path: Path | None = None) -> tuple[UserState, str | None]:
    """The saved state, and a message when the file was unreadable and moved aside."""
    return userfile.load(path or state_path(), _parsed, UserState, being="valid state", without="saved state")


def _parsed(raw: bytes) -> UserState:
    """The state a file's bytes hold; each field of the type it must have, never coerced."""
    data = userfile.json_object(raw)
    bookmarks = userfile.field(data, "bookmarks", [], _texts, "be a list of paper ids")
    notes = userfile.field(data, "notes", {}, _notes, "map paper ids to texts")
    last_query = userfile.field(data, "last_query", "", is_text, "be a text")
    last_pair = userfile.field(data, "last_pair", None, is_text_or_null, "be a text or null")
    hull_pairs = userfile.field(data, "hull_pairs", [], _texts, "be a list of pairs")
    return UserState(list(bookmarks), dict(notes), last_query, last_pair, list(hull_pairs))


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(b, str) for b in value)


def _notes(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


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
    with userfile.locked(path):
        state, moved_aside = load_state(path)
        result = change(state)
        save_state(state, path)
    return Updated(state, result, moved_aside)


def save_state(state: UserState, path: Path | None = None) -> None:
    """Write ``state`` atomically: the old file stays whole until the new one is complete."""
    userfile.write_json(path or state_path(), asdict(state))
