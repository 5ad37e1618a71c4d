"""Catalog text on its way to a widget: shown as written, never read as markup or obeyed.

Textual reads a ``str`` given to a widget, an option or a notification as markup: a title
``[@click=app.quit]x[/]`` would become a link that quits, a stray ``[/]`` an error. And a
control character in a rich ``Text`` reaches the terminal as it is. So every piece of catalog
text (and anything quoting it: a message, a file name) goes to a widget through ``plain``, or
``plain_lines`` where its line breaks are meant; to a notification through ``notify_plain``; text
Textual only takes as markup (the command palette's help) goes through ``markup_free``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.markup import escape
from textual.widget import Widget

from catalog.text import one_line, printable


def plain(text: str) -> Text:
    """``text`` as a widget shows it: as written, on one line (control characters, tabs and line
    breaks shown as escapes), never markup."""
    return Text(one_line(text))


def plain_lines(text: str) -> Text:
    """``text`` as a widget shows it, keeping its line breaks (a note, a message of several lines)."""
    return Text(printable(text))


def markup_free(text: str) -> str:
    """``text`` for a place that reads markup and takes nothing else: escaped, so it shows as written."""
    return escape(one_line(text))


def notify_plain(node: App[Any] | Widget, message: str, **kwargs: Any) -> None:
    """Notify the user of ``message`` as written: on one line, control characters escaped, never
    markup (``kwargs``: ``notify``'s title, severity and timeout)."""
    node.notify(one_line(message), **kwargs, markup=False)
