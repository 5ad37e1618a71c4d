"""Find the catalog files under the roots a user gives: files as given, folders searched recursively.

Discovery only lists and stats; it never reads a file. What it finds is the list every later
step works from, in catalog order (each root in turn; in a folder, its own files first, then
each subfolder's, in name order).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
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

    Names from ``os.listdir`` and one ``os.stat`` per catalog file, as strings: at 100,000
    files, ``Path`` objects, ``os.scandir``'s entries and per-file ``relpath`` calls cost more
    than the system calls themselves. Links to folders are not followed; folders that cannot
    be read become problems, not silence.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError as err:
        problems.append(Problem(display, 1, 1, f"cannot read the folder: {err.strerror or err}"))
        return []
    found: list[FileStat] = []
    below = []
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    shown_prefix = "" if display == "." else display + os.sep
    is_regular, is_folder, stat_of, new = stat.S_ISREG, stat.S_ISDIR, os.stat, tuple.__new__
    for name in names:
        path = prefix + name
        if name.endswith(SUFFIXES):
            shown = shown_prefix + (name if name.isprintable() else shown_name(name))
            try:
                st = stat_of(path)
            except OSError:
                found.append(FileStat(path, shown, -1, -1))  # reading it will say why
                continue
            mode = st.st_mode
            if is_regular(mode):
                found.append(new(FileStat, (path, shown, st.st_size, st.st_mtime_ns)))
                continue
            if not is_folder(mode):
                found.append(FileStat(path, shown, -1, st.st_mtime_ns))  # a pipe, a device
                continue
        try:
            if is_folder(os.lstat(path).st_mode):  # a folder, and not a link to one
                below.append((path, shown_prefix + (name if name.isprintable() else shown_name(name))))
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
    roots = list(paths)
    for path in roots:
        absolute, display = os.path.abspath(path), display_path(path)
        if os.path.isdir(absolute):
            found = _scan(absolute, display, problems)
        elif os.path.exists(absolute):
            found = [_stat(absolute, display)]
        else:
            problems.append(Problem(display, 1, 1, "no such file or folder: check the path"))
            continue
        if seen and not seen.isdisjoint(f.path for f in found):  # a file under two roots: list it once
            found = [f for f in found if f.path not in seen]
        if len(roots) > 1:  # one root lists each file once already
            seen.update(f.path for f in found)
        files.extend(found)
    return files, problems
