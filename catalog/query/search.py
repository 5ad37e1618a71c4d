"""Ranked, typo-tolerant search over titles, abstracts, tags, methods and objectives.

Each query word is matched against the catalog's vocabulary (exactly, as a prefix while it is
being typed, or fuzzily with rapidfuzz), and only the papers holding the matched words are
ranked. The cost of a keystroke grows with the vocabulary, not with the papers.

Ranking: papers matching more of the query's words first; then by how well and where they
match (title over tags, methods and objectives over abstract); then by how close the title is
to the whole query.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

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


class SearchIndex:
    """The vocabulary of a store, held in memory for fast fuzzy matching of query words."""

    def __init__(self, store: Store) -> None:
        self.store = store
        rows = store.cursor().execute("SELECT word, papers FROM vocab ORDER BY word").fetchall()
        self.words = [w for w, _ in rows]
        self.papers_with = dict(rows)
        (self.total,) = store.cursor().execute("SELECT count(*) FROM papers").fetchone() or (0,)

    def expand(self, word: str) -> dict[str, float]:
        """Vocabulary words standing for ``word``, each with a similarity from 0 to 100."""
        found: dict[str, float] = {}
        start = bisect.bisect_left(self.words, word)
        for candidate in self.words[start : start + 50]:
            if not candidate.startswith(word):
                break
            found[candidate] = 100.0 if candidate == word else 90.0
        if len(word) >= 4:
            cutoff = 80 if len(word) < 6 else 75
            similar = process.extract(word, self.words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
            # A close match ("distilation" -> "distillation") makes the looser ones noise.
            best = max((score for _, score, _ in similar), default=0)
            for candidate, score, _ in similar:
                if score >= best - 6:
                    found.setdefault(candidate, float(score) * 0.9)
        return found

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The papers best matching ``query``, best first."""
        return self.matches(query, limit)[0]

    def matches(self, query: str, limit: int = 20) -> tuple[list[Hit], list[str]]:
        """The papers best matching ``query``, and the vocabulary words that stood for its words."""
        words = list(dict.fromkeys(query_words(query)))
        if not words:
            return [], []
        # Words in most papers ("the", "model") say little; drop them unless nothing else is left.
        rare = [w for w in words if self.papers_with.get(w, 0) <= 0.5 * self.total]
        if rare and self.total >= 10:
            words = rare
        qi, vocab, sims = [], [], []
        for i, word in enumerate(words):
            for candidate, sim in self.expand(word).items():
                qi.append(i)
                vocab.append(candidate)
                sims.append(sim)
        if not vocab:
            return [], []
        rows = (
            self.store.cursor()
            .execute(
                """
            WITH q AS (SELECT unnest($1::INTEGER[]) AS qi, unnest($2::VARCHAR[]) AS word,
                              unnest($3::DOUBLE[]) AS sim),
            hits AS (SELECT w.paper_id, q.qi, max(q.sim * w.weight) AS s
                     FROM q JOIN words w ON w.word = q.word GROUP BY w.paper_id, q.qi)
            SELECT h.paper_id, p.title, p.year, count(*) AS matched, sum(h.s) AS score
            FROM hits h JOIN papers p ON p.id = h.paper_id
            GROUP BY h.paper_id, p.title, p.year, p.position
            ORDER BY matched DESC, score DESC, p.position
            LIMIT $4
            """,
                [qi, vocab, sims, max(limit * 5, 50)],
            )
            .fetchall()
        )
        # How close each title is to the whole query, in one batch call (the app ranks every
        # match, tens of thousands at a time: a Python loop of single calls took most of a second).
        closeness = [0.0] * len(rows)
        for _, ratio, n in process.extract(
            utils.default_process(query),
            [r[1] for r in rows],
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=None,
        ):
            closeness[n] = ratio / 100.0
        hits = []
        for (pid, title, year, matched, score), close in zip(rows, closeness):
            coverage = matched / len(words)
            strength = score / (100.0 * TITLE_WEIGHT * len(words))
            final = 100.0 * coverage * (0.7 * strength + 0.3 * close)
            hits.append(Hit(pid, title, year, round(final, 1), matched == len(words)))
        # Papers matching every word are what the user asked for; the rest only help when
        # nothing matches them all.
        if any(h.complete for h in hits):
            hits = [h for h in hits if h.complete]
        hits.sort(key=lambda h: -h.score)
        return hits[:limit], vocab
