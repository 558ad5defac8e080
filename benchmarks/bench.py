#!/usr/bin/env python3
"""Benchmark curate, MkDocs, Zensical and the live preview on synthetic sites of 10, 100 and 1,000 articles
(10,000 with --huge).

Run it with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``). For each size N it
generates a project in a work folder (``bench-work/``, gitignored, unless ``--work`` says
otherwise):

* N source articles in ``content_sources/articles/`` (plain text, about 1,500 words in 4-6
  sections, with glossary terms, attributed quotations ``“…,” Name said.`` and relative dates
  such as "last month"), each with a ``.meta.yml`` (title, ``published: YYYY-MM``);
* ``content_sources/curation.yml`` with one explainer page per article, fed by two sections of
  its article and one of the next, with ``group:`` set so pages fall into navigation groups of
  25, and two tags (one of 16 broad tags, one per group);
* ``content_sources/glossary.yml`` (a dozen common terms plus a few topical terms per group) and
  an intro for every page in ``content_sources/pages/``;
* a copy of the repository's ``mkdocs.yml``, ``mkdocs-zensical.yml``, ``scripts/``, ``overrides/``
  and ``docs/assets/``.

Then it runs every command as a separate process, several times, and keeps the median:

1. ``curate build --project DIR`` from clean (``docs/`` holding only ``assets/``);
2. ``curate build`` again with nothing changed (a no-op; counts the files written);
3. ``curate build`` after one article changed (counts the files written, and names them);
4. ``mkdocs build`` of the result (the MkDocs hook runs a no-op ``curate build`` first);
5. ``zensical build --clean -f mkdocs-zensical.yml`` of the same pages (no cache kept);
6. the live preview: ``mkdocs serve`` on the project, then saves alternating between the
   middle article and the intro of the page it feeds (at least five), each timed from the
   moment the file is written to the moment the served page (polled every 50 ms) holds the
   change, with the number of rebuilds each save started (MkDocs' log);

with the peak resident memory of each process (``os.wait4``'s rusage), the HTML bytes per
page (median and largest, for all pages and by page kind, for both builds) and the search
index's bytes, raw and gzipped (level 6, as a web server sends it). It writes the tables, the
machine's description and the date to ``BENCHMARKS.md``.

Nothing here asserts a time: the numbers are measured and written down, and the targets of
issues 7 and 13 are checked against them in the report.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GROUP_SIZE = 25            # explainer pages per navigation group
MONTHS = 36                # articles are spread over 2022-01 … 2024-12
TOPICAL_TERMS_PER_GROUP = 3

# --- words ----------------------------------------------------------------------------------------

CORE_TERMS = [
    ("open source", "Software whose code is freely available for anyone to use, study, change and share.",
     ["open-source"]),
    ("large language model", "An AI model trained on large amounts of text to understand and generate language.",
     ["LLM"]),
    ("model weights", "The numbers a model learns in training; releasing them lets others run the model.",
     ["weights"]),
    ("fine-tuning", "Further training of a released model on new data so it suits a narrower task.",
     ["fine-tune", "fine-tuned"]),
    ("inference", "Running a trained model to get answers, as opposed to training it.", []),
    ("training data", "The text, images or other material a model learns from.", []),
    ("benchmark", "A fixed set of tasks used to compare models with each other.", ["benchmarks"]),
    ("licence", "The terms under which software or a model may be used, changed and shared.",
     ["license", "licences", "licenses"]),
    ("GPU", "A graphics processor; the chip most AI models are trained and run on.", ["GPUs"]),
    ("parameter", "One of the learned numbers inside a model; model size is counted in parameters.",
     ["parameters"]),
    ("transformer", "The neural-network design behind most current language models.", ["transformers"]),
    ("alignment", "Work to make a model behave as its makers and users intend.", []),
]

FIRST = ["Ada", "Bilal", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena",
         "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara"]
LAST = ["Abara", "Brandt", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gupta", "Haddad", "Ivanova", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrova", "Quinn", "Rahman", "Silva", "Tanaka"]
ROLES = ["a researcher at the institute", "the company's chief scientist", "an independent developer",
         "a policy adviser", "a professor of computer science", "the project's lead maintainer"]
SUBJECTS = ["The company", "The research team", "The project", "The new release", "The consortium",
            "Developers", "Critics", "Regulators", "Smaller firms", "The maintainers", "Universities",
            "Investors", "Engineers", "The foundation"]
VERBS = ["published", "described", "questioned", "expanded", "tested", "defended", "measured", "reviewed",
         "documented", "compared", "released", "adopted", "criticised", "funded", "studied", "shared"]
OBJECTS = ["a detailed report on its methods", "the results of a year of experiments",
           "new rules for how the code may be shared", "a plan to train a larger system",
           "the cost of running the service at scale", "the risks of releasing the tools widely",
           "an agreement with several hospitals", "a smaller version that runs on a laptop",
           "evidence gathered from thousands of users", "the terms offered to outside developers",
           "a public archive of the source code", "the energy used by its data centres"]
TAILS = ["after months of debate", "in a long statement", "according to people familiar with the plan",
         "despite objections from partners", "for the first time", "with little public notice",
         "as demand kept growing", "in response to questions from lawmakers", "ahead of a wider launch",
         "while rivals kept their own systems closed"]
LINKERS = ["However,", "Meanwhile,", "At the same time,", "In practice,", "Even so,", "By contrast,",
           "For now,", "As a result,", "In the weeks that followed,", "Until then,"]
RELATIVE = ["last month", "last year", "this year", "recently", "last week", "next year"]
QUOTES = ["we wanted anyone to be able to check our work and build on it",
          "the hard part was never the code but keeping the community together",
          "nobody expected the smaller models to catch up this quickly",
          "openness is the only way we know to earn people's trust",
          "there is a real cost to giving these tools away and someone has to pay it",
          "we will publish everything we can and explain what we cannot",
          "the rules were written for a world that no longer exists",
          "every release teaches us something about how people really use these systems"]
HEADINGS = ["Why it matters", "What changed", "How it works", "Who pays for it", "What critics say",
            "What comes next", "The road to release", "Inside the numbers", "A crowded field",
            "The question of trust", "Money and power", "Rules and regulators"]
TAGS = ["open source", "models", "policy", "research", "industry", "security", "hardware", "data",
        "licensing", "community", "funding", "education", "health", "energy", "europe", "asia"]
SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "tor", "qua", "zel", "dri", "mon", "sa", "vek", "lun", "ber",
             "cor", "nix", "pal", "tem", "vo", "xan", "yel", "gri", "fos", "hal"]
KINDS = ["protocol", "dataset", "framework", "accelerator", "licence model", "benchmark suite"]


def pseudo_word(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        if word not in used and len(word) >= 4:
            used.add(word)
            return word


@dataclass
class Corpus:
    """What the generator decided, for the edit step and the report."""

    n: int
    article_ids: list[str] = field(default_factory=list)
    groups: int = 0
    terms: int = 0
    words: list[int] = field(default_factory=list)
    edited: str = ""                                       # the article edit_article changes
    dependents: list[str] = field(default_factory=list)   # the pages made from the edited section


def _sentence(rng: random.Random, terms: list[str]) -> str:
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if terms and rng.random() < 0.55:
        s += f", a step that matters for the {rng.choice(terms)}"
    if rng.random() < 0.2:
        s = f"{rng.choice(LINKERS)} {s[0].lower()}{s[1:]}"
    if rng.random() < 0.18:
        s += f" {rng.choice(RELATIVE)}"
    return s + "."


def _paragraph(rng: random.Random, terms: list[str], speakers: list[str], words: int) -> str:
    out: list[str] = []
    count = 0
    if rng.random() < 0.22:
        who = rng.choice(speakers)
        q = rng.choice(QUOTES)
        out.append(f"“{q[0].upper()}{q[1:]},” {who} said.")
        count += len(q.split()) + 3
    while count < words:
        s = _sentence(rng, terms)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def generate(root: Path, n: int, seed: int = 7) -> Corpus:
    """Write a synthetic project of ``n`` articles into ``root`` (which must not exist)."""
    rng = random.Random(seed * 1_000_003 + n)
    corpus = Corpus(n)
    articles = root / "content_sources" / "articles"
    pages_dir = root / "content_sources" / "pages"
    articles.mkdir(parents=True)
    pages_dir.mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy2(REPO / "mkdocs-zensical.yml", root / "mkdocs-zensical.yml")
    if "src/curate" in (REPO / "mkdocs.yml").read_text(encoding="utf-8"):
        (root / "src" / "curate").mkdir(parents=True)  # a watched folder must exist

    n_groups = max(1, -(-n // GROUP_SIZE))
    corpus.groups = n_groups
    used: set[str] = set()
    group_names = [f"{pseudo_word(rng, used)} {rng.choice(['systems', 'research', 'policy', 'markets', 'tools'])}"
                   for _ in range(n_groups)]
    # Topical terms: a few per group, each explained by a page of that group.
    topical: list[list[tuple[str, str, int]]] = []
    for g in range(n_groups):
        members = list(range(g * GROUP_SIZE, min(n, (g + 1) * GROUP_SIZE)))
        row = []
        for k in range(TOPICAL_TERMS_PER_GROUP):
            name = f"{pseudo_word(rng, used)} {rng.choice(KINDS)}"
            row.append((name, f"A {name.split(' ', 1)[1]} discussed in the {group_names[g]} reporting.",
                        members[k % len(members)]))
        topical.append(row)

    page_ids = [f"topic-{i:05d}" for i in range(n)]
    corpus.article_ids = [f"article-{i:05d}" for i in range(n)]
    core_pages = {t[0]: page_ids[k % n] for k, t in enumerate(CORE_TERMS)}

    # --- glossary -----------------------------------------------------------------------------
    g_lines = ["# Generated by benchmarks/bench.py: a synthetic glossary.", "terms:"]
    page_terms: dict[int, list[str]] = {}
    for term, definition, aliases in CORE_TERMS:
        g_lines += [f"  - term: {term}", f"    definition: {definition}"]
        if aliases:
            g_lines.append(f"    aliases: [{', '.join(aliases)}]")
        g_lines.append("")
        page_terms.setdefault(int(core_pages[term].split("-")[1]), []).append(term)
    for row in topical:
        for name, definition, owner in row:
            g_lines += [f"  - term: {name}", f"    definition: {definition}", ""]
            page_terms.setdefault(owner, []).append(name)
    corpus.terms = len(CORE_TERMS) + sum(len(r) for r in topical)
    (root / "content_sources" / "glossary.yml").write_text("\n".join(g_lines) + "\n", encoding="utf-8")

    # --- articles -----------------------------------------------------------------------------
    section_ids: list[list[str]] = []
    titles: list[str] = []
    for i in range(n):
        g = i // GROUP_SIZE
        terms = [t[0] for t in rng.sample(CORE_TERMS, 4)] + [t[0] for t in topical[g]]
        if g + 1 < n_groups and rng.random() < 0.5:
            terms.append(topical[g + 1][0][0])
        speakers = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
        title = f"{pseudo_word(rng, used)} and the {rng.choice(KINDS)} — {rng.choice(OBJECTS)}"
        titles.append(title)
        n_sections = rng.choice((3, 4, 5))   # headed sections, plus the lead: 4-6 sections
        headings = rng.sample(HEADINGS, n_sections)
        paras_total = 26
        per_section = [paras_total // (n_sections + 1)] * (n_sections + 1)
        lines = [title, ""]
        words = 0
        intro_people = ", ".join(f"{s}, {rng.choice(ROLES)}" for s in speakers[:2])
        lead = (f"{terms[0].capitalize() if terms[0][0].islower() else terms[0]} is at the centre of a story "
                f"that involves {intro_people}, and the {terms[-1]} they worked on last month.")
        lines += [lead, ""]
        words += len(lead.split())
        sids = ["lead"]
        for k in range(n_sections + 1):
            if k:
                lines += [headings[k - 1], ""]
                sids.append(re.sub(r"[^a-z0-9]+", "-", headings[k - 1].lower()).strip("-"))
            for _ in range(per_section[k] - (1 if k == 0 else 0)):
                p = _paragraph(rng, terms, speakers, rng.randint(48, 66))
                words += len(p.split())
                lines += [p, ""]
        corpus.words.append(words)
        section_ids.append(sids)
        aid = corpus.article_ids[i]
        (articles / f"{aid}.txt").write_text("\n".join(lines), encoding="utf-8")
        month = i % MONTHS
        (articles / f"{aid}.meta.yml").write_text(
            f"# Generated by benchmarks/bench.py.\ntitle: {title}\npublisher: The Synthetic Times\n"
            f"published: {2022 + month // 12}-{month % 12 + 1:02d}\ntopic: {terms[-1]} and {terms[0]}\n"
            "language: en\n", encoding="utf-8")

    # --- curation and intros ------------------------------------------------------------------
    c_lines = ["# Generated by benchmarks/bench.py: one explainer page per synthetic article.", "site:",
               "  title: Open-source AI, explained", "  description: A synthetic site for the benchmark.",
               "  intro: pages/index.md", "", "pages:"]
    for i in range(n):
        g = i // GROUP_SIZE
        sids = section_ids[i]
        feeds = [f"{corpus.article_ids[i]}#{sids[0]}", f"{corpus.article_ids[i]}#{sids[1]}"]
        if i + 1 < n:
            feeds.append(f"{corpus.article_ids[i + 1]}#{section_ids[i + 1][-1]}")
        tags = sorted([rng.choice(TAGS), group_names[g].split()[0].lower()])  # a broad tag and the group's topic
        title = f"Explainer {i + 1}: {titles[i].split(' — ')[0]}"
        c_lines += [f"  - id: {page_ids[i]}", f"    title: \"{title}\"",
                    f"    description: What the reporting says about {titles[i].split(' — ')[1]}.",
                    "    sections:"] + [f"      - {f}" for f in feeds]
        if page_terms.get(i):
            c_lines.append(f"    terms: [{', '.join(page_terms[i])}]")
        c_lines += [f"    tags: [{', '.join(tags)}]", f"    group: {group_names[g]}",
                    "    reviewed: 2026-11-30", "    review_by: 2027-05-31", ""]
        g_terms = [t[0] for t in topical[g]]
        intro = (f"This page explains {titles[i].split(' — ')[0]} and why the {g_terms[i % len(g_terms)]} "
                 f"matters to people who follow {group_names[g]}. It draws on reporting about open source "
                 "software, the cost of training data and the debate over who may use model weights.\n\n"
                 "The passages below are quoted from the articles, each with a citation that leads back to "
                 "the paragraph it came from.\n")
        (pages_dir / f"{page_ids[i]}.md").write_text(intro, encoding="utf-8")
    (root / "content_sources" / "curation.yml").write_text("\n".join(c_lines) + "\n", encoding="utf-8")
    k = n // 2  # edit_article changes the last section of this article, which feeds page k - 1
    corpus.edited = corpus.article_ids[k]
    corpus.dependents = sorted([f"sources/{corpus.article_ids[k]}.md"] + ([f"{page_ids[k - 1]}.md"] if k else []))
    (pages_dir / "index.md").write_text(
        "This synthetic site exists to measure how curate and MkDocs scale. Its explainers are made "
        "from generated articles about open source AI, large language models and their licences.\n",
        encoding="utf-8")
    return corpus


def edit_article(root: Path, article_id: str, run: int) -> None:
    """Change one word in one paragraph of an article's last section (as an editor's fix would)."""
    path = root / "content_sources" / "articles" / f"{article_id}.txt"
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    k = len(paragraphs) - 2                       # a paragraph of the last section
    paragraphs[k] = re.sub(r"\.$", f", edit {run + 1}.", re.sub(r", edit \d+\.$", ".", paragraphs[k]))
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def edit_intro(path: Path, run: int) -> None:
    """Change the last sentence of a page's intro (as an editor's rewording would)."""
    text = re.sub(r" \(edit \d+\)\.\n$", ".\n", path.read_text(encoding="utf-8"))
    path.write_text(re.sub(r"\.\n$", f" (edit {run + 1}).\n", text), encoding="utf-8")


# --- running ----------------------------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    peak_mb: float
    returncode: int
    output: str
    cpu: float = 0.0   # user + system seconds of the process (and its children)


def run(cmd: list[str], cwd: Path) -> Run:
    """Run one command as its own process; wall time and the child's own peak RSS (wait4)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if p.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{text[-4000:]}")
    return Run(wall, usage.ru_maxrss / 1024, p.returncode, text, usage.ru_utime + usage.ru_stime)


def wrote(output: str) -> list[str]:
    return [line.split("docs/", 1)[1] for line in output.splitlines() if line.strip().startswith("wrote")]


def clean_docs(root: Path) -> None:
    """Remove every generated page and curate's cache: the next build starts from nothing."""
    shutil.rmtree(root / ".curate-cache", ignore_errors=True)
    docs = root / "docs"
    for child in docs.iterdir():
        if child.name == "assets":
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


@dataclass
class Result:
    n: int
    pages: int = 0
    words: int = 0
    clean: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    change: list[Run] = field(default_factory=list)
    intro: list[Run] = field(default_factory=list)
    intro_written: list[list[str]] = field(default_factory=list)
    mkdocs: list[Run] = field(default_factory=list)
    noop_written: list[int] = field(default_factory=list)
    change_written: list[list[str]] = field(default_factory=list)
    html_pages: int = 0
    html_median: float = 0
    html_max: int = 0
    html_max_page: str = ""
    html_over: int = 0
    search_bytes: int = 0
    search_gzip: int = 0
    html_by_kind: dict[str, tuple[int, float, int]] = field(default_factory=dict)  # kind -> (pages, median, max)
    profile: list = field(default_factory=list)
    noop_profile: list = field(default_factory=list)
    dependents: list[str] = field(default_factory=list)
    zensical: list[Run] = field(default_factory=list)
    zensical_html_median: float = 0
    zensical_html_max: int = 0
    zensical_search_bytes: int = 0
    zensical_search_gzip: int = 0
    preview: Preview | None = None


@dataclass
class Preview:
    """What the live preview did: one entry per save."""

    latencies: list[float] = field(default_factory=list)   # seconds from the write to the served page showing it
    kinds: list[str] = field(default_factory=list)         # "article" or "intro"
    rebuilds: list[int] = field(default_factory=list)      # rebuilds the save started
    rendered: list[int] = field(default_factory=list)      # pages each rebuild re-rendered
    full_builds: int = 0                                   # rebuilds that fell back to a full build
    startup: float = 0.0                                   # seconds until the first page was served
    peak_mb: float = 0.0


def med(runs: list[Run], attr: str = "wall") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def spread(runs: list[Run]) -> str:
    """``median s (min–max)``: a wide range says the machine was busy."""
    walls = [r.wall for r in runs]
    return f"{statistics.median(walls):.2f} s ({min(walls):.2f}–{max(walls):.2f})"


def gzip_size(data: bytes) -> int:
    """Bytes of ``data`` gzipped as a web server sends it (level 6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_kind(rel: str) -> str:
    """The kind of page a built HTML file is, for the size table (the synthetic site's paths)."""
    top = rel.split("/", 1)[0]
    if top.startswith("topic-"):
        return "explainer"
    if top == "sources":
        return "sources index" if rel.startswith(("sources/index.html", "sources/by-date/")) else "source"
    if top in ("glossary", "tags"):
        return top
    return "other"


def html_sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _stop(proc: subprocess.Popen) -> float:
    """Stop ``mkdocs serve`` (Ctrl-C, then harder after 10 s each); its peak memory in MB."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        proc.send_signal(sig)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = 0
                return usage.ru_maxrss / 1024
            time.sleep(0.1)
    return 0.0


def measure_preview(root: Path, corpus: Corpus, saves: int, log) -> Preview:
    """``mkdocs serve`` on the project; time each save until the served page shows it."""
    out = Preview()
    page_path = next(p for p in corpus.dependents if not p.startswith("sources/"))  # the page the edit feeds
    url_path = page_path[:-3] + "/"
    intro = root / "content_sources" / "pages" / page_path
    original_intro = intro.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as logf:
        log_path = Path(logf.name)
    with open(log_path, "w", encoding="utf-8") as logf:
        start = time.perf_counter()
        # Ctrl-C stops it cleanly, even when the bench itself runs in the background (where a shell
        # starts processes with SIGINT ignored, and Python then leaves it ignored).
        proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", "-f",
                                 str(root / "mkdocs.yml")], cwd=root, stdout=logf, stderr=subprocess.STDOUT, env=env,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509 - no threads here
        try:
            while "<html" not in _get(url):
                if proc.poll() is not None or time.perf_counter() - start > 3600:
                    raise SystemExit(f"bench: mkdocs serve did not start:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.5)
            out.startup = time.perf_counter() - start
            time.sleep(2)
            for k in range(saves):
                seen = log_path.read_text(encoding="utf-8").count("Detected file changes")
                if k % 2 == 0:
                    marker = f", edit {1001 + k}."
                    t = time.perf_counter()
                    edit_article(root, corpus.edited, 1000 + k)
                    out.kinds.append("article")
                else:
                    marker = f"A sentence saved at step {k}."
                    t = time.perf_counter()
                    intro.write_text(original_intro + f"\n{marker}\n", encoding="utf-8")
                    out.kinds.append("intro")
                while marker not in _get(url):
                    if time.perf_counter() - t > 600:
                        raise SystemExit(f"bench: the preview did not show a save:\n{log_path.read_text()[-4000:]}")
                    time.sleep(0.05)
                out.latencies.append(time.perf_counter() - t)
                time.sleep(2.5)  # MkDocs polls every 0.5 s: a second rebuild would have started by now
                text = log_path.read_text(encoding="utf-8")
                out.rebuilds.append(text.count("Detected file changes") - seen)
                log(f"  preview save {k + 1} ({out.kinds[-1]}): shown after {out.latencies[-1]:.2f} s, "
                    f"{out.rebuilds[-1]} rebuild(s)")
        finally:
            out.peak_mb = _stop(proc)
            intro.write_text(original_intro, encoding="utf-8")
    text = log_path.read_text(encoding="utf-8")
    out.rendered = [int(n) for n in re.findall(r"curate preview: (\d+) page\(s\) re-rendered", text)]
    out.full_builds = text.count("curate preview: full build")
    log_path.unlink()
    return out


def measure(root: Path, corpus: Corpus, runs: int, log, preview: bool = True) -> Result:
    curate = [str(BIN / "curate"), "build", "--project", str(root)]
    mkdocs = [str(BIN / "mkdocs"), "build", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    r = Result(corpus.n, words=sum(corpus.words), dependents=corpus.dependents)
    for k in range(runs):
        clean_docs(root)
        r.clean.append(run(curate, root))
        log(f"  clean build {k + 1}: {r.clean[-1].wall:.2f} s, {len(wrote(r.clean[-1].output))} files")
    r.pages = len(wrote(r.clean[-1].output))
    for k in range(runs):
        r.noop.append(run(curate, root))
        r.noop_written.append(len(wrote(r.noop[-1].output)))
        log(f"  no-op build {k + 1}: {r.noop[-1].wall:.2f} s, {r.noop_written[-1]} files")
    target = corpus.edited
    for k in range(runs):
        edit_article(root, target, k)
        r.change.append(run(curate, root))
        r.change_written.append(wrote(r.change[-1].output))
        log(f"  one article changed {k + 1}: {r.change[-1].wall:.2f} s, {len(r.change_written[-1])} files "
            f"({', '.join(r.change_written[-1])})")
    intros = sorted((root / "content_sources" / "pages").glob("topic-*.md"))
    intro_page = intros[len(intros) // 2]
    for k in range(runs):
        edit_intro(intro_page, k)
        r.intro.append(run(curate, root))
        r.intro_written.append(wrote(r.intro[-1].output))
        log(f"  one intro changed {k + 1}: {r.intro[-1].wall:.2f} s, {len(r.intro_written[-1])} files "
            f"({', '.join(r.intro_written[-1])})")
    for k in range(runs):
        r.mkdocs.append(run(mkdocs, root))
        log(f"  mkdocs build {k + 1}: {r.mkdocs[-1].wall:.2f} s, peak {r.mkdocs[-1].peak_mb:.0f} MB")
    site = root / "site"
    sizes = html_sizes(site)
    r.html_pages = len(sizes)
    r.html_median = statistics.median(sizes.values())
    r.html_max_page, r.html_max = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))
    r.html_over = sum(1 for v in sizes.values() if v > 80 * 1024)
    by_kind: dict[str, list[int]] = {}
    for rel, size in sizes.items():
        by_kind.setdefault(page_kind(rel), []).append(size)
    r.html_by_kind = {k: (len(v), statistics.median(v), max(v)) for k, v in sorted(by_kind.items())}
    index = site / "search" / "search_index.json"
    if index.exists():
        data = index.read_bytes()
        r.search_bytes, r.search_gzip = len(data), gzip_size(data)
    zensical = BIN / "zensical"
    if zensical.exists():
        cmd = [str(zensical), "build", "--clean", "-f", str(root / "mkdocs-zensical.yml")]
        for k in range(runs):
            r.zensical.append(run(cmd, root))
            log(f"  zensical build {k + 1}: {r.zensical[-1].wall:.2f} s, peak {r.zensical[-1].peak_mb:.0f} MB")
        zsite = root / "site-zensical"
        zsizes = html_sizes(zsite)
        r.zensical_html_median, r.zensical_html_max = statistics.median(zsizes.values()), max(zsizes.values())
        data = (zsite / "search.json").read_bytes()
        r.zensical_search_bytes, r.zensical_search_gzip = len(data), gzip_size(data)
    else:
        log(f"  zensical is not installed in {BIN}: skipped (pip install -e '.[zensical]')")
    if preview:
        r.preview = measure_preview(root, corpus, max(5, runs), log)
    return r


# Where one `curate build` spends its time: cProfile of commands.prepare (load, render, compare; no
# writes), run in a child process. Shares of profiled time, so the profiler's overhead cancels out.
PROFILE = r"""
import cProfile, json, pstats, sys
from pathlib import Path
from curate import commands
pr = cProfile.Profile()
pr.enable()
commands.prepare(Path(sys.argv[1]))
pr.disable()
st = pstats.Stats(pr)
stages = [
    ("load_project: read, decode, clean and check every file", "project.py", "load_project"),
    ("  parsing YAML (yamlio.compose)", "yamlio.py", "compose"),
    ("  cleaning articles (cleaning.parse_plain_text)", "cleaning.py", "parse_plain_text"),
    ("  decoding (encoding.decode)", "encoding.py", "decode"),
    ("plan_build: render every page in memory", "build.py", "plan_build"),
    ("  writing front matter (yamlio.dump_front_matter)", "yamlio.py", "dump_front_matter"),
    ("  linking glossary terms (GlossaryLinker.link)", "linking.py", "link"),
    ("  counting mentions (mentions, mentions_anywhere)", "linking.py", "mentions*"),
    ("  finding links for backlinks (find_links)", "linking.py", "find_links"),
    ("  passages: dates and escaping (passage_markdown)", "render.py", "passage_markdown"),
    ("plan_writes: compare with docs/", "writer.py", "plan_writes"),
]
rows = []
for label, file, name in stages:
    total = 0.0
    for (f, _, n), (_, _, _, ct, _) in st.stats.items():
        if f.endswith(file) and (n == name or (name.endswith("*") and n.startswith(name[:-1]))):
            total += ct
    rows.append((label, total / st.total_tt))
print(json.dumps(rows))
"""


# Where a no-op `curate build` spends its time: the curate functions with the most cumulative time.
# A first build takes in what the steps before it changed (the preview's saves), so the second is a no-op.
NOOP_PROFILE = r"""
import cProfile, json, pstats, sys
from curate.cli import main
main(["build", "-q", "--project", sys.argv[1]])
pr = cProfile.Profile()
pr.enable()
main(["build", "-q", "--project", sys.argv[1]])
pr.disable()
st = pstats.Stats(pr)
rows = []
for (f, _, n), (_, _, _, ct, _) in st.stats.items():
    if "/curate/" in f and not f.endswith(("cli.py", "__main__.py")) and n not in ("build", "main"):
        rows.append((f.rsplit("/", 1)[1][:-3] + "." + n, ct / st.total_tt))
print(json.dumps(sorted(rows, key=lambda r: -r[1])[:6]))
"""


def profile(root: Path, script: str = PROFILE) -> list:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return []
    import json
    return json.loads(out.stdout)


# --- report -----------------------------------------------------------------------------------------

def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    versions = []
    for pkg in ("mkdocs", "mkdocs-material", "Markdown", "PyYAML"):
        try:
            from importlib.metadata import version
            versions.append(f"{pkg} {version(pkg)}")
        except Exception:  # noqa: BLE001 - a missing package is only left out of the line
            pass
    return [
        f"- Processors: {os.cpu_count()} (`nproc`: {len(os.sched_getaffinity(0))}), {cpu}",
        f"- Memory: {mem}",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- {', '.join(versions)}",
    ]


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def verdicts(results: dict[int, Result]) -> list[str]:
    r = results.get(1000)
    if r is None:
        return ["The targets are set at N = 1,000; run without `--sizes` to check them."]
    out = []

    def line(ok: bool, text: str, over: float = 0) -> None:
        by = f"; {over:.1f}× the target" if not ok and over else ""
        out.append(f"- {'holds' if ok else '**does not hold**'}: {text[:-1]}{by})" if text.endswith(")") else
                   f"- {'holds' if ok else '**does not hold**'}: {text}")

    c, m = med(r.clean), med(r.mkdocs)
    per_article = c / r.n * 1000
    line(c <= 0.10 * m, f"`curate build` from clean is {c / m:.1%} of `mkdocs build` (target at most 10%)",
         c / m / 0.10)
    line(per_article <= 5, f"`curate build` from clean takes {per_article:.2f} ms per article (target at most 5 ms)",
         per_article / 5)
    noop = med(r.noop)
    line(noop <= 0.3 and max(r.noop_written) == 0,
         f"no-op `curate build` takes {noop:.2f} s and writes {max(r.noop_written)} files "
         "(target at most 0.3 s, no file)", noop / 0.3)
    ch = med(r.change)
    names = r.change_written[-1]
    same = all(sorted(w) == sorted(r.dependents) for w in r.change_written)
    line(same, f"after one article changed, `curate build` rewrites {len(names)} files, "
         f"{'exactly the pages made from the changed section' if same else 'not only the pages made from it'}: "
         f"{', '.join(f'`{x}`' for x in names)} (target: only dependent pages)")
    line(ch <= 1.0, f"after one article changed, `curate build` takes {ch:.2f} s (target at most 1 s)", ch / 1.0)
    it = med(r.intro)
    line(it <= 1.0 and all(len(w) == 1 for w in r.intro_written),
         f"after one page intro changed, `curate build` takes {it:.2f} s and rewrites "
         f"{', '.join(f'`{x}`' for x in r.intro_written[-1])} (target at most 1 s, that page only)", it / 1.0)
    small = results.get(100)
    if small:
        ratio = (m / r.html_pages) / (med(small.mkdocs) / small.html_pages)
        cpu_ratio = (med(r.mkdocs, "cpu") / r.html_pages) / max(1e-9, med(small.mkdocs, "cpu") / small.html_pages)
        line(ratio <= 1.5, f"`mkdocs build` time per page at N = 1,000 is {ratio:.2f}× its time per page at "
             f"N = 100; in processor time, {cpu_ratio:.2f}× (target at most 1.5×)")
    line(r.html_max <= 80 * 1024, f"largest page is {kb(r.html_max)} (`{r.html_max_page}`; target at most 80 KB)")
    peak = max(x.peak_mb for x in r.clean + r.noop + r.change)
    line(peak <= 500, f"peak memory of `curate build` is {peak:.0f} MB (target at most 500 MB)")
    if c > 0.10 * m or per_article > 5 or noop > 0.3 or ch > 1.0 or it > 1.0:
        if noop > 0.3 and r.noop_profile:
            top = "; ".join(f"`{name}` {share:.0%}" for name, share in r.noop_profile[:4])
            out += ["", "The curate functions with the most time in a no-op build (cProfile, share of the "
                    f"profiled time): {top}. Starting Python and importing curate's libraries is part of it."]
        if r.profile:
            out += ["", "Where one `curate build` from clean (no cache) spends its time at N = 1,000 (cProfile, "
                    "share of the profiled time; sub-items are part of the line above them):", "",
                    "| stage | share |", "| --- | ---: |"]
            out += [f"| {label.replace('  ', '&nbsp;&nbsp;')} | {share:.0%} |" for label, share in r.profile]
    return out


# What issue 13 measured on this machine before its changes (N = 1,000 articles, 2,118 pages;
# search index also at 10,000), quoted as the "before" of its targets.
BEFORE_13 = {
    "preview": "40–44 s (the browser; 72–79 s until the server settled), 2 full builds per save",
    "search": "22.9 MB (11 KB per page); 240 MB at N = 10,000",
    "html": "60 KB median, 70 KB largest",
    "per_page": "12.6 ms at N = 100, 15.8 ms at N = 1,000 (1.25×)",
    "zensical": "0.0.73 lost the navigation's grouping (661 KB per page), every edit link and the map's links",
}


def verdicts_13(results: dict[int, Result]) -> list[str]:
    """Issue 13's targets at N = 1,000 (and the search index at N = 10,000), before and after."""
    r = results.get(1000)
    if r is None:
        return ["The targets are set at N = 1,000; run without `--sizes` to check them."]
    rows = ["| target | before (issue 13) | now | holds |", "| --- | --- | --- | :---: |"]

    def row(target: str, before: str, now: str, ok: bool) -> None:
        rows.append(f"| {target} | {before} | {now} | {'yes' if ok else '**no**'} |")

    p = r.preview
    if p and p.latencies:
        lat = statistics.median(p.latencies)
        row("save → page shown ≤ 2 s (median of the saves)", BEFORE_13["preview"],
            f"{lat:.2f} s ({min(p.latencies):.2f}–{max(p.latencies):.2f}, {len(p.latencies)} saves); "
            f"{max(p.rebuilds)} rebuild per save, {p.full_builds} full builds", lat <= 2.0 and max(p.rebuilds) == 1)
    mb = r.search_bytes / 1e6
    row("search index ≤ 5 MB raw, ≤ 1 MB gzipped", BEFORE_13["search"],
        f"{mb:.2f} MB raw, {r.search_gzip / 1e6:.2f} MB gzipped "
        f"({r.search_bytes / r.html_pages / 1024:.1f} KB per page)",
        r.search_bytes <= 5e6 and r.search_gzip <= 1e6)
    huge = results.get(10000)
    if huge:
        row("search index ≤ 25 MB at N = 10,000", "240 MB", f"{huge.search_bytes / 1e6:.1f} MB raw, "
            f"{huge.search_gzip / 1e6:.2f} MB gzipped", huge.search_bytes <= 25e6)
    row("HTML median ≤ 30 KB, no page over 60 KB", BEFORE_13["html"],
        f"{kb(r.html_median)} median, {kb(r.html_max)} largest (`{r.html_max_page}`)",
        r.html_median <= 30 * 1024 and r.html_max <= 60 * 1024)
    small = results.get(100)
    if small:
        per_small, per_big = med(small.mkdocs) / small.html_pages, med(r.mkdocs) / r.html_pages
        cpu_small = med(small.mkdocs, "cpu") / small.html_pages
        cpu_big = med(r.mkdocs, "cpu") / r.html_pages
        row("`mkdocs build` time per page at N = 1,000 ≤ 1.1× that at N = 100", BEFORE_13["per_page"],
            f"{per_small * 1000:.1f} ms and {per_big * 1000:.1f} ms ({per_big / per_small:.2f}×); processor time "
            f"{cpu_small * 1000:.1f} and {cpu_big * 1000:.1f} ms ({cpu_big / cpu_small:.2f}×)",
            per_big / per_small <= 1.1)
    if r.zensical:
        row("Zensical builds the same site", BEFORE_13["zensical"],
            f"{med(r.zensical):.1f} s; {kb(r.zensical_html_median)} median, {kb(r.zensical_html_max)} largest page; "
            "same pages, nav, edit and map links (tests/test_zensical.py)", r.zensical_html_max < 200 * 1024)
    return rows


def report(results: dict[int, Result], runs: int, started: _dt.datetime, elapsed: float) -> str:
    rows_time = ["| N articles | pages built | words | curate build from clean | per article | no-op build "
                 "[files written] | one article changed [files written] | one intro changed [files written] "
                 "| mkdocs build | mkdocs per page | curate / mkdocs |",
                 "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows_mem = ["| N articles | curate from clean | no-op | one changed | mkdocs build |",
                "| ---: | ---: | ---: | ---: | ---: |"]
    rows_cpu = ["| N articles | curate from clean | no-op | one changed | mkdocs build | mkdocs per page |",
                "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows_size = ["| N articles | HTML pages | HTML per page, median | largest page | pages over 80 KB "
                 "| search_index.json | per page |",
                 "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows_render = [("| N articles | HTML pages | mkdocs build | per page | peak memory | zensical build | per page "
                    "| peak memory |"), "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows_preview = [("| N articles | first page served | save → page shown, median (min–max) | each save "
                     "| rebuilds per save | pages re-rendered | full builds | peak memory |"),
                    "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
    rows_search = ["| N articles | MkDocs `search_index.json` | gzipped | per page "
                   "| Zensical `search.json` | gzipped |",
                   "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows_kind = ["| N articles | page kind | pages | HTML median | largest |", "| ---: | --- | ---: | ---: | ---: |"]
    for n, r in sorted(results.items()):
        z = (f"{spread(r.zensical)} | {med(r.zensical) / r.html_pages * 1000:.1f} ms | "
             f"{max(x.peak_mb for x in r.zensical):.0f} MB") if r.zensical else "not installed | | "
        rows_render.append(f"| {n:,} | {r.html_pages:,} | {spread(r.mkdocs)} "
                           f"| {med(r.mkdocs) / r.html_pages * 1000:.1f} ms "
                           f"| {max(x.peak_mb for x in r.mkdocs):.0f} MB | {z} |")
        if r.preview and r.preview.latencies:
            p = r.preview
            each = ", ".join(f"{k} {t:.2f} s" for k, t in zip(p.kinds, p.latencies, strict=True))
            rows_preview.append(
                f"| {n:,} | {p.startup:.1f} s | {statistics.median(p.latencies):.2f} s ({min(p.latencies):.2f}–"
                f"{max(p.latencies):.2f}) | {each} | {'/'.join(str(b) for b in p.rebuilds)} | "
                f"{'/'.join(str(x) for x in p.rendered)} | {p.full_builds} | {p.peak_mb:.0f} MB |")
        zs = (f"{kb(r.zensical_search_bytes)} | {kb(r.zensical_search_gzip)}") if r.zensical else "| "
        rows_search.append(f"| {n:,} | {kb(r.search_bytes)} | {kb(r.search_gzip)} | "
                           f"{kb(r.search_bytes / max(1, r.html_pages))} | {zs} |")
        for kind, (count, median, largest) in r.html_by_kind.items():
            rows_kind.append(f"| {n:,} | {kind} | {count:,} | {kb(median)} | {kb(largest)} |")
        c, m = med(r.clean), med(r.mkdocs)
        rows_time.append(
            f"| {n:,} | {r.html_pages:,} | {r.words:,} | {spread(r.clean)} | {c / n * 1000:.2f} ms | {spread(r.noop)} "
            f"[{max(r.noop_written)}] | {spread(r.change)} [{statistics.median(len(w) for w in r.change_written):g}] "
            f"| {spread(r.intro)} [{statistics.median(len(w) for w in r.intro_written):g}] | {spread(r.mkdocs)} "
            f"| {m / r.html_pages * 1000:.1f} ms | {c / m:.1%} |")
        rows_cpu.append(f"| {n:,} | {med(r.clean, 'cpu'):.2f} s | {med(r.noop, 'cpu'):.2f} s "
                        f"| {med(r.change, 'cpu'):.2f} s "
                        f"| {med(r.mkdocs, 'cpu'):.2f} s | {med(r.mkdocs, 'cpu') / r.html_pages * 1000:.1f} ms |")
        rows_mem.append(f"| {n:,} | {max(x.peak_mb for x in r.clean):.0f} MB | {max(x.peak_mb for x in r.noop):.0f} MB "
                        f"| {max(x.peak_mb for x in r.change):.0f} MB | {max(x.peak_mb for x in r.mkdocs):.0f} MB |")
        rows_size.append(f"| {n:,} | {r.html_pages:,} | {kb(r.html_median)} | {kb(r.html_max)} (`{r.html_max_page}`) "
                         f"| {r.html_over} | {kb(r.search_bytes)} | {kb(r.search_bytes / max(1, r.html_pages))} |")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`benchmarks/bench.py`) on {started:%Y-%m-%d} in {elapsed / 60:.0f} minutes. "
        "Do not edit by hand: run `make bench` again.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## What is measured",
        "",
        "For each size N, `benchmarks/bench.py` generates a synthetic project: N plain-text articles of about "
        "1,500 words in 4-6 sections (glossary terms, attributed quotations, relative dates), one explainer "
        f"page per article (fed by two sections of its article and one of the next), navigation groups of "
        f"{GROUP_SIZE} pages, two tags per page (one of {len(TAGS)} broad tags and one per group), a glossary of "
        f"{len(CORE_TERMS)} common terms plus {TOPICAL_TERMS_PER_GROUP} topical terms per group, and publication "
        f"dates spread over {MONTHS} months. Every figure is the median of {runs} runs of a "
        "separate process (wall-clock time), with the fastest and slowest run in parentheses. **The machine is "
        "shared**: two processors used by several people's work at once, so times vary from run to run and a "
        "wide range means other work was running. Memory is the peak resident set of the process (`wait4`).",
        "",
        "- *curate build from clean*: `curate build --project DIR` with `docs/` emptied (all pages written).",
        "- *no-op build*: the same command again, nothing changed; the number of files written should be 0.",
        "- *one article changed*: one word changed in the last section of the middle article, then "
        "`curate build`; only the pages made from that section should be rewritten.",
        "- *mkdocs build*: `mkdocs build` of the result (the site's hook first runs a no-op `curate build`).",
        "- *zensical build*: `zensical build --clean -f mkdocs-zensical.yml` of the same pages (its cache "
        "emptied first).",
        "- *live preview*: `mkdocs serve` on the project; then saves alternating between the middle article and "
        "the intro of the page it feeds, each timed from writing the file to the served page (polled every "
        "50 ms) holding the change; *rebuilds per save* counts MkDocs' \"Detected file changes\" after each.",
        "- *pages built*: HTML pages in `site/` (explainers, sources, home, glossary, tags, sources index, 404).",
        "",
        "## Targets at N = 1,000 (issue 13)",
        "",
        *verdicts_13(results),
        "",
        "## Live preview (`make serve`)",
        "",
        *rows_preview,
        "",
        "## Search index",
        "",
        "Gzipped at level 6, as a web server sends it. Zensical builds its own index (it runs no hook).",
        "",
        *rows_search,
        "",
        "## HTML by page kind (MkDocs)",
        "",
        *rows_kind,
        "",
        "## MkDocs and Zensical",
        "",
        *rows_render,
        "",
        "## Time",
        "",
        *rows_time,
        "",
        "## Processor time",
        "",
        "User plus system time of each process, median of the same runs: less disturbed than wall-clock "
        "time by other work on the machine, though not immune to it.",
        "",
        *rows_cpu,
        "",
        "## Peak memory",
        "",
        *rows_mem,
        "",
        "## Size of the built site",
        "",
        *rows_size,
        "",
        "## Targets at N = 1,000 for curate build (core issue)",
        "",
        *verdicts(results),
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--huge", action="store_true",
                   help="also run N = 10,000 (slow: two hours or more, and Zensical needs several GB of memory)")
    p.add_argument("--sizes", help="comma-separated sizes instead of 10,100,1000 (report goes to --out)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported; default 3)")
    p.add_argument("--work", default=str(REPO / "bench-work"), help="work folder (default: bench-work/)")
    p.add_argument("--out", default=str(REPO / "BENCHMARKS.md"), help="report file (default: BENCHMARKS.md)")
    p.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [10, 100, 1000] + ([10000] if args.huge else [])
    runs = max(3, args.runs)
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = _dt.datetime.now()
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(msg, flush=True)

    results: dict[int, Result] = {}
    for n in sizes:
        root = work / f"n{n}"
        if root.exists():
            shutil.rmtree(root)
        log(f"N = {n}: generating {root}")
        corpus = generate(root, n)
        results[n] = measure(root, corpus, runs, log)
        if n == 1000:
            # from clean: with its cache a build renders nothing, and the profile would say nothing
            shutil.rmtree(root / ".curate-cache", ignore_errors=True)
            results[n].profile = profile(root)
            results[n].noop_profile = profile(root, NOOP_PROFILE)
        if not args.keep:
            shutil.rmtree(root)
        Path(args.out).write_text(report(results, runs, started, time.perf_counter() - t0), encoding="utf-8")
    log(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
