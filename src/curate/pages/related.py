"""Related pages worked out from shared glossary terms and tags."""

from __future__ import annotations

from ..model import PageSpec


def computed_related(pages: list[PageSpec], mentions: dict[str, set[str]], limit: int) -> dict[str, list[str]]:
    """Page id → up to ``limit`` pages sharing glossary terms (1 point each) and tags (2 points each).

    Highest score first, then curation order; pages scoring 0 are left out. Scores are
    counted for all pages at once with one bit per page (bit i = ``pages[i]``): each
    term and tag has a mask of the pages carrying it, and a page's scores are the sum of
    its terms' masks plus twice its tags' masks, kept as binary digit planes
    (``planes[k]`` holds bit k of every page's score). This replaces comparing every
    pair of pages, which grew with the square of the number of pages.
    """
    term_masks: dict[str, int] = {}
    tag_masks: dict[str, int] = {}
    own_terms, own_tags = [], []
    for i, page in enumerate(pages):
        bit = 1 << i
        terms = set(page.terms) | mentions.get(page.docs_path, set())
        for t in terms:
            term_masks[t] = term_masks.get(t, 0) | bit
        for t in set(page.tags):
            tag_masks[t] = tag_masks.get(t, 0) | bit
        own_terms.append(terms)
        own_tags.append(set(page.tags))

    def add(planes: list[int], mask: int, k: int) -> None:  # planes += mask << k, bitwise ripple carry
        carry = mask
        while carry:
            while k >= len(planes):  # a page with tags but no terms starts at plane 1
                planes.append(0)
            planes[k], carry = planes[k] ^ carry, planes[k] & carry
            k += 1

    out: dict[str, list[str]] = {}
    for i, page in enumerate(pages):
        planes: list[int] = []
        for t in own_terms[i]:
            add(planes, term_masks[t], 0)
        for t in own_tags[i]:
            add(planes, tag_masks[t], 1)
        remaining = 0
        for plane in planes:
            remaining |= plane
        remaining &= ~(1 << i)
        chosen: list[str] = []
        while remaining and len(chosen) < limit:
            best = remaining
            for plane in reversed(planes):  # narrow to the pages with the highest score left
                if best & plane:
                    best &= plane
            while best and len(chosen) < limit:  # lowest index (curation order) first
                low = best & -best
                chosen.append(pages[low.bit_length() - 1].id)
                best ^= low
                remaining ^= low
        out[page.id] = chosen
    return out
