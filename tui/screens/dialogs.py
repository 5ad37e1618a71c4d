"""Small screens over the main one: pick a pair, write a note, export; and the loading and problems
screens shown before there is a catalog. (The help is in ``tui.screens.help``.)"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from catalog import export
from catalog.errors import Problem
from catalog.query.pairs import PairRow, swapped
from tui.table import plural
from tui.widgets.plain import notify_plain, plain, plain_lines

#: The format the export dialog offers first.
FIRST_FORMAT = "csv"


def _counts(pair: PairRow) -> str:
    """How many points a pair has, its qualified ones apart, and from how many papers."""
    loose = f" (+{pair.qualified:,} qualified)" if pair.qualified else ""
    return f"{plural(pair.points, 'point')}{loose}, {plural(pair.papers, 'paper')}"


class PairPicker(ModalScreen[str | None]):
    """Choose an objective pair; type to filter by objective, label or kind."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, pairs: list[PairRow], current: str | None) -> None:
        super().__init__()
        self.pairs = pairs
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Label("Pick an objective pair (type to filter, enter to choose)", classes="dialog-title")
            yield Input(placeholder="objective, label or kind…", id="pair-filter")
            yield OptionList(id="pair-options")
            yield Footer()

    def on_mount(self) -> None:
        self.show_matches("")

    def show_matches(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        pairs = self.pairs
        if text.strip():
            keys = [f"{p.spec} {p.label} {p.kinds}" for p in pairs]
            found = process.extract(
                text, keys, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=60, limit=None
            )
            # A pair written out (either way round) comes first, then those it begins, then the
            # fuzzy matches by score.
            typed = text.strip().lower()

            def rank(match: tuple[str, float, int]) -> tuple[bool, bool, float, int]:
                spec = pairs[match[2]].spec.lower()
                exact = typed in (spec, (swapped(spec) or "").lower())
                return (not exact, not spec.startswith(typed), -match[1], match[2])

            pairs = [pairs[i] for _, _, i in sorted(found, key=rank)]
        options.add_options(
            Option(
                plain(f"{p.spec}  ·  {p.label}  ·  {_counts(p)}"),
                id=p.spec,
            )
            for p in pairs
        )
        if pairs:
            options.highlighted = 0
        if not self.pairs:
            options.add_option(Option("No pair with points among the listed papers.", disabled=True))

    @on(Input.Changed, "#pair-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show_matches(event.value)

    @on(Input.Submitted, "#pair-filter")
    def filter_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled and option.id:
                typed = self.query_one("#pair-filter", Input).value.strip().lower()
                reverse = swapped(option.id)
                # Written the other way round: plotted as written.
                self.dismiss(reverse if reverse and typed == reverse.lower() else option.id)

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class AnswerDialog(ModalScreen[None]):
    """An answer in a few lines of words, closed with escape."""

    BINDINGS = [Binding("escape,q,w", "dismiss(None)", "Close")]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.heading = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="answer"):
            yield Label(plain(self.heading), classes="dialog-title")
            yield Static(plain_lines("\n".join(self.lines)), id="answer-text")
            yield Footer()


class ChoiceDialog(ModalScreen[str | None]):
    """Choose one of a few words (``enter``), or none (``escape``)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = title
        self.choices = list(choices)
        """Each choice: what it gives back, and how the list says it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.heading), classes="dialog-title")
            yield OptionList(*(Option(plain(said), id=value) for value, said in self.choices))
            yield Footer()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class AskDialog(ModalScreen[str | None]):
    """Ask for a line of text (``enter`` gives it, ``escape`` gives none)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.heading = title
        self.placeholder = placeholder
        self.value = value
        """What the box holds to begin with (a suggestion to take or change)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.heading), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="ask")
            yield Footer()

    @on(Input.Submitted)
    def given(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class NoteDialog(ModalScreen[str | None]):
    """Write or edit the note of a paper."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(f"Note on: {self.paper_title}"), classes="dialog-title")
            yield TextArea(self.note, id="note-text")
            yield Footer()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class ExportDialog(ModalScreen[tuple[str, str, bool] | None]):
    """Choose a format and a file for what is on screen (and, for a pair, whether only its
    frontier). The path starts as a file in the current folder, written out whole, so it says
    where it goes; a file that exists is replaced only when asked twice."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, what: str, for_pair: bool = False, folder: Path | None = None) -> None:
        super().__init__()
        self.what = what
        self.for_pair = for_pair
        self.folder = folder or Path.cwd()
        self._replace: str | None = None
        """The path the user was warned exists; asking again for it replaces it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(f"Export {self.what}"), classes="dialog-title")
            yield Select(
                [(f"{f.name}: {f.description}", f.name) for f in export.FORMATS.values()],
                value=FIRST_FORMAT,
                allow_blank=False,
                id="export-format",
            )
            yield Input(
                str(self.folder / f"tradeoffs.{export.FORMATS[FIRST_FORMAT].extension}"),
                placeholder="file name, e.g. frontier.csv",
                id="export-path",
            )
            if self.for_pair:
                yield Checkbox("Only the frontier's points", id="export-frontier")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed)
    def format_changed(self, event: Select.Changed) -> None:
        """Give the file name the chosen format's extension."""
        path = self.query_one("#export-path", Input)
        stem = path.value.rsplit(".", 1)[0] if path.value else str(self.folder / "tradeoffs")
        path.value = f"{stem}.{export.FORMATS[str(event.value)].extension}"

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def go(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            notify_plain(self, "Name the file to write.", severity="warning")
            return
        if Path(path).expanduser().is_file() and self._replace != path:
            self._replace = path
            notify_plain(self, f"{path} exists: export again to replace it.", severity="warning")
            return
        frontier = self.for_pair and self.query_one("#export-frontier", Checkbox).value
        self.dismiss((str(self.query_one(Select).value), path, frontier))

    @on(Button.Pressed, "#export-cancel")
    def cancel(self) -> None:
        self.dismiss(None)


class LoadingScreen(Screen[None]):
    """Shown while the catalog is read and built.

    The spinner comes only when that takes a while: drawing it takes time from the thread
    doing the reading (a fifth of a warm start at 100,000 papers, in a terminal).
    """

    #: Seconds before the spinner shows.
    SPINNER_AFTER = 5.0

    def __init__(self) -> None:
        super().__init__()
        self.typed = ""
        """What was typed meanwhile: the first search, once the catalog is open."""

    def compose(self) -> ComposeResult:
        with Vertical(id="loading"):
            yield Label("Opening the catalog…", id="loading-message")
            yield Label("", id="loading-typed")

    def on_mount(self) -> None:
        self.set_timer(self.SPINNER_AFTER, self._spin)

    def on_key(self, event: events.Key) -> None:
        """Typing at launch searches, even before the catalog is open: letters are kept for the
        search box, never taken as commands (``q`` in "quantization" does not quit)."""
        if event.key == "backspace":
            self.typed = self.typed[:-1]
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        said = f"search: {self.typed}" if self.typed else ""
        self.query_one("#loading-typed", Label).update(plain(said))

    def _spin(self) -> None:
        self.query_one("#loading", Vertical).mount(LoadingIndicator(), before=0)

    def progress(self, message: str) -> None:
        """Say what is happening."""
        self.query_one("#loading-message", Label).update(plain(message))


class ProblemsScreen(Screen[None]):
    """The catalog's problems, each with its place, and what to do: because nothing could be
    loaded (``left_out`` False: leaving quits), or listing the files left out of the loaded
    catalog (leaving goes back to it)."""

    BINDINGS = [Binding("q,escape", "leave", "Back")]

    def __init__(self, problems: Sequence[Problem], left_out: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = list(problems)
        self.left_out = left_out

    def action_leave(self) -> None:
        """Back to the catalog, or quit when there is none."""
        if self.left_out:
            self.dismiss(None)
        else:
            self.app.exit()

    def compose(self) -> ComposeResult:
        files = len({p.file for p in self.problems})
        if self.left_out:
            title = (
                f"{plural(files, 'file')} with {plural(len(self.problems), 'problem')} left out; "
                "every other file is loaded. Fix them (tradeoffs validate lists the same); "
                "escape goes back."
            )
        else:
            title = (
                f"The catalog has {plural(len(self.problems), 'problem')}; nothing was loaded. "
                "Fix them (tradeoffs validate lists the same) and start again."
            )
        yield Label(title, id="problems-title")
        with VerticalScroll(id="problems"):
            yield Static(Text("\n").join(plain(str(p)) for p in self.problems))
        yield Footer()
