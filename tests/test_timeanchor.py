"""Relative time expressions (curate.timeanchor): the quicker RELATIVE pattern finds exactly
what the plain alternation found (kept below as the reference), on generated text."""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from curate.timeanchor import RELATIVE, find_times
from curate.yamlio import PartialDate

_REFERENCE = re.compile(
    r"(?<![\w-])(last month|this month|next month|last year|this year|next year|last week|this week|next week|"
    r"recently|currently|yesterday|today|now)(?![\w-])(?!\s*\()",
    re.IGNORECASE,
)


def test_the_look_ahead_takes_every_first_letter_an_expression_can_start_with():
    # Python's case-insensitive matching takes some non-ASCII letters for ASCII ones; the
    # class must take each character one of the expressions' first letters takes.
    first = re.compile("[ltnrcy]", re.IGNORECASE)
    letters = [re.compile(letter, re.IGNORECASE) for letter in "ltnrcy"]
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(first.match(char)) == any(p.match(char) for p in letters), hex(code)


_PIECES = st.sampled_from([
    "last", "this", "next", "LAST", "Next", " ", "  ", "\t", "\n", "month", "year", "week", "Month", "YEAR",
    "recently", "currently", "yesterday", "today", "now", "NOW", "Today", "know", "nowhere", "years", "months",
    "-", "_", "x", "(", " (", ")", "[", ".", ",", "“", "”", '"', "’", "é", "ſ", "K", "ı", "İ", "lastmonth",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=16).map("".join))
@example("released last month, and now (again) today")
@example("last month-end")
@example("-now")
@example("now (then)")
@example("“last year” said last year")
@example("yeſterday")
def test_relative_finds_what_the_plain_alternation_found(text):
    assert [m.span() for m in RELATIVE.finditer(text)] == [m.span() for m in _REFERENCE.finditer(text)]
    assert [m.group(1) for m in RELATIVE.finditer(text)] == [m.group(1) for m in _REFERENCE.finditer(text)]


def test_find_times_resolves_what_it_finds():
    assert find_times("Released last month, “not last year” and Next Week (soon) now.", PartialDate(2024, 8)) == [
        (19, "last month", "July 2024"), (61, "now", "as of August 2024")]
