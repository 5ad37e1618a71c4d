"""Where things live: the shipped catalog, the user's catalog folder, the cache, the user's state.

Every location follows the platform's conventions through platformdirs (on Linux the XDG
variables), so tests point them at a temporary folder by setting the environment.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "tradeoffs"

#: The catalog that ships inside the package.
SHIPPED_CATALOG = Path(__file__).resolve().parent / "papers"

#: The JSON Schema of the catalog format.
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "catalog.schema.json"


def user_catalog_dir() -> Path:
    """The folder whose YAML files join the default catalog (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "catalog"


def cache_dir() -> Path:
    """The folder for built databases (not created here)."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    """The folder for the user's bookmarks, notes and last view (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_catalog_paths() -> list[Path]:
    """The shipped catalog, plus the user's catalog folder when it exists."""
    paths = [SHIPPED_CATALOG]
    user = user_catalog_dir()
    if user.is_dir():
        paths.append(user)
    return paths
