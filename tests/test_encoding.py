"""Decoding (curate.encoding): the precheck that spares ftfy clean lines must never change a result.

:func:`curate.encoding._cannot_be_mojibake` answers "ftfy's ``is_bad`` is false" without running
ftfy, from a pattern read off ftfy's own ``BADNESS_RE``. These tests hold it to ftfy itself: on
real mojibake of several encodings, on every single non-ASCII character in ASCII surroundings,
and on random mixtures of the characters ftfy's heuristic is built from; and they hold
:func:`curate.encoding.decode` with the precheck to the same function without it.
"""

from __future__ import annotations

import ftfy
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES
from ftfy.badness import is_bad as ftfy_is_bad
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curate import encoding
from curate.encoding import _cannot_be_mojibake, _mojibake, decode, repair_mojibake

# Mojibake as it arrives: UTF-8 read as Windows-1252, Latin-1, MacRoman, Windows-1251/1253/1257,
# twice-encoded text, a no-break space turned into a space, C1 controls, and the one-character
# sequences ftfy's heuristic accepts (a lone "Â " or "œ" before a non-letter).
MOJIBAKE = [
    "Metaâ€™s new model", "â€œquotedâ€\x9d text", "cafÃ©", "Ã¼ber", "sÃ³", "voilÃ le travail",
    "Ã\xa0 la carte", "Â£40,000", "price:Â 40", "aÂ b", "ÃƒÂ©tÃƒÂ©", "вЂ™ Windows-1251", "‚Äô MacRoman",
    "Î²â‚¬", "Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©", "à²¸", "×²", "Ã  ", "Â ", "œ!", "Œ ", "a\x85b", "\x80", "ā€ Baltic",
    "β€™ Greek", "ГўВЂВ™s", "≈°C", "√±", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "Ã©tÃ©", "It\x92s", "â€", "Ã",
]
# Text that must pass untouched: isolated typographic characters and accents (no ftfy needed) ...
CLEAN = [
    "“Nobody expected this,” Omar Dubois said.", "It’s a model — or not – really…", "café au lait",
    "Zürich, São Paulo, Kraków", "emoji 🚀 here", "£40,000 and €3", "‘single’ and “double”", "x² + y³",
    "a · b", "50 °C",
]
# ... and words of other scripts, which ftfy reads and leaves alone.
CLEAN_AFTER_FTFY = ["naïve cœur", "日本語のテキスト", "Привет, мир", "Ελληνικά", "’”", "Œuvre"]


def _slow_repair(text: str) -> tuple[str, list[encoding.Note]]:
    """repair_mojibake with the precheck turned off: every non-ASCII line goes to ftfy."""
    saved = encoding._mojibake_precheck
    encoding._mojibake_precheck = lambda: None  # type: ignore[assignment]
    try:
        return repair_mojibake(text)
    finally:
        encoding._mojibake_precheck = saved  # type: ignore[assignment]


def _agrees_with_ftfy(text: str) -> None:
    if _cannot_be_mojibake(text):
        assert not ftfy_is_bad(text), text
        assert ftfy.fix_text(text, _mojibake()) == text, text


def test_the_precheck_is_read_from_ftfy_and_names_its_trigger_characters():
    pattern = encoding._mojibake_precheck()
    assert pattern is not None  # the fast path is on with the installed ftfy
    for char in "ÃÂŒœ\x80\x9f":
        assert pattern.search(char), repr(char)
    for char in "“”‘’—–…é°€£":  # alone between ASCII letters these are never mojibake
        assert pattern.search(f"a{char}b") is None, char


@pytest.mark.parametrize("text", MOJIBAKE)
def test_real_mojibake_always_goes_to_ftfy(text):
    assert not _cannot_be_mojibake(text)
    assert repair_mojibake(text) == _slow_repair(text)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_typography_skips_ftfy_and_is_left_as_it_is(text):
    assert _cannot_be_mojibake(text)
    assert repair_mojibake(text) == (text, [])
    assert _slow_repair(text) == (text, [])


@pytest.mark.parametrize("text", CLEAN_AFTER_FTFY)
def test_other_scripts_go_to_ftfy_and_are_left_as_they_are(text):
    assert not _cannot_be_mojibake(text)
    assert repair_mojibake(text) == (text, [])
    assert _slow_repair(text) == (text, [])


def test_every_single_non_ascii_character_between_ascii_agrees_with_ftfy():
    # Each character of the Basic Multilingual Plane in every kind of ASCII company. One string
    # per character holds all the companies, space-separated: ftfy's pattern has no lookaround
    # and no "$", so a match in one piece is a match in the whole (the character also comes
    # first, for "^").
    # Every character ftfy's heuristic names lies below U+2600 but U+F8FF and U+FFFD; others
    # can only meet a class like \s or \w, which a sample of scripts and symbols stands for.
    contexts = ["", " ", "a", "Z", "0", ".", "!", "_", "a ", "\t"]
    codes = [*range(0x80, 0x2600), 0x3042, 0x4E2D, 0xAC00, 0xE000, 0xF8FF, 0xFB01, 0xFEFF, 0xFF21, 0xFFFD]
    for char in map(chr, codes):
        text = char + " " + " ".join(before + char + after for before in contexts for after in contexts)
        _agrees_with_ftfy(text)


_HEURISTIC_CHARS = "".join(sorted({c for v in MOJIBAKE_CATEGORIES.values() for c in v if c != "-"}))
_ALPHABET = st.sampled_from(list(_HEURISTIC_CHARS + "ÃÂÎÐØÙŒœ√≈‚βā€вЂГўВ°²³×µ»“”‘’—–… \t'.,?!aZz0_-"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map("".join))
@example("a’ b")
@example("x “a” y")
@example("—“quote”")
def test_random_mixtures_of_mojibake_characters_agree_with_ftfy(text):
    _agrees_with_ftfy(text)
    assert repair_mojibake(text) == _slow_repair(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MOJIBAKE + CLEAN + CLEAN_AFTER_FTFY + ["", "plain ASCII line", "a\rb"]), max_size=8)
       .map("\n".join))
def test_decode_gives_the_same_text_and_notes_with_and_without_the_precheck(text):
    data = text.encode("utf-8")
    fast = decode(data)
    fast_editor = decode(data, repair=False)
    saved = encoding._mojibake_precheck
    encoding._mojibake_precheck = lambda: None  # type: ignore[assignment]
    try:
        assert decode(data) == fast
        assert decode(data, repair=False) == fast_editor
    finally:
        encoding._mojibake_precheck = saved  # type: ignore[assignment]


def test_a_precheck_that_cannot_be_derived_sends_every_line_to_ftfy(monkeypatch):
    monkeypatch.setattr(encoding, "_mojibake_precheck", lambda: None)
    assert not _cannot_be_mojibake("“plain”")
    assert repair_mojibake("Metaâ€™s")[0] == "Meta’s"
