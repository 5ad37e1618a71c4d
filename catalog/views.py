"""Views: what the app shows, as plain data, named and kept so a researcher can share what they see.

A view is the query, the pair, the log scales, hull or staircase, the ``--by`` grouping, the
as-of date and the selected point (a paper, and one of its methods). ``command_line`` writes the
``tradeoffs plot`` command line that shows it, quoted so that a POSIX shell hands every value
back exactly; ``app_command_line`` the one that opens it in the app once it has a name.

Named views are kept in ``views.json`` in the user's config folder, read as strictly as the
state (``catalog.userfile``: a file that is not valid is moved aside with a message, never
silently emptied, and a field of the wrong type is named) and changed under a lock, each save
atomic.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from catalog import userfile
from catalog.paths import config_dir
from catalog.text import date_parts
from catalog.userfile import NotValid, is_text, is_text_or_null

VIEWS_FILE = "views.json"

#: What a view's name may be: letters, digits, ``-``, ``_`` and ``.``, 1 to 64 of them.
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_RULE = "a view's name is 1 to 64 letters, digits, '-', '_' or '.'"

T = TypeVar("T")


@dataclass(frozen=True)
class View:
    """What the app shows, as the command line can say it.

    Attributes:
        pair: The pair plotted, ``X:Y`` as written, or None.
        query: The query (the search box's words and filters); empty: every paper.
        as_of: Drawn as of this date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or None: today.
        log_x: Whether the x axis is logarithmic.
        log_y: Whether the y axis is logarithmic.
        hull: Whether the frontier is joined by its convex hull rather than its steps.
        by: The ``--by`` grouping (``paper``, ``tag`` or a condition), or None.
        paper: The selected point's paper id, or None.
        method: The selected point's method, as the point names it (None: the paper alone).
    """

    pair: str | None = None
    query: str = ""
    as_of: str | None = None
    log_x: bool = False
    log_y: bool = False
    hull: bool = False
    by: str | None = None
    paper: str | None = None
    method: str | None = None

    @property
    def point(self) -> str | None:
        """The selected point as ``--explain`` takes it: ``PAPER/METHOD``, ``PAPER``, or None."""
        if self.paper is None:
            return None
        return f"{self.paper}/{self.method}" if self.method is not None else self.paper


FIELDS = tuple(f.name for f in fields(View))


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a view's name, or None when it is one."""
    if NAME.fullmatch(name):
        return None
    return f"{NAME_RULE}, not {name!r}"


def _option(option: str, value: str) -> str:
    """``--option VALUE``, quoted for the shell; ``--option=VALUE`` when the value starts with
    ``-``, which the command line would otherwise take for an option of its own."""
    quoted = shlex.quote(value)
    return f"{option}={quoted}" if value.startswith("-") else f"{option} {quoted}"


def command_line(view: View) -> str | None:
    """The ``tradeoffs plot`` command line that shows ``view`` (None when it has no pair, which
    a plot needs): options in a fixed order, each value quoted for a POSIX shell, so that
    pasting it hands the command the very query, pair and date the view holds.

    The selected point has no plot option; ``tradeoffs frontier X:Y --explain PAPER/METHOD``
    says what it is (and ``tradeoffs --view NAME frontier`` asks it of a saved view).
    """
    if view.pair is None:
        return None
    pair = shlex.quote(view.pair)
    # A pair written with a leading ``-`` would read as an option: it goes last, after ``--``.
    dashed = view.pair.startswith("-")
    parts = ["tradeoffs", "plot"] + ([] if dashed else [pair])
    if view.query:
        parts.append(_option("--query", view.query))
    if view.as_of is not None:
        parts.append(_option("--as-of", view.as_of))
    flags = (("--log-x", view.log_x), ("--log-y", view.log_y), ("--hull", view.hull))
    parts += [flag for flag, on in flags if on]
    if view.by is not None:
        parts.append(_option("--by", view.by))
    if dashed:
        parts += ["--", pair]
    return " ".join(parts)


def app_command_line(name: str) -> str:
    """The command line that opens the view saved as ``name`` in the app."""
    return _option("tradeoffs --view", name)


# The file ------------------------------------------------------------------------------


def views_path() -> Path:
    """Where the named views live."""
    return config_dir() / VIEWS_FILE


def load_views(path: Path | None = None) -> tuple[dict[str, View], str | None]:
    """The saved views by name, and a message when the file was unreadable and moved aside."""
    return userfile.load(
        path or views_path(), _parsed, dict, being="a valid views file", without="saved views"
    )


def _parsed(raw: bytes) -> dict[str, View]:
    """The views a file's bytes hold; each name checked, each field of the type it must have."""
    data = userfile.json_object(raw)
    named = userfile.field(data, "views", {}, lambda v: isinstance(v, dict), "be an object of views by name")
    return {name: _view(name, held) for name, held in named.items()}


_FLAG = (lambda v: isinstance(v, bool), "be true or false")
_TEXT = (is_text, "be a text")
_TEXT_OR_NULL = (is_text_or_null, "be a text or null")
_DATE = (
    lambda v: v is None or (isinstance(v, str) and date_parts(v) is not None),
    "be a date (YYYY, YYYY-MM or YYYY-MM-DD) or null",
)
_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "pair": _TEXT_OR_NULL,
    "query": _TEXT,
    "as_of": _DATE,
    "log_x": _FLAG,
    "log_y": _FLAG,
    "hull": _FLAG,
    "by": _TEXT_OR_NULL,
    "paper": _TEXT_OR_NULL,
    "method": _TEXT_OR_NULL,
}


def _view(name: str, held: Any) -> View:
    """The view saved as ``name``; ``NotValid`` names the view and the field that is wrong."""
    if problem := name_problem(name):
        raise NotValid(problem)
    if not isinstance(held, dict):
        raise NotValid(f"the view {name!r} must be an object")
    defaults = View()
    try:
        values = {key: userfile.field(held, key, getattr(defaults, key), *_KINDS[key]) for key in FIELDS}
    except NotValid as err:
        raise NotValid(f"in the view {name!r}, {err}") from None
    if values["method"] is not None and values["paper"] is None:
        raise NotValid(f"in the view {name!r}, method needs the paper it is of")
    return View(**values)


class Changed(NamedTuple):
    """What a change to the saved views did: the views as saved, whether the name was there
    before (replaced, or deleted), and the message saying the file was unreadable and moved
    aside (None when it was fine)."""

    views: dict[str, View]
    existed: bool
    moved_aside: str | None


def save_view(name: str, view: View, path: Path | None = None) -> Changed:
    """Keep ``view`` as ``name``, replacing a view of that name.

    Raises:
        ValueError: ``name`` is not a view's name (``name_problem`` says why).
        OSError: The file could not be written.
    """
    if problem := name_problem(name):
        raise ValueError(problem)

    def put(views: dict[str, View]) -> bool:
        existed = name in views
        views[name] = view
        return existed

    return _change(put, path, always=True)


def delete_view(name: str, path: Path | None = None) -> Changed:
    """Remove the view saved as ``name`` (``existed`` False when there was none: nothing changed).

    Raises:
        OSError: The file could not be written.
    """
    return _change(lambda views: views.pop(name, None) is not None, path, always=False)


def _change(change: Callable[[dict[str, View]], bool], path: Path | None, always: bool) -> Changed:
    """Apply ``change`` to the views on disk and save them (``always``, or when the name was
    there), under the file's lock: another program's change made meanwhile is kept."""
    path = path or views_path()
    with userfile.locked(path):
        views, moved_aside = load_views(path)
        existed = change(views)
        if always or existed:
            userfile.write_json(path, {"views": {name: asdict(view) for name, view in views.items()}})
    return Changed(views, existed, moved_aside)
