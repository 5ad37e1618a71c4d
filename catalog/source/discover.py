"""Find the catalog files under the roots a user gives: files as given, folders searched recursively.

Discovery only lists and stats; it never reads a file. What it finds is the list every later
step works from, in catalog order (each root in turn; in a folder, its own files first, then
each subfolder's, in name order).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path

from catalog.errors import Problem
from catalog.model import FileStat
from catalog.text import shown_name

SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """A path as the user would like to read it: relative to here when it is below here, on one
    line, with bytes that are not UTF-8 shown as escapes."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return shown_name(str(path))
    return shown_name(str(path) if rel.startswith("..") else rel)


def _stat(path: str, display: str) -> FileStat:
    try:
        st = os.stat(path)
    except OSError:
        return FileStat(path, display, -1, -1)  # a dangling link: reading it will say so
    size = st.st_size if stat.S_ISREG(st.st_mode) else -1  # never read a pipe or a device
    return FileStat(path, display, size, st.st_mtime_ns)


def _scan(folder: str, display: str, problems: list[Problem]) -> list[FileStat]:
    """The catalog files below ``folder``: its own first, then each subfolder's, in name order.

    Strings and ``os.scandir`` rather than ``Path`` objects, and one system call per file: at
    100,000 files, path objects and per-file ``relpath`` calls cost seconds. Links to folders
    are not followed; folders that cannot be read become problems, not silence.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=attrgetter("name"))
    except OSError as err:
        problems.append(Problem(display, 1, 1, f"cannot read the folder: {err.strerror or err}"))
        return []
    found, below = [], []
    prefix = "" if display == "." else display + os.sep
    is_regular, is_folder = stat.S_ISREG, stat.S_ISDIR
    for entry in entries:
        name = entry.name
        shown = prefix + (name if name.isprintable() else shown_name(name))
        if name.endswith(SUFFIXES):
            try:
                st = entry.stat()
            except OSError:
                found.append(FileStat(entry.path, shown, -1, -1))  # reading it will say why
                continue
            if is_regular(st.st_mode):
                found.append(FileStat(entry.path, shown, st.st_size, st.st_mtime_ns))
                continue
            if not is_folder(st.st_mode):
                found.append(FileStat(entry.path, shown, -1, st.st_mtime_ns))  # a pipe, a device
                continue
        try:
            if entry.is_dir(follow_symlinks=False):
                below.append((entry.path, shown))
        except OSError:
            pass
    for path, inner in below:
        found.extend(_scan(path, inner, problems))
    return found


def discover(paths: Iterable[Path]) -> tuple[list[FileStat], list[Problem]]:
    """The catalog files under ``paths`` (files as given, folders searched recursively), each once."""
    files: list[FileStat] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        absolute, display = os.path.abspath(path), display_path(path)
        if os.path.isdir(absolute):
            found = _scan(absolute, display, problems)
        elif os.path.exists(absolute):
            found = [_stat(absolute, display)]
        else:
            problems.append(Problem(display, 1, 1, "no such file or folder: check the path"))
            continue
        if not seen.isdisjoint(f.path for f in found):  # the same file under two roots: list it once
            found = [f for f in found if f.path not in seen]
        seen.update(f.path for f in found)
        files.extend(found)
    return files, problems
