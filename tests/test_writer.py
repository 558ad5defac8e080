"""Issue 10, point 6 and the file-system part of point 8: writes that survive anything.

Signals are sent to real ``curate build`` processes: a small driver script (``DRIVER``) wraps one
of curate's own calls so that the process signals itself at an exact moment (the n-th move of a
file into place, while planning, while staging, while printing), then runs the command line as
the ``curate`` program does. What ``docs/`` holds afterwards is compared with a snapshot taken
before and with what ``curate check`` expects.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from curate import commands, writer
from curate.cli import main

from .conftest import REPO, copy_project

SRC = Path(writer.__file__).resolve().parents[1]
LLAMA_LINE = b"Llama is the family of"
LOCK_FILE = ".curate-cache/build.lock"

# Runs ``curate build --project DIR`` as the program, after arranging one interruption:
#   replace:N=SIG[,M=SIG]  send SIG to itself just before the N-th os.replace (a file moved into place)
#   plan:SIG               send SIG while the build compares its pages with docs/
#   stage:SIG              send SIG at the first fsync (while files are being staged)
#   say:SIG                send SIGINT while planning, and SIG again when the message is printed
DRIVER = r"""
import os, signal, sys
import curate.commands
from curate.cli import main

project, spec = sys.argv[1], sys.argv[2]
where, _, what = spec.partition(":")
me = os.getpid()

if where == "replace":
    plan = {int(k): getattr(signal, v) for k, v in (x.split("=") for x in what.split(","))}
    real_replace, calls = os.replace, [0]
    def replace(src, dst):
        calls[0] += 1
        if calls[0] in plan:
            os.kill(me, plan[calls[0]])
        return real_replace(src, dst)
    os.replace = replace
elif where in ("plan", "say"):
    real_plan = curate.commands.plan_writes
    def plan_writes(*args, **kwargs):
        os.kill(me, getattr(signal, what) if where == "plan" else signal.SIGINT)
        return real_plan(*args, **kwargs)
    curate.commands.plan_writes = plan_writes
    if where == "say":
        class Stream:
            sent = False
            def write(self, text):
                if not Stream.sent:
                    Stream.sent = True
                    os.kill(me, getattr(signal, what))
                return sys.__stderr__.write(text)
            def flush(self):
                sys.__stderr__.flush()
            def isatty(self):
                return False
        sys.stderr = Stream()
elif where == "stage":
    real_fsync = os.fsync
    def fsync(fd):
        os.kill(me, getattr(signal, what))
        return real_fsync(fd)
    os.fsync = fsync
sys.argv = ["curate", "build", "--project", project]
sys.exit(main())
"""


def run_driver(project: Path, spec: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", DRIVER, str(project), spec], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def snapshot(docs: Path) -> dict[str, bytes]:
    """Every file under ``docs/``, dot-files included."""
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def leftovers(docs: Path) -> list[str]:
    """Staging folders, journals and temporary files under ``docs/``, and the project's lock file."""
    found = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.name.startswith((".curate-commit",
                                                                                           ".curate-tmp-"))]
    return sorted(found + ([LOCK_FILE] if (docs.parent / LOCK_FILE).exists() else []))


@pytest.fixture
def docs(project):
    assert main(["build", "--project", str(project), "-q"]) == 0
    return project / "docs"


def change_three_intros(project: Path) -> None:
    for name in ("security-threat.md", "what-is-llama.md", "what-is-open-source.md"):
        path = project / "content_sources" / "pages" / name
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")


def check_passes(project: Path, capsys) -> bool:
    capsys.readouterr()
    code = main(["check", "--project", str(project)])
    return code == 0


# --- 1. SIGTERM and Ctrl-C -----------------------------------------------------------------------------

def test_sigterm_in_the_middle_of_writing_finishes_the_commit_then_exits_143(docs, capsys):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, "replace:2=SIGTERM")
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr == "curate: stopped by SIGTERM after docs/ was fully updated\n"
    assert snapshot(docs) != before
    assert leftovers(docs) == []
    assert check_passes(docs.parent, capsys)


def test_a_second_signal_during_the_commit_neither_interrupts_it_nor_prints_a_traceback(docs, capsys):
    change_three_intros(docs.parent)
    proc = run_driver(docs.parent, "replace:2=SIGTERM,3=SIGINT")
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr == "curate: stopped by SIGTERM after docs/ was fully updated\n"
    assert leftovers(docs) == []
    assert check_passes(docs.parent, capsys)


@pytest.mark.parametrize(("signame", "code", "name"), [("SIGTERM", 143, "SIGTERM"),
                                                        ("SIGINT", 130, "Ctrl-C (SIGINT)")])
def test_a_signal_while_planning_leaves_docs_as_it_was(docs, signame, code, name):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, f"plan:{signame}")
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == f"curate: stopped by {name}; docs/ was left as it was\n"
    assert snapshot(docs) == before


def test_a_double_ctrl_c_prints_one_line_and_no_traceback(docs):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, "say:SIGINT")  # the second Ctrl-C lands while the message is printed
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "curate: stopped by Ctrl-C (SIGINT); docs/ was left as it was\n"
    assert snapshot(docs) == before


def test_a_signal_while_staging_leaves_docs_as_it_was_and_no_temporary_files(docs):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, "stage:SIGTERM")
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr == "curate: stopped by SIGTERM; docs/ was left as it was\n"
    assert snapshot(docs) == before
    assert leftovers(docs) == []


def test_main_gives_the_callers_signal_handlers_back(project):
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    assert main(["build", "--project", str(project), "-q"]) == 0
    assert {s: signal.getsignal(s) for s in before} == before


# --- 2. an interrupted commit is completed or undone -------------------------------------------------------

def test_sigkill_in_the_middle_of_the_commit_is_completed_by_the_next_build(docs, capsys):
    change_three_intros(docs.parent)
    proc = run_driver(docs.parent, "replace:3=SIGKILL")
    assert proc.returncode == -signal.SIGKILL
    assert (docs / writer.STAGING / writer.JOURNAL).exists()  # killed mid-commit: the journal says what to do
    capsys.readouterr()
    assert main(["check", "--project", str(docs.parent)]) == 1
    assert ("error: docs/.curate-commit/: a build was interrupted while writing docs/; run 'curate build' to "
            "complete or undo its changes") in capsys.readouterr().err
    assert main(["build", "--project", str(docs.parent)]) == 0
    out = capsys.readouterr().out
    assert ("note: completed the commit of an interrupted build (4 files); docs/ is now as that build would "
            "have left it\n") in out
    assert "edited by hand" not in out
    assert leftovers(docs) == []
    assert check_passes(docs.parent, capsys)


def test_a_commit_whose_staged_file_was_lost_is_rolled_back(docs, capsys):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, "replace:2=SIGKILL")
    assert proc.returncode == -signal.SIGKILL
    staged = sorted((docs / writer.STAGING).glob("new-*"))
    assert staged
    staged[-1].write_bytes(b"")  # a power cut lost its data: the commit cannot be completed
    with writer.lock(docs.parent):
        recovery = writer.recover(docs)
    assert recovery.action == "back"
    assert recovery.notes == [("undid the commit of an interrupted build (4 files); docs/ is as it was before "
                              "that build")]
    assert snapshot(docs) == before
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert check_passes(docs.parent, capsys)


def test_rolling_back_gives_replaced_pages_their_own_inode_and_mtime_back(docs):
    change_three_intros(docs.parent)
    page = docs / "what-is-llama.md"
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    inode = page.stat().st_ino
    proc = run_driver(docs.parent, "replace:4=SIGKILL")  # three pages moved into place, manifest not yet
    assert proc.returncode == -signal.SIGKILL
    for staged in (docs / writer.STAGING).glob("new-*"):
        staged.unlink()
    with writer.lock(docs.parent):
        assert writer.recover(docs).action == "back"
    assert page.stat().st_ino == inode and page.stat().st_mtime_ns == 1_000_000_000


def test_sigkill_while_staging_leaves_only_staged_files_which_the_next_build_removes(docs, capsys):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    proc = run_driver(docs.parent, "stage:SIGKILL")
    assert proc.returncode == -signal.SIGKILL
    assert (docs / writer.STAGING).is_dir() and not (docs / writer.STAGING / writer.JOURNAL).exists()
    assert {p: d for p, d in snapshot(docs).items() if not p.startswith(writer.STAGING)} == before
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 0
    assert ("note: an interrupted build had only staged its files (docs/ was not changed); removed them\n"
            in capsys.readouterr().out)
    assert leftovers(docs) == []


def test_temporary_files_of_an_older_interrupted_build_are_removed(docs, capsys):
    (docs / ".curate-tmp-k2j3h4").write_bytes(b"half a page")
    (docs / "sources" / ".curate-tmp-x9y8z7").write_bytes(b"")
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 0
    assert ("note: removed 2 temporary files left by an interrupted build (docs/.curate-tmp-k2j3h4, "
            "docs/sources/.curate-tmp-x9y8z7)\n") in capsys.readouterr().out
    assert leftovers(docs) == []


def test_a_failed_move_is_undone_and_named_with_its_cause(docs, monkeypatch, capsys):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", replace)
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    err = capsys.readouterr().err
    assert err == ("curate build: 1 error; docs/ was not changed\n"
                   "docs/what-is-llama.md: cannot write here (Permission denied); docs/ was left as it was\n"
                   "    hint: make docs/ and the folders in it writable (chmod -R u+w docs), then run 'curate "
                   "build' again\n")
    assert snapshot(docs) == before
    assert leftovers(docs) == []


def _staged_names(calls: list) -> list[str]:
    return sorted(Path(c).name for c in calls)


def test_many_staged_files_go_to_the_disk_with_one_syncfs(docs, monkeypatch, capsys):
    if writer._syncfs is None:
        pytest.skip("syncfs(2) is Linux's")
    real, synced, fsynced = writer._syncfs, [], []
    monkeypatch.setattr(writer, "SYNCFS_MIN_FILES", 2)
    monkeypatch.setattr(writer, "_syncfs", lambda folder: synced.append(folder) or real(folder))
    monkeypatch.setattr(writer, "_fsync_file", lambda path: fsynced.append(path))
    change_three_intros(docs.parent)
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert synced == [docs / writer.STAGING] and fsynced == []  # one call for the 3 pages and the manifest
    assert check_passes(docs.parent, capsys) and leftovers(docs) == []


def test_where_syncfs_fails_each_staged_file_is_fsynced(docs, monkeypatch, capsys):
    fsynced: list = []
    real_fsync = writer._fsync_file
    monkeypatch.setattr(writer, "SYNCFS_MIN_FILES", 2)
    monkeypatch.setattr(writer, "_syncfs", lambda folder: False)
    monkeypatch.setattr(writer, "_fsync_file", lambda path: fsynced.append(path) or real_fsync(path))
    change_three_intros(docs.parent)
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    # the 3 pages and the manifest, each fsynced (the files they replace are kept aside as hard links)
    assert _staged_names(fsynced) == ["new-00000", "new-00001", "new-00002", "new-00003"]
    assert check_passes(docs.parent, capsys) and leftovers(docs) == []


# --- 3. one build at a time ------------------------------------------------------------------------------

HOLDER = r"""
import sys
from pathlib import Path
from curate import writer
with writer.lock(Path(sys.argv[1]), "curate build --project demo"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_second_build_is_stopped_with_the_other_process_named(docs, capsys):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(docs.parent)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        change_three_intros(docs.parent)
        before = snapshot(docs)
        capsys.readouterr()
        assert main(["build", "--project", str(docs.parent)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("curate build: 1 error; docs/ was not changed\n"
                              f".curate-cache/build.lock: another curate build is writing docs/ (pid {holder.pid}, "
                              "'curate build --project demo', started 2"), err
        assert err.endswith("); two builds at once would mix their pages\n    hint: wait for it to finish (or "
                            "stop it), then run 'curate build' again\n")
        assert snapshot(docs) == before
    finally:
        holder.communicate("", timeout=30)
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0  # free again once the other ends
    assert not (docs.parent / LOCK_FILE).exists()


def test_a_lock_file_left_by_a_killed_build_does_not_stop_the_next(docs):
    (docs.parent / LOCK_FILE).parent.mkdir(exist_ok=True)
    (docs.parent / LOCK_FILE).write_text("pid 999999\nstarted 2026-01-01T00:00:00+00:00\ncommand curate build\n")
    change_three_intros(docs.parent)
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert leftovers(docs) == []


# --- 4. an editor's save during a build is kept ------------------------------------------------------------

def _save_during(monkeypatch, target: Path, data: bytes, where: str = "before-commit") -> None:
    """Have an editor save ``target`` after the build planned its writes (before, or during, the commit)."""
    if where == "before-commit":
        real_apply = commands.apply

        def apply(docs, plan):
            target.write_bytes(data)
            return real_apply(docs, plan)

        monkeypatch.setattr(commands, "apply", apply)
    else:  # after staging, as the journal is written: the last check before the move must catch it
        real_journal = writer._write_journal

        def write_journal(staging, journal):
            if journal["state"] == "commit":
                target.write_bytes(data)
            return real_journal(staging, journal)

        monkeypatch.setattr(writer, "_write_journal", write_journal)


@pytest.mark.parametrize("where", ["before-commit", "in-commit"])
def test_an_editor_saving_a_page_during_the_build_keeps_the_edit_and_stops_the_build(docs, monkeypatch, capsys,
                                                                                      where):
    change_three_intros(docs.parent)
    before = snapshot(docs)
    page = docs / "what-is-llama.md"
    saved = page.read_bytes().replace(LLAMA_LINE, b"Llama is the big family of")
    _save_during(monkeypatch, page, saved, where)
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("curate build: 1 error; docs/ was not changed\n"
                          "docs/what-is-llama.md: generated page was edited by hand while this build was running "
                          "(an editor saved it?); the build stops so the edit is not lost\n"
                          "    --- docs/what-is-llama.md (as curate would write it)\n"
                          "    +++ docs/what-is-llama.md (on disk, edited by hand)\n"), err
    assert "    +Llama is the big family of [large language models](glossary.md" in err
    assert err.endswith("    hint: move the change into content_sources/pages/what-is-llama.md, then run 'curate "
                        "build' again; or run 'curate build --force' to overwrite it (the edited file is kept as a "
                        "backup)\n")
    assert page.read_bytes() == saved
    assert snapshot(docs) == dict(before, **{"what-is-llama.md": saved})
    assert leftovers(docs) == []
    monkeypatch.undo()
    assert main(["build", "--project", str(docs.parent), "--force", "-q"]) == 0
    assert (docs / ".what-is-llama.md.hand-edited").read_bytes() == saved


def test_a_file_that_appears_where_a_page_is_created_during_the_build_is_kept(docs, monkeypatch, capsys):
    (docs / "tags.md").unlink()
    _save_during(monkeypatch, docs / "tags.md", b"# Mine\n")
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    assert ("docs/tags.md: a file curate did not write is in the way; curate never overwrites files it does not "
            "own (it appeared while this build was running)") in capsys.readouterr().err
    assert (docs / "tags.md").read_bytes() == b"# Mine\n"


# --- 5. file-system failures name the file, the cause and the way out ---------------------------------------

RECOVER = ("restore it with 'git checkout -- docs/.curate-manifest.json', or delete it and run 'curate build "
           "--force' (generated pages that differ are saved as backups first)")


@pytest.mark.parametrize(("data", "problem"), [
    (b'{"files": {', ("docs/.curate-manifest.json:1: manifest is damaged: not JSON (Expecting property name "
                     "enclosed in double quotes, column 12)")),
    (b"", "docs/.curate-manifest.json:1: manifest is damaged: not JSON (Expecting value, column 1)"),
    (b"\xff\xfe{}", "docs/.curate-manifest.json: manifest is damaged: not UTF-8 text (byte 0)"),
    (b"[]", "docs/.curate-manifest.json: manifest is damaged: expected a JSON object with a 'files' object"),
    (b'{"files": []}', ("docs/.curate-manifest.json: manifest is damaged: expected a JSON object with a 'files' "
                       "object")),
    (b'{"files": {"index.md": "abc"}}', ("docs/.curate-manifest.json: manifest is damaged: files['index.md'] has "
                                        "no 'sha256' string")),
    (b'{"files": {}, "nav": 5}', "docs/.curate-manifest.json: manifest is damaged: 'nav' is not a list"),
])
def test_a_damaged_manifest_is_named_with_its_cause_and_the_command_that_recovers(docs, capsys, data, problem):
    (docs / ".curate-manifest.json").write_bytes(data)
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    assert capsys.readouterr().err == ("curate build: 1 error; docs/ was not changed\n"
                                       f"{problem}\n    hint: {RECOVER}\n")
    assert main(["check", "--project", str(docs.parent)]) == 1
    assert f"error: {problem}\n    hint: {RECOVER}\n" in capsys.readouterr().err
    # the recovery the hint gives works
    (docs / ".curate-manifest.json").unlink()
    assert main(["build", "--project", str(docs.parent), "--force", "-q"]) == 0
    assert check_passes(docs.parent, capsys)


def test_a_manifest_that_is_a_folder_is_named_with_the_way_out(docs, capsys):
    (docs / ".curate-manifest.json").unlink()
    (docs / ".curate-manifest.json").mkdir()
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    assert capsys.readouterr().err == (
        "curate build: 1 error; docs/ was not changed\n"
        "docs/.curate-manifest.json: is a folder, but curate keeps its list of generated pages in a file of this "
        "name\n    hint: move that folder out of docs/, then run 'curate build --force' to recreate the manifest "
        "(generated pages that differ are saved as backups first)\n")


def test_a_missing_manifest_with_changed_generated_pages_is_one_clear_error(docs, capsys):
    (docs / ".curate-manifest.json").unlink()
    change_three_intros(docs.parent)
    before = snapshot(docs)
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    assert capsys.readouterr().err == (
        "curate build: 1 error; docs/ was not changed\n"
        "docs/.curate-manifest.json: missing, but docs/ holds 3 pages curate generated that differ from what it "
        "would write now (docs/security-threat.md, docs/what-is-llama.md, docs/what-is-open-source.md); without "
        "the manifest curate cannot tell whether they were edited by hand\n"
        "    hint: restore it with 'git checkout -- docs/.curate-manifest.json' and run 'curate build' again; or "
        "run 'curate build --force' to rewrite those pages (each is saved as a backup first)\n")
    assert snapshot(docs) == before
    assert main(["build", "--project", str(docs.parent), "--force", "-q"]) == 0
    assert (docs / ".what-is-llama.md.hand-edited").read_bytes() == before["what-is-llama.md"]
    assert check_passes(docs.parent, capsys)


def test_a_missing_manifest_is_recreated_when_every_generated_page_matches(docs):
    manifest = (docs / ".curate-manifest.json").read_bytes()
    (docs / ".curate-manifest.json").unlink()
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert (docs / ".curate-manifest.json").read_bytes() == manifest


def _as_nobody(cmd: list[str]) -> list[str]:
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="root cannot be denied a write")
def test_a_read_only_docs_folder_is_named_not_an_internal_error(tmp_path):
    # Root may write anywhere, so as root the build runs as 'nobody' on a project in a folder it can read.
    base = Path(tempfile.mkdtemp(prefix="curate-ro-", dir="/tmp")) if os.geteuid() == 0 else tmp_path
    try:
        root = copy_project(base / "project")
        cmd = [sys.executable, "-m", "curate", "build", "--project", str(root)]
        env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
        assert subprocess.run(cmd + ["-q"], env=env, check=False).returncode == 0
        change_three_intros(root)
        before = snapshot(root / "docs")
        if os.geteuid() == 0:
            os.chmod(base, 0o755)
            for p in [root, *root.rglob("*")]:
                os.chown(p, 65534, 65534)
            cmd = _as_nobody(cmd)
        for folder in [root / "docs", *(p for p in (root / "docs").rglob("*") if p.is_dir())]:
            folder.chmod(0o555)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == ("curate build: 1 error; docs/ was not changed\n"
                               "docs/: cannot write here (Permission denied); docs/ was left as it was\n"
                               "    hint: make docs/ and the folders in it writable (chmod -R u+w docs), then run "
                               "'curate build' again\n")
        assert snapshot(root / "docs") == before
    finally:
        for folder in base.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o755)
        if base != tmp_path:
            shutil.rmtree(base)


# --- 6. line endings ----------------------------------------------------------------------------------

def test_generated_pages_converted_to_crlf_are_rewritten_with_a_note_not_reported_as_edits(docs, capsys):
    lf = snapshot(docs)
    for name in ("index.md", "sources/index.md", "what-is-llama.md"):
        (docs / name).write_bytes(lf[name].replace(b"\n", b"\r\n"))
    capsys.readouterr()
    assert main(["check", "--project", str(docs.parent)]) == 1
    assert ("error: docs/what-is-llama.md: has CRLF line endings (git's core.autocrlf?); a build would rewrite it "
            "with LF\n") in capsys.readouterr().err
    assert main(["build", "--project", str(docs.parent)]) == 0
    out = capsys.readouterr().out
    assert ("note: 3 generated pages had CRLF line endings (git's core.autocrlf?) and were otherwise as curate "
            "wrote them; rewrote with LF: docs/index.md, docs/sources/index.md, docs/what-is-llama.md (add "
            "'docs/** -text' to .gitattributes to keep git from converting them)\n") in out
    assert snapshot(docs) == lf


def test_a_crlf_page_that_was_also_edited_is_still_a_hand_edit(docs, capsys):
    page = docs / "what-is-llama.md"
    page.write_bytes(page.read_bytes().replace(LLAMA_LINE, b"Llama is a family").replace(b"\n", b"\r\n"))
    edited = page.read_bytes()
    capsys.readouterr()
    assert main(["build", "--project", str(docs.parent)]) == 1
    assert "docs/what-is-llama.md: generated page was edited by hand since curate wrote it" in capsys.readouterr().err
    assert page.read_bytes() == edited


def test_a_dropped_page_converted_to_crlf_is_deleted_like_an_untouched_one(docs, capsys):
    page = docs / "security-threat.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    curation = docs.parent / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    curation.write_text(text[: text.index("  - id: security-threat")].replace(", security-threat]", "]"),
                        encoding="utf-8")
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert not page.exists()


# --- 7. the interruption loop, small -----------------------------------------------------------------------

def _interrupt_loop():
    spec = importlib.util.spec_from_file_location("interrupt_loop", REPO / "benchmarks" / "interrupt_loop.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_interrupted_builds_leave_docs_as_before_or_fully_updated(tmp_path):
    """benchmarks/interrupt_loop.py, 5 runs on 15 articles (about 6 s)."""
    loop = _interrupt_loop()
    lines: list[str] = []
    counts = loop.run_loop(tmp_path / "loop", articles=15, runs=5, seed=11, log=lines.append)
    assert counts.failures == [], "\n".join(lines)
    assert counts.runs == 5
    assert sum(counts.outcome.values()) == 5
