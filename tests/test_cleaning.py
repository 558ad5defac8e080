"""Cleaning (curate.cleaning): the fast paths of clean_inline, is_boilerplate_heading and
_split_credit give what the plain regex substitutions gave, on any text.

Each fast path rests on a fact about CPython that a test here checks over every code point
(regex ``\\s`` is ``str.isspace``, regex ``\\w`` is ``str.isalnum`` or ``_``, which letters a
case-insensitive pattern takes for ASCII ones), and each function is compared with the
regex-only form it replaced (kept below as the reference) on generated text.
"""

from __future__ import annotations

import importlib
import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from curate import cleaning
from curate.cleaning import (
    _BOILERPLATE_MAX_WORDS,
    _CONTROL,
    _EMOJI_EDGE,
    _UNCLEAN,
    _WS,
    BOILERPLATE_HEADINGS,
    PHOTO_CREDIT,
    _split_credit,
    clean_inline,
    is_boilerplate_heading,
)
from curate.model import Correction

ALL = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


def _reference_clean_inline(text: str, corrections=(), html_markup: bool = True) -> str:
    if html_markup and ("<" in text or "&" in text):
        return clean_inline(text, corrections, html_markup)  # markup: the same code either way
    text = _WS.sub(" ", _CONTROL.sub("", text)).strip()
    for c in corrections:
        text = text.replace(c.original, c.corrected)
    return text


def _reference_is_boilerplate_heading(line: str) -> bool:
    return bool(BOILERPLATE_HEADINGS.match(_WS.sub(" ", _EMOJI_EDGE.sub("", line.strip()))))


def _reference_split_credit(line: str) -> tuple[str, str]:
    m = PHOTO_CREDIT.search(line.strip())
    if not m:
        return line.strip(), ""
    return line.strip()[: m.start()].strip(), m.group().strip()


def test_regex_whitespace_is_str_whitespace_and_the_unclean_set_holds_all_of_it_but_the_space():
    space = re.compile(r"\s")
    for char in ALL:
        assert bool(space.match(char)) == char.isspace(), hex(ord(char))
        if char.isspace() and char != " " or _CONTROL.match(char):
            assert _UNCLEAN.match(char), hex(ord(char))
        else:
            assert not _UNCLEAN.match(char), hex(ord(char))


def test_regex_word_characters_are_the_alphanumeric_ones_and_the_underscore():
    word = re.compile(r"[\W_]")
    for char in ALL:
        assert bool(word.match(char)) == (not char.isalnum()), hex(ord(char))


def test_no_boilerplate_heading_has_more_words_than_the_limit():
    parser = importlib.import_module("re._parser")
    consts = importlib.import_module("re._constants")

    def spaces(items) -> int:  # the most literal spaces one match can hold
        total = 0
        for op, av in items:
            if op is consts.LITERAL:
                total += av == ord(" ")
            elif op is consts.BRANCH:
                total += max(spaces(alt) for alt in av[1])
            elif op is consts.SUBPATTERN:
                total += spaces(av[-1])
            elif op in (consts.MAX_REPEAT, consts.MIN_REPEAT):
                assert av[1] < 10
                total += av[1] * spaces(av[2])
            else:
                assert op in (consts.AT, consts.IN, consts.NOT_LITERAL), op
                if op is consts.IN:
                    assert (consts.LITERAL, ord(" ")) not in av
        return total

    most = spaces(parser.parse(BOILERPLATE_HEADINGS.pattern, BOILERPLATE_HEADINGS.flags).data)
    assert most + 1 == _BOILERPLATE_MAX_WORDS
    assert is_boilerplate_heading("🔥 You   might also like: 🔥")
    assert not is_boilerplate_heading("you might also like this story")


def test_only_a_few_non_ascii_letters_match_the_credit_words_case_insensitively():
    # _may_hold_credit lowers the line and looks for the words; a letter the regex takes for
    # one of theirs but str.lower does not turn into it must be among those it checks itself.
    letters = set("imagephotpicturecredits")
    any_letter = re.compile("[" + "".join(sorted(letters)) + "]", re.IGNORECASE)
    odd = set()
    for char in ALL:
        if ord(char) > 0x7F and any_letter.match(char):
            odd |= {char for letter in letters
                    if re.fullmatch(letter, char, re.IGNORECASE) and char.lower() != letter}
    assert odd <= {"İ", "ı", "ſ"}, odd
    assert _split_credit("A caption. ıMAGE: Reuters") == _reference_split_credit("A caption. ıMAGE: Reuters")
    assert _split_credit("A caption. ıMAGE: Reuters")[1] == "ıMAGE: Reuters"


_PIECES = st.sampled_from([
    "a", "Z", "0", "_", ".", ",", "!", "?", "’", "”", "“", "(", ")", ":", "…", "-", "🔥", "★", "é", "ß",
    " ", "  ", "\t", "\n", "\r", "\xa0", "\u2009", "\u3000", "\u2028", "\x85", "\x0b", "\x1f", "\x00", "\x7f",
    "\u200b", "\ufeff", "\ufffd", "İ", "ı", "ſ", "K",
    "Related Posts", "related   posts", "you might also like", "You May Like", "Read more", "don't miss",
    "Photo", "photograph", "Images", "credit", "Image credit", " by ", "Reuters", "Getty Images/AFP",
    "The council said.", "word", "more like this", "see also",
])
TEXT = st.lists(_PIECES, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("")
@example(" ")
@example("plain text")
@example(" lead space")
@example("two  spaces")
@example("tab\there")
def test_clean_inline_gives_what_the_substitutions_gave(text):
    corrections = [Correction(original="word", corrected="Word")]
    assert clean_inline(text) == _reference_clean_inline(text)
    assert clean_inline(text, corrections) == _reference_clean_inline(text, corrections)
    assert clean_inline(text, html_markup=False) == _reference_clean_inline(text, html_markup=False)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("🔥 Related Posts 🔥")
@example("__related posts__")
@example("Related\u2003Posts")
@example("--- you might also like ---")
@example("you might also like this")
@example("★★★")
def test_boilerplate_headings_are_found_as_the_substitutions_found_them(text):
    assert is_boilerplate_heading(text) == _reference_is_boilerplate_heading(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("A caption. Photo: Reuters")
@example("Caption (Photo by X/Getty Images)")
@example("Images: Mark Zuckerberg/Meta")
@example("A caption. ıMAGE: Reuters")
@example("A caption. phoſ: x")
def test_photo_credits_are_split_as_the_regex_split_them(text):
    assert _split_credit(text) == _reference_split_credit(text)


def test_the_fast_paths_are_the_ones_cleaning_uses():
    # The references above would be no test of a module that kept the old code.
    assert cleaning._may_hold_credit("no such words here") is False
    assert cleaning._may_hold_credit("Photo") is True
    assert _UNCLEAN.search("“A clean paragraph,” she said.") is None

