"""Draw the claims map as text with plotext 6: each claim's number where its two changes put
it, the quadrants marked, and the claims listed under each map, win-win first.

Shared by ``tradeoffs claims`` and the app (``claims_map_text``). plotext keeps one global
figure, so drawing is done on one thread at a time.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from catalog.query.changes import VERDICTS, Verdict
from catalog.query.claims_map import ChangeRecord, ClaimRecord, ClaimsMap, Map
from catalog.query.points import point_name
from catalog.text import one_line
from tui.plot import BOUND_MARKERS, holds_the_figure, nice_ticks
from tui.table import clip, plural

#: How each class is headed in the lists.
HEADINGS: dict[Verdict, str] = {
    "win-win": "win-win (better on both)",
    "trade-off": "trade-offs (better on one, worse on the other)",
    "neither": "neither (worse on both, or unchanged on one)",
    "unsure": "unsure (a bound or a range leaves the class open)",
}

#: The quadrants' names, at their corners: (right of zero, above zero).
QUADRANTS = {
    (True, True): "win-win",
    (False, True): "trade-off",
    (True, False): "trade-off",
    (False, False): "worse on both",
}


def claim_label(claim: ClaimRecord) -> str:
    """Whose claim it is: ``paper/method (conditions) vs baseline``."""
    name = point_name(claim["method"], claim["setting"], claim["conditions"])
    return f"{claim['paper_id']}/{name} vs {claim['baseline']}"


def claim_line(claim: ClaimRecord) -> str:
    """A claim as the lists say it: ``3. paper/method vs baseline: accuracy +6.1 points,
    tokens -63%``, each change as the result writes it."""
    q, o = claim["quality"], claim["other"]
    return f"{claim['number']}. {claim_label(claim)}: {q['axis']} {q['said']}, {o['axis']} {o['said']}"


def listed(claims: Sequence[ClaimRecord], width: int) -> list[str]:
    """The claims by class, win-win first, each class under its heading, each claim wrapped to
    ``width`` (its text escaped: it is catalog text)."""
    lines: list[str] = []
    for verdict in VERDICTS:
        found = [c for c in claims if c["class"] == verdict]
        if not found:
            continue
        lines += textwrap.wrap(f"{HEADINGS[verdict]}:", max(width, 20), subsequent_indent="  ")
        for claim in found:
            lines += textwrap.wrap(
                one_line(claim_line(claim)),
                max(width, 20),
                initial_indent="  ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
    return lines


def _finite(change: ChangeRecord) -> list[float]:
    return [v for v in (change["low"], change["high"]) if v is not None]


def _open_side(change: ChangeRecord) -> int:
    """-1 when the change is open towards worse, 1 towards better, 0 when both ends are known."""
    if change["low"] is None:
        return -1
    return 1 if change["high"] is None else 0


def _limits(values: Sequence[float], cells: int) -> tuple[float, float]:
    """An axis's range: zero and every value, with room on each side of zero for its quadrants'
    names (a third of the longest side), and a margin of about two cells beyond the values."""
    low, high = min(0.0, *values), max(0.0, *values)
    extent = max(abs(low), abs(high)) or 1.0
    margin = (high - low or extent) * max(0.06, 2.0 / max(cells, 1))
    return min(low - margin, -extent / 3), max(high + margin, extent / 3)


class Label(NamedTuple):
    """A claim's number as drawn: where (x, y), what, and how it is aligned on its cell."""

    x: float
    y: float
    text: str
    alignment: str


@holds_the_figure
def map_plot(drawn: Map, width: int, height: int, colour: bool = False) -> str:
    """One map as text, ``width`` x ``height`` cells: the other objective's change across (its
    better side right), the quality's up (its better side up), zero on each drawn dotted, the
    quadrants named where their names fit, each claim drawn as its number. A range is a line
    between its ends (a box for two); a bound is its number at the bound with an arrow to its
    open side; an approximate change has ``~`` before its number. Numbers that would overlap
    are drawn as one label, ``1,2``."""
    import plotext as plt  # 0.2 s to import: only once there is something to draw

    width, height = max(width, 20), max(height, 8)
    plt.terminal.limit(False, False)
    fig = plt.figure
    fig.clear()
    fig.plot_size(width, height)
    fig.theme("default" if colour else "colorless")
    xs = [v for c in drawn.claims for v in _finite(c["other"])]
    ys = [v for c in drawn.claims for v in _finite(c["quality"])]
    y_lim = _limits(ys, height - 5)
    y_ticks = _ticks(y_lim, max(height // 4, 2))
    cols = width - 2 - max(len(label) for label in y_ticks.values())
    x_lim = _limits(xs, cols)
    for ruler, lim, ticks in (
        (fig.ruler("x"), x_lim, _ticks(x_lim, max(width // 12, 2))),
        (fig.ruler("y"), y_lim, y_ticks),
    ):
        ruler.lim(*lim)
        ruler.ticks(list(ticks), list(ticks.values()))
    fig.line(0, orientation="h", style="dotted")
    fig.line(0, orientation="v", style="dotted")
    _name_quadrants(fig, x_lim, y_lim, cols)
    labels = []
    for claim in drawn.claims:
        labels.append(_draw_claim(fig, claim))
    for label in merged(labels, x_lim, y_lim, cols, height - 5):
        fig.draw(fig.text(label.x, label.y, label.text, alignment=label.alignment))
    # Units are catalog text: shown, never obeyed.
    fig.label(clip(one_line(f"{drawn.x.title(drawn.objectives('other'))}  → better"), width - 2), "x")
    fig.title(clip(one_line(f"{drawn.y.title(drawn.objectives('quality'))}  ↑ better"), width - 2))
    text = fig.build().string()
    if not colour:
        text = plt.uncolorize(text)
    return text.rstrip("\n") + "\n"


def _ticks(lim: tuple[float, float], count: int) -> dict[float, str]:
    return {t: f"{t:g}" for t in nice_ticks(lim[0], lim[1], count) if lim[0] <= t <= lim[1]}


def merged(
    labels: Sequence[Label], x_lim: tuple[float, float], y_lim: tuple[float, float], cols: int, rows: int
) -> list[Label]:
    """The labels, those that would share a cell of a ``cols`` x ``rows`` frame joined into one
    (``1,2``) at the first one's place, so that no number hides another."""

    def cell(value: float, lim: tuple[float, float], cells: int) -> int:
        return round((value - lim[0]) / ((lim[1] - lim[0]) or 1.0) * (cells - 1))

    def columns(label: Label) -> tuple[int, int]:
        start = cell(label.x, x_lim, cols)
        n = len(label.text)
        if label.alignment == "center":
            start -= n // 2
        elif label.alignment == "right":
            start -= n - 1
        return start, start + n

    out: list[Label] = []
    for label in labels:
        row = cell(label.y, y_lim, rows)
        start, end = columns(label)
        for i, placed in enumerate(out):
            p_start, p_end = columns(placed)
            if cell(placed.y, y_lim, rows) == row and start <= p_end and p_start <= end:
                out[i] = placed._replace(text=f"{placed.text},{label.text}")
                break
        else:
            out.append(label)
    return out


def _name_quadrants(fig: object, x_lim: tuple[float, float], y_lim: tuple[float, float], cells: int) -> None:
    """Each quadrant's name in its outer corner, when it fits between that edge and zero."""
    span = x_lim[1] - x_lim[0]
    for (right, up), name in QUADRANTS.items():
        room = (x_lim[1] if right else -x_lim[0]) / span * cells
        if room < len(name) + 2:
            continue
        x, y = (x_lim[1] if right else x_lim[0]), (y_lim[1] if up else y_lim[0])
        fig.draw(fig.text(x, y, name, alignment="right" if right else "left"))  # type: ignore[attr-defined]


def _draw_claim(fig: object, claim: ClaimRecord) -> Label:
    """Draw a claim's range (a line, or a box for a range on each axis), and return its number's
    label: where it lies, with an arrow to a bound's open side."""
    o, q = claim["other"], claim["quality"]
    xs, ys = _finite(o), _finite(q)
    if len(set(xs)) > 1 or len(set(ys)) > 1:
        corners_x = [xs[0], xs[-1], xs[-1], xs[0], xs[0]] if len(set(xs)) > 1 else xs[:1] * 5
        corners_y = [ys[0], ys[0], ys[-1], ys[-1], ys[0]] if len(set(ys)) > 1 else ys[:1] * 5
        line = fig.signal(corners_x, corners_y, marker="braille")  # type: ignore[attr-defined]
        line.lines()
        fig.draw(line)  # type: ignore[attr-defined]
    x, y = sum(xs) / len(xs), sum(ys) / len(ys)
    text = f"{'~' if 'about' in (o['shape'], q['shape']) else ''}{claim['number']}"
    sides = (_open_side(o), _open_side(q))
    if sides not in BOUND_MARKERS:
        return Label(x, y, text, "center")
    arrow = BOUND_MARKERS[sides]
    if sides[0] < 0:
        return Label(x, y, f"{arrow}{text}", "right")
    return Label(x, y, f"{text}{arrow}", "left")


def _either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else list(words))


def summary(answer: ClaimsMap) -> str:
    """What the claims are and how they split: ``4 claims of a change in quality against a
    change in cost, memory or speed, each against its own baseline: 3 win-win, 1 trade-off``."""
    claims = answer.claims
    counts = [
        f"{sum(c['class'] == v for c in claims)} {v}"
        for v in VERDICTS
        if any(c["class"] == v for c in claims)
    ]
    kinds = sorted({c["other"]["kind"] for c in claims})
    return (
        f"{plural(len(claims), 'claim')} of a change in {answer.quality_kind} against a change in "
        f"{_either(kinds)}, each against its own baseline: {', '.join(counts)}"
    )


APART = (
    "Listed apart: a change written as a percentage the paper does not say is points or relative "
    "(percent_or_points) is placed on no axis, since either reading would be a guess; its sign, "
    "and so its class, is the same either way."
)
LEGEND = "improvements are positive, whichever way each objective is better: a 40% cut in latency is +40"


def claims_map_parts(
    answer: ClaimsMap, width: int, height: int, colour: bool = False
) -> Iterator[tuple[bool, str]]:
    """The answer's text in order, each part a line of text (``False``, to be shown with its
    control characters escaped) or a drawn map (``True``: several lines, possibly coloured)."""
    width = max(width, 20)
    for line in textwrap.wrap(summary(answer), width):
        yield False, line
    for index, drawn in enumerate(answer.maps, start=1):
        yield False, ""
        yield False, f"Map {index} of {len(answer.maps)}: {plural(len(drawn.claims), 'claim')}"
        yield True, map_plot(drawn, width, height, colour).rstrip("\n")
        for line in textwrap.wrap(LEGEND, width):
            yield False, line.center(width).rstrip()
        for line in listed(drawn.claims, width):
            yield False, line
    if answer.apart:
        yield False, ""
        for line in textwrap.wrap(APART, width) + listed(answer.apart, width):
            yield False, line


def claims_map_text(answer: ClaimsMap, width: int, height: int, colour: bool = False) -> str:
    """The whole answer as text ``width`` columns wide: a summary, then each map (``height``
    rows) with its claims listed under it, win-win first, then the claims listed apart; an
    empty answer says so in a sentence. Catalog text in it is escaped. For the app and the
    command alike."""
    if not answer.claims:
        return "\n".join(textwrap.wrap(one_line(no_claims_message(answer)), width)) + "\n"
    return "".join(
        (part if drawn else one_line(part)) + "\n"
        for drawn, part in claims_map_parts(answer, width, height, colour)
    )


def no_claims_message(answer: ClaimsMap, narrowed: bool = False) -> str:
    """Why the map is empty (``narrowed``: among the papers a query or a date keeps), and
    where the relative values are."""
    others = _either(answer.other_kinds) if answer.other_kinds else "any other kind"
    among = " of the papers selected" if narrowed else ""
    return (
        f"no result{among} reports both a change in {answer.quality_kind} and a change in {others} "
        "against its baseline; `tradeoffs sql \"SELECT * FROM results WHERE mode <> 'absolute'\"` "
        "lists the relative values"
    )
