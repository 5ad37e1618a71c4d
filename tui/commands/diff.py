"""What changed from one catalog to another."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    Failed,
    open_store_for,
    say,
)


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the catalog before (PATH, or PATH@REVISION)")
    p.add_argument("new", metavar="NEW", help="the catalog after (PATH, or PATH@REVISION)")
    p.add_argument("--pair", metavar="X:Y", action="append", help="only this pair's frontier (repeatable)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from catalog.export import json_text
    from catalog.query.diff import diff_catalogs
    from tui.plot import FRONTIER_MARKER, exact_line
    from tui.table import plural

    with tempfile.TemporaryDirectory(prefix="tradeoffs-diff-") as scratch:
        stores = []
        for number, side in enumerate((args.old, args.new)):
            root = _catalog_side(side, Path(scratch) / str(number))
            stores.append(open_store_for(args, [str(root)]))
        found = diff_catalogs(stores[0], stores[1], args.pair or ())
    if args.format == "json":
        record = {
            "added": found.added,
            "removed": found.removed,
            "changed": found.changed,
            "frontiers": [
                {"pair": f.pair, "entered": [dict(p) for p in f.entered], "left": [dict(p) for p in f.left]}
                for f in found.frontiers
            ],
        }
        out.write(json_text(record, indent=2) + "\n")
        return EXIT_OK
    for what, ids in (("added", found.added), ("removed", found.removed), ("changed", found.changed)):
        listed = f": {', '.join(ids)}" if ids else ""
        say(out, f"{plural(len(ids), 'paper')} {what}{listed}")
    if not found.frontiers:
        out.write("no frontier changed\n")
    for change in found.frontiers:
        x, y = change.pair.split(":")
        say(out, f"{change.pair}: {len(change.entered)} entered the frontier, {len(change.left)} left it")
        for sign, group in (("+", change.entered), ("-", change.left)):
            for p in group:
                say(out, f"  {sign} {exact_line(FRONTIER_MARKER, p, x, y)}")
    return EXIT_OK


def _catalog_side(text: str, scratch: Path) -> Path:
    """One side of a diff: a catalog file or folder, or ``PATH@REVISION`` for the catalog as
    it was at that git revision (copied into ``scratch``)."""
    path, at, revision = text.rpartition("@")
    if not at or Path(text).exists() or not path:
        return Path(text)
    import subprocess
    import tarfile

    folder = Path(path).resolve()
    where = folder if folder.is_dir() else folder.parent
    top = subprocess.run(
        ["git", "-C", str(where), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    if top.returncode != 0:
        raise Failed(f"{text}: {path} is not in a git repository, so it has no revision {revision}")
    inside = folder.relative_to(Path(top.stdout.strip()).resolve())
    archive = subprocess.run(
        ["git", "-C", top.stdout.strip(), "archive", "--format=tar", revision, "--", str(inside)],
        capture_output=True,
    )
    if archive.returncode != 0:
        said = archive.stderr.decode(errors="replace").strip().splitlines() or ["no reason given"]
        raise Failed(f"{text}: git has no {inside} at {revision} ({said[0]})")
    scratch.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / inside


COMMAND = Command(
    "diff",
    "What changed from one catalog to another: papers added, removed or changed, and for "
    "each pair the points that entered or left its frontier. Each side is a catalog file or "
    "folder, with the default catalog unless --no-default, or PATH@REVISION for it as it "
    "was in git.",
    (
        "tradeoffs diff old-catalog/ new-catalog/",
        "tradeoffs diff mycatalog@HEAD~1 mycatalog --pair fid:latency",
    ),
    arguments,
    run,
)
