#!/usr/bin/env python3
"""Interrupt ``curate build`` at random moments, again and again, and check docs/ every time.

Run it with ``.venv/bin/python benchmarks/interrupt_loop.py`` (about 10 s a run at 300 articles on
a 2-core machine). It generates a synthetic project with the generator of ``bench.py`` (the
benchmark beside this file, or ``scripts/bench.py`` before it moved), builds it, then repeats:

1. change some inputs at random: edit articles, edit page intros, change a glossary definition,
   or drop a page from the curation file (or restore one dropped earlier), so the build creates,
   rewrites and deletes pages;
2. build a reference copy of the project with the same inputs (uninterrupted) for the expected
   ``docs/``;
3. start ``curate build`` on the project as a subprocess and send it SIGINT, SIGTERM or SIGKILL,
   either at a random time within the reference build's duration, or while it stages its files, or
   while it commits them (the folder ``docs/.curate-commit/`` and its journal show when);
   some SIGKILLs in the commit are followed by the loss of one staged file that had not been
   moved into place (as after a power cut before the data reached the disk);
4. check ``docs/``: after SIGINT or SIGTERM it must already be byte-identical to before or to the
   reference, with no staging folder or lock left; after SIGKILL, once the commit an interrupted
   build leaves behind has been completed or undone (``curate.writer.recover``, which every build
   runs first);
5. run ``curate build`` again and check that ``docs/`` equals the reference and that no
   ``docs/.curate-commit``, ``docs/**/.curate-tmp-*`` or ``.curate-cache/build.lock`` is left.

Builds that end before their signal is sent are checked the same way but not counted; the loop
goes on until ``--runs`` builds were interrupted. It prints the counts (interrupted builds; by
signal; by moment; outcome: untouched, completed, rolled forward, rolled back, staged files
discarded) and exits 1 on any failure, printing what differed. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from curate import writer  # noqa: E402 -- this checkout's curate, found through the sys.path line above

SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL}
LEFTOVERS = (writer.STAGING, writer.LEGACY_TMP_PREFIX)


def load_bench() -> ModuleType:
    """The synthetic-corpus generator: ``benchmarks/bench.py``, or ``scripts/bench.py`` before the move."""
    for path in (REPO / "benchmarks" / "bench.py", REPO / "scripts" / "bench.py"):
        if path.exists():
            spec = importlib.util.spec_from_file_location("curate_bench", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses look their module up there
            spec.loader.exec_module(module)
            return module
    raise SystemExit("interrupt_loop: cannot find bench.py in benchmarks/ or scripts/")


def snapshot(docs: Path) -> dict[str, bytes]:
    """Every file under ``docs/`` (dot-files too), ``docs/``-relative path → bytes."""
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def leftovers(docs: Path) -> list[str]:
    """Staging folders and temporary files under ``docs/``, and the project's lock file."""
    found = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.name.startswith(LEFTOVERS)]
    return sorted(found + ([writer.LOCK] if (docs.parent / writer.LOCK).exists() else []))


def differences(got: dict[str, bytes], want: dict[str, bytes]) -> str:
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    changed = sorted(p for p in set(got) & set(want) if got[p] != want[p])
    return f"missing {missing[:5]}, extra {extra[:5]}, differing {changed[:5]} ({len(changed)} in all)"


def curate_cmd(root: Path) -> list[str]:
    return [sys.executable, "-m", "curate", "build", "--project", str(root), "-q"]


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(curate_cmd(root), capture_output=True, text=True, env=env(), check=False)


# --- changing inputs ----------------------------------------------------------------------------------

@dataclass
class Inputs:
    """Input changes applied to both the project and its reference copy."""

    rng: random.Random
    bench: ModuleType
    roots: tuple[Path, Path]
    article_ids: list[str]
    dropped: dict[str, tuple[str, bytes]] = field(default_factory=dict)   # page id → (curation block, intro)
    edits: int = 0

    def change(self) -> str:
        """Apply one random kind of change; returns its name."""
        kind = self.rng.choice(["articles", "articles", "intros", "glossary", "pages"])
        self.edits += 1
        if kind == "articles":
            for aid in self.rng.sample(self.article_ids, min(len(self.article_ids), self.rng.randint(1, 15))):
                for root in self.roots:
                    self.bench.edit_article(root, aid, self.edits)
        elif kind == "intros":
            pages = sorted(self.roots[0].joinpath("content_sources", "pages").glob("topic-*.md"))
            for page in self.rng.sample(pages, min(len(pages), self.rng.randint(1, 15))):
                for root in self.roots:
                    path = root / "content_sources" / "pages" / page.name
                    path.write_text(path.read_text(encoding="utf-8") + f"\nEdit {self.edits}.\n", encoding="utf-8")
        elif kind == "glossary":
            for root in self.roots:
                path = root / "content_sources" / "glossary.yml"
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"(  - term: open source\n    definition: )[^\n]*",
                              rf"\g<1>Software anyone may use, study, change and share (revision {self.edits}).", text)
                path.write_text(text, encoding="utf-8")
        elif not self._toggle_page():
            return self.change()
        return kind

    def _toggle_page(self) -> bool:
        """Drop a page no glossary term points at, or restore one dropped before; False if neither can be."""
        if self.dropped and (len(self.dropped) > 3 or self.rng.random() < 0.5):
            pid = self.rng.choice(sorted(self.dropped))
            block, intro = self.dropped.pop(pid)
            for root in self.roots:
                curation = root / "content_sources" / "curation.yml"
                curation.write_text(curation.read_text(encoding="utf-8") + block, encoding="utf-8")
                (root / "content_sources" / "pages" / f"{pid}.md").write_bytes(intro)
            return True
        curation_text = self.roots[0].joinpath("content_sources", "curation.yml").read_text(encoding="utf-8")
        glossary_text = self.roots[0].joinpath("content_sources", "glossary.yml").read_text(encoding="utf-8")
        blocks = re.findall(r"(?ms)^  - id: (topic-\d+)\n.*?(?=^  - id: |\Z)", curation_text)
        free = [pid for pid in blocks if f"page: {pid}\n" not in glossary_text]
        if not free:
            return False
        pid = self.rng.choice(free)
        found = re.search(rf"(?ms)^  - id: {pid}\n.*?(?=^  - id: |\Z)", curation_text)
        assert found is not None
        block = found.group(0)
        intro = self.roots[0].joinpath("content_sources", "pages", f"{pid}.md").read_bytes()
        self.dropped[pid] = (block, intro)
        for root in self.roots:
            curation = root / "content_sources" / "curation.yml"
            curation.write_text(curation_text.replace(block, ""), encoding="utf-8")
            (root / "content_sources" / "pages" / f"{pid}.md").unlink()
        return True


# --- one interrupted build ----------------------------------------------------------------------------

@dataclass
class Counts:
    """What the loop saw."""

    runs: int = 0            # builds a signal reached
    started: int = 0         # builds started (some end before their signal is sent)
    by_signal: Counter = field(default_factory=Counter)
    by_moment: Counter = field(default_factory=Counter)
    outcome: Counter = field(default_factory=Counter)       # untouched / completed / rolled forward / …
    exit_codes: Counter = field(default_factory=Counter)
    changes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"interrupted builds: {self.runs} (of {self.started} started; the others ended before the signal)",
            "by signal: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_signal.items())),
            "by moment: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_moment.items())),
            "outcome: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcome.items())),
            "exit codes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.exit_codes.items())),
            "input changes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.changes.items())),
            f"failures: {len(self.failures)}",
        ]


def wait_for(predicate: Callable[[], bool], proc: subprocess.Popen, limit: float = 60.0) -> bool:
    """Poll ``predicate`` every 0.5 ms until it holds (True) or the process ends (False)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    return False


def interrupt(root: Path, signame: str, moment: str, usual: float, rng: random.Random) -> tuple[int, str]:
    """Start a build and send it ``signame`` at ``moment`` (``random time``: within ``usual`` seconds).

    Returns:
        The exit code and ``sent``, ``not sent`` (the build ended first) or ``startup`` (the
        signal came before curate installed its handlers, and Python's default handling ran).
    """
    docs = root / "docs"
    staging = docs / writer.STAGING
    proc = subprocess.Popen(curate_cmd(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    sent = False
    if moment == "random time":
        time.sleep(rng.uniform(0.0, usual))
        sent = proc.poll() is None
    elif moment == "staging":
        sent = wait_for(staging.exists, proc)
    else:  # commit: the journal is written, pages are being moved into place
        sent = wait_for((staging / writer.JOURNAL).exists, proc)
        if sent:
            time.sleep(rng.uniform(0.0, 0.004))
    if sent and proc.poll() is None:
        proc.send_signal(SIGNALS[signame])
    else:
        sent = False
    _, err = proc.communicate()
    if b"Traceback" in err:
        # Python's own SIGINT handler runs until curate.cli.main installs curate's: a Ctrl-C in the
        # first few tens of milliseconds (interpreter start, importing curate.cli) is Python's.
        if re.search(rb'cli\.py", line \d+, in (?!<module>)', err) or not err.rstrip().endswith(b"KeyboardInterrupt"):
            raise AssertionError(f"traceback after {signame}:\n{err.decode(errors='replace')[-2000:]}")
        return proc.returncode, "startup"
    return proc.returncode, "sent" if sent else "not sent"


def lose_a_staged_file(docs: Path, rng: random.Random) -> bool:
    """After SIGKILL in the commit: empty one staged file not yet moved into place (a power cut's loss)."""
    staged = sorted((docs / writer.STAGING).glob("new-*"))
    if not staged or not (docs / writer.STAGING / writer.JOURNAL).exists():
        return False
    rng.choice(staged).write_bytes(b"")
    return True


def one_run(k: int, root: Path, ref: Path, inputs: Inputs, counts: Counts, rng: random.Random,
            log: Callable[[str], None]) -> None:
    docs = root / "docs"
    before = snapshot(docs)
    kind = inputs.change()
    start = time.perf_counter()
    done = build(ref)
    usual = time.perf_counter() - start  # the same build, uninterrupted: signals are sent within this time
    if done.returncode != 0:
        raise AssertionError(f"reference build failed:\n{done.stderr[-3000:]}")
    after = snapshot(ref / "docs")
    signame = rng.choice(["SIGINT", "SIGTERM", "SIGKILL"])
    moment = rng.choices(["random time", "staging", "commit"], weights=[4, 2, 4])[0]
    code, status = interrupt(root, signame, moment, usual, rng)
    sent = status != "not sent"
    counts.started += 1
    if sent:
        counts.runs += 1
        counts.changes[kind] += 1
        counts.by_signal[signame] += 1
        counts.by_moment[moment] += 1
        counts.exit_codes[code] += 1
    if status == "startup":
        counts.by_moment["… of which while Python started, before curate's handlers"] += 1
    lost = False
    if signame == "SIGKILL" and sent and moment == "commit" and rng.random() < 0.3:
        lost = lose_a_staged_file(docs, rng)
    if signame != "SIGKILL" or not sent:
        left = leftovers(docs)
        if left:
            raise AssertionError(f"{signame} left {left} behind")
        action = "none"
    else:
        with writer.lock(root, "interrupt_loop"):
            action = writer.recover(docs).action
    now = snapshot(docs)
    if now == before:
        outcome = {"back": "rolled back", "discarded": "untouched (staged files discarded)"}.get(action, "untouched")
    elif now == after:
        outcome = {"forward": "rolled forward"}.get(action, "completed")
    else:
        raise AssertionError(f"after {signame} at {moment} (recovery: {action}) docs/ is neither as before nor as "
                             f"the reference: against before {differences(now, before)}; against the reference "
                             f"{differences(now, after)}")
    if lost and action != "back":
        raise AssertionError(f"a staged file was lost but recovery did '{action}', not a roll back")
    if sent:
        counts.outcome[outcome] += 1
    again = build(root)
    if again.returncode != 0:
        raise AssertionError(f"the next build failed:\n{again.stderr[-3000:]}")
    final = snapshot(docs)
    if final != after:
        raise AssertionError(f"after the next build docs/ differs from the reference: {differences(final, after)}")
    left = leftovers(docs)
    if left:
        raise AssertionError(f"the next build left {left} behind")
    log(f"run {k + 1}: {kind}, {signame if sent else 'no signal'} at {moment} → exit {code}, {outcome}"
        + (" (a staged file lost)" if lost else ""))


def run_loop(work: Path, articles: int, runs: int, seed: int, log: Callable[[str], None] = print) -> Counts:
    """Generate a project of ``articles`` articles in ``work`` and interrupt ``runs`` builds of it.

    Builds that end before their signal is sent are checked too but not counted as runs; the
    loop stops after ``3 * runs`` builds in any case.

    Returns:
        The counts; ``counts.failures`` lists every failed run (the loop goes on after one).
    """
    bench = load_bench()
    rng = random.Random(seed)
    if work.exists():
        shutil.rmtree(work)
    root, ref = work / "project", work / "reference"
    corpus = bench.generate(root, articles)
    shutil.copytree(root, ref)
    for r in (root, ref):
        first = build(r)
        if first.returncode != 0:
            raise SystemExit(f"interrupt_loop: the first build failed:\n{first.stderr[-3000:]}")
    log(f"{articles} articles, {len(snapshot(root / 'docs'))} files in docs/")
    inputs = Inputs(rng, bench, (root, ref), corpus.article_ids)
    counts = Counts()
    k = 0
    while counts.runs < runs and k < 3 * runs:
        k += 1
        try:
            one_run(k - 1, root, ref, inputs, counts, rng, log)
        except AssertionError as exc:
            counts.failures.append(f"run {k + 1}: {exc}")
            log(f"run {k + 1}: FAILED: {exc}")
            # Start the next run from a clean, correct state.
            shutil.rmtree(root / "docs")
            shutil.copytree(ref / "docs", root / "docs")
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=300, help="articles in the synthetic project (default 300)")
    p.add_argument("--runs", type=int, default=100, help="interrupted builds (default 100)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--work", default=str(REPO / "bench-work" / "interrupt-loop"),
                   help="work folder, emptied first (default: bench-work/interrupt-loop/)")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args(argv)
    work = Path(args.work).resolve()
    started = time.perf_counter()
    counts = run_loop(work, args.articles, args.runs, args.seed, lambda m: print(m, flush=True))
    print(f"\ninterrupt loop: {args.articles} articles, seed {args.seed}, {time.perf_counter() - started:.0f} s")
    for line in counts.lines():
        print(f"  {line}")
    for failure in counts.failures:
        print(f"FAILED {failure}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if counts.failures else 0


if __name__ == "__main__":
    sys.exit(main())
