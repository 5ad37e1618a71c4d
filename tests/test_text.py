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
