"""Ranked, typo-tolerant search over titles, abstracts, tags, methods and objectives.

Each query word is matched against the catalog's vocabulary (exactly, as a prefix while it is
being typed, or fuzzily with rapidfuzz), and only the papers holding the matched words are
ranked. The papers holding a word are read from the store once and kept (typing a word letter
by letter asks for the same words again), and the scores are summed in numpy arrays over all
papers. A title's closeness to the query is the one costly part of a score, so it is computed
only for papers that can still rank among those asked for, best bound first.

Ranking: papers matching more of the query's words first; then by how well and where they
match (title over tags, methods and objectives over abstract); then by how close the title is
to the whole query.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process, utils

from catalog.store.store import Store
from catalog.store.words import TITLE_WEIGHT

_WORD = re.compile(r"[^\W_]+")


class Hit(NamedTuple):
    """A paper matching a query, with a score from 0 to 100 (a named tuple: a query can match
    tens of thousands)."""

    paper_id: str
    title: str
    year: int | None
    score: float
    complete: bool
    """Whether every word of the query matched."""


def query_words(query: str) -> list[str]:
    """The words of a query, lowercased, as the index splits text."""
    return [w for w in _WORD.findall(query.lower()) if len(w) >= 2]


class Ranking(NamedTuple):
    """The papers matching a query: the best ``len(hits)`` ranked exactly, the rest after them."""

    hits: list[Hit]
    rest: list[str]
    """The other matches' ids, best bound first: not ranked by their titles' closeness yet."""
    words: list[str]
    """The vocabulary words that stood for the query's words."""


#: Postings kept in memory (a paper holding a word is one); past this the oldest words go.
POSTINGS_KEPT = 4_000_000
#: Query words whose vocabulary matches are kept (typing a word asks for each prefix once).
EXPANSIONS_KEPT = 10_000
#: Titles compared with the query at once while looking for the best few.
_BATCH = 512


class SearchIndex:
    """The vocabulary of a store, held in memory for fast fuzzy matching of query words, and
    the papers holding each word asked for so far."""

    def __init__(self, store: Store) -> None:
        self.store = store
        rows = store.cursor().execute("SELECT word, papers FROM vocab ORDER BY word").fetchall()
        self.words = [w for w, _ in rows]
        self.papers_with = dict(rows)
        # A word of letters only shares no character with a number, so cannot be close to it.
        self._spelled = [w for w in self.words if not w.isdigit()]
        (self.total,) = store.cursor().execute("SELECT count(*) FROM papers").fetchone() or (0,)
        self._expanded: dict[str, dict[str, float]] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._kept = 0
        self._papers: tuple[np.ndarray, list[str], list[str], list[int | None]] | None = None
        self._processed: list[str | None] = []
        self._lengths: np.ndarray | None = None

    def expand(self, word: str) -> dict[str, float]:
        """Vocabulary words standing for ``word``, each with a similarity from 0 to 100."""
        known = self._expanded.get(word)
        if known is not None:
            return known
        found: dict[str, float] = {}
        start = bisect.bisect_left(self.words, word)
        for candidate in self.words[start : start + 50]:
            if not candidate.startswith(word):
                break
            found[candidate] = 100.0 if candidate == word else 90.0
        if len(word) >= 4:
            cutoff = 80 if len(word) < 6 else 75
            choices = self.words if any(c.isdigit() for c in word) else self._spelled
            similar = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
            # A close match ("distilation" -> "distillation") makes the looser ones noise.
            best = max((score for _, score, _ in similar), default=0)
            for candidate, score, _ in similar:
                if score >= best - 6:
                    found.setdefault(candidate, float(score) * 0.9)
        if len(self._expanded) >= EXPANSIONS_KEPT:
            self._expanded.clear()
        self._expanded[word] = found
        return found

    def _catalog(self) -> tuple[np.ndarray, list[str], list[str], list[int | None]]:
        """Every paper's position, id, title and year, in catalog order (read once)."""
        if self._papers is None:
            rows = self.store.cursor().execute(
                "SELECT position, id, title, year FROM papers ORDER BY position"
            )
            found = rows.fetchall()
            positions = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
            self._papers = (positions, [r[1] for r in found], [r[2] for r in found], [r[3] for r in found])
            self._processed = [None] * len(found)
        return self._papers

    def _posted(self, words: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The papers holding each of ``words`` (as rows of ``_catalog``) and the words' weights."""
        missing = [w for w in dict.fromkeys(words) if w not in self._postings]
        if missing:
            positions = self._catalog()[0]
            found = (
                self.store.cursor()
                .execute(
                    "SELECT q.i, p.position, w.weight FROM (SELECT unnest($1::VARCHAR[]) AS word, "
                    "generate_subscripts($1::VARCHAR[], 1) - 1 AS i) q "
                    "JOIN words w ON w.word = q.word JOIN papers p ON p.id = w.paper_id",
                    [missing],
                )
                .fetchnumpy()
            )
            which = np.asarray(found["i"], dtype=np.int64)
            order = np.argsort(which, kind="stable")
            which = which[order]
            # Small types: a paper's row fits 32 bits and a weight 8, so many words stay in memory.
            rows = np.searchsorted(positions, np.asarray(found["position"], dtype=np.int64)[order]).astype(
                np.int32
            )
            weights = np.asarray(found["weight"], dtype=np.int8)[order]
            cuts = np.searchsorted(which, np.arange(len(missing) + 1))
            if self._kept + len(which) > POSTINGS_KEPT:  # forget all but the words asked for
                self._postings = {w: self._postings[w] for w in words if w in self._postings}
            for k, word in enumerate(missing):
                self._postings[word] = (rows[cuts[k] : cuts[k + 1]], weights[cuts[k] : cuts[k + 1]])
            self._kept = sum(len(at) for at, _ in self._postings.values())
        return {w: self._postings[w] for w in words}

    def _closeness(self, query: str, rows: np.ndarray) -> np.ndarray:
        """How close the titles of ``rows`` are to the whole query, from 0 to 1."""
        titles, processed = self._catalog()[2], self._processed
        for r in rows.tolist():
            if processed[r] is None:
                processed[r] = utils.default_process(titles[r])
        choices = [processed[r] for r in rows.tolist()]
        ratios = process.cdist(
            [utils.default_process(query)],
            choices,
            scorer=fuzz.token_set_ratio,
            processor=None,
            dtype=np.float64,
        )
        closeness: np.ndarray = ratios[0] / 100.0
        return closeness

    def _closest(self, query: str, rows: np.ndarray) -> np.ndarray:
        """At most how close each title of ``rows`` can be to the whole query, from 0 to 1.

        ``token_set_ratio`` is 100 only for a title sharing a word with the query; for any
        other title it is the ratio of the two texts' words, sorted and joined, which their
        lengths bound: 2 * min(a, b) / (a + b). The titles sharing a word are found in the index
        (title words weigh ``TITLE_WEIGHT``), for words of ASCII letters and digits, where the
        index and rapidfuzz split text alike; for any other word every title may share it."""
        tokens = sorted(set(utils.default_process(query).split()))
        if not tokens:
            return np.zeros(len(rows))
        if not all(t.isascii() and t.isalnum() and len(t) >= 2 for t in tokens):
            return np.ones(len(rows))
        length = len(" ".join(tokens))
        lengths = self._title_lengths()[rows]
        closest = 2.0 * np.minimum(length, lengths) / np.maximum(length + lengths, 1)
        shares = np.zeros(len(self._catalog()[1]), dtype=bool)
        for at, weights in self._posted([t for t in tokens if t in self.papers_with]).values():
            shares[at[weights >= TITLE_WEIGHT]] = True
        closest[shares[rows]] = 1.0
        # A hair over the bound, for the rounding of the ratio's own arithmetic.
        bounded: np.ndarray = np.minimum(closest + 1e-9, 1.0)
        return bounded

    def _title_lengths(self) -> np.ndarray:
        """For each title, the length of its distinct words, sorted and joined by spaces (read once)."""
        if self._lengths is None:
            titles, processed = self._catalog()[2], self._processed
            for r, title in enumerate(titles):
                if processed[r] is None:
                    processed[r] = utils.default_process(title)
            self._lengths = np.fromiter(
                (len(" ".join(set(p.split()))) if p else 0 for p in processed),
                dtype=np.float64,
                count=len(titles),
            )
        return self._lengths

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The papers best matching ``query``, best first."""
        return self.matches(query, limit)[0]

    def matches(self, query: str, limit: int = 20) -> tuple[list[Hit], list[str]]:
        """The papers best matching ``query``, and the vocabulary words that stood for its words."""
        ranking = self.ranking(query, limit)
        return ranking.hits, ranking.words

    def ranking(self, query: str, first: int = 20) -> Ranking:
        """The ``first`` papers best matching ``query``, ranked, and the other matches after them.

        Papers matching more of the query's words rank first; then by how well and where they
        match (title over tags, methods and objectives over abstract); then by how close the
        title is to the whole query. When some paper matches every word, only those are matches.
        """
        words = list(dict.fromkeys(query_words(query)))
        if not words:
            return Ranking([], [], [])
        # Words in most papers ("the", "model") say little; drop them unless nothing else is left.
        rare = [w for w in words if self.papers_with.get(w, 0) <= 0.5 * self.total]
        if rare and self.total >= 10:
            words = rare
        expansions = [self.expand(word) for word in words]
        vocab = [candidate for found in expansions for candidate in found]
        if not vocab:
            return Ranking([], [], [])
        postings = self._posted(vocab)
        _, ids, titles, years = self._catalog()
        n = len(words)
        best = np.zeros((n, len(ids)))
        for i, found in enumerate(expansions):
            row = best[i]
            for candidate, sim in found.items():
                at, weights = postings[candidate]
                row[at] = np.maximum(row[at], np.float64(sim) * weights)
        matched = np.count_nonzero(best, axis=0)
        score = best.sum(axis=0)
        rows = np.flatnonzero(matched == n)
        if not len(rows):
            rows = np.flatnonzero(matched)
        coverage = matched[rows] / n
        strength = score[rows] / (100.0 * TITLE_WEIGHT * n)
        if first >= len(rows):
            order = np.arange(len(rows))
            close = self._closeness(query, rows)
            done = len(rows)
        else:
            # What each paper would score with the closest title it could have: the best first.
            bound = 100.0 * coverage * (0.7 * strength + 0.3 * self._closest(query, rows))
            order = np.argsort(-bound, kind="stable")
            close = np.zeros(len(rows))
            done, step = 0, max(_BATCH, 2 * first)
            while done < len(rows):
                batch = order[done : done + step]
                close[batch] = self._closeness(query, rows[batch])
                done += len(batch)
                step *= 2
                seen = order[:done]
                ranked = 100.0 * coverage[seen] * (0.7 * strength[seen] + 0.3 * close[seen])
                kth = _round(np.partition(ranked, -first)[-first:])[0] if first and done >= first else None
                # The papers left cannot beat the first ``first``: their bound is lower still.
                if done < len(rows) and kth is not None and _round(bound[order[done : done + 1]])[0] < kth:
                    break
        scored = order[:done]
        final = 100.0 * coverage[scored] * (0.7 * strength[scored] + 0.3 * close[scored])
        rounded = _round(final)
        at = rows[scored]
        # Best score first; ties by more words matched, a better match, then catalog order.
        ties = np.lexsort((at, -score[at], -matched[at], -rounded))
        kept = ties[:first]
        hits = [
            Hit(ids[r], titles[r], years[r], float(rounded[k]), bool(matched[r] == n))
            for k, r in zip(kept.tolist(), at[kept].tolist())
        ]
        left = [ids[r] for r in at[ties[first:]].tolist()]
        left += [ids[r] for r in rows[order[done:]].tolist()]
        return Ranking(hits, left, vocab)


def _round(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to one decimal as Python's ``round`` does (numpy's differs only on
    values a hair from a half, which are rounded again one by one)."""
    rounded = np.round(values, 1)
    tenths = values * 10.0
    near_half = np.flatnonzero(np.abs(tenths - np.floor(tenths) - 0.5) < 1e-6)
    for i in near_half.tolist():
        rounded[i] = round(float(values[i]), 1)
    return rounded
