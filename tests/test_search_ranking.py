"""The search ranks what can be shown first exactly as ranking every match would.

The reference here ranks by the definition, one paper at a time: each query word's best
vocabulary match per paper read from the store's words, every title compared with the query,
every match scored and sorted. The index's fast ranking (postings in memory, numpy sums,
titles compared only while they can still rank) must give the same hits, in the same order.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, utils

from catalog.query import search
from catalog.query.search import Hit, SearchIndex, _round, query_words
from catalog.query.select import select
from catalog.store.store import Store, open_store
from catalog.store.words import TITLE_WEIGHT
from tui.screens.main import MainScreen

from .test_app import main_screen, until
from .test_big_list import COUNT, big_catalog, shared_cache  # noqa: F401 - fixtures
from .test_big_list import app as big_app  # noqa: F401 - a fixture

_WORDS_TEXT = (
    "pareto frontier latency memory quantization distillation reward policy gradient sparse "
    "attention decoding speculative cache energy accuracy tokens agents planning retrieval"
)
WORDS = _WORDS_TEXT.split()
#: Titles with words that rapidfuzz and the index may split apart, and one-letter words.
ODD = ["Über-Quantization", "naïve sparse", "a b c", "x-ray latency", "GPT4o tokens"]


def _catalog(folder: Path, papers: int = 160) -> Path:
    rng = random.Random(3)
    lines = [
        "objectives:",
        "  acc: {label: Accuracy, better: higher}",
        "  lat: {label: Latency, better: lower}",
        "papers:",
    ]
    for i in range(papers):
        # Few words, often repeated: many papers tie, as they do in a field's catalog.
        title = ODD[i] if i < len(ODD) else " ".join(rng.choices(WORDS[:8], k=rng.randint(1, 4)))
        abstract = " ".join(rng.choices(WORDS, weights=[1 / (r + 1) for r in range(len(WORDS))], k=30))
        lines += [
            f"  - id: p{i:03d}",
            f"    title: '{title}'",
            f"    abstract: '{abstract}'",
            "    results:",
            f"      - {{method: m{rng.randint(1, 9)}, values: {{acc: {i + 1}, lat: {i + 2}}},",
            "         source: Table 1}",
        ]
    (folder / "c.yaml").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = _catalog(tmp_path_factory.mktemp("ranking"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return open_store([folder])


def by_definition(store: Store, query: str) -> list[Hit]:
    """Every match of ``query``, ranked one paper at a time."""
    index = SearchIndex(store)
    words = list(dict.fromkeys(query_words(query)))
    rare = [w for w in words if index.papers_with.get(w, 0) <= 0.5 * index.total]
    if rare and index.total >= 10:
        words = rare
    best: dict[str, dict[int, float]] = {}
    for i, word in enumerate(words):
        for candidate, sim in index.expand(word).items():
            for paper, weight in (
                store.cursor()
                .execute("SELECT paper_id, weight FROM words WHERE word = ?", [candidate])
                .fetchall()
            ):
                got = best.setdefault(paper, {})
                got[i] = max(got.get(i, 0.0), sim * weight)
    rows = store.cursor().execute("SELECT id, title, year, position FROM papers").fetchall()
    papers = {pid: (title, year, position) for pid, title, year, position in rows}
    scored = []
    for pid, got in best.items():
        title, year, position = papers[pid]
        matched, score = len(got), sum(got[i] for i in sorted(got))
        close = fuzz.token_set_ratio(utils.default_process(query), utils.default_process(title)) / 100.0
        final = (
            100.0
            * (matched / len(words))
            * (0.7 * (score / (100.0 * TITLE_WEIGHT * len(words))) + 0.3 * close)
        )
        scored.append(
            (
                -round(final, 1),
                -matched,
                -score,
                position,
                Hit(pid, title, year, round(final, 1), matched == len(words)),
            )
        )
    if any(s[-1].complete for s in scored):
        scored = [s for s in scored if s[-1].complete]
    return [s[-1] for s in sorted(scored, key=lambda s: s[:4])]


def same(a: list[Hit], b: list[Hit]) -> bool:
    """The same papers in the same order, with the same scores (sums may differ in the last bit)."""
    return [(h.paper_id, h.score, h.complete) for h in a] == [(h.paper_id, h.score, h.complete) for h in b]


QUERIES = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    st.sampled_from(WORDS).flatmap(lambda w: st.integers(2, len(w)).map(lambda n: w[:n])),  # typing
    st.sampled_from(
        [
            "distilation",
            "latensy memroy",
            "über",
            "naive",
            "a b",
            "x ray",
            "gpt4o",
            "pa fr",
            "retrieval qqqxz",
        ]
    ),  # typos, odd words, a word no paper has
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, first=st.integers(1, 40))
def test_the_first_hits_are_those_ranking_every_match_gives(store, query, first):
    expected = by_definition(store, query)
    ranking = SearchIndex(store).ranking(query, first)
    assert same(ranking.hits, expected[:first])
    # The rest are every other match, each once.
    assert sorted(h.paper_id for h in ranking.hits) + sorted(ranking.rest) == sorted(
        h.paper_id for h in expected[:first]
    ) + sorted(h.paper_id for h in expected[first:])


def test_the_same_index_answers_alike_when_it_forgets_what_it_read(store, monkeypatch):
    index = SearchIndex(store)
    monkeypatch.setattr(search, "POSTINGS_KEPT", 50)  # fewer than one word's papers: read again
    monkeypatch.setattr(search, "EXPANSIONS_KEPT", 2)
    for query in ("pareto", "pareto frontier", "pa", "latency mem", "pareto"):
        assert same(index.search(query, limit=10), by_definition(store, query)[:10])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES.map(lambda q: q + " " + random.Random(len(q)).choice(["Ü", "zz", "q"])))
def test_no_title_is_closer_to_the_query_than_its_bound(store, query):
    index = SearchIndex(store)
    rows = np.arange(index.total)
    bound = index._closest(query, rows)
    actual = index._closeness(query, rows)
    assert (actual <= bound).all()


@pytest.mark.parametrize("first", [1, 2, 5, 12])
def test_titles_are_compared_only_while_they_can_still_rank(store, monkeypatch, first):
    monkeypatch.setattr(search, "_BATCH", 4)  # a few titles at a time: most are never compared
    compared: list[int] = []
    closeness = SearchIndex._closeness

    def counting(self, query, rows):
        compared.append(len(rows))
        return closeness(self, query, rows)

    monkeypatch.setattr(SearchIndex, "_closeness", counting)
    for query in ("pareto", "pareto frontier", "latency", "pa", "memory cache"):
        compared.clear()
        expected = by_definition(store, query)
        assert same(SearchIndex(store).ranking(query, first).hits, expected[:first])
        if query == "pareto" and first == 1:
            assert sum(compared) < len(expected)


def test_a_query_matching_no_word_matches_no_paper(store):
    assert SearchIndex(store).ranking("qqqxz", 5) == ([], [], [])


def test_a_query_with_no_words_left_bounds_every_title_at_nothing(store):
    index = SearchIndex(store)
    assert not index._closest("", np.arange(3)).any()


@given(st.floats(0, 100, allow_nan=False) | st.sampled_from([0.25, 0.35, 2.675, 1.05, 33.35, 99.95]))
def test_scores_round_as_python_rounds(value):
    assert _round(np.array([value]))[0] == round(value, 1)


def test_a_selection_ranking_the_first_only_lists_every_match_and_says_so(store):
    whole = select(store, "pareto frontier")
    first = select(store, "pareto frontier", first=3)
    assert not first.settled and whole.settled
    assert first.ids[:3] == whole.ids[:3] and sorted(first.ids) == sorted(whole.ids)
    assert select(store, "pareto frontier", first=10_000).ids == whole.ids


async def test_the_app_shows_the_first_rows_then_the_whole_list_in_its_order(big_app):  # noqa: F811
    async with big_app.run_test(size=(110, 32)) as pilot:
        await until(
            pilot, lambda: isinstance(big_app.screen, MainScreen) and big_app.screen.selection is not None
        )
        screen = main_screen(big_app)
        await pilot.press(*"study")  # every paper matches: more than the first rows ranked
        await until(pilot, lambda: screen.selection.query.text == "study" and screen.selection.settled)
        explorer = screen.session.explorer
        assert screen.listed_ids() == explorer.select("study", []).ids
        assert len(screen.listed_ids()) == COUNT
