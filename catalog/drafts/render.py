"""Turn page entries into draft catalog files for a person to confirm.

A draft is a valid catalog file as written: title, abstract (verbatim), authors count, date
and links are filled in; what needs judgement is offered in comments: the objectives the
abstract seems to mention (matched against the vocabulary's labels and aliases), pairs of them,
and every number that looks like a result, with the sentence that states it as evidence.

Text from the page is written so that it loads back exactly, whatever it holds: single-quoted
when every character may stand in YAML as it is, double-quoted with escapes (``\\x07``,
``\\u2028``) otherwise, so no character of the page can end a line of the draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from catalog.drafts.page import PageEntry
from catalog.model import Objective
from catalog.text import numbers_in

# A sentence ends at . ! or ? followed by space and a capital (not inside 71.2 or "e.g. the").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
# A number followed by one of these reads as a measurement, not a name or a count of things.
_UNIT_AFTER = re.compile(
    r"\s?(?:\\?%|x\b|\u00d7|-?fold|times|s\b|ms\b|seconds|bits?\b|points?|pp\b|GB|MB|[BMK]\b|FID|tokens|"
    r"percentage points|accuracy|speed-?up)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: Longest id (and so file name, before ``.yaml``) a draft gets from its title.
MAX_ID_CHARS = 64
#: Longest abstract the draft looks for objectives and numbers in; abstracts run to 2,000 characters.
MAX_SUGGEST_CHARS = 5000
# Characters that may not stand in a YAML scalar as they are: control characters, what YAML 1.1
# takes for line breaks (U+0085, U+2028, U+2029), surrogates, the byte order mark, non-characters.
_NOT_RAW = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x2028, 0x2029),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFFE, 0xFFFF),
)
_RAW = re.compile("[^" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _NOT_RAW) + "]*")
_NAMED = {0x00: "\\0", 0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_ESCAPES = {
    code: _NAMED.get(code) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
    for code in [*(c for low, high in _NOT_RAW for c in range(low, high + 1)), 0x22, 0x5C]
}
# Plain words YAML reads as something other than text (null, booleans), so an id must not be one.
_NOT_TEXT = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


@dataclass(frozen=True)
class DraftNumber:
    """A number that looks like a result, with the sentence that states it."""

    value: float
    text: str
    sentence: str


def slug(title: str, taken: set[str]) -> str:
    """A short, unique id from a title: its first words, lowercased, at most ``MAX_ID_CHARS``
    long before any ``-2`` that sets it apart."""
    words = re.findall(r"[a-z0-9]+", title.lower().split(":")[0]) or re.findall(r"[a-z0-9]+", title.lower())
    base = "-".join(words[:6])[:MAX_ID_CHARS].strip("-") or "paper"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _terms(objective: Objective) -> list[str]:
    return [objective.label, objective.id.replace("_", " "), *objective.aliases]


def mentioned_objectives(abstract: str, objectives: Iterable[Objective]) -> list[tuple[str, str]]:
    """Objectives whose label, id or alias the abstract mentions: (objective id, the words found)."""
    text = abstract.lower()
    found = []
    for objective in objectives:
        for term in _terms(objective):
            term_lower = term.lower()
            if len(term_lower) < 3:
                continue
            match = re.search(rf"(?<![a-z0-9]){re.escape(term_lower)}(?![a-z0-9])", text)
            if match:
                # Lowercasing can change a text's length (İ is two characters lowercased).
                same = len(text) == len(abstract)
                found.append((objective.id, abstract[match.start() : match.end()] if same else match.group()))
                break
            if len(term_lower) >= 6 and fuzz.partial_ratio(term_lower, text, score_cutoff=92):
                found.append((objective.id, f"~{term}"))
                break
    return found


def result_numbers(abstract: str) -> list[DraftNumber]:
    """Numbers of the abstract that look like results: decimals, or numbers with a unit."""
    out = []
    for sentence in _SENTENCE_END.split(abstract):
        sentence = sentence.strip()
        if not sentence:
            continue
        for value, start, end in numbers_in(sentence):
            written = sentence[start:end]
            before = sentence[max(start - 1, 0) : start]
            decimal = "." in written
            unit = _UNIT_AFTER.match(sentence, end)
            # The low end of a range takes the unit of its high end: "20 - 85%", "7 and 11 Watts".
            span = _RANGE_AFTER.match(sentence, end) or _BETWEEN_AFTER.match(sentence, end)
            if span and not unit:
                unit = _UNIT_AFTER.match(sentence, span.end()) or re.match(
                    r"\s?[A-Za-z]", sentence[span.end() :]
                )
            if _YEAR.fullmatch(written) and not unit:
                continue
            if before.isalpha() or (before == "-" and start >= 2 and sentence[start - 2].isalpha()):
                continue  # part of a name: H100, Llama-3, GPT-4
            if decimal or unit:
                number = DraftNumber(value, written, sentence)
                if not range_end(number):
                    out.append(number)
    return out


# A percent the sentence says is a drop: "46.9% fewer", "reduces ... by 46.9%".
_DROP_AFTER = re.compile(r"\s?%\s*(?:fewer|less|lower|smaller|reduction|decrease|drop)", re.IGNORECASE)
_DROP_BEFORE = re.compile(
    r"(?:reduc\w*|cut\w*|lower\w*|decreas\w*|sav\w*)\s[^.%]{0,40}?\bby\s(?:up to\s)?$", re.IGNORECASE
)
# A percent the sentence calls a gain without saying points or relative: "improves accuracy by 4%".
_GAIN = re.compile(
    r"(?:improv\w*|increas\w*|boost\w*|gain\w*|outperform\w*)\s[^.%]{0,40}?\bby\s$", re.IGNORECASE
)
_GAIN_AFTER = re.compile(r"\s?%\s*(?:higher|more|better|improvement|gain|increase)", re.IGNORECASE)
# Words before a number that bound or approximate it.
_QUALIFIER_BEFORE = (
    (re.compile(r"(?:up to|at most|within|no more than)\s$", re.IGNORECASE), "at_most"),
    (re.compile(r"(?:at least|no less than)\s$", re.IGNORECASE), "at_least"),
    (re.compile(r"(?:less than|under|below|fewer than)\s$", re.IGNORECASE), "below"),
    (re.compile(r"(?:more than|over|above|exceeding)\s$", re.IGNORECASE), "above"),
    (re.compile(r"(?:about|around|approximately|roughly|nearly|~)\s?$", re.IGNORECASE), "about"),
)
# A number starting a range: "1.4 - 3.7x", "20-85%", "7 to 11"; or after "between": "between 7 and 11".
_RANGE_AFTER = re.compile(r"\s?(?:-|\u2013|to)\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
_BETWEEN_AFTER = re.compile(r"\s(?:and)\s((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
# "54x less", "3 times less", "ten times fewer": the baseline's value over the method's.
_TIMES_LESS = re.compile(r"\s?(?:x|\u00d7|times)\s(?:less|fewer|smaller|lower)\b", re.IGNORECASE)


def range_end(number: DraftNumber) -> bool:
    """Whether the number is the high end of a range the draft offers with its low end."""
    at = number.sentence.find(number.text)
    before = number.sentence[:at] if at >= 0 else ""
    return bool(
        re.search(r"\d\s?(?:-|\u2013|to)\s?$", before)
        or re.search(r"\bbetween\s[\d.,]+\sand\s$", before, re.IGNORECASE)
    )


def _draft_value(number: DraftNumber) -> str:
    """How a draft offers a number, in the form its words give it: a range (``{between: [7, 11]}``),
    a bound (``{at_most: 230}``), an approximate value, a factor with its direction
    (``{times_less: 54}``), a percent change when the words say it is a drop, a percentage the
    words do not say is points or relative (``{percent_or_points: 4}``), or plainly."""
    written = number.text.replace(",", "")
    at = number.sentence.find(number.text)
    if at < 0:
        return written
    after = number.sentence[at + len(number.text) :]
    before = number.sentence[:at]
    quantity = written
    end = _RANGE_AFTER.match(after)
    if re.search(r"\bbetween\s$", before, re.IGNORECASE):
        end = _BETWEEN_AFTER.match(after) or end
    if end:
        quantity = f"{{between: [{written}, {end.group(1).replace(',', '')}]}}"
        after = after[end.end() :]
    else:
        for pattern, shape in _QUALIFIER_BEFORE:
            if pattern.search(before):
                quantity = f"{{{shape}: {written}}}"
                break
    percent = after.lstrip().startswith("%")
    if percent and (_DROP_AFTER.match(after) or _DROP_BEFORE.search(before)):
        if end:
            low, high = end.group(1).replace(",", ""), written
            return f"{{percent: {{between: [-{low}, -{high}]}}}}"
        if quantity == written:
            return f"{{percent: -{written}}}"
        # "by up to 45%" is a change of at least -45%.
        drop = quantity.replace(f": {written}", f": -{written}").replace("at_most", "at_least")
        return f"{{percent: {drop}}}"
    if percent and (_GAIN.search(before) or _GAIN_AFTER.match(after)):
        return f"{{percent_or_points: {quantity}}}"
    if _TIMES_LESS.match(after):
        return f"{{times_less: {quantity}}}"
    return quantity


def is_raw(text: str) -> bool:
    """Whether every character of ``text`` may stand in a YAML scalar as it is."""
    return _RAW.fullmatch(text) is not None


def _quoted(text: str) -> str:
    """``text`` as a YAML scalar on one line that loads back to exactly ``text``: single-quoted
    when it can be (no escapes to get wrong: ``\\%`` stays as written), else double-quoted."""
    if is_raw(text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.translate(_ESCAPES) + '"'


def _id_scalar(paper_id: str) -> str:
    """A slug as YAML: plain when YAML reads it plainly as text, quoted otherwise (``'123'``)."""
    if re.fullmatch(r"[a-z][a-z0-9-]*", paper_id) and paper_id not in _NOT_TEXT:
        return paper_id
    return _quoted(paper_id)


def _comment(text: str) -> str:
    """``text`` safe in a comment: no character of it can end the comment's line."""
    return text if is_raw(text) else _quoted(text)[1:-1]


def _foldable(text: str) -> bool:
    """Whether ``text`` reads back the same from a folded block scalar: one line of prose,
    words apart by single spaces."""
    return bool(text) and is_raw(text) and "  " not in text and text == text.strip(" ")


def _block(text: str, indent: str) -> list[str]:
    """A folded block scalar that loads back to exactly ``text`` (a single line of prose)."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > 88:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [">-", *(indent + line for line in lines)]


def render_draft(
    entry: PageEntry, paper_id: str, objectives: dict[str, Objective], schema: str | None
) -> str:
    """The draft catalog file of one entry."""
    out = []
    if schema:
        out.append(f"# yaml-language-server: $schema={_comment(schema)}")
    out += ["papers:", f"  - id: {_id_scalar(paper_id)}", f"    title: {_quoted(entry.title)}"]
    if entry.published:
        out.append(f"    published: {entry.published}")
        if entry.year_assumed:
            out.append(
                "    # The page gives this date without a year: the year is the one assumed on import"
                " (--year). Check it."
            )
    if entry.authors_count:
        out.append(f"    authors_count: {entry.authors_count}")
    if entry.code:
        out.append("    code:")
        out += [f"      - {_quoted(url)}" for url in entry.code]
    if _foldable(entry.abstract):
        abstract_lines = _block(entry.abstract, "      ")
        out.append(f"    abstract: {abstract_lines[0]}")
        out += abstract_lines[1:]
    else:
        out.append(f"    abstract: {_quoted(entry.abstract)}")
    if len(entry.abstract) > MAX_SUGGEST_CHARS:
        out.append(
            f"    # The abstract is {len(entry.abstract):,} characters, too long to look for objectives"
            " and numbers in: add them by hand."
        )
    else:
        out += _suggestions(entry.abstract, objectives)
    return "\n".join(out) + "\n"


def _suggestions(abstract: str, objectives: dict[str, Objective]) -> list[str]:
    """The comment lines offering the objectives, pairs and numbers the abstract seems to give."""
    out = []
    found = mentioned_objectives(abstract, objectives.values())
    if found:
        out.append(
            "    # Objectives the abstract seems to mention: "
            + _comment(", ".join(f"{oid} ({words})" for oid, words in found))
        )
        pairs = [
            (a, b) for (a, _), (b, _) in combinations(found, 2) if objectives[a].kind != objectives[b].kind
        ]
        if pairs:
            out.append("    # Candidate pairs: keep those the paper studies, then uncomment.")
            out.append("    # tradeoffs:")
            out += [f"    #   - [{a}, {b}]" for a, b in pairs[:8]]
    numbers = result_numbers(abstract)
    if numbers:
        out.append("    # Numbers that look like results: name the method and objectives, check, uncomment.")
        out.append("    # results:")
        by_sentence: dict[str, list[DraftNumber]] = {}
        for number in numbers:
            by_sentence.setdefault(number.sentence, []).append(number)
        for sentence, group in by_sentence.items():
            values = ", ".join(f"OBJECTIVE_{i + 1}: {_draft_value(n)}" for i, n in enumerate(group))
            out.append("    #   - method: METHOD")
            out.append(f"    #     values: {_comment('{' + values + '}')}")
            out.append(f"    #     evidence: {_quoted(sentence)}")
    return out
