"""Near-duplicate passages (curate.duplicates): the quick forms of words and same_passage give
what the plain forms gave (kept below as references), on generated text and word lists."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from curate.duplicates import _ASCII_WORD, _WORD, NEAR_DUPLICATE, same_passage, similarity, words

_REFERENCE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _reference_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).translate(_REFERENCE_FOLD).casefold()
    return [w.replace(",", "").replace(".", "") for w in _WORD.findall(folded)]


_PIECES = st.sampled_from([
    "The", "council", "’s", "£40,000", "40.5", "pilot", "—", "–", "“", "”", "‘", "’", "'", ",", ".", ",,", "..",
    " ", "\n", "\t", "_", "a_b", "ﬁ", "Ａ", "²", "½", "É", "é", "ß", "İ", "Σ", "ς", "日本", "٣", "🚀", "-", "x",
    "U.S.", "it's", "e.g.", "0", "9",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=20).map("".join))
@example("The council’s £40,000 pilot—“a success.”")
@example("")
@example(",.,")
@example("STRASSE Straße")
def test_words_are_the_words_of_the_plain_form(text):
    assert words(text) == _reference_words(text)


def test_the_ascii_word_pattern_is_the_unicode_one_on_every_ascii_character():
    for code in range(128):
        for text in (chr(code), f"a{chr(code)}b", f"{chr(code)}{chr(code)}"):
            assert _ASCII_WORD.findall(text) == _WORD.findall(text), repr(text)


_WORDS = st.lists(st.sampled_from(["the", "a", "model", "open", "data", "said", "x", "y", "z"]), max_size=30)


def _near(draw_list: list[str], edits: list[tuple[int, str]]) -> list[str]:
    out = list(draw_list)
    for index, word in edits:
        if out:
            out[index % len(out)] = word
    return out


@settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["q", "r", "the"])), max_size=4),
       st.booleans())
@example(["a"] * 5, ["a"] * 4, [], False)   # 4/5: exactly the threshold
@example(["a", "b", "c", "d", "e"], ["e", "d", "c", "b", "a"], [], False)
def test_same_passage_agrees_with_similarity(a, b, edits, near):
    if near:
        b = _near(a, edits)  # mostly the same words: the pairs that reach difflib
    assert same_passage(a, b) == (similarity(a, b) >= NEAR_DUPLICATE)
    assert same_passage(b, a) == (similarity(b, a) >= NEAR_DUPLICATE)


def test_same_passage_on_real_near_duplicates_and_unrelated_passages():
    wire = words("The council bought 340 of its desktop computers last month, a spokesperson said.")
    rewrite = words("The council bought 340 desktop computers last month, a spokesperson said.")
    other = words("A spokesperson said the council had no plans for its computers or its desks.")
    assert same_passage(wire, rewrite) and same_passage(rewrite, wire)
    assert not same_passage(wire, other)
    assert re.fullmatch(r"0\.\d+", f"{similarity(wire, other):.3f}")
