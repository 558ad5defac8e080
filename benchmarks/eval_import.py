"""Quality gate of the HTML reader on real pages: ``make eval-import``.

Scores what ``curate import`` keeps of 181 real news and blog pages against
the text a person marked as the article (Zyte's article-extraction-benchmark;
see ``README.md`` beside the data). The metric is the benchmark's own, as
that README describes it:

* tokens are the matches of ``\\w+`` (case kept); shingles are token
  4-grams counted as a multiset (a text of 1 to 3 tokens gives one shorter
  shingle);
* per page, tp = Σ min(true, pred), fp = Σ (pred − true)⁺ and
  fn = Σ (true − pred)⁺, each divided by tp + fp + fn;
* precision is the mean over pages with predicted text, recall the mean over
  pages with true text, F1 = 2PR / (P + R) from those means;
* accuracy is the share of pages whose token list equals the ground truth's;
* ± is the bootstrap standard deviation over pages (1000 resamples, fixed
  seed).

``related_blocks_kept`` counts the pages whose kept text holds a line that is
a related-content heading or teaser (:func:`related_lines`); the ground truth
has none.

The text scored for a page is what the HTML reader keeps: its section
headings and passages, one per line, the title left out (the ground truth has
no headline). A page that fails counts as empty text.

Usage::

    python benchmarks/eval_import.py [--data DIR] [--subset] [--baseline]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Where CI keeps the data: ../shared/data/article-extraction beside the repository.
DEFAULT_DATA = REPO.parent / "shared" / "data" / "article-extraction"
DATA_ENV = "CURATE_EVAL_DATA"
N_BOOTSTRAP = 1000
SEED = 20191119

_TOKEN = re.compile(r"\w+")

# A related-content heading, alone on its line ("Related Posts", "More on this story", "Top stories",
# "You may also like", "Most Popular", "Popular on X", "Explore further", "More:"). Markdown around
# the line is ignored. "Don't miss" is not one: real articles use it as a heading of their own.
_RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:posts?|articles?|stories|story|news|content|coverage|reading|links|videos?|topics))?|"
    r"more (?:on|about) (?:this|the) (?:story|topic)|more (?:stories|news) (?:from|on|in|about) .{1,40}|"
    r"more from .{1,40}|more like this|(?:you|we think you) (?:may|might|will|would) (?:also )?"
    r"(?:like|enjoy|be interested in)|recommended(?: for you| stories| reading| articles)?|further reading|"
    r"top stories|most (?:popular|read|viewed|shared|emailed|watched)(?: .{1,40})?|popular (?:on|in) .{1,40}|"
    r"(?:also|read|see) (?:also|more|next)|read these next|what to read next|explore further|trending now|"
    r"editor'?s'? picks|in case you missed it|more|also)"
    r"\s*[:.…]*$",
    re.IGNORECASE,
)
# A teaser line: "READ MORE: <headline>", "Related: <headline>", "[Related: …]", "SEE MORE: …",
# "Related post: …", "Also on example.com <headline>".
_RELATED_TEASER = re.compile(
    r"^\[?(?:read more|related(?: \w+)?|see also|see more|also read|read also|read next|more on this story)"
    r"\s*[:|»›–—]\s*\w|^also on [\w.-]+\.\w+ \w",
    re.IGNORECASE,
)
_MARKDOWN_EDGE = re.compile(r"^[\s#>*_+•|-]+|[\s*_|]+$")


def tokens(text: str) -> list[str]:
    """Every match of ``\\w+`` in ``text``, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    """Token ``n``-grams of ``text`` as a multiset; 1 to ``n``-1 tokens give one shorter shingle."""
    toks = tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` over shingles of one page, divided by tp + fp + fn (all 0 when both are empty)."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def scores(counts: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Precision (pages with predicted text), recall (pages with true text) and F1 of their means."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def bootstrap_std(counts: Sequence[tuple[float, float, float]], accuracies: Sequence[float],
                  n: int = N_BOOTSTRAP, seed: int = SEED) -> dict[str, float]:
    """Standard deviation of each figure over ``n`` resamples of the pages (fixed seed)."""
    rng = random.Random(seed)
    values: dict[str, list[float]] = {}
    size = len(counts)
    for _ in range(n):
        picks = [rng.randrange(size) for _ in range(size)]
        for key, value in scores([counts[i] for i in picks]).items():
            values.setdefault(key, []).append(value)
        values.setdefault("accuracy", []).append(statistics.mean(accuracies[i] for i in picks))
    return {key: statistics.stdev(v) for key, v in values.items()}


def related_lines(text: str) -> list[str]:
    """Lines of ``text`` that are a related-content heading or teaser (Markdown around them ignored)."""
    found = []
    for line in (text or "").split("\n"):
        core = _MARKDOWN_EDGE.sub("", line).strip()
        if core and (_RELATED_HEADING.match(core) or _RELATED_TEASER.match(core)):
            found.append(core)
    return found


def curate_text(html_bytes: bytes) -> str:
    """What the HTML reader keeps of a page: section headings and passages, one per line, no title."""
    from curate.readers.html import HtmlReader

    reader = HtmlReader()
    decoded = reader.load(html_bytes)
    parsed = reader.parse(decoded.text, 1, [], "", "")
    lines: list[str] = []
    for section in parsed.sections:
        if section.heading:
            lines.append(section.heading)
        lines.extend(p.text for p in section.passages)
    return "\n".join(lines)


def trafilatura_text(html_bytes: bytes) -> str:
    """The benchmark's own trafilatura call (setting (e) of the data README), for comparison."""
    import trafilatura

    return trafilatura.extract(html_bytes.decode("utf-8"), include_comments=False) or ""


@dataclass
class Report:
    """The figures of one run.

    Attributes:
        pages: Pages scored.
        figures: ``precision``, ``recall``, ``f1``, ``accuracy``.
        std: Bootstrap standard deviation of each figure.
        failures: Pages whose extraction raised (scored as empty text).
        related_pages: Page id → related lines kept, for pages that keep one.
        seconds: Wall-clock time of the extractions (the pages already in memory).
        cpu_seconds: CPU time of the extractions.
        texts: Page id → the text scored.
    """

    pages: int
    figures: dict[str, float]
    std: dict[str, float]
    failures: list[str]
    related_pages: dict[str, list[str]]
    seconds: float
    cpu_seconds: float
    texts: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> str:
        """The figures as a Markdown table."""
        f, s = self.figures, self.std
        rows = [
            ("| setting | pages | precision | recall | F1 | accuracy | related_blocks_kept | failures "
             "| pages/s (wall) | pages per CPU-second |"),
            "|---|---|---|---|---|---|---|---|---|---|",
            (f"| {name} | {self.pages} | {f['precision']:.4f} ± {s['precision']:.3f} | {f['recall']:.4f} ± "
             f"{s['recall']:.3f} | **{f['f1']:.4f}** ± {s['f1']:.3f} | {f['accuracy']:.4f} | "
             f"{len(self.related_pages)} | {len(self.failures)} | {self.pages / self.seconds:.1f} | "
             f"{self.pages / self.cpu_seconds:.1f} |"),
        ]
        return "\n".join(rows)


def data_dir(explicit: str | None = None) -> Path:
    """The benchmark folder: ``explicit``, else ``$CURATE_EVAL_DATA``, else ../shared beside the repository."""
    return Path(explicit or os.environ.get(DATA_ENV) or DEFAULT_DATA)


def page_ids(data: Path, subset: bool = False) -> list[str]:
    """Page ids sorted by name; with ``subset``, every 4th of them (the first, the fifth, …)."""
    ids = sorted(json.loads((data / "ground-truth.json").read_text(encoding="utf-8")))
    return ids[::4] if subset else ids


def evaluate(data: Path, ids: Sequence[str] | None = None,
             extract: Callable[[bytes], str] = curate_text) -> Report:
    """Run ``extract`` on the pages and score it.

    Args:
        data: The benchmark folder (``ground-truth.json`` and ``html/``).
        ids: Page ids to score (default: all, sorted).
        extract: Page bytes → kept text.

    Raises:
        FileNotFoundError: The folder does not hold the benchmark.
    """
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = list(ids) if ids is not None else sorted(truth)
    pages = {pid: gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()) for pid in ids}
    texts: dict[str, str] = {}
    failures: list[str] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for pid in ids:
        try:
            texts[pid] = extract(pages[pid])
        except Exception:  # noqa: BLE001 - a failed page is scored as empty, as the benchmark does
            texts[pid] = ""
            failures.append(pid)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = [page_counts(truth[pid].get("articleBody", ""), texts[pid]) for pid in ids]
    accuracies = [float(tokens(truth[pid].get("articleBody", "")) == tokens(texts[pid])) for pid in ids]
    figures = scores(counts)
    figures["accuracy"] = statistics.mean(accuracies)
    related = {pid: lines for pid in ids if (lines := related_lines(texts[pid]))}
    return Report(len(ids), figures, bootstrap_std(counts, accuracies), failures, related, wall, cpu, texts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help=f"benchmark folder (default: ${DATA_ENV}, else {DEFAULT_DATA})")
    parser.add_argument("--subset", action="store_true", help="score every 4th page only (what the test scores)")
    parser.add_argument("--baseline", action="store_true",
                        help="also score trafilatura alone with the benchmark's own call, for comparison")
    parser.add_argument("--show-related", action="store_true", help="list the related lines kept, per page")
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    if not (data / "ground-truth.json").is_file():
        print(f"eval-import: no benchmark data at {data}\n"
              f"    hint: put the article-extraction data there (ground-truth.json and html/), or point "
              f"{DATA_ENV} or --data at it", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO / "src"))
    ids = page_ids(data, args.subset)
    runs = [("curate import (HTML reader)", curate_text)]
    if args.baseline:
        runs.insert(0, ("trafilatura alone, include_comments=False", trafilatura_text))
    print(f"Article extraction on {len(ids)} real pages ({data})\n")
    tables = []
    for name, extract in runs:
        report = evaluate(data, ids, extract)
        tables.append(report.table(name))
        if args.show_related:
            for pid, lines in sorted(report.related_pages.items()):
                print(f"  {name}: {pid[:12]}: {lines[:3]}")
    header, rule = tables[0].split("\n")[:2]
    print("\n".join([header, rule] + [t.split("\n")[2] for t in tables]))
    print("\nrelated_blocks_kept: pages whose kept text holds a related-content heading or teaser line "
          "(the ground truth has none).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
