"""Find catalog files, validate all of them, and only then hand back a catalog.

``check`` never raises for bad input: every problem in every file comes back with its place.
``load_catalog`` is the strict form used by the commands: a catalog, or a ``CatalogError``.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path

from catalog.fields import suggest
from catalog.model import Catalog, CatalogError, FileStat, Objective, Paper, Problem
from catalog.parse import FileContent, Ref, parse_document
from catalog.yamlsafe import compose, read_bytes

SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """A path as the user would like to read it: relative to here when it is below here."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


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
        if name.endswith(SUFFIXES):
            try:
                st = entry.stat()
            except OSError:
                found.append(FileStat(entry.path, prefix + name, -1, -1))  # reading it will say why
                continue
            if is_regular(st.st_mode):
                found.append(FileStat(entry.path, prefix + name, st.st_size, st.st_mtime_ns))
                continue
            if not is_folder(st.st_mode):
                found.append(FileStat(entry.path, prefix + name, -1, st.st_mtime_ns))  # a pipe, a device
                continue
        try:
            if entry.is_dir(follow_symlinks=False):
                below.append((entry.path, prefix + name))
        except OSError:
            pass
    for path, shown in below:
        found.extend(_scan(path, shown, problems))
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while parsing.

    It rescans the growing node graph again and again; nothing here makes cycles, so pausing
    it is safe and makes big catalogs several times faster to read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: Path, name: str) -> tuple[FileContent, bytes | None]:
    """One file parsed and checked on its own, with the bytes it held (None when unreadable).
    Never raises for bad content: problems come back in the content."""
    data, problems = read_bytes(path, name)
    root = None
    if data is not None:
        root, problems = compose(name, data)
    if root is None:
        content = FileContent()
        content.problems.extend(problems)
        return content, data
    return parse_document(name, root), data


def read_files(files: list[Path], names: list[str] | None = None) -> list[FileContent]:
    """Parse and check each file on its own (``names``: how to show each file in problems)."""
    with collector_paused():
        return [
            read_file(file, name)[0] for file, name in zip(files, names or [display_path(f) for f in files])
        ]


def _merge_objectives(contents: list[FileContent], problems: list[Problem]) -> dict[str, Objective]:
    objectives: dict[str, Objective] = {}
    where: dict[str, Problem] = {}
    for content in contents:
        for objective, at in content.objectives:
            first = objectives.get(objective.id)
            if first is None:
                objectives[objective.id] = objective
                where[objective.id] = at
            elif first != objective:
                was = where[objective.id]
                problems.append(
                    Problem(
                        at.file,
                        at.line,
                        at.col,
                        f"objective {objective.id!r} is already defined differently at "
                        f"{was.file}:{was.line}:{was.col}: keep one definition",
                    )
                )
    return objectives


def _check_refs(refs: list[Ref], objectives: dict[str, Objective], problems: list[Problem]) -> None:
    kinds = {o.kind for o in objectives.values() if o.kind}
    aliases = {alias.lower(): o.id for o in objectives.values() for alias in o.aliases}
    for ref in refs:
        if ref.name in objectives or (ref.kinds_allowed and ref.name in kinds):
            continue
        if ref.name.lower() in aliases:
            hint = f" (did you mean {aliases[ref.name.lower()]!r}?)"
        else:
            hint = suggest(ref.name, list(objectives) + (sorted(kinds) if ref.kinds_allowed else []))
        what = "objective or kind" if ref.kinds_allowed else "objective"
        problems.append(
            Problem(
                ref.file,
                ref.line,
                ref.col,
                f"unknown {what} {ref.name!r}{hint}: define it under `objectives:` or use a known id",
            )
        )


def _unique_papers(contents: list[FileContent], problems: list[Problem]) -> list[Paper]:
    """The papers in order, each id once; a repeated id is a problem naming both places."""
    papers: list[Paper] = []
    first_place: dict[str, Problem] = {}
    for content in contents:
        for paper, at in zip(content.papers, content.paper_places):
            if paper.id in first_place:
                was = first_place[paper.id]
                problems.append(
                    Problem(
                        at.file,
                        at.line,
                        at.col,
                        f"duplicate paper id {paper.id!r}, also at {was.file}:{was.line}:{was.col}: "
                        "ids must be unique",
                    )
                )
                continue
            first_place[paper.id] = at
            papers.append(paper)
    return papers


def problems_of(contents: list[FileContent], objectives: dict[str, Objective] | None = None) -> list[Problem]:
    """Every problem of these files (in catalog order), on their own and across them.

    ``objectives`` is the whole catalog's vocabulary when ``contents`` are only some of its
    files: those that problems were detected in, which is all it takes to word them.
    """
    problems = [p for content in contents for p in content.problems]
    merged = _merge_objectives(contents, problems)
    _check_refs([ref for c in contents for ref in c.refs], objectives or merged, problems)
    _unique_papers(contents, problems)
    return sorted(set(problems))


def check(paths: Iterable[Path]) -> tuple[Catalog | None, list[Problem], list[Path]]:
    """Validate every file under ``paths``: (the catalog or None, all problems, the files read)."""
    found, problems = discover(paths)
    files = [Path(f.path) for f in found]
    contents = read_files(files, [f.display for f in found])
    problems.extend(problems_of(contents))
    if problems:
        return None, sorted(set(problems)), files
    objectives = _merge_objectives(contents, problems)
    return Catalog(objectives=objectives, papers=tuple(_unique_papers(contents, problems))), [], files


def load_catalog(paths: Iterable[Path]) -> Catalog:
    """The validated catalog under ``paths``; raises ``CatalogError`` listing every problem."""
    catalog, problems, _ = check(paths)
    if catalog is None:
        raise CatalogError(problems)
    return catalog
