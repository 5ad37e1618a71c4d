"""Write a file the way a plain ``open`` would, but so that readers see either the old content or
the new, never half of one, wherever that can be done.

What is at the path decides how it is written:

- nothing, or a regular file with one name: a temporary file beside it, flushed to disk, then
  renamed over it (a new file gets the mode the umask gives; a replaced one keeps its mode and
  owner);
- a symbolic link: the same, to the file it points to; the link stays a link;
- a device, a FIFO or a socket (``/dev/null``, ``/dev/stdout`` on a pipe, a named pipe): opened
  and written in place, as ``>`` would, never renamed over;
- a regular file with several names (hard links), one whose owner a new file could not
  keep, or one in a folder that takes no new file: written in place, so every name sees the
  new content; that cannot be atomic, so if writing fails the old content is written back;
- a link that names an open file rather than a path (``/dev/stdout``, ``/proc/self/fd/N``):
  written in place, appended, as the shell's ``>>`` or ``>`` already set it up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

How = Literal["replace", "in place", "through"]
"""``replace``: a temporary file renamed over the path; ``in place``: the existing file rewritten;
``through``: written at the end of the open file a ``/proc`` link names."""


@dataclass(frozen=True)
class Plan:
    """How a path will be written: where, and the file found there (None for a new one)."""

    how: How
    path: Path
    found: os.stat_result | None


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _follow(path: Path) -> tuple[Path, bool]:
    """The path ``path`` names once every link is followed, and whether the way went through
    ``/proc``, whose links (``/proc/self/fd/1``, behind ``/dev/stdout``) name open files."""
    current = path.absolute()
    for _ in range(40):
        folder = Path(os.path.realpath(current.parent))
        if folder.parts[1:2] == ("proc",):
            return current, True
        named = folder / current.name
        if not named.is_symlink():
            return named, False
        current = folder / os.readlink(named)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def plan(path: Path) -> Plan:
    """How ``path`` is to be written, from what is there now (links followed).

    Raises ``OSError`` when the path cannot be looked at (a part of it is not a folder, say).
    """
    try:
        found: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        found = None  # nothing there, or a link to nothing: create what it names, as ``>`` would
    real, in_proc = _follow(path)
    if in_proc:
        return Plan("through", path, found)
    if found is None:
        return Plan("replace", real, None)
    if not stat.S_ISREG(found.st_mode):
        return Plan("in place", path, found)
    try:
        named = os.stat(real)
    except OSError:
        named = None
    if named is None or not _same_file(found, named):  # changed while we looked: write what opens
        return Plan("through", path, found)
    if found.st_nlink > 1:
        return Plan("in place", real, found)
    return Plan("replace", real, found)


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` as the module's docstring says: atomically where it can be.

    ``private`` files (the user's own notes) are readable by the user alone when created or
    replaced. Raises ``OSError`` when the file cannot be written; nothing half-written is left.
    """
    chosen = plan(path)
    if chosen.how == "replace":
        try:
            _replace(chosen, lambda tmp, fd: _write_all(fd, data), private)
            return
        except _CannotReplace:
            pass
    _write_in_place(chosen, data)


def write_atomic_from(path: Path, fill: Callable[[Path], None], *, private: bool = False) -> None:
    """Like ``write_atomic``, for a file another program writes: ``fill`` writes the whole file
    at the (temporary) path it is given. Where ``path`` is written in place, the finished
    temporary file (in the system's temporary folder) is copied into it."""
    chosen = plan(path)
    if chosen.how == "replace":
        try:
            _replace(chosen, lambda tmp, fd: fill(tmp), private)
            return
        except _CannotReplace:
            pass
    fd, name = tempfile.mkstemp(prefix=".tradeoffs-", suffix="-" + path.name)
    os.close(fd)
    tmp = Path(name)
    try:
        fill(tmp)
        data = tmp.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)
    _write_in_place(chosen, data)


class _CannotReplace(Exception):
    """Replacing would not give the file as a plain write would (its owner, its folder's
    permissions): write it in place instead."""


def _create_temp(beside: Path, mode: int) -> tuple[int, Path]:
    """A new empty file beside ``beside``, open for writing, created with ``mode`` (less the
    umask, as the system applies it), named ``.NAME.RANDOM``."""
    for _ in range(100):
        tmp = beside.with_name(f".{beside.name}.{secrets.token_hex(4)}")
        try:
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {beside}")


def _replace(chosen: Plan, fill: Callable[[Path, int], None], private: bool) -> None:
    """Write a temporary file beside ``chosen.path`` with ``fill`` (given its path and an open
    descriptor), give it the mode and owner the file should have, and rename it over the path.

    Raises ``_CannotReplace`` (having left nothing behind) when the replaced file would lose its
    owner or the folder takes no new file but the file itself can be written.
    """
    found = chosen.found
    try:
        fd, tmp = _create_temp(chosen.path, 0o600 if private or found else 0o666)
    except PermissionError:
        if found is not None and os.access(chosen.path, os.W_OK):
            raise _CannotReplace from None
        raise
    try:
        try:
            created = os.fstat(fd)
            fill(tmp, fd)
        finally:
            os.close(fd)
        # ``fill`` may have written the file anew under the same name: settle the file now there.
        fd = os.open(tmp, os.O_RDWR | os.O_CLOEXEC)
        try:
            _settle(fd, found, created, private)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, chosen.path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(chosen.path.parent)


def _settle(fd: int, found: os.stat_result | None, created: os.stat_result, private: bool) -> None:
    """Give the new file the owner and mode it should have: a replaced file's own (private ones
    readable by the user alone), a new one's as created."""
    if found is not None and (found.st_uid, found.st_gid) != (created.st_uid, created.st_gid):
        try:
            os.fchown(fd, found.st_uid, found.st_gid)
        except PermissionError:
            raise _CannotReplace from None
    if private:
        os.fchmod(fd, 0o600)
    else:
        os.fchmod(fd, stat.S_IMODE((found or created).st_mode))


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename in it survives a crash (where supported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (a write may take only part)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_in_place(chosen: Plan, data: bytes) -> None:
    """Open the existing file at ``chosen.path`` and write ``data`` into it, as ``>`` would.

    A regular file is rewritten from the start and cut to the new length; if that fails its old
    content is written back, so a failure leaves it as it was (as far as the disk allows).
    """
    flags = os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY
    regular = chosen.found is not None and stat.S_ISREG(chosen.found.st_mode)
    if chosen.how == "through" or not regular:
        fd = os.open(chosen.path, flags | (os.O_APPEND if chosen.how == "through" else 0))
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        return
    fd = os.open(chosen.path, os.O_RDWR | os.O_CLOEXEC | os.O_NOCTTY)
    try:
        old = _read_all(fd)
        try:
            _put(fd, data)
        except BaseException:
            with contextlib.suppress(OSError):
                _put(fd, old)
            raise
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    """The whole content of the regular file open at ``fd``."""
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _put(fd: int, data: bytes) -> None:
    """Make the regular file open at ``fd`` hold exactly ``data``, flushed to disk."""
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)
