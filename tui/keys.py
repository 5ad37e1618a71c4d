"""The keys, said once: each screen's ``BINDINGS`` feed its footer, its palette commands and the help.

A binding with a description is an action a person can ask for: its description names it (in
the footer and as the palette command's title), its ``tooltip`` says what it does (the help
screen's line, the palette's help text) and ``key_display`` shows keys whose names are unfriendly
(``slash`` is ``/``). The README's key table is checked against the same bindings by a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tui.widgets.plain import markup_free


@dataclass(frozen=True)
class KeySection:
    """One part of the help screen: a heading, the bindings under it, and keys bound elsewhere.

    Attributes:
        title: The heading.
        bindings: Bindings; those with a description are listed, in order.
        others: Keys no binding here describes (a widget's or Textual's own), as (keys, what
            they do), listed first.
    """

    title: str
    bindings: Sequence[BindingType]
    others: Sequence[tuple[str, str]] = ()


def described(bindings: Iterable[BindingType]) -> list[Binding]:
    """The bindings that have a description (an action to offer), as ``Binding`` objects."""
    found = [b if isinstance(b, Binding) else Binding(*b) for b in bindings]
    return [b for b in found if b.description]


def key_label(binding: Binding) -> str:
    """How the help and the palette write a binding's key: its ``key_display``, or its name."""
    return binding.key_display or binding.key.replace(",", " ")


def sentence(text: str) -> str:
    """``text`` with a capital first letter (tooltips read as the end of "this key: ...")."""
    return text[:1].upper() + text[1:]


def palette_commands(node: App[Any] | Widget, bindings: Iterable[BindingType]) -> Iterator[SystemCommand]:
    """A command palette command for each described binding, running its action on ``node``.

    The title is the binding's description; the help text its tooltip, with the key (escaped:
    the palette reads it as markup, and keys such as ``[`` must show as written). Two
    bindings with one description (``escape`` and ``q``, both Back) are offered once, as the
    first.
    """
    seen: set[str] = set()
    for binding in described(bindings):
        if binding.description in seen:
            continue
        seen.add(binding.description)
        what = sentence(binding.tooltip or binding.description)
        yield SystemCommand(
            binding.description,
            markup_free(f"{what} ({key_label(binding)})"),
            partial(node.run_action, binding.action),
        )


def help_text(sections: Sequence[KeySection]) -> Text:
    """The help's key list: each section's heading, then its keys and what each does."""
    rows = [
        list(section.others)
        + [(key_label(b), b.tooltip or b.description.lower()) for b in described(section.bindings)]
        for section in sections
    ]
    width = max((len(keys) for part in rows for keys, _ in part), default=0) + 3
    text = Text()
    for number, (section, part) in enumerate(zip(sections, rows)):
        if number:
            text.append("\n")
        text.append(section.title, style="bold")
        text.append("\n\n")
        for keys, what in part:
            text.append(f"  {keys:<{width}}{what}\n")
    return text
