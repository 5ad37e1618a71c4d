"""The help: every key, from the bindings that define them, and the search box's filters."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KeySection, help_text

#: What the search box understands besides words, as the help shows it.
FILTERS = (
    'tag:quantization   tag:"LLM compression"   year:2024   year:2023-2025',
    "pair:fid:latency   is:bookmarked",
)


class HelpScreen(ModalScreen[None]):
    """The keys and the search filters.

    Args:
        sections: The keys to list, by where they work; each section's bindings say them.
    """

    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = list(sections)
        """The keys listed, by where they work."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(self.text())

    def text(self) -> Text:
        """The keys of every section, then the filters of the search box."""
        text = help_text(self.sections)
        text.append("\n")
        text.append("Filters in the search box", style="bold")
        text.append("\n\n")
        for line in FILTERS:
            text.append(f"  {line}\n")
        return text
