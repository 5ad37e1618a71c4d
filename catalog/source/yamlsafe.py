"""Read one YAML file the exact way: a tree that keeps every place, refusing what a catalog never needs.

PyYAML composes the file's nodes, which become the tree the readers take
(``catalog.source.tree``, with each node's line and column). We compose nodes instead of
loading Python objects: nothing is constructed (so no tag can run
code), every scalar keeps the text exactly as written (so YAML 1.1 cannot turn ``no`` into
``False`` or ``2401.01230`` into a float), and every node carries its line and column for error
messages. Aliases are refused outright: a catalog has no use for them, and they are how
"billion laughs" files and self-referencing trees get in.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from catalog.errors import Problem
from catalog.source import tree

#: Largest catalog file we read. One paper per file is a few kilobytes; a whole field's
#: catalog in one file stays well under this. Bigger files are refused before reading.
MAX_FILE_BYTES = 32 * 1024 * 1024


_CORE = "tag:yaml.org,2002:"
_C_READER = hasattr(yaml, "CBaseLoader")


class _Resolved(str):
    """A tag the loader gave a node that was written without one. A tag written out (``!!str``)
    arrives as a plain ``str``, so the two can be told apart even when they are equal."""

    __slots__ = ()


def _written_tag(node: Node) -> str | None:
    """The tag written on ``node`` (``!!str``), or None when it has none of its own."""
    if isinstance(node.tag, _Resolved):
        return None
    return "!!" + node.tag.removeprefix(_CORE) if node.tag.startswith(_CORE) else node.tag


class _Loader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # type: ignore[misc]
    """The base loader: it resolves no implicit types, so every plain scalar stays text, which
    is what the field readers want. Its resolver could only ever answer the default tag of a
    node's kind; answering that directly makes composing a fifth faster."""

    _DEFAULT_TAGS: ClassVar[dict[type, str]] = {
        ScalarNode: _Resolved(BaseResolver.DEFAULT_SCALAR_TAG),
        SequenceNode: _Resolved(BaseResolver.DEFAULT_SEQUENCE_TAG),
        MappingNode: _Resolved(BaseResolver.DEFAULT_MAPPING_TAG),
    }

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self._DEFAULT_TAGS[kind]


# ``value`` and ``merge`` are what YAML 1.1 resolves a plain ``=`` and ``<<`` to: text to us.
_ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "value", "merge")
}


def place(file: str, node: tree.Node | Node | yaml.Event | None, message: str) -> Problem:
    """A problem located at a tree's ``node``, at a composed node or at an event (or at the top
    of the file when the place is not known)."""
    if isinstance(node, (Node, yaml.Event)):
        start = node.start_mark
        return (
            Problem(file, 1, 1, message)
            if start is None
            else Problem(file, start.line + 1, start.column + 1, message)
        )
    mark = tree.mark_of(node)
    if mark is None:
        return Problem(file, 1, 1, message)
    return Problem(file, mark.line + 1, mark.column + 1, message)


#: What YAML (as PyYAML reads it) takes for the end of a line: CR LF once, and CR, LF, NEL,
#: LS and PS each alone, so a place counted here is the place PyYAML's own marks give.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _position(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1) of ``text[index]``."""
    line, start = 1, 0
    for found in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, found.end()
    return line, index - start + 1


def _decode(file: str, data: bytes) -> tuple[str | None, Problem | None]:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, Problem(file, 1, 1, "this file is UTF-32 text: save it as UTF-8")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(file, 1, 1, "this is a binary file, not YAML: catalog files are UTF-8 text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, Problem(file, 1, 1, "not valid UTF-16 text: save the file as UTF-8")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        prefix = data[: err.start].decode("utf-8", errors="replace")
        line, col = _position(prefix, len(prefix))
        byte = data[err.start]
        return None, Problem(file, line, col, f"not valid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8")


def _yaml_problem(file: str, text: str, err: yaml.YAMLError) -> Problem:
    if isinstance(err, yaml.reader.ReaderError):
        index = err.position
        if _C_READER:  # libyaml reads the text as UTF-8 and counts in bytes
            index = len(text.encode("utf-8", "surrogatepass")[:index].decode("utf-8", "ignore"))
        line, col = _position(text, index)
        code = err.character if isinstance(err.character, int) else ord(err.character)
        message = f"the control character U+{code:04X} is not allowed in YAML: remove it"
        return Problem(file, line, col, message)
    problem_mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    # An unclosed quote or bracket is only noticed at the end of the file; the place to fix
    # is where it was opened.
    mark = context_mark if context_mark is not None and "end of stream" in problem else problem_mark
    mark = mark or context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    detail = problem
    if context:
        detail = f"{context}, {problem}"
        if context_mark is not None and mark is not context_mark:
            detail = f"{context} (at line {context_mark.line + 1}), {problem}"
    index = getattr(mark, "index", None)
    if index is not None and 0 <= index < len(text) and text[index] == "\t":
        detail += " (indent with spaces, not tabs)"
    return Problem(file, line, col, f"YAML syntax error: {detail}")


def _find_aliases(file: str, text: str) -> list[Problem]:
    if "*" not in text:
        return []
    problems = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                place(
                    file,
                    event,
                    f"aliases (*{event.anchor}) are not allowed in a catalog: write the value out",
                )
            )
    return problems


def _check_tree(file: str, root: Node) -> list[Problem]:
    """Refuse unknown tags and duplicate keys anywhere in the tree."""
    problems: list[Problem] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _ALLOWED_TAGS:
            problems.append(place(file, node, f"the tag {node.tag} is not allowed in a catalog: remove it"))
            continue
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        problems.append(
                            place(file, key, f"duplicate key {key.value!r} (first at line {first}): keep one")
                        )
                    else:
                        seen[key.value] = key
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return problems


def read_bytes(path: Path, display: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path``, or the problem that stops reading it (not a file, too big, unreadable)."""
    file = display or str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            # Reading a pipe or a device could block for ever or never end.
            return None, [Problem(file, 1, 1, "not a regular file: a catalog file is a YAML text file")]
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    file,
                    1,
                    1,
                    f"file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit "
                    "for one catalog file: split it into one file per paper",
                )
            ]
        return path.read_bytes(), []
    except OSError as err:
        return None, [Problem(file, 1, 1, f"cannot read the file: {err.strerror or err}")]


def compose(file: str, data: bytes) -> tuple[tree.Node | None, list[Problem]]:
    """The tree of one file's bytes (``catalog.source.tree``, every node with its place), or the
    problems that stop it.

    Never raises for bad content: binary, mis-encoded, malformed, aliased or tagged input all
    come back as problems with their place.
    """
    text, problem = _decode(file, data)
    if problem:
        return None, [problem]
    assert text is not None
    try:
        alias_problems = _find_aliases(file, text)
        if alias_problems:
            return None, alias_problems
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:
        return None, [_yaml_problem(file, text, err)]
    except RecursionError:
        return None, [Problem(file, 1, 1, "the file is nested too deeply to be a catalog")]
    if root is None:
        return None, [
            Problem(file, 1, 1, "the file is empty: a catalog file holds `objectives:`, `papers:` or both")
        ]
    problems = _check_tree(file, root)
    return (None if problems else as_tree(root)), problems


def as_tree(root: Node) -> tree.Node:
    """A composed node tree as a tree of ``catalog.source.tree``, every node with its place
    (without recursion: a tree as deep as the composer reads is converted whole). Written for
    speed: it runs on every file the exact path reads."""
    plain, text, tagged = tree.Plain, tree.Text, tree.Tagged

    def scalar(node: ScalarNode) -> str:
        out: tree.Plain | tree.Text | tree.Tagged
        if type(node.tag) is _Resolved:
            out = text(node.value) if node.style else plain(node.value)
        else:
            out = tagged(node.value)
            out.tag = _written_tag(node) or ""
        out.mark = node.start_mark
        return out

    if type(root) is ScalarNode:
        return scalar(root)
    top: tree.Mapping | tree.Sequence = tree.Mapping() if type(root) is MappingNode else tree.Sequence()
    top.mark = root.start_mark
    stack: list[tuple[Node, Any]] = [(root, top)]
    while stack:
        node, out = stack.pop()
        is_mapping = type(out) is tree.Mapping
        for item in node.value:
            key, value = item if is_mapping else (item, item)
            if type(value) is ScalarNode:
                converted: Any = scalar(value)
            else:
                converted = tree.Mapping() if type(value) is MappingNode else tree.Sequence()
                converted.mark = value.start_mark
                stack.append((value, converted))
            if not is_mapping:
                out.append(converted)
            elif type(key) is ScalarNode:
                out[scalar(key)] = converted
            else:
                out[tree.OddKey(key.start_mark)] = converted
                out.odd = True
    return top
