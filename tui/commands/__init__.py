"""Every ``tradeoffs`` command, one module each, and the registry the command line is built
from: the order here is the order ``--help`` lists them in."""

from __future__ import annotations

from tui.commands import (
    bundle,
    claims,
    diff,
    export,
    frontier,
    history,
    imports,
    pairs,
    plot,
    search,
    sql,
    validate,
    views,
)
from tui.commands.base import Command

REGISTRY: tuple[Command, ...] = (
    search.COMMAND,
    pairs.COMMAND,
    plot.COMMAND,
    frontier.COMMAND,
    history.COMMAND,
    claims.COMMAND,
    views.COMMAND,
    diff.COMMAND,
    export.COMMAND,
    bundle.COMMAND,
    validate.COMMAND,
    imports.COMMAND,
    sql.COMMAND,
)

COMMANDS = {command.name: command for command in REGISTRY}
