"""One paper, whole: what it is, its abstract with each number's evidence highlighted, its results.

Links come from the catalog, which is data anyone can write: only ``http://`` and ``https://``
links are handed to the browser. A ``file:`` or ``javascript:`` link is named as not opened.
"""

from __future__ import annotations

import webbrowser
from typing import Any
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from catalog.claims import describe
from catalog.query.records import PaperRecord
from catalog.text import printable, squash_space
from tui.screens.base import SessionScreen
from tui.session import Session
from tui.table import plural
from tui.widgets.plain import notify_plain, plain, plain_lines

EVIDENCE_STYLE = "bold reverse"
#: The only kinds of link ``o`` hands to the browser.
WEB_SCHEMES = ("http", "https")


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


def browser_found() -> bool:
    """Whether this machine has a web browser to open links in (``webbrowser`` finds one)."""
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def is_web_link(link: str) -> bool:
    """Whether ``link`` is an ``http(s)://`` address with a host, safe to hand to a browser."""
    if link != printable(link) or any(char.isspace() for char in link):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:  # such as an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


class DetailScreen(SessionScreen):
    """A paper: title, authors, date, tags, links, abstract, results, pairs, note.

    Args:
        session: The explorer, the user's state and what can be done with them.
        paper: The paper's whole record.
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Back", tooltip="back to the list"),
        Binding("q", "dismiss", "Back", show=False, tooltip="back to the list, as escape does"),
        Binding("b", "bookmark", "Bookmark", tooltip="bookmark this paper (again: remove the bookmark)"),
        Binding("n", "note", "Note", tooltip="write a note on this paper (ctrl+s saves it)"),
        Binding(
            "o",
            "open_link",
            "Open link",
            tooltip="open the paper's first http or https link in the browser",
        ),
    ]

    def __init__(self, session: Session, paper: PaperRecord, **kwargs: Any) -> None:
        super().__init__(session, **kwargs)
        self.paper = paper
        """The paper shown."""

    def compose(self) -> ComposeResult:
        p = self.paper
        with VerticalScroll(id="detail"):
            yield Static(plain(p["title"]), id="detail-title")
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
            values = ", ".join(f"{k} {describe(v)}" for k, v in r["values"].items())
            setting = [text] if (text := r["setting"]) else []
            setting += [f"{key}={value}" for key, value in r.get("conditions", {}).items()]
            source = " · ".join(part for part in (r["source"], r["at"]) if part is not None)
            table.add_row(
                plain(r["method"]),
                plain(", ".join(setting)),
                plain(values),
                plain(r.get("baseline") or ""),
                plain("abstract" if r.get("evidence") else source),
            )
        if not self.paper["results"]:
            table.display = False

    def evidence(self) -> list[str]:
        """The evidence of every result that quotes the abstract."""
        return [evidence for r in self.paper["results"] if (evidence := r["evidence"])]

    def meta_line(self) -> Text:
        """Authors, date, tags, links and whether the paper is bookmarked, on one line."""
        p = self.paper
        count = p.get("authors_count")
        if p["authors"]:
            who = f"{plural(len(p['authors']), 'author')}: " + ", ".join(p["authors"])
        else:
            who = plural(count, "author") if count else "authors not listed"
        parts = [who, p.get("published") or "date not given"]
        if p["tags"]:
            parts.append("tags: " + ", ".join(p["tags"]))
        links = self.links()
        if links:
            parts.append("links (o opens): " + "  ".join(links))
        if self.session.is_bookmarked(p["id"]):
            parts.append("★ bookmarked")
        return plain("  ·  ".join(parts))

    def pairs_line(self) -> Text:
        """The objective pairs the paper says it studies."""
        pairs = ", ".join(":".join(pair) for pair in self.paper["tradeoffs"]) or "none given"
        return plain(f"Objective pairs studied: {pairs}")

    def note_text(self) -> Text:
        """The user's note, or how to write one."""
        note = self.session.note(self.paper["id"])
        return plain_lines(f"Your note: {note}" if note else "No note yet: press n to write one.")

    def links(self) -> list[str]:
        """The paper's links, each once: its address, its arXiv page, its code."""
        p = self.paper
        url = [p["url"]] if p["url"] else []
        arxiv = [f"https://arxiv.org/abs/{p['arxiv']}"] if p["arxiv"] else []
        return list(dict.fromkeys([*url, *arxiv, *p["code"]]))

    def refresh_marks(self) -> None:
        """Show the current bookmark and note."""
        self.query_one("#detail-meta", Static).update(self.meta_line())
        self.query_one("#detail-note", Static).update(self.note_text())

    def action_bookmark(self) -> None:
        """Bookmark this paper, or remove its bookmark."""
        self.toggle_bookmark(self.paper["id"])
        self.refresh_marks()

    def action_note(self) -> None:
        """Write a note on this paper."""
        self.edit_note(self.paper["id"], on_saved=self.refresh_marks)

    def action_open_link(self) -> None:
        """Open the first web link; name the links that are not web links, unopened."""
        links = self.links()
        if not links:
            notify_plain(self, "This paper has no link.", severity="warning")
            return
        refused = [link for link in links if not is_web_link(link)]
        if refused:
            notify_plain(
                self,
                "Not opened (only http and https links open): " + "  ".join(refused),
                severity="warning",
                timeout=10,
            )
        web = [link for link in links if is_web_link(link)]
        if web and not browser_found():
            notify_plain(
                self,
                f"No web browser found to open it; the link: {web[0]}",
                severity="warning",
                timeout=15,
            )
        elif web:
            self.app.open_url(web[0])
            notify_plain(self, f"Opening {web[0]}")
