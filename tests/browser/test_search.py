"""Material's search box, used as a reader uses it: type a query, read the order of the results.

The expectations are the issue's table. Search is tuned only through the ``search`` plugin's
settings in mkdocs.yml (separator and field boosts); see the comments there.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, SEARCH_WORKER_PROBE, search

pytestmark = pytest.mark.browser

# A reader's query -> the page that must come first (the reader-site issue's table: at least 20,
# spelling variants included). Both spellings of a term give the same first page: the MkDocs hook
# adds a glossary term's other spellings to every entry that mentions it.
FIRST = {
    "Llama": "what-is-llama/",
    "who makes llama": "what-is-llama/",
    "LLaMA 3.1": "what-is-llama/",
    "large language model": "what-is-llama/",
    "LLM": "what-is-llama/",
    "GPT-4": "what-is-llama/",
    "open source": "what-is-open-source/",
    "open-source": "what-is-open-source/",
    "Linux": "what-is-open-source/",
    "Apache": "what-is-open-source/",
    "open source definition": "what-is-open-source/",
    "Apple": "why-meta-embraced-open-source/",
    "App Store": "why-meta-embraced-open-source/",
    "Cambridge Analytica": "why-meta-embraced-open-source/",
    "Zuckerberg letter": "why-meta-embraced-open-source/",
    "why did Meta open source": "why-meta-embraced-open-source/",
    "security": "security-threat/",
    "weaponise": "security-threat/",
    "weaponize": "security-threat/",
    "bad actors": "security-threat/",
    "licence": "what-is-llama/",
    "license": "what-is-llama/",
    "Facebook": "why-meta-embraced-open-source/",
    "China": "security-threat/",
}
EXPLAINERS = {"what-is-llama/", "what-is-open-source/", "why-meta-embraced-open-source/", "security-threat/"}


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    """One page whose search box every query in this module is typed into."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(SEARCH_WORKER_PROBE)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "what-is-llama/")
    yield page, errors
    context.close()


@pytest.mark.parametrize("query, first", list(FIRST.items()), ids=list(FIRST))
def test_query_puts_the_right_page_first(search_page, query, first):
    page, errors = search_page
    results = search(page, query)
    assert results, f"{query!r} found nothing"
    assert results[0] == first, f"{query!r}: expected {first} first, got {results}"
    assert not errors, errors  # Material logs "Invalid query" as a warning when lunr rejects one


def test_source_article_does_not_crowd_out_explainers(search_page):
    """The source page holds every passage, so it matches nearly everything: explainers lead."""
    page, _ = search_page
    for query in FIRST:
        results = search(page, query)
        source_pages = [i for i, r in enumerate(results) if r.startswith("sources/")]
        explainers = [i for i, r in enumerate(results) if r in EXPLAINERS]
        assert explainers, f"{query!r}: no explainer in {results}"
        assert not source_pages or min(source_pages) > min(explainers), f"{query!r}: {results}"


def test_both_apostrophes_give_the_same_results(search_page):
    page, _ = search_page
    curly = search(page, "Meta\u2019s")
    straight = search(page, "Meta's")
    assert curly, "Meta’s found nothing"
    assert curly == straight
    assert "why-meta-embraced-open-source/" in curly, curly


def test_typo_finds_llama_in_the_first_three(search_page):
    """"Lama" (one l) still finds Llama.

    Material's search has no automatic fuzzy matching (a reader can type "Lama~1"); "Lama"
    matches because the separator splits the article's spelling "LLaMA" at its case change into
    "L" + "LaMA", Material's own camelCase rule. See the separator's comment in mkdocs.yml.
    """
    page, _ = search_page
    results = search(page, "Lama")
    assert "what-is-llama/" in results[:3], results


def test_explicit_fuzzy_query_finds_llama_first(search_page):
    """Lunr's edit-distance syntax, which Material passes through unchanged."""
    page, _ = search_page
    results = search(page, "Lama~1")
    assert results[:1] == ["what-is-llama/"], results


def test_nonsense_finds_nothing(search_page):
    """The helper reads real results: a query that matches nothing gives an empty list."""
    page, _ = search_page
    assert search(page, "xyzzyplugh") == []
    assert page.locator(".md-search-result__meta").inner_text() == "No matching documents"


@pytest.mark.parametrize("pair", [("licence", "license"), ("weaponise", "weaponize"), ("LLM", "large language model")],
                         ids=lambda p: "/".join(p))
def test_spelling_variants_give_the_same_results(search_page, pair):
    page, _ = search_page
    first, second = (search(page, q) for q in pair)
    assert first and first[0] == second[0], (pair, first, second)
    assert "glossary/" in first and "glossary/" in second
