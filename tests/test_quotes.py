"""Quotations (curate.quotes): the quicker normalize collapses whitespace as the substitution
did, and find_quotes, which skips passages holding no opening quotation mark, still carries a
speaker across them to a later "he said"."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from curate.model import Passage, Section, Source
from curate.quotes import Quote, find_quotes, normalize
from curate.schema import SourceMeta

_TEXT = st.lists(st.sampled_from(["a", "“", "”", " ", "  ", "\t", "\n", "\xa0", "\u2003", "\u3000", "\x1c",
                                  "\x85", "\u200b", "word"]), max_size=16).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
@example(" lead and trail ")
def test_normalize_collapses_whitespace_as_the_substitution_did(text):
    assert normalize(text) == re.sub(r"\s+", " ", text).strip()


def test_a_speaker_carries_over_passages_without_quotations():
    passages = [Passage("“We wanted anyone to check our work,” Omar Dubois said.", 1, "lead--p1"),
                Passage("Nothing quoted here, he said, or here.", 3, "lead--p2"),
                Passage("“Openness is the only way to earn trust,” he said.", 5, "lead--p3")]
    source = Source("s", "content_sources/articles/s.txt", "", SourceMeta(), "S", [Section("lead", "", 1, passages)])
    assert find_quotes(source) == [
        Quote("We wanted anyone to check our work", "Omar Dubois", "s", "lead", "lead--p1", True),
        Quote("Openness is the only way to earn trust", "Omar Dubois", "s", "lead", "lead--p3", True),
    ]
