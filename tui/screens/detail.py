"""One paper, whole: what it is, its abstract with each number's evidence highlighted, its results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from catalog.text import printable, squash_space

if TYPE_CHECKING:
    from tui.app import TradeoffsApp

EVIDENCE_STYLE = "bold reverse"


def highlighted_abstract(abstract: str, evidence: list[str]) -> Text:
    """The abstract with each evidence fragment highlighted (matching across line wrapping)."""
    flat = squash_space(printable(abstract))
    text = Text(flat)
    for fragment in evidence:
        wanted = squash_space(printable(fragment))
        start = flat.find(wanted)
        while wanted and start != -1:
            text.stylize(EVIDENCE_STYLE, start, start + len(wanted))
            start = flat.find(wanted, start + len(wanted))
    return text


def _value(value: Any) -> str:
    if isinstance(value, dict):
        ((mode, number),) = value.items()
        sign = "+" if number > 0 and mode in ("difference", "percent") else ""
        return f"{sign}{number:g}{'%' if mode == 'percent' else ''}{'x' if mode == 'ratio' else ''} ({mode})"
    return f"{value:g}"


class DetailScreen(Screen[None]):
    """A paper: title, authors, date, tags, links, abstract, results, pairs, note."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("b", "bookmark", "Bookmark"),
        Binding("n", "note", "Note"),
        Binding("o", "open_link", "Open link"),
    ]

    app: TradeoffsApp  # type: ignore[assignment]

    def __init__(self, paper: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paper = paper

    def compose(self) -> ComposeResult:
        p = self.paper
        with VerticalScroll(id="detail"):
            yield Static(Text(printable(p["title"]), style="bold"), id="detail-title")
            yield Static(self.meta_line(), id="detail-meta")
            yield Static(
                highlighted_abstract(p.get("abstract") or "(no abstract)", self.evidence()), id="abstract"
            )
            yield DataTable(id="results", cursor_type="row", show_cursor=False)
            yield Static(self.pairs_line(), id="detail-pairs")
            yield Static(self.note_text(), id="detail-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns("Method", "Setting", "Values", "Baseline", "From")
        for r in self.paper["results"]:
            values = ", ".join(f"{k} {_value(v)}" for k, v in r["values"].items())
            table.add_row(
                printable(r["method"]),
                printable(r.get("setting") or ""),
                values,
                printable(r.get("baseline") or ""),
                "abstract" if r.get("evidence") else printable(r.get("source") or ""),
            )
        if not self.paper["results"]:
            table.display = False

    def evidence(self) -> list[str]:
        return [r["evidence"] for r in self.paper["results"] if r.get("evidence")]

    def meta_line(self) -> Text:
        p = self.paper
        who = (
            f"{len(p['authors'])} authors: " + ", ".join(p["authors"])
            if p["authors"]
            else (f"{p['authors_count']} authors" if p.get("authors_count") else "authors not listed")
        )
        parts = [who, p.get("published") or "date not given"]
        if p["tags"]:
            parts.append("tags: " + ", ".join(p["tags"]))
        links = self.links()
        if links:
            parts.append("links (o opens): " + "  ".join(links))
        if self.app.user_state.is_bookmarked(p["id"]):
            parts.append("★ bookmarked")
        return Text(printable("  ·  ".join(parts)))

    def pairs_line(self) -> Text:
        pairs = ", ".join(f"{x}:{y}" for x, y in self.paper["tradeoffs"]) or "none given"
        return Text(printable(f"Objective pairs studied: {pairs}"))

    def note_text(self) -> Text:
        note = self.app.user_state.notes.get(self.paper["id"])
        return Text(printable(f"Your note: {note}") if note else "No note yet: press n to write one.")

    def links(self) -> list[str]:
        p = self.paper
        arxiv = [f"https://arxiv.org/abs/{p['arxiv']}"] if p.get("arxiv") else []
        return list(dict.fromkeys([*([p["url"]] if p.get("url") else []), *arxiv, *p["code"]]))

    def refresh_marks(self) -> None:
        """Show the current bookmark and note."""
        self.query_one("#detail-meta", Static).update(self.meta_line())
        self.query_one("#detail-note", Static).update(self.note_text())

    def action_bookmark(self) -> None:
        self.app.toggle_bookmark(self.paper["id"])
        self.refresh_marks()

    def action_note(self) -> None:
        self.app.edit_note(self.paper["id"], on_saved=self.refresh_marks)

    def action_open_link(self) -> None:
        links = self.links()
        if links:
            self.app.open_url(links[0])
            self.notify(f"Opening {links[0]}")
        else:
            self.notify("This paper has no link.", severity="warning")
