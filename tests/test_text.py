"""The text helpers validation leans on: numbers in prose, and spacing."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from catalog.text import digit_numbers, numbers_in, squash_space


@given(st.text(alphabet="0123456789.,- abcx%\n", max_size=40))
def test_the_numbers_in_digits_are_the_values_numbers_in_finds(text):
    assert digit_numbers(text) == {value for value, _, _ in numbers_in(text)}


@given(
    st.text(
        alphabet=st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000\u200b"), max_size=30
    )
)
def test_squashed_space_is_every_run_of_whitespace_made_one_space_and_the_ends_trimmed(text):
    assert squash_space(text) == re.sub(r"\s+", " ", text).strip()


# A number as prose writes it, in its readable form: the look backs first.
READABLE_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)|(?<!\w)\.\d+")
PIECES = ["1", "7.59", ".5", "a.5", "1,000", "1,00", "12,345.6", "x1", "1.2.3", "v2.0", "3x", "-7", "1..2"]
PIECES += [
    "0.",
    ",5",
    "1,000,000",
    "a12",
    "_1",
    "1_",
    "..5",
    "é5",
    "\u0663",
    "\u00b2",
    "1,2345",
    " ",
    ",",
    ".",
]


@given(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
    | st.text(alphabet="019.,_ax\u0663", max_size=30)
)
def test_numbers_are_found_where_the_readable_pattern_finds_them(text):
    assert [text[start:end] for _, start, end in numbers_in(text)] == READABLE_NUMBER.findall(text)
