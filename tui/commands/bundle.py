"""A frontier bundle: one pair's points, plot, LaTeX table, references and README in a folder,
to share a finding.

The core writes the text files (``catalog.bundle``); this draws the plot, as text and as SVG,
and writes every file. A bundle goes into a new or empty folder, or over an earlier bundle:
it never writes where there are other files.
"""

from __future__ import annotations

import argparse
import os
import shlex
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui.commands.base import EXIT_OK, Command, Failed, UsageError, matching, open_store_for, say
from tui.commands.options import pair_argument, selecting, whole

if TYPE_CHECKING:
    from catalog.bundle import Bundle
    from catalog.store.store import Store

#: The plot's size when none is given: a bundle is read away from the terminal it was made on.
WIDTH, HEIGHT = 80, 24


def arguments(p: argparse.ArgumentParser) -> None:
    pair_argument(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="the folder to write the bundle to: a new or empty one, or one holding an earlier bundle "
        "(created with its parents)",
    )
    selecting(p)
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("--log-y", action="store_true", help="logarithmic y axis")
    p.add_argument(
        "--hull",
        action="store_true",
        help="join the plot's frontier by its convex hull, for pairs where two points can be mixed",
    )
    p.add_argument(
        "--width", type=whole(20, 1000), help=f"plot width in columns, 20 to 1000 (default: {WIDTH})"
    )
    p.add_argument(
        "--height", type=whole(8, 1000), help=f"plot height in rows, 8 to 1000 (default: {HEIGHT})"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import bundle

    _the_pair(args)
    if not args.output:
        raise UsageError("bundle needs a folder to write to: -o DIR (a new or empty one)")
    _check_folder(Path(args.output), list(bundle.FILES))  # before the catalog is even opened
    store = open_store_for(args)
    return write_bundle(store, args, matching(store, args), out)


def write_bundle(
    store: Store,
    args: argparse.Namespace,
    selection: tuple[list[str] | None, tuple[tuple[str, str], ...]],
    out: TextIO,
) -> int:
    """Write the bundle ``args`` asks for (its pair, folder, query, date, scales, hull and size)
    of the points of ``selection``'s papers, saying on ``out`` what was written: the command's
    work once the catalog is open, and the app's. Raises ``Failed`` when it cannot."""
    from catalog import bundle
    from tui.commands.plot import no_points
    from tui.table import plural

    pair = _the_pair(args)
    folder = Path(args.output)
    names = list(bundle.FILES)
    _check_folder(folder, names)
    ids, conditions = selection
    found = bundle.gather(store, pair, ids, conditions)
    if not found.points:
        raise Failed(no_points(store, found.x, found.y, ids, conditions))
    width, height = args.width or WIDTH, args.height or HEIGHT
    plot = _plot_text(store, args, found, (ids, conditions), (width, height))
    files = bundle.texts(found, bundle.Made(_command(args, found, width, height), args.query, args.as_of))
    files["plot.txt"] = plot
    files["plot.svg"] = plot_svg(plot, f"{found.x.spec}:{found.y.spec}")
    written = _write(folder, {name: files[name] for name in names})
    say(out, *(f"wrote {path}" for path in written))
    say(
        out,
        f"{plural(len(found.exact), 'point')}, {len(found.frontier):,} on the frontier, from "
        f"{plural(len(found.papers), 'paper')}; {_shown(folder / 'README.md')} says what each file holds",
    )
    return EXIT_OK


def _the_pair(args: argparse.Namespace) -> str:
    if not args.pair:
        raise UsageError("bundle needs a pair X:Y (`tradeoffs pairs` lists them)")
    return str(args.pair)


def _shown(path: Path) -> str:
    from catalog.text import shown_name

    return shown_name(os.fsdecode(path))


def _check_folder(folder: Path, names: list[str]) -> None:
    """Refuse a folder the bundle would share with other files, or whose bundle names are not
    plain files (a link would be written through, a folder cannot be): nothing of the user's is
    ever overwritten. A folder that does not exist yet is fine: it will be created."""
    from catalog.export import failure

    try:
        if not folder.exists():
            return
        if not folder.is_dir():
            raise Failed(
                f"cannot write a bundle to {_shown(folder)}: it is a file; pick an empty or new folder"
            )
        entries = sorted(os.listdir(folder))
        plain = {name: stat.S_ISREG(os.lstat(folder / name).st_mode) for name in entries}
    except OSError as err:
        raise Failed(failure(_shown(folder), err)) from None
    others = [name for name in entries if name not in names]
    if others:
        listed = ", ".join(_shown(Path(name)) for name in others[:5]) + (", …" if len(others) > 5 else "")
        raise Failed(
            f"cannot write a bundle to {_shown(folder)}: it holds other files ({listed}); "
            "pick an empty or new folder (a bundle replaces only its own files)"
        )
    for name in entries:
        if not plain[name]:
            raise Failed(
                f"cannot write a bundle to {_shown(folder)}: {_shown(folder / name)} is not a plain file "
                "(a link or a folder); pick an empty or new folder"
            )


def _write(folder: Path, files: Mapping[str, str]) -> list[str]:
    """Write each file into ``folder`` (created with its parents), atomically; returns their paths."""
    from catalog.atomic import write_atomic
    from catalog.export import failure

    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Failed(failure(_shown(folder), err)) from None
    for name, text in files.items():
        path = folder / name
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as err:
            raise Failed(failure(_shown(path), err)) from None
        written.append(_shown(path))
    return written


def _plot_text(
    store: Store,
    args: argparse.Namespace,
    found: Bundle,
    selection: tuple[list[str] | None, tuple[tuple[str, str], ...]],
    size: tuple[int, int],
) -> str:
    """The plot as ``tradeoffs plot`` writes it to a file: no colour, the frontier listed."""
    import io

    from tui.commands.plot import write_plot

    buffer = io.StringIO()
    write_plot(store, args, f"{found.x.spec}:{found.y.spec}", (found.x, found.y), selection, size, buffer)
    return buffer.getvalue()


def _command(args: argparse.Namespace, found: Bundle, width: int, height: int) -> str:
    """The command line that makes this bundle again, options in a fixed order."""
    words = ["tradeoffs", "bundle", f"{found.x.spec}:{found.y.spec}", "-o", args.output]
    if getattr(args, "no_default", False) or getattr(args, "sub_no_default", False):
        words.append("--no-default")
    for path in (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []):
        words += ["--catalog", path]
    if args.query is not None:
        words += ["--query", args.query]
    if args.as_of is not None:
        words += ["--as-of", args.as_of]
    words += [
        flag for flag, on in (("--log-x", args.log_x), ("--log-y", args.log_y), ("--hull", args.hull)) if on
    ]
    words += ["--width", str(width), "--height", str(height)]
    return " ".join(shlex.quote(word) for word in words)


#: The SVG's character cell, in pixels, its font size and its margin.
_CELL_W, _CELL_H, _FONT, _MARGIN = 8.4, 17, 14, 12


def plot_svg(text: str, title: str) -> str:
    """A text plot as an SVG image, dark on white: each line a monospace ``<text>``, each
    character placed at its own cell (a wide one takes two), so the columns line up whatever
    width the font gives its glyphs (braille and box drawing often come from another font)."""
    from xml.sax.saxutils import escape

    lines = [_xml_safe(line.rstrip()) for line in text.rstrip("\n").split("\n")]
    placed = [_cells(line) for line in lines]
    columns = max((end for cells in placed for _, end in cells[-1:]), default=0)
    width = round(2 * _MARGIN + columns * _CELL_W)
    height = round(2 * _MARGIN + len(lines) * _CELL_H)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{escape(_xml_safe(title))}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{_FONT}" fill="#1f2328">',
    ]
    for row, (line, cells) in enumerate(zip(lines, placed)):
        runs = []
        for run in _runs(line, cells):
            xs = " ".join(f"{round(_MARGIN + column * _CELL_W, 1):g}" for column in run[1])
            runs.append(f'<tspan x="{xs}">{escape(run[0])}</tspan>')
        if runs:
            out.append(f'<text y="{_MARGIN + (row + 1) * _CELL_H - 4}">{"".join(runs)}</text>')
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


def _cells(line: str) -> list[tuple[int, int]]:
    """Where each character of ``line`` stands: its first cell and the cell after it, as a
    terminal lays it out (East Asian wide characters take two cells, combining marks none)."""
    import unicodedata

    placed, column = [], 0
    for char in line:
        if unicodedata.combining(char):
            placed.append((max(column - 1, 0), column))
            continue
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        placed.append((column, column + (2 if wide else 1)))
        column += 2 if wide else 1
    return placed


def _runs(line: str, cells: list[tuple[int, int]]) -> list[tuple[str, list[int]]]:
    """The runs of ``line`` between spaces, each with the cell of each of its characters."""
    runs: list[tuple[str, list[int]]] = []
    after_space = True
    for char, (column, _) in zip(line, cells):
        if char == " ":
            after_space = True
            continue
        if after_space:
            runs.append(("", []))
        text, columns = runs[-1]
        runs[-1] = (text + char, [*columns, column])
        after_space = False
    return runs


def _xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold (control characters, lone surrogates,
    U+FFFE and U+FFFF) shown as escapes."""
    return "".join(
        char if _in_xml(char) else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in text
    )


def _in_xml(char: str) -> bool:
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    ) and not 0x7F <= code <= 0x9F


COMMAND = Command(
    "bundle",
    "Write one pair's frontier to a folder, to share it: the points (CSV, Markdown, LaTeX), "
    "the plot (text and SVG), BibTeX of the frontier's papers, and a README with the evidence.",
    (
        "tradeoffs bundle compute:score/mmlu -o mmlu-frontier --log-x",
        "tradeoffs bundle latency:fid/mjhq30k -o fid --query 'setting:steps=1' --as-of 2025",
    ),
    arguments,
    run,
)
