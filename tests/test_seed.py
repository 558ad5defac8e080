"""Issue 2: the real article becomes the explainer site, end to end."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from curate.cleaning import parse_plain_text
from curate.cli import main
from curate.encoding import decode
from curate.mkdocs_output import plain_text
from curate.project import load_project

from .conftest import REPO, SEED

CLICKBAIT = ["Related Posts", "Keanu Reeves", "Queen Charlotte", "The Resident", "Melodee", "Bulger",
             "Bridgerton", "Eamonn Holmes"]
LAST_SENTENCE = "Startups, universities, and small businesses will “miss out on opportunities,” Zuckerberg said."
EXPLAINERS = {
    "what-is-open-source": "What is open source",
    "why-meta-embraced-open-source": "Why Meta embraced open source",
    "what-is-llama": "What is Llama",
    "security-threat": "Security threat",
}


def test_snapshot_is_byte_for_byte_the_delivered_article():
    delivered = REPO.parent / "shared" / "seeds" / "000_71e67def1ce21895.txt"
    if not delivered.exists():
        pytest.skip("the shared seed folder is not beside this checkout")
    assert SEED.read_bytes() == delivered.read_bytes()


def test_structure_is_title_lead_and_four_headings_in_order():
    parsed = parse_plain_text(decode(SEED.read_bytes()).text)
    assert parsed.title == "Mark Zuckerberg is now Supporting open-source AI tech"
    assert [(s.id, s.heading) for s in parsed.sections] == [
        ("lead", ""),
        ("what-is-open-source", "What is ‘open source’?"),
        ("why-is-meta-ai-open-source", "Why is Meta AI ‘open source’?"),
        ("what-is-llama", "What is Llama?"),
        ("security-threat", "Security threat"),
    ]
    lead = [p.text for p in parsed.sections[0].passages]
    assert lead[0] == ("Meta AI is powered by Llama 3.1, which has been publicly released as an open-source "
                       "model last month.")
    assert lead[1].startswith("Mark Zuckerberg, CEO of Meta Platforms")
    assert len(lead) == 3
    assert [len(s.passages) for s in parsed.sections] == [3, 3, 5, 2, 2]


def test_cleaning_drops_alt_text_credit_and_clickbait_but_no_real_sentence():
    text = decode(SEED.read_bytes()).text
    parsed = parse_plain_text(text)
    dropped = {(line, reason) for line, reason, _ in parsed.dropped}
    assert (3, "image alt text") in dropped
    assert (4, "photo credit") in dropped
    assert min(line for line, reason, _ in parsed.dropped if reason.startswith("boilerplate")) == 42
    kept = " ".join(p.text for s in parsed.sections for p in s.passages)
    for bait in CLICKBAIT:
        assert bait not in kept
    assert "Images: Mark Zuckerberg/Meta" not in kept
    # every sentence of the article body survives cleaning
    body = text.split("Related Posts")[0]
    checked = 0
    for paragraph in body.split("\n\n")[2:]:
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if paragraph.endswith((".", "”")) and "\n" not in paragraph:  # a paragraph, not a heading
            assert paragraph in kept, paragraph[:60]
            checked += 1
    assert checked == 14
    assert LAST_SENTENCE in kept


def test_typo_is_corrected_from_metadata_not_in_the_snapshot(project):
    loaded = load_project(project)
    source = loaded.sources[0]
    assert "ensring" in source.text  # the snapshot stays as delivered
    texts = " ".join(p.text for s in source.sections for p in s.passages)
    assert "ensuring consistent quality" in texts and "ensring" not in texts


def test_build_writes_the_pages_with_front_matter(project, capsys):
    assert main(["build", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    docs = project / "docs"
    written = sorted(line.split("docs/", 1)[1] for line in out.splitlines() if line.startswith("  wrote "))
    assert written == sorted(["index.md", "glossary.md", "tags.md", "sources/index.md",
                              "sources/zuckerberg-open-source-ai-letter.md"] + [f"{p}.md" for p in EXPLAINERS])
    assert "curate build: 9 written, 0 unchanged, 0 deleted, 0 warnings" in out
    for slug, title in EXPLAINERS.items():
        text = (docs / f"{slug}.md").read_text(encoding="utf-8")
        assert text.startswith(f"---\ntitle: {title}\ndescription: ")
        assert f"\n# {title}\n" in text
        assert ("*Based on reporting from “Mark Zuckerberg is now Supporting open-source AI tech” "
                "(August 2024, estimated).*") in text
        assert "## Related pages" in text
        assert re.search(r"\n1\. .*\[Mark Zuckerberg is now Supporting open-source AI tech\]"
                         r"\(sources/zuckerberg-open-source-ai-letter\.md\), August 2024 \(estimated\)\. Cited: .*"
                         r"\(sources/zuckerberg-open-source-ai-letter\.md#[a-z-]+--p1\)", text)
    assert main(["build", "--project", str(project)]) == 0
    assert "curate build: 0 written, 9 unchanged, 0 deleted, 0 warnings" in capsys.readouterr().out


def test_citation_links_point_at_sections_of_the_sources_page(project):
    main(["build", "--project", str(project), "-q"])
    llama = (project / "docs" / "what-is-llama.md").read_text(encoding="utf-8")
    # the intro's citations (a-d) and then the three passages' (e-g), each letter to its own place
    cited = [("what-is-llama", 1), ("what-is-llama", 2), ("lead", 1), ("what-is-llama", 2),
             ("what-is-llama", 1), ("what-is-llama", 2), ("lead", 1)]
    letters = "abcdefg"
    back = " ".join(f'[{x}](#cite-1-{x}){{ aria-label="Back to the text, citation 1{x}" }}' for x in letters)
    names = {"what-is-llama": "section “What is Llama?”", "lead": "opening"}
    # each place once, after every letter that cites it
    grouped: dict[tuple[str, int], list[str]] = {}
    for x, place in zip(letters, cited, strict=True):
        grouped.setdefault(place, []).append(x)
    assert grouped[("what-is-llama", 2)] == ["b", "d", "f"]
    places = "; ".join(f"{', '.join(xs)}. [{names[s]}, paragraph {n}](sources/zuckerberg-open-source-ai-letter.md"
                       f"#{s}--p{n})" for (s, n), xs in grouped.items())
    assert (f"1. &#94; {back} [Mark Zuckerberg is now Supporting open-source AI tech]"
            f"(sources/zuckerberg-open-source-ai-letter.md), August 2024 (estimated). Cited: {places}.\n"
            "    { #ref-1 }") in llama
    assert "not recorded" not in llama
    source = (project / "docs" / "sources" / "zuckerberg-open-source-ai-letter.md").read_text(encoding="utf-8")
    assert "## What is Llama? { #what-is-llama }" in source
    assert "{ #what-is-llama--p1 }" in source


def test_two_builds_give_byte_identical_docs(tmp_path):
    from .conftest import copy_project

    trees = []
    for name in ("a", "b"):
        root = copy_project(tmp_path / name)
        assert main(["build", "--project", str(root), "-q"]) == 0
        trees.append({p.relative_to(root / "docs").as_posix(): p.read_bytes()
                      for p in sorted((root / "docs").rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert all(b"\r" not in data for data in trees[0].values())


def test_committed_docs_are_current():
    """The docs/ in the repository is what a build writes (CI also runs curate check)."""
    assert main(["check", "--project", str(REPO), "-q"]) == 0


# --- the built site ---------------------------------------------------------------------------------

def _site_files(site: Path):
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml")]


def test_no_clickbait_in_docs_site_or_search_index(built):
    # The pages people wrote may quote the bait (docs/bad-input.md explains how it is cut).
    owned = json.loads((built / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))["files"]
    hand = {p.name for p in (built / "docs").glob("*.md") if p.name not in owned}
    skipped = {built / "docs" / name for name in hand} | {built / "site" / name[:-3] / "index.html" for name in hand}
    for folder in (built / "docs", built / "site"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json", ".xml") and path not in skipped:
                text = path.read_text(encoding="utf-8")
                if path.name == "search_index.json":
                    text = json.dumps([d for d in json.loads(text)["docs"]
                                       if d["location"].split("/")[0] + ".md" not in hand], ensure_ascii=False)
                for bait in CLICKBAIT:
                    assert bait not in text, f"{bait!r} in {path}"
    # What the bait was cut from is still found by search (on the explainers that show it).
    index = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    words = {w.lower() for d in index
             for w in re.split(r"[\s,.]+", plain_text(d["text"]) + " " + d.get("keywords", ""))}
    assert {"startups", "universities", "businesses", "miss", "opportunities"} <= words


def test_every_explainer_is_built_and_searchable(built):
    docs = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {d["location"] for d in docs}
    titles = {d["location"]: d["title"] for d in docs}
    for slug, title in EXPLAINERS.items():
        html = (built / "site" / slug / "index.html").read_text(encoding="utf-8")
        assert f"<title>{title} - Open-source AI, explained</title>" in html
        assert f"{slug}/" in locations
        assert titles[f"{slug}/"] == title


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_every_internal_link_and_fragment_resolves(built):
    site = built / "site"
    pages = {}
    for path in site.rglob("*.html"):
        c = _Collector()
        c.feed(path.read_text(encoding="utf-8"))
        pages[path] = c
    checked = 0
    for path, c in pages.items():
        for href in c.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):  # 404.html links from the site root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path.relative_to(site)}: {href}"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in pages[target].ids, f"{path.relative_to(site)}: {href}"
            checked += 1
    assert checked > 200


def test_sitemap_lists_every_page(built):
    sitemap = (built / "site" / "sitemap.xml").read_text(encoding="utf-8")
    for slug in EXPLAINERS:
        assert f"https://open-source-ai.example.org/{slug}/" in sitemap
    assert "https://open-source-ai.example.org/sources/zuckerberg-open-source-ai-letter/" in sitemap


def test_built_site_makes_no_request_to_another_origin(built):
    for path in (built / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for m in re.finditer(r'<(?:script|link|img|iframe|source)\b[^>]*>', html):
            tag = m.group()
            if 'rel="canonical"' in tag:  # a link to this page's address, not a request
                continue
            assert not re.search(r'\b(?:src|href)="(?:https?:)?//', tag), f"{path}: external resource {tag}"
