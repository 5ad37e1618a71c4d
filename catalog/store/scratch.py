"""A build's scratch files: named for the process that makes them, so that whatever a killed
process leaves behind, the next build finds and clears."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

#: A build's scratch files (``.building-PID-*`` and ``.rows-PID-*`` in the cache folder, and
#: ``.tradeoffs-private-PID-*``, a database in the temporary folder when the cache cannot be used) are
#: removed by the process itself; those of a process that was killed are removed by the next
#: build, once that process is gone, or once untouched this long (its number may have been
#: given to another process since).
ABANDONED_AFTER_SECONDS = 3600
_SCRATCH = re.compile(r"\.(?:building|rows|tradeoffs-private)-(\d+)-")


def scratch_prefix(kind: str) -> str:
    """The start of a scratch file's name: its kind and this process's number."""
    return f".{kind}-{os.getpid()}-"


def _abandoned(path: Path, now: float) -> bool:
    """Whether a scratch file was left by a process that no longer runs, or long ago."""
    found = _SCRATCH.match(path.name)
    if found and not _running(int(found.group(1))):
        return True
    return now - path.stat().st_mtime > ABANDONED_AFTER_SECONDS


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # running, as another user
    return True


def clear_abandoned(folder: Path, kinds: tuple[str, ...] = ("building", "rows")) -> None:
    """Remove the scratch files of ``kinds`` in ``folder`` that processes now gone left behind."""
    now = time.time()
    for kind in kinds:
        for leftover in folder.glob(f".{kind}-*"):
            with contextlib.suppress(OSError):
                if _abandoned(leftover, now):
                    if leftover.is_dir():
                        shutil.rmtree(leftover)
                    else:
                        leftover.unlink()
