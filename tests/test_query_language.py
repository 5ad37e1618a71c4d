"""The query language, one for the app's search box, ``tradeoffs search`` and every ``--query``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.query.filters import Query, parse_query, tokens
from catalog.query.select import select
from catalog.store.store import open_store

from .conftest import MINI


def mini(*args: str) -> list[str]:
    return [*args, "--no-default", "--catalog", str(MINI)]


# Parsing -----------------------------------------------------------------------------


@given(st.text())
def test_parsing_never_raises_whatever_the_text(raw):
    query = parse_query(raw)
    assert isinstance(query, Query)


@given(st.lists(st.sampled_from(["tag:", "year:", "pair:", "is:", '"', "'", " ", "a", "2024", "-", ":"])))
def test_parsing_never_raises_on_fragments_of_filters(parts):
    assert isinstance(parse_query("".join(parts)), Query)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("what's \"", ["what's"]),
        ('tag:"LLM compression" fast', ["tag:LLM compression", "fast"]),
        ("tag:'LLM compression'", ["tag:LLM compression"]),
        ("don't stop", ["don't", "stop"]),
        ('unclosed "quote runs on', ["unclosed", "quote runs on"]),
        ("", []),
    ],
)
def test_words_and_quotes(raw, expected):
    assert tokens(raw) == expected


def test_filters_are_read_and_the_rest_is_text():
    query = parse_query('Pareto tag:"LLM compression" YEAR:2023-2025 pair:fid:latency is:bookmarked fast')
    assert query.text == "Pareto fast"
    assert query.tags == ("LLM compression",)
    assert query.years == (2023, 2025)
    assert query.pair == ("fid", "latency")
    assert query.bookmarked and query.problems == ()


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("year:2025-2023", "year:2025-2023 is an empty range: write the earlier year first (year:2023-2025)"),
        ("year:soon", "year:soon is not a year or a range like 2023-2025"),
        ("pair:fid", "pair:fid should be pair:X:Y, two objective ids"),
        ("is:starred", "is:starred is not a filter: is:bookmarked is the one there is"),
        ("tag:", "tag: needs a value, as in tag:quantization"),
    ],
)
def test_a_malformed_filter_is_a_problem_that_says_what_to_write(raw, problem):
    assert parse_query(raw).problems == (problem,)


def test_a_colon_in_a_word_that_is_no_filter_is_text():
    assert parse_query("BERT:base").text == "BERT:base"


# Selecting ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store():
    return open_store([MINI], use_cache=False)


def test_an_unknown_tag_says_so_with_the_closest_one(store):
    selection = select(store, "tag:difusion")
    assert selection.ids == []
    assert selection.problems == ("no paper has the tag 'difusion' (did you mean 'diffusion'?)",)


def test_tags_match_in_any_case(store):
    assert select(store, "tag:Diffusion").ids == ["swift-sampler"]


def test_an_unknown_objective_in_a_pair_filter_says_so(store):
    assert select(store, "pair:quality:wiat").problems == (
        "unknown objective 'wiat' in pair: (did you mean 'wait'?)",
    )


def test_words_and_filters_together(store):
    assert select(store, "sampler year:2024").ids == ["swift-sampler"]
    assert select(store, "sampler year:2020-2023").ids == []


def test_complete_only_leaves_out_papers_matching_some_words(store):
    loose = select(store, "swift nonexistentword")
    strict = select(store, "swift nonexistentword", complete_only=True)
    assert loose.ids and strict.ids == []


# The command line --------------------------------------------------------------------


def test_export_query_understands_filters(run):
    result = run("export", *mini("--query", "tag:diffusion", "--format", "json"))
    assert result.code == 0, result.err
    assert [p["id"] for p in json.loads(result.out)] == ["swift-sampler"]


def test_search_understands_a_pair_filter(run):
    result = run("search", *mini("pair:quality:size", "--format", "json"))
    assert result.code == 0, result.err
    assert [p["id"] for p in json.loads(result.out)] == ["lean-quant"]


def test_a_query_that_cannot_match_is_a_usage_error_saying_why(run):
    result = run("export", *mini("--query", "tag:difusion"))
    assert result.code == 2 and result.out == ""
    assert "no paper has the tag 'difusion' (did you mean 'diffusion'?)" in result.err
    empty_range = run("plot", *mini("quality:wait", "--query", "year:2025-2023", "--width", "60"))
    assert empty_range.code == 2 and "empty range" in empty_range.err


def test_a_valid_query_matching_nothing_says_so_and_succeeds(run):
    result = run("export", *mini("--query", "year:1990", "--format", "json"))
    assert result.code == 0 and json.loads(result.out) == []
    assert "no paper matches --query 'year:1990'" in result.err


def test_is_bookmarked_reads_the_users_bookmarks(run):
    from catalog.state import UserState, save_state

    save_state(UserState(bookmarks=["lean-quant"]))
    result = run("search", *mini("is:bookmarked", "--format", "json"))
    assert [p["id"] for p in json.loads(result.out)] == ["lean-quant"]
