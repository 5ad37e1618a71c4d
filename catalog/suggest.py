"""``Did you mean`` hints: the closest known name to a mistyped one.

Used by validation (unknown fields and objectives), pair parsing and the query language,
so it depends on nothing but rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, when one is close enough to be meant."""
    # Imported here: only a mistake needs it, and every command's start would pay for it.
    from rapidfuzz import fuzz, process, utils

    match = process.extractOne(
        word, list(choices), scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=70
    )
    return match[0] if match else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` hint for ``word`` among ``choices``, or an empty string."""
    match = closest(word, choices)
    return f" (did you mean {match!r}?)" if match else ""
