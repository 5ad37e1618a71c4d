"""What the main and the detail screen share: a session, their palette commands, bookmarks and notes.

A screen is given the ``Session`` when it is made and never reaches for the app: it asks the
session, tells the user what happened with Textual's own ``notify``, and opens its dialogs
itself. So it can be mounted in a test with a session of its own and no ``TradeoffsApp``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from catalog.store.store import is_damage
from tui.keys import palette_commands
from tui.screens.dialogs import NoteDialog
from tui.session import NotSaved, Saved, Session
from tui.widgets.plain import notify_plain

#: What the user is told when a worker of a screen fails unexpectedly, by worker group.
#: (Expected failures, such as a file that cannot be written, are said by the worker itself.)
FAILED: dict[str, str] = {
    "export": "Export failed",
    "paper": "Could not open the paper",
    "note-title": "Could not open the note",
    "search": "Search failed",
    "frontier": "Could not draw the plot",
    "pairs": "Could not list the pairs",
    "why": "Could not explain the point",
    "claims": "Could not draw the claims map",
    "budgets": "Could not read the frontier at those budgets",
    "bundle": "Could not write the bundle",
}


class SessionScreen(Screen[None]):
    """A screen over a ``Session``, offering each of its described bindings in the command palette.

    Args:
        session: The explorer, the user's state and what can be done with them.
    """

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        """The explorer, the user's state and what can be done with them."""

    def palette_commands(self) -> Iterator[SystemCommand]:
        """A palette command for each of this screen's bindings that has a description."""
        yield from palette_commands(self, self.BINDINGS)

    # Telling the user ---------------------------------------------------------------

    def tell(self, saved: Saved[Any]) -> None:
        """Say what a change to the saved state did, warning first when the file was moved aside."""
        if saved.moved_aside:
            notify_plain(self, saved.moved_aside, title="State file", severity="warning", timeout=15)
        if saved.said:
            notify_plain(self, saved.said)

    class CacheDamaged(Message):
        """A query found the catalog's cache damaged: whoever holds the catalog builds it again."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Say so when a worker failed in a way it did not expect, instead of closing the app;
        a damaged cache is not the user's to fix: it is built again."""
        if event.state == WorkerState.ERROR and is_damage(event.worker.error or Exception()):
            self.post_message(self.CacheDamaged())
            return
        failed = FAILED.get(event.worker.group)
        if failed and event.state == WorkerState.ERROR:
            notify_plain(self, f"{failed}: {event.worker.error}", severity="error", timeout=10)

    # Bookmarks and notes ------------------------------------------------------------

    def toggle_bookmark(self, paper_id: str) -> bool | None:
        """Bookmark ``paper_id`` or remove its bookmark; whether it is bookmarked now (None: the
        state could not be saved, and nothing changed)."""
        try:
            saved = self.session.toggle_bookmark(paper_id)
        except NotSaved as err:
            notify_plain(self, str(err), severity="error", timeout=10)
            return None
        self.tell(saved)
        return saved.value

    def edit_note(self, paper_id: str, on_saved: Callable[[], None] | None = None) -> None:
        """Open the note editor on ``paper_id`` (once its title is read); the note is saved
        when the editor is saved, then ``on_saved`` runs."""
        self.look_up_title(self.session, paper_id, on_saved)

    @work(thread=True, exclusive=True, group="note-title", name="note title", exit_on_error=False)
    def look_up_title(self, session: Session, paper_id: str, on_saved: Callable[[], None] | None) -> None:
        """Read the paper's title off the UI thread, then open the editor."""
        title = session.explorer.title(paper_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._open_note, paper_id, title, on_saved)

    def _open_note(self, paper_id: str, title: str, on_saved: Callable[[], None] | None) -> None:
        if not self.is_current:  # the user moved on while the title was read
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                saved = self.session.set_note(paper_id, text)
            except NotSaved as err:
                notify_plain(self, str(err), severity="error", timeout=10)
                return
            self.tell(saved)
            if on_saved:
                on_saved()

        self.app.push_screen(NoteDialog(title, self.session.note(paper_id)), done)
