"""One person's session over a loaded catalog: what the screens are given, instead of the app.

A screen asks the session its questions (the ``Explorer``) and makes its changes through it
(bookmarks, notes, the view kept for next time, named views, exports). Nothing here imports
Textual or notifies anyone: each operation returns what happened, with the words to tell the
user, or raises with a message meant for them. So a screen can be built in a test with a
session of its own and no app, and the app is left with loading, reloading and quitting.

The bookmark, note and named view operations are quick (one small file, under a lock) and run where they
are called; ``export`` reads the catalog and writes a file, so callers run it off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from catalog import export
from catalog.query.explore import Explorer
from catalog.state import UserState, update_state
from catalog.views import View, app_command_line, load_views, save_view
from tui.table import plural

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a change to the saved state did.

    Attributes:
        value: What the change returned (for a bookmark: whether the paper is now bookmarked).
        said: What to tell the user about it ("Bookmarked."); empty when there is nothing to say.
        moved_aside: The message saying the state file on disk was unreadable and was moved
            aside, when it was: the user must be told. None when the file was fine.
    """

    value: T
    said: str
    moved_aside: str | None = None


class NotSaved(Exception):
    """The state could not be written; the message says so, for the user."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote.

    Attributes:
        records: How many records were written.
        path: The file written, as the user named it (``~`` expanded).
    """

    records: int
    path: Path

    @property
    def said(self) -> str:
        """The sentence telling the user what was written."""
        return f"Wrote {plural(self.records, 'record')} to {self.path}"


class Session:
    """The explorer over the loaded catalog, the user's state, and what can be done with them.

    Args:
        explorer: Answers questions about the loaded catalog; the app swaps it after a reload.
        state: The user's bookmarks, notes and view, as loaded.
        state_file: Where the state is saved (None: the user's state folder).
        catalog_paths: The catalog's files and folders, as the app was given them.
    """

    def __init__(
        self,
        explorer: Explorer,
        state: UserState,
        state_file: Path | None = None,
        views_file: Path | None = None,
        catalog_paths: Sequence[Path] = (),
    ) -> None:
        self.explorer = explorer
        """Answers questions about the catalog; replaced whole when the catalog is reloaded, so
        take it once per piece of work rather than keeping it."""
        self.state = state
        """The user's state as last saved, with this session's own view (``last_query`` and
        ``last_pair``, which screens set as they change). Replaced whole by every change."""
        self.state_file = state_file
        """Where the state is saved (None: the user's state folder)."""
        self.views_file = views_file
        """Where the named views are saved (None: the user's config folder)."""
        self.catalog_paths = tuple(catalog_paths)
        """The catalog's files and folders, for the command lines the app writes."""

    # Reading --------------------------------------------------------------------------

    def is_bookmarked(self, paper_id: str) -> bool:
        """Whether ``paper_id`` is bookmarked."""
        return self.state.is_bookmarked(paper_id)

    def bookmarks(self) -> list[str]:
        """The bookmarked papers' ids (a copy, safe to hand to a worker thread)."""
        return list(self.state.bookmarks)

    def note(self, paper_id: str) -> str:
        """The user's note on ``paper_id`` (empty when there is none)."""
        return self.state.notes.get(paper_id, "")

    # Changing the saved state ---------------------------------------------------------

    def toggle_bookmark(self, paper_id: str) -> Saved[bool]:
        """Bookmark ``paper_id``, or remove its bookmark, saving at once.

        Returns:
            Whether the paper is bookmarked now, and what to say.

        Raises:
            NotSaved: The state file could not be written; nothing changed.
        """
        # Toggle what this copy shows; another copy may have changed the file meanwhile.
        wanted = not self.is_bookmarked(paper_id)
        moved = self._change(lambda state: state.set_bookmark(paper_id, wanted))
        return Saved(wanted, "Bookmarked." if wanted else "Bookmark removed.", moved)

    def set_note(self, paper_id: str, text: str) -> Saved[None]:
        """Keep ``text`` as the note on ``paper_id`` (an empty text removes it), saving at once.

        Raises:
            NotSaved: The state file could not be written; nothing changed.
        """
        moved = self._change(lambda state: state.set_note(paper_id, text))
        return Saved(None, "Note saved.", moved)

    def set_hull(self, pair: str, hull: bool) -> Saved[bool]:
        """Join ``pair``'s frontier by its hull (``hull``) or by its steps, kept for next time.

        Raises:
            NotSaved: The state file could not be written; nothing changed.
        """
        moved = self._change(lambda state: state.set_hull(pair, hull))
        return Saved(hull, "", moved)

    def save_view(self) -> Saved[None]:
        """Keep this session's query and pair for next time.

        Raises:
            NotSaved: The state file could not be written.
        """
        query, pair = self.state.last_query, self.state.last_pair

        def remember(state: UserState) -> None:
            state.last_query, state.last_pair = query, pair

        return Saved(None, "", self._change(remember))

    def _change(self, change: Callable[[UserState], object]) -> str | None:
        """Apply ``change`` to the saved state, merging with what other running copies saved;
        returns the message saying the file was moved aside, if it was."""
        # The view (query, pair) is this copy's own until it quits; keep it across the merge.
        view = (self.state.last_query, self.state.last_pair)
        try:
            updated = update_state(change, self.state_file)
        except OSError as err:
            raise NotSaved(f"Could not save your bookmarks and notes: {err}") from err
        self.state = updated.state
        self.state.last_query, self.state.last_pair = view
        return updated.moved_aside

    # Named views ----------------------------------------------------------------------

    def view_names(self) -> tuple[list[str], str | None]:
        """The names views are saved under, and the message saying the views file was
        unreadable and moved aside, when it was."""
        views, moved_aside = load_views(self.views_file)
        return sorted(views), moved_aside

    def name_view(self, name: str, view: View) -> Saved[bool]:
        """Keep ``view`` as ``name``, replacing a view of that name; the value says whether one
        was replaced.

        Raises:
            NotSaved: ``name`` is not a view's name, or the file could not be written.
        """
        try:
            changed = save_view(name, view, self.views_file)
        except (ValueError, OSError) as err:  # not a name; or the file could not be written
            raise NotSaved(f"Could not save the view: {err}") from err
        done = "Replaced" if changed.existed else "Saved"
        said = f"{done} the view {name!r}: {app_command_line(name)} opens it."
        return Saved(changed.existed, said, changed.moved_aside)

    # Export ---------------------------------------------------------------------------

    def export(
        self,
        fmt: str,
        target: str,
        pair: str | None,
        paper_ids: list[str],
        conditions: tuple[tuple[str, str], ...] = (),
        frontier_only: bool = False,
    ) -> Exported:
        """Write what is on screen (the pair's points, measured under ``conditions``, or the
        listed papers) to the file ``target``.

        Slow at scale: call it from a worker thread (it takes its own database cursors).

        Raises:
            catalog.errors.QueryError: ``pair`` is not a pair the catalog can answer.
            catalog.errors.ExportError: The file could not be written; the message names it.
        """
        store = self.explorer.store
        path = Path(target).expanduser()
        records, points = export.gather(
            store, fmt, pair, paper_ids, frontier_only=frontier_only, conditions=conditions
        )
        export.write(
            fmt, records, points=points, objectives=store.objectives, benchmarks=store.benchmarks, target=path
        )
        return Exported(len(records), path)
