"""A frontier bundle: one pair's points, with their papers and the words behind them, as the
files a finding is shared in.

``gather`` collects what a bundle holds: the pair's points as ``export --pair`` has them (the
exact ones, then the qualified ones) and the papers they come from. ``texts`` writes its text
files: the points as CSV, Markdown and a LaTeX table, the BibTeX of the papers with a point on
the frontier, and a README saying what the bundle shows, how to make it again, and the words
or the table row that states each point. The plot's files are the command's to draw.

Catalog text is written as data in each of them: escaped for Markdown and for LaTeX, on one
line, with its control characters shown as escapes. The CSV alone keeps it exactly, as
``export`` does, for programs to read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog import export
from catalog.text import latex_text, markdown_text, one_line, squash_space

if TYPE_CHECKING:
    from catalog.query.pairs import Axis
    from catalog.store.store import Store

#: The files of a bundle, in the order they are written, with what each holds.
FILES: dict[str, str] = {
    "points.csv": "every point, the exact ones first, then the qualified ones, with the words or "
    "the source that states each (as `tradeoffs export --pair` writes them)",
    "points.md": "the same points as a Markdown table",
    "points.tex": "the same points as a LaTeX table (booktabs), the frontier's in bold",
    "plot.txt": "the plot, as `tradeoffs plot` draws it",
    "plot.svg": "the same plot as an SVG image",
    "papers.bib": "BibTeX entries of the papers with a point on the frontier",
    "README.md": "this file",
}


@dataclass(frozen=True)
class Bundle:
    """What a bundle shows: a pair, its points (exact ones first, as ``export --pair`` gathers
    them) and the records of the papers they come from, by id."""

    x: Axis
    y: Axis
    points: list[dict[str, Any]]
    papers: dict[str, dict[str, Any]]

    @property
    def exact(self) -> list[dict[str, Any]]:
        """The points with two exact values, along x (the tables read in the plot's order)."""
        return sorted((p for p in self.points if "x_said" not in p), key=lambda p: (p["x"], p["y"]))

    @property
    def qualified(self) -> list[dict[str, Any]]:
        """The points with a range, a bound or an approximate value: never on the frontier."""
        return [p for p in self.points if "x_said" in p]

    @property
    def frontier(self) -> list[dict[str, Any]]:
        """The Pareto-optimal points, along x."""
        return sorted((p for p in self.exact if p["on_frontier"]), key=lambda p: (p["x"], p["y"]))

    @property
    def frontier_papers(self) -> list[dict[str, Any]]:
        """The papers with a point on the frontier, in the frontier's order."""
        return [self.papers[pid] for pid in dict.fromkeys(p["paper_id"] for p in self.frontier)]


@dataclass(frozen=True)
class Made:
    """How a bundle was made, for its README: the command line that makes it again, and the
    ``--query`` and ``--as-of`` that chose its papers (None: not given)."""

    command: str
    query: str | None = None
    as_of: str | None = None


def gather(
    store: Store, pair: str, paper_ids: list[str] | None, conditions: Sequence[tuple[str, str]] = ()
) -> Bundle:
    """The bundle of ``pair`` among the papers ``paper_ids`` (None: every paper), of the points
    measured under ``conditions``. Raises ``QueryError`` for a pair the catalog cannot plot."""
    from catalog.query.pairs import parse_pair
    from catalog.query.papers import papers

    x, y = parse_pair(store, pair)
    points, _ = export.gather(store, "csv", pair, paper_ids, conditions=conditions)
    ids = list(dict.fromkeys(p["paper_id"] for p in points))
    found = {str(p["id"]): dict(p) for p in papers(store, ids)} if ids else {}
    return Bundle(x, y, points, found)


def texts(bundle: Bundle, made: Made) -> dict[str, str]:
    """The bundle's text files, by name (all of ``FILES`` but the plot's)."""
    return {
        "points.csv": export.to_csv(bundle.points),
        "points.md": points_markdown(bundle),
        "points.tex": points_latex(bundle),
        "papers.bib": export.to_bibtex([_one_line_paper(p) for p in bundle.frontier_papers]),
        "README.md": readme(bundle, made),
    }


def number_text(value: float) -> str:
    """A number as the catalog holds it, every digit kept: ``12``, ``0.12``, ``1e+22``."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _plain(text: str) -> str:
    """Catalog text on one line: runs of white space as one space, control characters as escapes."""
    return one_line(squash_space(text))


def _one_line_paper(paper: Mapping[str, Any]) -> dict[str, Any]:
    """A paper whose title and authors are each on one line, their control characters as escapes."""
    return {
        **paper,
        "title": _plain(paper["title"]),
        "authors": [_plain(a) for a in paper.get("authors") or []],
    }


def _md(text: str) -> str:
    return markdown_text(_plain(text))


def _tex(text: str) -> str:
    return latex_text(_plain(text))


def _name(point: Mapping[str, Any]) -> str:
    from catalog.query.points import point_name

    return point_name(point["method"], point["setting"], point["conditions"])


def _said(point: Mapping[str, Any], end: str) -> str:
    """One value of a point as written: an exact number, or a qualified one's words (``76 to 78``)."""
    said = point.get(f"{end}_said")
    return str(said) if said is not None else number_text(point[end])


def _frontier_word(point: Mapping[str, Any]) -> str:
    if "x_said" in point:
        return "may be" if point["may_be_on_frontier"] else "no"
    return "yes" if point["on_frontier"] else "no"


def points_markdown(bundle: Bundle) -> str:
    """The points as a Markdown table: paper, point, the two values, whether on the frontier,
    the paper's title (written by ``export.to_markdown``)."""
    x, y = bundle.x.spec, bundle.y.spec
    # Objective ids have no spaces, so these headers never take an axis's name.
    columns = ["paper", "point", x, y, "on the frontier", "title"]
    rows = [
        {
            "paper": _plain(p["paper_id"]),
            "point": _plain(_name(p)),
            x: _said(p, "x"),
            y: _said(p, "y"),
            "on the frontier": _frontier_word(p),
            "title": _plain(p["title"]),
        }
        for p in bundle.exact + bundle.qualified
    ]
    return export.to_markdown(rows, columns)


# Signs the words of a qualified value use that the default LaTeX setup cannot typeset as text.
_TEX_SIGNS = {"≤": r"$\leq$", "≥": r"$\geq$", "±": r"$\pm$"}


def _tex_said(point: Mapping[str, Any], end: str) -> str:
    said = _tex(_said(point, end))
    for sign, command in _TEX_SIGNS.items():
        said = said.replace(sign, command)
    return said


def _label(axis: Axis) -> str:
    """An axis's title without its unit, which a table's header writes under it."""
    return axis.title.removesuffix(f" ({axis.unit})") if axis.unit else axis.title


def _unit(axis: Axis) -> str:
    return f"({_tex(axis.unit)}) " if axis.unit else ""


def _better(axis: Axis) -> str:
    return f"{axis.better} is better"


def points_latex(bundle: Bundle) -> str:
    """The points as a LaTeX table (booktabs): the exact ones, the frontier's in bold, then
    the qualified ones below a rule; a caption naming the pair, its units and which way is
    better. Meant to be ``\\input`` into a document."""
    x, y = bundle.x, bundle.y
    arrow = {"higher": r"$\uparrow$", "lower": r"$\downarrow$"}
    rows = []
    for p in bundle.exact:
        cells = [_tex(_name(p)), _tex(p["paper_id"]), number_text(p["x"]), number_text(p["y"])]
        if p["on_frontier"]:
            cells = [rf"\textbf{{{cell}}}" for cell in cells]
        rows.append("    " + " & ".join(cells) + r" \\")
    loose = bundle.qualified
    if loose:
        rows.append(r"    \midrule")
    for p in loose:
        name = _tex(_name(p)) + (" (may be on the frontier)" if p["may_be_on_frontier"] else "")
        cells = [name, _tex(p["paper_id"]), _tex_said(p, "x"), _tex_said(p, "y")]
        rows.append("    " + " & ".join(cells) + r" \\")
    caption = (
        rf"\texttt{{{_tex(x.spec)}:{_tex(y.spec)}}}: {_tex(x.title)}, {_better(x)}, against "
        rf"{_tex(y.title)}, {_better(y)}. In bold, the points on the Pareto frontier"
        + (
            "; in the last rows, under a rule, points with a range, a bound or an approximate value."
            if loose
            else "."
        )
    )
    spec = f"{x.spec}:{y.spec}"  # objective and benchmark ids: letters, digits and _ / @ only
    lines = [
        f"% The points of {spec}, as `tradeoffs bundle` wrote them (README.md says how to make them again).",
        r"% Needs \usepackage{booktabs}. The text is UTF-8: with pdflatex, \usepackage[utf8]{inputenc}",
        r"% (the default since LaTeX 2018) and \usepackage[T1]{fontenc}; lualatex and xelatex read",
        r"% UTF-8 as it is.",
        r"% The paper ids are the keys of papers.bib, for \cite.",
        r"\begin{table}",
        r"  \centering",
        rf"  \caption{{{caption}}}",
        r"  \begin{tabular}{llrr}",
        r"    \toprule",
        rf"    Point & Paper & {_tex(_label(x))} & {_tex(_label(y))} \\",
        rf"     &  & {_unit(x)}{arrow[x.better]} & {_unit(y)}{arrow[y.better]} \\",
        r"    \midrule",
        *rows,
        r"    \bottomrule",
        r"  \end{tabular}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


_SAFE_URL = re.compile(r"https?://[^\s<>\x00-\x1f\x7f-\x9f]+")


def _link(url: str) -> str:
    """A URL as a Markdown link that goes where it says, or as plain text when it is not one."""
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else _md(url)


def _paper_link(paper: Mapping[str, Any]) -> str:
    if paper.get("url"):
        return _link(str(paper["url"]))
    if paper.get("arxiv"):
        return _link(f"https://arxiv.org/abs/{paper['arxiv']}")
    return "no link in the catalog"


def _values(point: Mapping[str, Any], x: Axis, y: Axis) -> str:
    def one(axis: Axis, end: str) -> str:
        unit = axis.unit and (axis.mode == "absolute" or f"{end}_said" not in point)
        return f"{axis.spec} {_md(_said(point, end))}" + (f" {_md(axis.unit or '')}" if unit else "")

    return f"{one(x, 'x')}, {one(y, 'y')}"


def _place(at: str) -> str:
    """Where a source was read: a link, or a file of a repository at a commit."""
    if at.startswith(("https://", "http://")):
        return _link(at)
    repo, _, rest = at.partition("@")
    commit, _, path = rest.partition(":")
    return f"{_md(path)} in {_md(repo)} at commit {_md(commit)}"


def _evidence(point: Mapping[str, Any]) -> str:
    """What states a point: the abstract's words, or the source, where it was read and its row."""
    if point.get("evidence"):
        return f"evidence, in the abstract's words: “{_md(point['evidence'])}”"
    said = f"source: {_md(point.get('source') or 'not named')}"
    if point.get("source_at"):
        said += f", read at {_place(point['source_at'])}"
    if point.get("source_row"):
        said += f"; its row: “{_md(point['source_row'])}”"
    return said


def _paper(bundle: Bundle, point: Mapping[str, Any]) -> str:
    paper = bundle.papers.get(point["paper_id"], {})
    title = _md(paper.get("title") or point["title"])
    return f"{title} ({_md(point['paper_id'])}), {_paper_link(paper)}"


def readme(bundle: Bundle, made: Made) -> str:
    """The bundle's README: the pair, how its papers were chosen, its counts, the command that
    makes it again; each frontier point with its paper and its evidence, the other points
    briefly, and the files."""
    x, y = bundle.x, bundle.y
    exact, loose, front = bundle.exact, bundle.qualified, bundle.frontier
    counts = (
        f"{_count(len(exact), 'point')} with exact values, {len(front):,} of them on the frontier, "
        f"from {_count(len(bundle.papers), 'paper')}"
    )
    if loose:
        may = sum(1 for p in loose if p["may_be_on_frontier"])
        counts += (
            f"; {_count(len(loose), 'qualified point')} (a range, a bound or an approximate value), "
            f"{may:,} of which may be on the frontier"
        )
    chosen = (
        f"those the query “{_md(made.query)}” selects"
        if made.query is not None
        else "every paper of the catalog"
    )
    dated = (
        f"the papers published by {_md(made.as_of)} (a year or a month meaning its last day; "
        "papers with no date left out)"
        if made.as_of is not None
        else "every paper, whatever its date"
    )
    lines = [
        f"# {_md(_label(x))} against {_md(_label(y))}: the frontier",
        "",
        f"The Pareto frontier of the pair `{x.spec}:{y.spec}`: {_md(x.title)}, {_better(x)}, "
        f"against {_md(y.title)}, {_better(y)}. A point is on the frontier when no other point is "
        "at least as good on both and better on one.",
        "",
        f"- Papers: {chosen}",
        f"- As of: {dated}",
        f"- Points: {counts}",
        "",
        "Made by this command, which makes it again:",
        "",
        "```console",
        f"$ {one_line(made.command)}",
        "```",
        "",
        "## On the frontier",
        "",
    ]
    for i, p in enumerate(front, start=1):
        lines += [
            f"{i}. {_md(_name(p))}: {_values(p, x, y)}",
            f"   - paper: {_paper(bundle, p)}",
            f"   - {_evidence(p)}",
        ]
    if not front:
        lines.append("No point has two exact values, so none is on the frontier.")
    others = sorted((p for p in exact if not p["on_frontier"]), key=lambda p: (p["x"], p["y"])) + loose
    if others:
        lines += ["", "## The other points", ""]
    for p in others:
        verdict = ""
        if "x_said" in p:
            verdict = ", may be on the frontier" if p["may_be_on_frontier"] else ", qualified"
        lines.append(
            f"- {_md(_name(p))}: {_values(p, x, y)}{verdict}. Paper: {_paper(bundle, p)}; {_evidence(p)}"
        )
    lines += ["", "## Files", ""]
    lines += [f"- `{name}`: {what}" for name, what in FILES.items()]
    return "\n".join(lines) + "\n"
