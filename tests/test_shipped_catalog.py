"""The shipped catalog: every paper of the seed page, once, with every number traceable to its words."""

from __future__ import annotations

import json

import pytest

from catalog.drafts.page import parse_page
from catalog.paths import SHIPPED_CATALOG
from catalog.source.validate import load_catalog
from catalog.text import number_set, squash_space

from .conftest import FIXTURES

CATALOG = load_catalog([SHIPPED_CATALOG])
PAPERS = {p.id: p for p in CATALOG.papers}
SEED = parse_page((FIXTURES / "pages" / "seed_page.txt").read_text(), 2025)
RESULTS = [(p, r) for p in CATALOG.papers for r in p.results]


def test_every_title_of_the_seed_page_is_in_the_catalog_exactly_once():
    titles = [p.title for p in CATALOG.papers]
    for entry in SEED:
        assert titles.count(entry.title) == 1, entry.title
    assert len(CATALOG.papers) == len(SEED) == 102


def test_abstracts_are_the_seed_page_s_words():
    by_title = {p.title: p for p in CATALOG.papers}
    for entry in SEED:
        assert squash_space(by_title[entry.title].abstract or "") == squash_space(entry.abstract), entry.title


@pytest.mark.parametrize(("paper", "result"), RESULTS, ids=[f"{p.id}:{r.line}" for p, r in RESULTS])
def test_each_result_is_stated_by_its_evidence(paper, result):
    assert result.evidence or result.source
    if result.evidence:
        assert squash_space(result.evidence) in squash_space(paper.abstract or "")
        for value in result.values:
            assert abs(value.number) in number_set(result.evidence), (value, result.evidence)


def test_every_paper_studies_a_pair_or_says_why_not():
    # A pair the abstract does not support is left out, and the notes say so.
    silent = [p.id for p in CATALOG.papers if not p.tradeoffs and "Declares no pair" not in (p.notes or "")]
    assert silent == []


def test_every_paper_has_tags():
    assert [p.id for p in CATALOG.papers if not p.tags] == []


def test_relative_values_name_their_baseline():
    for paper, result in RESULTS:
        if any(v.mode != "absolute" for v in result.values):
            assert result.baseline, paper.id


def test_export_lists_every_paper_with_its_exact_title(run):
    exported = json.loads(run("export", "--format", "json").out)
    assert sorted(p["title"] for p in exported) == sorted(e.title for e in SEED)


def test_fid_against_latency_has_a_real_frontier(run):
    points = json.loads(run("export", "--pair", "fid:latency", "--format", "json").out)
    assert any(p["on_frontier"] for p in points) and not all(p["on_frontier"] for p in points)


def test_no_shipped_value_sits_on_a_generic_axis():
    """A score or an accuracy says what it was measured on; speed-ups are ratios of a time."""
    for paper, result in RESULTS:
        for value in result.values:
            if value.objective in ("score", "accuracy"):
                assert value.benchmark, f"{paper.id}: {value.key}"
    assert not {"speedup", "cost", "sample_efficiency"} & set(CATALOG.objectives)


def test_the_shipped_tables_come_from_a_dozen_seed_papers_and_give_frontiers():
    with_tables = {p.id for p in CATALOG.papers if any(r.row for r in p.results)}
    assert len(with_tables) >= 12, sorted(with_tables)


def test_qualified_claims_are_in_the_shipped_catalog(run):
    shapes = {v.shape for _, r in RESULTS for v in r.values}
    modes = {v.mode for _, r in RESULTS for v in r.values}
    assert {"range", "at_most", "at_least", "about", "below", "above"} <= shapes
    assert {"times_less", "percent_or_points"} <= modes


def test_frontiers_worth_exploring_some_of_them_across_papers(run):
    pairs = json.loads(run("pairs", "--format", "json").out)
    rich = [p for p in pairs if p["points"] >= 5]
    assert len(rich) >= 10
    across = {f"{p['x']}:{p['y']}" for p in rich if p["papers"] >= 2}
    assert {"accuracy/aime24:tokens/aime24", "accuracy/math500:tokens/math500"} <= across
