"""Read a catalog file fast, for the store: rapidyaml parses it and writes JSON, ``json.loads``
makes the tree of it (``catalog.source.tree``), and the very readers of the exact path read that
tree, so there is one validator.

The fast path keeps no places but papers' and results' lines. It vouches only for a file it
reads exactly as the exact path (``catalog.source.yamlsafe``) would, and answers None for
anything else, so that the exact path reads that file and words every problem with its
``file:line:col``:

- a byte the exact path refuses or may read differently (not UTF-8, a BOM, a tab, a carriage
  return, a control character, an odd line break), and any YAML feature a catalog does not need
  (``&`` anchors, ``*`` aliases, ``!`` tags, ``%`` directives, ``?`` keys, ``---`` documents,
  block text other than ``|``, ``>``, ``|-`` and ``>-``, the reserved ``@`` and backtick)
  anywhere it could be YAML rather than text: a cheap look over the text, before parsing;
- anything rapidyaml refuses, or writes as JSON we cannot take back exactly: duplicate keys, a
  null (``~``, ``null`` and nothing read alike in JSON), text rapidyaml may have rewritten
  (``nan`` comes out as ``.nan``), a number it may have rewritten (``.5`` comes out as ``0.5``);
- a paper or result whose line cannot be found for certain (each is stored with its line);
- a table (its rows' lines are not looked for), and any problem the readers find.

Scalars keep the distinction the readers need: JSON's number and ``true``/``false`` tokens come
only from plain scalars, so they become ``Plain`` text (a number field takes them); every JSON
string is text of no known style, which a field that needs a plain scalar refuses, so that the
exact path decides.
"""

from __future__ import annotations

import functools
import json
import os
import re
from typing import Any

from catalog.source.document import parse_document
from catalog.source.reader import FileContent
from catalog.source.tree import Mapping, Node, Place, Plain

#: Whether the fast path reads at all: ``TRADEOFFS_EXACT_YAML`` set turns it off (to compare, or
#: to rule it out).
ENABLED = not os.environ.get("TRADEOFFS_EXACT_YAML")


@functools.cache
def _ryml() -> Any:
    """rapidyaml, imported when first needed (opening a built catalog never needs it), or None
    when it is not installed: the fast path is optional, the exact path reads everything."""
    try:
        import ryml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - rapidyaml is installed wherever the tests run
        return None
    return ryml


def available() -> bool:
    """Whether the fast path reads: it is enabled, and rapidyaml is installed."""
    return ENABLED and _ryml() is not None


# Anything the fast path cannot vouch for, found without parsing. Each check may also fire on
# harmless text: that file is just read exactly.
_ODD_CHARACTER = re.compile(
    "[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
# A YAML indicator counts where a token can start: at the start, after a space or a line break,
# after a flow or block indicator. Elsewhere (``Q&A``, ``2*3``, ``key:``) it is text.
_INDICATORS = "&*!%@`?:"
# (The indicator first, then a look back: a scan for rare characters is quick.)
_INDICATOR = re.compile("[&*!%@`?:](?<=[ \n\\[\\]{},:?-][&*!%@`?:])")
_BLOCK = re.compile("(?:^|[ \n\\[\\]{},:?-])[|>]")
_BLOCK_PLAIN = re.compile(r"-?(?:[ ]|$)", re.MULTILINE)


def _suspect(text: str) -> bool:
    """Whether ``text`` holds a character or a YAML feature the fast path does not read."""
    # Every odd character is one Python does not print, so text that prints needs no search.
    odd = not text.replace("\n", "").isprintable() and _ODD_CHARACTER.search(text)
    if odd or _INDICATOR.search(text) or text[:1] in _INDICATORS:
        return True
    if "|" in text or ">" in text:
        for found in _BLOCK.finditer(text):
            # Block text, but only the common kinds (``|``, ``>``, ``|-``, ``>-``) in a file ending
            # in a line break: the parsers differ on kept breaks and on an unfinished last line.
            if not text.endswith("\n") or not _BLOCK_PLAIN.match(text, found.end()):
                return True
    return text.startswith(("---", "...")) or "\n---" in text or "\n..." in text


# What rapidyaml writes as JSON and could not have read as the exact path does: a null, and text
# it may have rewritten or that the exact path reads as null. (Each looked for as plain text
# first: a substring search is much quicker than a regular expression's.)
_JSON_NULL = re.compile(r"[:,\[]\s*null\s*[,\]}]")
_JSON_ODD_TEXT = re.compile(r'"(?:~|Null|NULL|[-+]?\.(?:inf|nan))"')
_ODD_TEXT_PARTS = ('"~"', '"Null"', '"NULL"', '.inf"', '.nan"')
# Numbers written the short way (``.5``, ``5.``), which rapidyaml writes the long way (``0.5``,
# ``5.0``), and the long forms as JSON holds them: a file with both is left to the exact path.
_SHORT_NUMBER = re.compile(r"\.(?:(?<![\w.]\.)\d|(?<=\d\.)(?![\w.]))")  # the dot first: quick
_JSON_LONG_NUMBER = re.compile(r"-?(?:0\.\d+|\d+\.0)(?:[eE][-+]?\d+)?(?![\d.])")
_TRUE, _FALSE = Plain("true"), Plain("false")


class Unvouched(Exception):
    """The fast path cannot vouch for reading this file as the exact path would."""


def _mapping(pairs: list[tuple[str, Any]]) -> Mapping:
    """A JSON object as the tree's mapping: no key twice, ``true`` and ``false`` as plain text."""
    mapping = Mapping(pairs)
    if len(mapping) != len(pairs):
        raise Unvouched("a duplicate key")
    values = mapping.values()
    if True in values or False in values:  # no number is an int here: they are Plain text
        for key, value in pairs:
            if value is True or value is False:
                mapping[key] = _TRUE if value else _FALSE
    return mapping


def _json_of(data: bytes) -> str:
    """What rapidyaml writes as JSON for the YAML ``data``. It writes into a buffer of ours:
    the buffer its ``emit_json_malloc`` makes is never freed (about the file's size a file)."""
    ryml = _ryml()
    try:
        tree = ryml.parse_in_arena(data)
        buffer = bytearray(2 * len(data) + 64)
        try:
            written = ryml.emit_json_in_place(tree, buffer)
        except IndexError:  # more than twice the YAML: text with many characters to escape
            buffer = bytearray(ryml.compute_json_length(tree))
            written = ryml.emit_json_in_place(tree, buffer)
    except Exception as err:  # rapidyaml's parse and emit errors share no useful base
        raise Unvouched("rapidyaml refuses it") from err
    return str(written, "utf-8")


def plain_tree(text: str, data: bytes | None = None) -> Node:
    """The tree of ``text`` (no places), or ``Unvouched``; ``data``: the text as UTF-8, when
    the caller has it."""
    if _suspect(text):
        raise Unvouched("a character or a YAML feature the fast path does not read")
    json_text = _json_of(text.encode("utf-8") if data is None else data)
    if not json_text:
        raise Unvouched("nothing in it")
    if ("null" in json_text and _JSON_NULL.search(json_text)) or (
        any(part in json_text for part in _ODD_TEXT_PARTS) and _JSON_ODD_TEXT.search(json_text)
    ):
        raise Unvouched("a null, or text rapidyaml may have rewritten")
    if _SHORT_NUMBER.search(text) and _JSON_LONG_NUMBER.search(json_text):
        raise Unvouched("a number rapidyaml may have written differently")
    try:
        root = json.loads(json_text, parse_float=Plain, parse_int=Plain, object_pairs_hook=_mapping)
    except ValueError as err:
        raise Unvouched("not JSON we can read back") from err
    if root is None or root is True or root is False:
        raise Unvouched("a null or a flag for the whole file")
    return root


# Lines ------------------------------------------------------------------------------------


class _Lines:
    """The lines of a text, as far as finding where block list items start."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.bodies = [line.lstrip(" ") for line in self.lines]
        """Each line without its indentation."""
        self.indents = [
            len(line) - len(body) if body and body[0] != "#" else -1
            for line, body in zip(self.lines, self.bodies)
        ]
        """Each line's indentation, -1 for a blank or comment line."""

    def items(self, after: int, end: int, parent: int) -> list[tuple[int, int, int]] | None:
        """The items of the block list that follows line ``after`` (its key at indentation
        ``parent``), up to line ``end``: each item's line, the column its content starts at, and
        the line after it. None when the list is not written as items on lines of their own."""
        indents, bodies = self.indents, self.bodies
        found: list[tuple[int, int]] = []
        indent = -1
        for n in range(after + 1, end):
            at = indents[n]
            if at < 0 or at > indent >= 0:
                continue
            body = bodies[n]
            if indent < 0:
                if at < parent or not body.startswith("- "):
                    return None
                indent = at
            if at < indent or not body.startswith("- "):
                end = n
                break
            rest = body[2:].lstrip(" ")
            if not rest or rest[0] == "#":
                return None  # the item's content starts on a later line
            found.append((n, at + len(body) - len(rest)))
        ends = [n for n, _ in found[1:]] + [end]
        return [(n, col, after_it) for (n, col), after_it in zip(found, ends)]

    def key_line(self, start: int, end: int, indent: int, key: str) -> int | None:
        """The line in ``start``..``end`` where ``key:`` is written at ``indent``."""
        indents, bodies = self.indents, self.bodies
        for n in range(start, end):
            if indents[n] == indent and _is_key(bodies[n], key):
                return n
        return None


def _is_key(body: str, key: str) -> bool:
    return (
        body.startswith(key)
        and body[len(key) : len(key) + 1] == ":"
        and body[len(key) + 1 : len(key) + 2] in ("", " ")
    )


def _first_key(node: Node) -> str:
    if not isinstance(node, dict) or not node:
        raise Unvouched("not a mapping")
    key: str = next(iter(node))
    return key


def _place_items(
    lines: _Lines, nodes: list[Node], after: int, end: int, parent: int
) -> list[tuple[int, int, int]]:
    """Give each mapping of a block list its place; ``Unvouched`` unless every one is certain."""
    items = lines.items(after, end, parent)
    if items is None or len(items) != len(nodes):
        raise Unvouched("items not found")
    for (n, col, _), node in zip(items, nodes):
        key = _first_key(node)
        if not _is_key(lines.lines[n][col:], key):
            raise Unvouched("an item's first key not where it was looked for")
        node.mark = Place(n, col)
    return items


def _place(text: str, root: Node) -> None:
    """Give each paper and each result its place (the store keeps their lines)."""
    if not isinstance(root, dict):
        raise Unvouched("the top level is not a mapping")
    papers = root.get("papers")
    if papers is None:
        return
    if not isinstance(papers, list):
        raise Unvouched("papers is not a list")
    lines = _Lines(text)
    top = lines.key_line(0, len(lines.lines), 0, "papers")
    if top is None:
        raise Unvouched("papers: not found")
    placed = _place_items(lines, papers, top, len(lines.lines), 0)
    for (n, col, end), paper in zip(placed, papers):
        if "tables" in paper:
            raise Unvouched("a table")
        results = paper.get("results")
        if results is None:
            continue
        if not isinstance(results, list):
            raise Unvouched("results is not a list")
        first = lines.lines[n][col:]
        at = n if _is_key(first, "results") else lines.key_line(n + 1, end, col, "results")
        if at is None or at == n:
            raise Unvouched("results: not found")
        _place_items(lines, results, at, end, col)


def read_fast(file: str, data: bytes) -> FileContent | None:
    """One file's content read the fast way, or None when the exact path must read it (it holds
    a problem, or something the fast path cannot vouch for). Only papers and results have
    places (their lines), and no references are kept: the content is for the store's rows,
    which keep nothing else."""
    if not available():
        return None
    try:
        text = data.decode("utf-8")
        root = plain_tree(text, data)
        _place(text, root)
    except (Unvouched, UnicodeDecodeError, RecursionError):
        return None
    content = parse_document(file, root, refs=False)
    return None if content.problems else content
