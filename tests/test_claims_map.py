"""The claims map: each result's change in quality set against its change of another kind,
both against its baseline, each placed with "better" one way and classed win-win, trade-off,
neither or unsure; the core against a brute-force reading of the definition, the command on
the shipped catalog."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.claims import value_form
from catalog.errors import QueryError
from catalog.paths import SHIPPED_CATALOG
from catalog.query.changes import VERDICTS, Written, change_span, change_words, read_form, signs, verdict_of
from catalog.query.claims_map import claims_map, parse_kinds
from catalog.source.validate import load_catalog
from catalog.store.store import open_store
from tui.claims_plot import Label, claim_line, claims_map_text, map_plot, merged
from tui.cli import main

# --- A brute-force reading of the definition -------------------------------------------------

NEUTRAL = {"difference": 0.0, "percent": 0.0, "percent_or_points": 0.0, "ratio": 1.0, "times_less": 1.0}
TINY = 1e-6


def allows(written: Written, v: float) -> bool:
    """Whether the written claim allows the value ``v`` (in its own mode's numbers)."""
    mode, shape, n, high = written
    if mode == "times_less" and v <= 0:
        return False
    return {
        "exact": v == n,
        "about": abs(v - n) <= 2 * TINY,
        "range": high is not None and n <= v <= high,
        "at_most": v <= n,
        "below": v < n,
        "at_least": v >= n,
        "above": v > n,
    }[shape]


def candidates(written: Written) -> list[float]:
    """Every value where the sign of a change can turn, and around them: enough to meet each
    sign a claim allows."""
    marks = [written.number, NEUTRAL[written.mode], 1e6, -1e6]
    if written.high is not None:
        marks += [written.high, (written.number + written.high) / 2]
    return [m + d for m in marks for d in (-TINY, 0.0, TINY)]


def change_of(written: Written, v: float, better: str) -> float:
    """The change a value states, positive when better, read straight from the words."""
    if written.mode == "ratio":
        change = (v - 1) * 100
    elif written.mode == "times_less":
        change = (1 / v - 1) * 100
    else:
        change = v  # a difference, a percent, and either reading of percent_or_points
    return change if better == "higher" else -change


def brute_signs(written: Written, better: str) -> set[int]:
    found = set()
    for v in candidates(written):
        if allows(written, v):
            c = change_of(written, v, better)
            found.add((c > 0) - (c < 0))
    return found


def brute_class(q: tuple[Written, str], o: tuple[Written, str]) -> str:
    classes = set()
    for a in brute_signs(*q):
        for b in brute_signs(*o):
            classes.add("win-win" if a > 0 and b > 0 else "trade-off" if a * b < 0 else "neither")
    return classes.pop() if len(classes) == 1 else "unsure"


numbers = st.sampled_from([-150, -40, -2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3.2, 10, 54])
modes = st.sampled_from(["difference", "percent", "ratio", "times_less", "percent_or_points"])
shapes = st.sampled_from(["exact", "about", "range", "at_most", "at_least", "below", "above"])
betters = st.sampled_from(["higher", "lower"])


@st.composite
def writtens(draw: st.DrawFn) -> Written:
    mode, shape = draw(modes), draw(shapes)
    pool = numbers.filter(lambda n: n > 0) if mode == "times_less" else numbers
    low = draw(pool)
    if shape != "range":
        return Written(mode, shape, float(low))
    high = draw(pool.filter(lambda n: n > low))
    return Written(mode, shape, float(low), float(high))


# --- The change of one value -----------------------------------------------------------------


@given(written=writtens(), better=betters)
def test_an_exact_change_is_placed_where_the_formula_of_its_mode_puts_it(written, better):
    written = written._replace(shape="exact", high=None)
    span = change_span(written, better)
    expected = change_of(written, written.number, better)
    assert span.low == span.high == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(written=writtens(), better=betters)
def test_a_span_holds_every_change_its_claim_allows_and_its_ends_are_the_bounds(written, better):
    span = change_span(written, better)
    allowed = [change_of(written, v, better) for v in candidates(written) if allows(written, v)]
    if written.shape != "about":
        for c in allowed:
            assert (span.low is None or c >= span.low - 1e-6) and (span.high is None or c <= span.high + 1e-6)
    said = [change_of(written, n, better) for n in (written.number, written.high) if n is not None]
    for end in (span.low, span.high):
        assert end is None or any(end == pytest.approx(s, rel=1e-9, abs=1e-9) for s in said)


@given(written=writtens(), better=betters)
def test_the_signs_of_a_change_are_those_of_the_values_its_claim_allows(written, better):
    assert signs(change_span(written, better), written.shape) == brute_signs(written, better)


@given(q=writtens(), qb=betters, o=writtens(), ob=betters)
def test_a_claims_class_is_the_one_every_reading_of_its_changes_gives(q, qb, o, ob):
    found = verdict_of(signs(change_span(q, qb), q.shape), signs(change_span(o, ob), o.shape))
    assert found == brute_class((q, qb), (o, ob))


def test_an_exact_change_with_its_uncertainty_is_exact_and_a_number_is_no_relative_form():
    assert read_form({"difference": {"number": 2, "plus_minus": 0.5}}) == Written("difference", "exact", 2.0)
    with pytest.raises(ValueError, match="not a relative value's form"):
        read_form(5.0)


def test_changes_are_said_as_written_with_the_percent_a_factor_is():
    assert change_words(Written("difference", "exact", 2.1), "%") == "+2.1 points"
    assert change_words(Written("difference", "below", -4), "W") == "< -4 W"
    assert change_words(Written("difference", "exact", 3), None) == "+3 (difference)"
    assert change_words(Written("percent", "range", -12, -8), None) == "-12 to -8%"
    assert change_words(Written("times_less", "exact", 3.2), "s") == "3.2x less (-68.75%)"
    assert change_words(Written("times_less", "at_most", 4), "s") == "≤ 4x less (≥ -75%)"
    assert change_words(Written("times_less", "below", 4), "s") == "< 4x less (> -75%)"
    assert change_words(Written("ratio", "about", 1.5), None) == "~1.5x (~+50%)"
    assert change_words(Written("ratio", "at_least", 1.6), None) == "≥ 1.6x (≥ +60%)"
    assert change_words(Written("ratio", "range", 1.4, 3.7), None) == "1.4 to 3.7x (+40 to +270%)"
    assert change_words(Written("percent_or_points", "exact", 4), "%") == "+4% (points or percent: unsaid)"


# --- Claims from a catalog -------------------------------------------------------------------

HEAD = """objectives:
  q: {label: Quality, better: higher, unit: "%", kind: quality}
  ppl: {label: Perplexity, better: lower, kind: quality}
  c: {label: Latency, better: lower, unit: ms, kind: speed}
  w: {label: Power, better: lower, unit: W, kind: cost}
  m: {label: Memory, better: lower, kind: memory}
  n: {label: Unkinded, better: higher}
benchmarks:
  b1: {label: B1}
  b2: {label: B2}
papers:
"""


def yaml_form(form: Any) -> str:
    return json.dumps(form)  # JSON's flow mappings are YAML's


def write_results(folder: Path, results: list[dict[str, Any]], head: str = HEAD) -> list[str]:
    """One paper per ``paper`` named; each result a method, a baseline (or none), values by
    axis (a form each), conditions and a setting when given. The command's catalog options."""
    folder.mkdir(exist_ok=True)
    lines = [head.rstrip("\n")]
    for paper in dict.fromkeys(r.get("paper", "p0") for r in results):
        lines += [
            f"  - id: {paper}",
            f"    title: Paper {paper}",
            "    published: 2024-05-01",
            "    results:",
        ]
        for r in results:
            if r.get("paper", "p0") != paper:
                continue
            values = ", ".join(f"{axis}: {yaml_form(form)}" for axis, form in r["values"].items())
            lines += [
                f"      - method: {r.get('method', 'm0')}",
                f"        values: {{{values}}}",
                "        source: T",
            ]
            if r.get("baseline", "b0"):
                lines.append(f"        baseline: {r.get('baseline', 'b0')}")
            if r.get("setting"):
                lines.append(f"        setting: {r['setting']}")
            if r.get("conditions"):
                said = ", ".join(f"{k}: {v}" for k, v in r["conditions"].items())
                lines.append(f"        conditions: {{{said}}}")
    (folder / "c.yaml").write_text("\n".join(lines) + "\n")
    return ["--no-default", "--catalog", str(folder)]


def claims_of(folder: Path, **kwargs: Any):
    return claims_map(open_store([folder], use_cache=False), **kwargs)


def test_a_gain_in_quality_with_a_cut_in_latency_is_a_win_win_placed_at_both_gains(tmp_path):
    write_results(tmp_path / "c", [{"values": {"q": {"difference": 2.1}, "c": {"percent": -40}}}])
    (claim,) = claims_of(tmp_path / "c").claims
    assert claim["class"] == "win-win" and claim["map"] == 1 and claim["number"] == 1
    assert (claim["other"]["low"], claim["quality"]["low"]) == (40.0, 2.1)
    assert claim["other"]["value"] == {"percent": -40.0} and claim["quality"]["value"] == {"difference": 2.1}
    assert claim_line(claim) == "1. p0/m0 vs b0: q +2.1 points, c -40%"


def test_values_of_one_result_written_apart_make_a_claim_but_not_across_baselines_or_conditions(tmp_path):
    results = [
        {"values": {"q": {"difference": 1}}},
        {"values": {"c": {"times_less": 2}}},  # same paper, method, baseline: one result
        {"baseline": "other", "values": {"w": {"difference": -3}}},
        {"conditions": {"hardware": "A100"}, "values": {"m": {"ratio": 0.5}}},
        {"method": "m1", "values": {"m": {"ratio": 0.5}}},
        {"values": {"n": {"percent": 10}}},  # no kind: on no side
        {"values": {"w": 12}},  # absolute: not a change
    ]
    write_results(tmp_path / "c", results)
    (claim,) = claims_of(tmp_path / "c").claims
    assert (claim["quality"]["axis"], claim["other"]["axis"], claim["other"]["low"]) == ("q", "c", 50.0)


def test_a_claim_pairs_values_on_one_benchmark_or_one_on_none(tmp_path):
    results = [
        {
            "values": {
                "q/b1": {"difference": 1},
                "c/b1": {"percent": -5},
                "w/b2": {"percent": -5},
                "m": {"percent": -1},
            }
        }
    ]
    write_results(tmp_path / "c", results)
    assert sorted(c["other"]["axis"] for c in claims_of(tmp_path / "c").claims) == ["c/b1", "m"]


def test_each_pair_of_scales_has_its_own_map_and_unsaid_percentages_are_listed_apart(tmp_path):
    results = [
        {"method": "a", "values": {"q": {"difference": 1}, "c": {"percent": -10}, "w": {"difference": 2}}},
        {"method": "b", "values": {"ppl": {"percent": -3}, "c": {"ratio": 1.5}, "m": {"difference": -1}}},
        {"method": "c", "values": {"q": {"percent_or_points": 4}, "c": {"percent": -10}}},
    ]
    write_results(tmp_path / "c", results)
    found = claims_of(tmp_path / "c")
    axes = [(m.x.scale, m.x.unit, m.x.objective, m.y.scale, m.y.unit) for m in found.maps]
    assert sorted(axes, key=str) == sorted(
        [
            ("percent", None, None, "difference", "%"),  # a: c against q
            ("difference", "W", None, "difference", "%"),  # a: w against q
            ("percent", None, None, "percent", None),  # b: c against ppl
            ("difference", None, "m", "percent", None),  # b: m against ppl, in m's own unit
        ],
        key=str,
    )
    titles = {m.x.title(["x"]) for m in found.maps} | {m.y.title(["y"]) for m in found.maps}
    assert titles == {
        "x: improvement on the baseline (%)",
        "x: improvement (W)",
        "x: improvement",
        "y: improvement (points)",
        "y: improvement on the baseline (%)",
    }
    (apart,) = found.apart
    assert apart["map"] is None and apart["quality"]["scale"] is None and apart["quality"]["low"] is None
    assert apart["class"] == "win-win" and apart["number"] == len(found.claims)
    assert [c["number"] for c in found.claims] == list(range(1, len(found.claims) + 1))
    by_map = found.maps[found.claims[0]["map"] - 1]
    assert all(c["map"] == found.maps.index(by_map) + 1 for c in by_map.claims)


def test_a_bound_that_may_cross_zero_leaves_the_class_unsure_and_win_wins_come_first(tmp_path):
    results = [
        {"method": "bound", "values": {"q": {"difference": {"at_most": 21.4}}, "c": {"percent": -10}}},
        {"method": "loss", "values": {"q": {"difference": -1}, "c": {"times_less": 2}}},
        {"method": "none", "values": {"q": {"difference": 0}, "c": {"percent": -10}}},
        {"method": "gain", "values": {"q": {"difference": {"between": [1, 2]}}, "c": {"percent": -10}}},
    ]
    write_results(tmp_path / "c", results)
    found = claims_of(tmp_path / "c")
    assert [(c["method"], c["class"]) for c in found.claims] == [
        ("gain", "win-win"),
        ("loss", "trade-off"),
        ("none", "neither"),
        ("bound", "unsure"),
    ]
    assert found.claims[3]["quality"]["direction"] == "unsure"


def test_kinds_narrow_the_map_and_a_kind_no_objective_has_is_refused_with_the_known_ones(tmp_path):
    write_results(
        tmp_path / "c", [{"values": {"q": {"difference": 1}, "c": {"percent": -10}, "w": {"percent": 5}}}]
    )
    store = open_store([tmp_path / "c"], use_cache=False)
    (claim,) = claims_map(store, kinds=parse_kinds("Quality:cost", store.kinds)).claims
    assert (claim["other"]["axis"], claim["class"]) == ("w", "trade-off")
    with pytest.raises(
        QueryError, match="no objective has the kind 'sped' \\(did you mean 'speed'\\?\\); the kinds are cost"
    ):
        parse_kinds("quality:sped", store.kinds)
    with pytest.raises(QueryError, match="QUALITY_KIND:OTHER_KIND"):
        parse_kinds("quality", store.kinds)
    with pytest.raises(QueryError, match="two different kinds"):
        parse_kinds("speed:speed", store.kinds)


FORMS = {
    "difference": [1, -2, 0, {"at_most": 3}, {"between": [-1, 2]}],
    "percent": [-40, 10, {"about": -50}, {"above": 0}],
    "ratio": [0.5, 1.5, 1, {"below": 1}],
    "times_less": [2, 0.5, {"at_least": 3}],
    "percent_or_points": [4, {"at_most": 7.5}],
}
form = st.sampled_from([{mode: q} for mode, quantities in FORMS.items() for q in quantities])
result = st.fixed_dictionaries(
    {
        "paper": st.sampled_from(["p0", "p1"]),
        "method": st.sampled_from(["m0", "m1"]),
        "baseline": st.sampled_from(["b0", "b1"]),
        "conditions": st.sampled_from([None, {"hardware": "A100"}]),
        "values": st.dictionaries(
            st.sampled_from(["q", "q/b1", "ppl", "c", "c/b2", "w", "m", "n"]), form, max_size=4
        ),
    }
).filter(lambda r: len({axis.split("/")[0] for axis in r["values"]}) == len(r["values"]))


def _written(form_: dict[str, Any]) -> Written:
    ((mode, q),) = form_.items()
    if not isinstance(q, dict):
        return Written(mode, "exact", float(q))
    ((shape, n),) = q.items()
    return Written(mode, "range", *map(float, n)) if shape == "between" else Written(mode, shape, float(n))


BETTER = {"q": "higher", "ppl": "lower", "c": "lower", "w": "lower", "m": "lower"}
KIND = {"q": "quality", "ppl": "quality", "c": "speed", "w": "cost", "m": "memory"}


def _canonical(form_: Any) -> str:
    """A form with every number a float, as the store gives it back, for comparing."""
    return json.dumps(json.loads(json.dumps(form_), parse_int=float), sort_keys=True)


def _split(axis: str) -> tuple[str, str | None]:
    objective, _, benchmark = axis.partition("/")
    return objective, benchmark or None


def brute_claims(results: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Every (quality value, other value) pair of one paper, method, baseline and conditions,
    on one benchmark or one of them on none, with the class a brute force reads."""
    found = []
    values = [
        ((r["paper"], r["method"], r["baseline"], json.dumps(r["conditions"])), axis, v)
        for r in results
        for axis, v in r["values"].items()
    ]
    for k1, a1, v1 in values:
        for k2, a2, v2 in values:
            (o1, b1), (o2, b2) = _split(a1), _split(a2)
            if k1 != k2 or KIND.get(o1) != "quality" or KIND.get(o2) in (None, "quality"):
                continue
            if b1 and b2 and b1 != b2:
                continue
            verdict = brute_class((_written(v1), BETTER[o1]), (_written(v2), BETTER[o2]))
            found.append((*k1[:3], a1, _canonical(v1), a2, _canonical(v2), verdict))
    return sorted(found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(results=st.lists(result, min_size=1, max_size=6))
def test_the_claims_found_are_every_pair_brute_force_finds_classed_as_it_reads_them(
    tmp_path_factory, results
):
    folder = tmp_path_factory.mktemp("catalog")
    write_results(folder, [dict(r, values=r["values"] or {"n": 1}) for r in results])
    answer = claims_map(open_store([folder], use_cache=False))
    got = sorted(
        (
            c["paper_id"],
            c["method"],
            c["baseline"],
            c["quality"]["axis"],
            _canonical(c["quality"]["value"]),
            c["other"]["axis"],
            _canonical(c["other"]["value"]),
            c["class"],
        )
        for c in answer.claims
    )
    assert got == brute_claims(results)
    assert [c["number"] for c in answer.claims] == list(range(1, len(answer.claims) + 1))
    for drawn in answer.maps:
        assert [VERDICTS.index(c["class"]) for c in drawn.claims] == sorted(
            VERDICTS.index(c["class"]) for c in drawn.claims
        )
        assert len({(c["other"]["scale"], c["quality"]["scale"]) for c in drawn.claims}) == 1
    assert all(
        c["quality"]["written"] == "percent_or_points" or c["other"]["written"] == "percent_or_points"
        for c in answer.apart
    )


# --- The map as text -------------------------------------------------------------------------


def frame(text: str) -> tuple[list[str], int, int, int, int]:
    """A plot's lines and its frame: top and bottom rows, left and right columns."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines, top, bottom, lines[top].index("┌"), lines[top].index("┐")


def test_a_claim_is_drawn_as_its_number_in_the_quadrant_its_changes_put_it(tmp_path):
    results = [
        {"method": "win", "values": {"q": {"difference": 2}, "c": {"percent": -40}}},
        {"method": "cost", "values": {"q": {"difference": 3}, "c": {"percent": 30}}},
        {"method": "lose", "values": {"q": {"difference": -1}, "c": {"percent": 20}}},
    ]
    write_results(tmp_path / "c", results)
    answer = claims_of(tmp_path / "c")
    lines, top, bottom, left, right = frame(map_plot(answer.maps[0], 70, 20))
    zero_row = next(i for i in range(top, bottom) if "┈" in lines[i])
    zero_col = lines[top + 1].index("┊")
    where = {}
    for row in range(top + 1, bottom):
        for match in re.finditer(r"\d+", lines[row][left + 1 : right]):
            where[match.group()] = (row, left + 1 + match.start())
    numbers = {c["method"]: str(c["number"]) for c in answer.claims}
    for method, (up, right_of_zero) in {
        "win": (True, True),
        "cost": (True, False),
        "lose": (False, False),
    }.items():
        row, col = where[numbers[method]]
        assert (row < zero_row, col > zero_col) == (up, right_of_zero)
    assert "win-win" in lines[top + 1] and "worse on both" in lines[bottom - 1]


def test_claims_that_would_share_a_cell_share_one_label():
    labels = [Label(1.0, 1.0, "1", "center"), Label(1.0, 1.0, "2", "center"), Label(9.0, 9.0, "3", "center")]
    assert [label.text for label in merged(labels, (0, 10), (0, 10), 60, 15)] == ["1,2", "3"]


def test_ranges_and_bounds_are_drawn_as_what_they_are(tmp_path):
    results = [
        {"method": "ranged", "values": {"q": {"difference": {"between": [1, 3]}}, "c": {"percent": -20}}},
        {"method": "bound", "values": {"q": {"difference": 1}, "c": {"percent": {"at_least": -50}}}},
        {"method": "about", "values": {"q": {"difference": 2}, "c": {"percent": {"about": -35}}}},
        {"method": "open", "values": {"q": {"difference": 3}, "c": {"percent": {"at_most": -60}}}},
    ]
    write_results(tmp_path / "c", results)
    answer = claims_of(tmp_path / "c")
    text = map_plot(answer.maps[0], 70, 20)
    numbers = {c["method"]: c["number"] for c in answer.claims}
    assert f"◁{numbers['bound']}" in text  # at most 50% slower is at least -50% better: open to the left
    assert f"~{numbers['about']}" in text
    assert f"{numbers['open']}▷" in text  # at least 60% faster: open to the right
    assert re.search("[⡀-⣿]", text)  # the range's line


def test_the_whole_answer_fits_its_width_and_an_empty_one_says_why(tmp_path):
    write_results(
        tmp_path / "c",
        [{"values": {"q": {"difference": 1}, "c": {"percent": -10}, "m": {"percent_or_points": 3}}}],
    )
    text = claims_map_text(claims_of(tmp_path / "c"), 40, 12)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert text.index("win-win (better on both):") < text.index("Listed apart")
    write_results(tmp_path / "e", [{"values": {"q": 1, "c": 2}}])
    empty = claims_map_text(claims_of(tmp_path / "e"), 80, 20)
    assert empty.startswith(
        "no result reports both a change in quality and a change in cost, memory or speed"
    )


# --- The command -----------------------------------------------------------------------------


def shipped_claims() -> list[tuple[str, str, str, Any, str, Any]]:
    """The claims the shipped YAML holds, read from the loaded catalog itself: each result's
    relative quality value with its relative value of another kind."""
    catalog = load_catalog([SHIPPED_CATALOG])
    kind = {oid: o.kind for oid, o in catalog.objectives.items()}
    found = []
    for paper in catalog.papers:
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for r in paper.results:
            groups.setdefault((r.method, r.baseline, r.setting, r.conditions), []).extend(
                v for v in r.values if v.mode != "absolute"
            )
        for (method, *_), values in groups.items():
            for q in values:
                for o in values:
                    if kind[q.objective] != "quality" or kind[o.objective] in (None, "quality"):
                        continue
                    if q.benchmark and o.benchmark and q.benchmark != o.benchmark:
                        continue
                    found.append((paper.id, method, q.key, value_form(q), o.key, value_form(o)))
    return sorted(found, key=str)


def test_json_gives_every_claim_the_shipped_yaml_holds_with_its_values_as_written(run):
    result = run("claims", "--format", "json")
    assert result.code == 0
    records = json.loads(result.out)
    got = [
        (
            r["paper_id"],
            r["method"],
            r["quality"]["axis"],
            r["quality"]["value"],
            r["other"]["axis"],
            r["other"]["value"],
        )
        for r in records
    ]
    expected = shipped_claims()
    assert expected and sorted(got, key=str) == expected
    laser = next(r for r in records if r["paper_id"] == "learn-to-reason-efficiently-with-adaptive")
    assert (laser["quality"]["value"], laser["other"]["value"]) == ({"difference": 6.1}, {"percent": -63.0})
    assert (laser["quality"]["low"], laser["other"]["low"], laser["class"]) == (6.1, 63.0, "win-win")


def test_the_table_draws_each_map_and_lists_its_claims_under_it_within_80_columns(run):
    records = json.loads(run("claims", "--format", "json").out)
    result = run("claims", "--width", "80", "--height", "16")
    assert result.code == 0 and "\x1b" not in result.out  # not a terminal: no colour
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    maps = [i for i, line in enumerate(lines) if re.match(r"Map \d+ of \d+: ", line)]
    assert len(maps) == len({r["map"] for r in records if r["map"]})
    listed = re.findall(r"^  (\d+)\. ", result.out, flags=re.M)
    assert [int(n) for n in listed] == [r["number"] for r in records]
    for r in records:  # each listed with its paper, method and both changes as the YAML writes them
        start = next(i for i, line in enumerate(lines) if line.startswith(f"  {r['number']}. "))
        said = "".join(lines[start : start + 4]).replace(" ", "")
        for part in (
            f"{r['number']}.{r['paper_id']}/{r['method']}",
            r["quality"]["said"],
            r["other"]["said"],
        ):
            assert part.replace(" ", "") in said
    wide = run("claims", "--width", "160", "--height", "16")
    assert max(len(line) for line in wide.out.splitlines()) <= 160
    assert any(len(line) > 100 for line in wide.out.splitlines())


def test_csv_has_one_row_per_claim(run):
    records = json.loads(run("claims", "--format", "json").out)
    rows = list(csv.DictReader(io.StringIO(run("claims", "--format", "csv").out)))
    assert [(r["number"], r["class"], r["quality_axis"]) for r in rows] == [
        (str(r["number"]), r["class"], r["quality"]["axis"]) for r in records
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_and_none_with_no_color(monkeypatch):
    out = _Terminal()
    assert main(["claims", "--width", "80"], out=out) == 0
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    assert main(["claims", "--width", "80"], out=plain) == 0
    assert "\x1b" not in plain.getvalue() and "Map 1 of" in plain.getvalue()


def test_kinds_that_name_no_kind_are_a_usage_error_listing_the_known_kinds(run):
    result = run("claims", "--kinds", "quality:spede")
    assert result.code == 2
    assert "did you mean 'speed'?" in result.err and "the kinds are cost, " in result.err
    narrowed = json.loads(run("claims", "--kinds", "quality:speed", "--format", "json").out)
    assert narrowed and {r["other"]["kind"] for r in narrowed} == {"speed"}


def test_a_query_narrows_the_claims_to_the_results_measured_under_its_conditions(run):
    query = "setting:base_model=DeepSeek-R1-Distill-Qwen-1.5B"
    records = json.loads(run("claims", "--query", query, "--format", "json").out)
    assert records and all(r["conditions"]["base_model"] == "DeepSeek-R1-Distill-Qwen-1.5B" for r in records)
    every = json.loads(run("claims", "--format", "json").out)
    assert len(records) < len(every)


def test_an_empty_map_says_so_and_succeeds(run):
    """Exit 0: a valid question with no answer in the catalog is not a failure, as with every
    query that matches nothing; standard error says why, and scripts get an empty list."""
    result = run("claims", "--as-of", "1990")
    assert result.code == 0 and result.out == ""
    assert "no result of the papers selected reports both a change in quality and a change in" in result.err
    assert run("claims", "--as-of", "1990", "--format", "json").out.strip() == "[]"


def test_catalog_text_in_the_lists_is_shown_escaped(run, tmp_path):
    args = write_results(
        tmp_path / "c",
        [{"method": "evil\\x1b[31m", "values": {"q": {"difference": 1}, "c": {"percent": -1}}}],
    )
    (tmp_path / "c" / "c.yaml").write_text(
        (tmp_path / "c" / "c.yaml").read_text().replace("evil\\x1b[31m", '"evil\\e[31m"')
    )
    result = run("claims", "--width", "80", *args)
    assert result.code == 0 and "\x1b" not in result.out and "evil\\x1b[31m" in result.out
