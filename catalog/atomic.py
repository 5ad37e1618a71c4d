"""Write a file so that readers see either the old content or the new, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def plain_mode(path: Path) -> int:
    """The mode a plain ``open`` would leave ``path`` with: its own if it exists, else the
    user's umask applied to read and write for all."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file, flushed to disk, then renamed.

    The file gets the mode a plain ``open`` would give it: a replaced file keeps its own, a new
    one has the user's umask; ``private`` files (the user's own notes) are readable by the user
    alone.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if not private:
            os.fchmod(fd, plain_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
