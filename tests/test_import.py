"""Importing a copied listing page: entries read right, drafts valid as written, no duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.drafts.page import parse_page
from catalog.drafts.render import result_numbers, slug
from catalog.paths import SHIPPED_CATALOG
from catalog.source.validate import check, load_catalog

from .conftest import FIXTURES

PAGES = FIXTURES / "pages"
SEED = PAGES / "seed_page.txt"
SMALL = PAGES / "small_page.txt"
VOCABULARY = SHIPPED_CATALOG / "objectives.yaml"


def import_args(page: Path, target: Path, *more: str) -> list[str]:
    return [
        "import",
        str(page),
        "-o",
        str(target),
        "--year",
        "2025",
        "--no-default",
        "--catalog",
        str(VOCABULARY),
        *more,
    ]


def test_the_seed_page_has_102_papers_with_their_metadata():
    entries = parse_page(SEED.read_text(), 2025)
    assert len(entries) == 102
    assert len({e.title for e in entries}) == 102
    first = entries[0]
    assert first.title == "Towards the Law of Capacity Gap in Distilling Language Models"
    assert (first.authors_count, first.published) == (4, "2023-11-12")
    assert first.abstract.startswith("Language model (LM) distillation is a trending area")
    adacot = next(e for e in entries if e.title.startswith("AdaCoT"))
    assert adacot.published == "2025-05-17"  # "May 17 3": no year, then an upvote count
    assert sum(e.published is None for e in entries) == 10


def test_a_small_page_skips_the_header_and_reads_each_entry():
    entries = parse_page(SMALL.read_text(), 2025)
    assert [e.title for e in entries] == [
        "Fast Frontier Search for Sparse Transformers",
        "A Paper Without Metadata",
        "Older Paper, With a Comma",
    ]
    fast, bare, older = entries
    assert (fast.authors_count, fast.published, fast.line) == (3, "2025-02-10", 9)
    assert fast.code == ("https://github.com/example/frontier-sparse",)
    assert (bare.authors_count, bare.published) == (None, None)
    assert older.published == "2021-12-01"


def test_numbers_that_look_like_results_are_offered_with_their_sentence():
    (fast, *_) = parse_page(SMALL.read_text(), 2025)
    found = {(n.text, n.sentence[:30]) for n in result_numbers(fast.abstract)}
    assert {n for n, _ in found} == {"35", "71.2", "70.8", "12.5"}  # not "4 GPUs", not the year 2023


def test_slugs_are_short_and_unique():
    taken: set[str] = set()
    assert slug("SANA-Sprint: One-Step Diffusion", taken) == "sana-sprint"
    assert slug("SANA-Sprint: Another", taken) == "sana-sprint-2"


def test_drafts_of_the_seed_page_are_valid_as_written(run, tmp_path):
    target = tmp_path / "drafts"
    result = run(*import_args(SEED, target))
    assert result.code == 0, result.err
    assert result.out.splitlines()[-2:] == [
        f"102 drafts written to {target}; 0 already in the catalog; 102 on the page",
        "31 drafts took the year 2025 for a date the page gives without one; each says so in a comment: "
        "check them",
    ]
    catalog, problems, files = check([VOCABULARY, target])
    assert problems == [] and catalog is not None
    assert len(files) == 103 and len(catalog.papers) == 102
    titles = {p.title for p in catalog.papers}
    assert titles == {e.title for e in parse_page(SEED.read_text(), 2025)}
    abstracts = {p.abstract for p in catalog.papers}
    assert abstracts == {e.abstract for e in parse_page(SEED.read_text(), 2025)}


def test_a_draft_offers_objectives_pairs_and_numbers_in_comments(run, tmp_path):
    target = tmp_path / "drafts"
    assert run(*import_args(SMALL, target)).code == 0
    draft = (target / "fast-frontier-search-for-sparse-transformers.yaml").read_text()
    assert "# Objectives the abstract seems to mention: accuracy (accuracy), latency (latency)" in draft
    assert "#   - [accuracy, latency]" in draft
    # "cuts latency by 35%": a drop, offered as a percent change.
    assert (
        "#     values: {OBJECTIVE_1: {percent: -35}, OBJECTIVE_2: 71.2, OBJECTIVE_3: 70.8, OBJECTIVE_4: 12.5}"
        in draft
    )
    assert "code:\n      - 'https://github.com/example/frontier-sparse'" in draft
    assert draft.startswith("# yaml-language-server: $schema=")


def test_importing_twice_reports_the_papers_already_there(run, tmp_path):
    target = tmp_path / "drafts"
    run(*import_args(SMALL, target))
    again = run(*import_args(SMALL, target))
    assert again.code == 0
    assert "already in the catalog: A Paper Without Metadata [a-paper-without-metadata]" in again.out
    assert again.out.splitlines()[-1].startswith("0 drafts written")
    assert len(list(target.glob("*.yaml"))) == 3


def test_the_shipped_catalog_already_holds_the_seed_page(run, tmp_path):
    result = run("import", str(SEED), "-o", str(tmp_path / "new"), "--year", "2025")
    assert result.code == 0
    assert result.out.splitlines()[-1].startswith("0 drafts written")


@pytest.mark.parametrize("content", [b"", b"just a line\n", b"\xff\xfe\x00garbage"])
def test_a_page_without_papers_is_refused_clearly(run, tmp_path, content):
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    result = run(*import_args(page, tmp_path / "out"))
    assert result.code == 1 and str(page) in result.err
    assert "Traceback" not in result.err


def test_drafts_load_with_their_text_exactly(run, tmp_path):
    target = tmp_path / "drafts"
    run(*import_args(SMALL, target))
    catalog = load_catalog([VOCABULARY, target])
    older = next(p for p in catalog.papers if p.title == "Older Paper, With a Comma")
    assert older.authors_count == 1 and older.published == "2021-12-01"


def test_a_date_without_a_year_is_flagged_in_the_draft_and_said(run, tmp_path):
    entries = parse_page(SMALL.read_text(), 2025)
    fast, _, older = entries
    assert fast.year_assumed and not older.year_assumed  # "Feb 10" against "Dec 1, 2021"
    target = tmp_path / "drafts"
    result = run(*import_args(SMALL, target))
    assert result.code == 0
    assert "took the year 2025 for a date the page gives without one" in result.out
    draft = next(p for p in target.glob("*.yaml") if "fast-frontier" in p.name).read_text()
    assert "published: 2025-02-10\n    # The page gives this date without a year" in draft
    older_draft = next(p for p in target.glob("*.yaml") if "older-paper" in p.name).read_text()
    assert "without a year" not in older_draft


def test_a_percent_drop_is_offered_as_a_percent_change():
    from catalog.drafts.render import _draft_value

    sentence = "It improves accuracy by 4.2% while reducing tokens by 46.9% and uses 30% fewer steps."
    offered = {n.text: _draft_value(n) for n in result_numbers(sentence)}
    assert offered == {
        "4.2": "{percent_or_points: 4.2}",
        "46.9": "{percent: -46.9}",
        "30": "{percent: -30}",
    }


@pytest.mark.parametrize(
    ("sentence", "offered"),
    [
        ("It is 1.4 - 3.7x larger.", {"1.4": "{between: [1.4, 3.7]}"}),
        ("It draws between 7 and 11 Watts.", {"7": "{between: [7, 11]}"}),
        ("It has 34 - 91% fewer artifacts.", {"34": "{percent: {between: [-91, -34]}}"}),
        ("It has 20 - 85% higher fidelity.", {"20": "{percent_or_points: {between: [20, 85]}}"}),
        ("It runs up to 230x faster.", {"230": "{at_most: 230}"}),
        ("It reduces energy by up to 45%.", {"45": "{percent: {at_least: -45}}"}),
        ("It needs 54x less memory.", {"54": "{times_less: 54}"}),
        ("It needs about 0.1s and less than 60% of the data.", {"0.1": "{about: 0.1}", "60": "{below: 60}"}),
    ],
)
def test_a_draft_offers_each_number_in_the_form_its_words_give_it(sentence, offered):
    from catalog.drafts.render import _draft_value

    assert {n.text: _draft_value(n) for n in result_numbers(sentence)} == offered
