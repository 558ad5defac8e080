"""Work shared out over forked processes (curate.parallel): same results, in order, whatever happens to a worker."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from curate import cache, commands, parallel, writer
from curate.build import plan_build
from curate.errors import UsageError
from curate.pages import DraftCache
from curate.project import load_project

from .test_scale import _bench

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@pytest.fixture(autouse=True)
def _forking_allowed(monkeypatch):
    """Fork here even if an earlier test left a thread running (a browser's, a server's): these
    tests check what workers do, and their jobs take no lock another thread could hold."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)

ITEMS = list(range(200))


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_back_in_order_from_two_processes():
    results = parallel.map_jobs(_square_and_pid, ITEMS, 2)
    assert [r for r, _ in results] == [n * n for n in ITEMS]
    pids = [pid for _, pid in results]
    # The build does the first share itself, one worker the second.
    assert pids[:100] == [os.getpid()] * 100
    assert len(set(pids[100:])) == 1 and pids[100] != os.getpid()


def test_no_worker_is_forked_while_another_thread_runs(monkeypatch):
    import threading

    monkeypatch.undo()  # the real check
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        assert {pid for _, pid in parallel.map_jobs(_square_and_pid, ITEMS, 2)} == {os.getpid()}
    finally:
        stop.set()
        other.join()


def test_few_items_are_done_in_the_build_itself():
    results = parallel.map_jobs(_square_and_pid, ITEMS[:40], 2)  # fewer than 32 per process
    assert {pid for _, pid in results} == {os.getpid()}
    assert {pid for _, pid in parallel.map_jobs(_square_and_pid, ITEMS, 1)} == {os.getpid()}


def test_a_worker_that_fails_has_its_share_redone_in_the_build():
    build = os.getpid()

    def fails_in_a_worker(n: int) -> int:
        if os.getpid() != build:
            raise RuntimeError("only in the worker")
        return n + 1

    assert parallel.map_jobs(fails_in_a_worker, ITEMS, 2) == [n + 1 for n in ITEMS]


def test_a_worker_that_is_killed_has_its_share_redone_in_the_build():
    build = os.getpid()

    def killed_in_a_worker(n: int) -> int:
        if os.getpid() != build:
            os.kill(os.getpid(), signal.SIGKILL)
        return -n

    assert parallel.map_jobs(killed_in_a_worker, ITEMS, 2) == [-n for n in ITEMS]


def test_an_error_in_a_workers_share_is_raised_in_the_build():
    def bad_item(n: int) -> int:
        if n == 150:  # in the worker's share
            raise ValueError("item 150 is bad")
        return n

    with pytest.raises(ValueError, match="item 150 is bad"):
        parallel.map_jobs(bad_item, ITEMS, 2)


def test_what_a_worker_gathers_is_merged_in_order():
    merged: list = []
    seen: list[int] = []

    def note(n: int) -> int:
        seen.append(n)
        return n

    parallel.map_jobs(note, ITEMS, 2, gather=lambda: list(seen), merge=merged.append)
    assert merged == [list(range(100, 200))]  # the worker's own items, not the build's
    assert seen == list(range(100))


def test_a_worker_holds_no_lock_of_the_build(tmp_path: Path):
    """A worker left running by a killed build must not keep the next build out."""
    with writer.lock(tmp_path):
        held = set(writer._HELD_LOCKS)
        assert held
        results = parallel.map_jobs(lambda n: (os.getpid(), sorted(writer._HELD_LOCKS)), ITEMS, 2)
    in_worker = {tuple(locks) for pid, locks in results if pid != os.getpid()}
    assert in_worker == {()}
    assert {tuple(locks) for pid, locks in results if pid == os.getpid()} == {tuple(sorted(held))}


def test_jobs_from_the_argument_the_environment_or_the_processors(monkeypatch):
    monkeypatch.delenv(parallel.ENV, raising=False)
    assert parallel.jobs(3) == 3
    assert parallel.jobs() == parallel.available()
    monkeypatch.setenv(parallel.ENV, "1")
    assert parallel.jobs() == 1
    assert parallel.jobs(2) == 2  # the command line wins
    for bad in ("0", "two", "-1", "1.5", "²"):
        monkeypatch.setenv(parallel.ENV, bad)
        with pytest.raises(UsageError, match=r"\$CURATE_JOBS is .* not a whole number"):
            parallel.jobs()


def test_a_bad_jobs_value_is_a_usage_error_on_the_command_line(tmp_path: Path, capsys, monkeypatch):
    from curate.cli import main

    (tmp_path / "content_sources").mkdir()
    assert main(["build", "--project", str(tmp_path), "--jobs", "0"]) == 2
    assert "'0' is not a whole number of processes" in capsys.readouterr().err
    monkeypatch.setenv(parallel.ENV, "many")
    assert main(["check", "--project", str(tmp_path)]) == 2
    assert "$CURATE_JOBS is 'many'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def project_of_80(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "p80"
    _bench().generate(root, 80)  # 80 sources and 80 explainers: more than 32 per process
    return root


def _docs(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_one_process_and_two_write_the_same_pages(project_of_80: Path, tmp_path: Path):
    import shutil

    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(project_of_80, one)
    shutil.copytree(project_of_80, two)
    assert len(commands.build(one, jobs=1).written) == len(commands.build(two, jobs=2).written) > 160
    assert _docs(one) == _docs(two)


def test_entries_written_by_workers_are_found_by_the_next_build(project_of_80: Path, tmp_path: Path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(project_of_80, root)
    commands.build(root, jobs=2)
    store = cache.Store(root)
    drafts = DraftCache(store)
    project = load_project(root, store)
    assert all(type(s).__name__ == "_CachedSource" for s in project.sources)  # every source from the cache
    plan_build(project, cache=drafts)
    assert (drafts.hits, drafts.misses) == (80 + 80 + 1, 0)  # explainers, sources, home
    # and none was pruned as unused: the build counted the workers' entries as its own
    assert len(store.keys("drafts")) == len(store.keys("draft-body")) == 161
    assert len(store.keys("sources")) == len(store.keys("source-text")) == 80


def test_the_program_flushes_its_report_and_exits_with_the_build_s_code(project_of_80: Path, tmp_path: Path):
    """``python -m curate`` (curate.cli.run) leaves without tearing its objects down, its output whole."""
    import shutil
    import subprocess
    import sys

    root = tmp_path / "p"
    shutil.copytree(project_of_80, root)
    env = dict(os.environ, PYTHONPATH=str(Path(parallel.__file__).resolve().parents[1]), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "curate", "build", "--project", str(root)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("  wrote     docs/") == 220 and "curate build: 220 written" in done.stdout
    (root / "content_sources" / "curation.yml").write_text("pages: [\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "curate", "check", "--project", str(root)], capture_output=True,
                            text=True, env=env, timeout=300, check=False)
    assert failed.returncode == 1 and "content_sources/curation.yml" in failed.stderr


def test_a_worker_writes_its_own_cache_entries_not_those_the_build_has_pending(tmp_path: Path):
    store = cache.Store(tmp_path)
    store.put("drafts", "the-builds", {"made": "before the fork"})  # pending in the build

    def job(n: int) -> int:
        store.put("drafts", f"item-{n}", {"n": n})
        return n

    assert parallel.map_jobs(job, ITEMS, 2, **cache.worker_hooks(store)) == ITEMS
    parallel.wait_workers()
    on_disk = cache.Store(tmp_path)
    assert on_disk.keys("drafts") == sorted(f"item-{n}" for n in range(100, 200))  # the worker's share
    assert store.used["drafts"] == {"the-builds", *(f"item-{n}" for n in ITEMS)}
    store.flush()
    assert len(cache.Store(tmp_path).keys("drafts")) == 201
    assert cache.Store(tmp_path).get("drafts", "item-150") == {"n": 150}


def test_a_store_reads_small_kinds_whole_and_sees_its_own_changes(tmp_path: Path):
    store = cache.Store(tmp_path)
    assert not store.has("drafts", "a") and store.get("drafts", "a") is None  # the kind is read (empty)
    store.put("drafts", "a", {"v": 1})
    assert store.has("drafts", "a") and store.get("drafts", "a") == {"v": 1}  # pending
    store.flush()
    assert store.has("drafts", "a") and store.get("drafts", "a") == {"v": 1}  # read again from disk
    store.drop("drafts", "a")
    assert not store.has("drafts", "a") and store.get("drafts", "a") is None
    store.put("draft-body", "b", {"prose": ["x"]})
    store.flush()
    assert cache.Store(tmp_path).get("draft-body", "b") == {"prose": ["x"]}  # a large kind, read by key
