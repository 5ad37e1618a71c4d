"""Where things live: the shipped catalog, the user's catalog folder, the cache, the user's state
and saved views.

Every location follows the platform's conventions through platformdirs (on Linux the XDG
variables), so tests point them at a temporary folder by setting the environment.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "tradeoffs"

#: The catalog that ships inside the package.
SHIPPED_CATALOG = Path(__file__).resolve().parent / "papers"

#: The JSON Schema of the catalog format.
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "catalog.schema.json"


def user_catalog_dir() -> Path:
    """The folder whose YAML files join the default catalog (not created here)."""
    return _folder(platformdirs.user_data_dir, "data") / "catalog"


def cache_dir() -> Path:
    """The folder for built databases (not created here)."""
    return _folder(platformdirs.user_cache_dir, "cache")


def state_dir() -> Path:
    """The folder for the user's bookmarks, notes and last view (not created here)."""
    return _folder(platformdirs.user_data_dir, "data")


def config_dir() -> Path:
    """The folder for the user's saved views (not created here)."""
    return _folder(platformdirs.user_config_dir, "config")


def _folder(where: Callable[[str], str], kind: str) -> Path:
    """The platform's folder of a kind, or one in the temporary folder when there is no home
    folder to put it in (``no_home_notice`` says so)."""
    try:
        return Path(where(APP_NAME))
    except (RuntimeError, KeyError):  # no HOME, no XDG variable, no entry in the user database
        return _stand_in() / kind


@cache
def _stand_in() -> Path:
    """This user's folder in the temporary folder, made private; another if someone else owns it."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"tradeoffs-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
        if stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid():
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="tradeoffs-"))


def no_home_notice() -> str | None:
    """What to tell the user when there is no home folder for the cache, the state, the saved
    views and the catalog folder, so they live in the temporary folder instead (None when there
    is one)."""
    wheres = (platformdirs.user_data_dir, platformdirs.user_cache_dir, platformdirs.user_config_dir)
    if not any(_stands_in(where) for where in wheres):
        return None
    return (
        "note: no home folder (HOME is not set, and the user has no entry in the user database), "
        f"so the cache, bookmarks, notes and saved views live in {_stand_in()}, which the system may "
        "clear: set HOME, or XDG_DATA_HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME, to folders of your "
        "own to keep them"
    )


def _stands_in(where: Callable[[str], str]) -> bool:
    try:
        where(APP_NAME)
    except (RuntimeError, KeyError):
        return True
    return False


def default_catalog_paths() -> list[Path]:
    """The shipped catalog, plus the user's catalog folder when it exists."""
    paths = [SHIPPED_CATALOG]
    user = user_catalog_dir()
    if user.is_dir():
        paths.append(user)
    return paths
