"""Command line: ``curate build``, ``curate check`` and ``curate import``.

A thin layer (as MkDocs' ``__main__`` and trafilatura's ``parse_args``): it
parses arguments, calls :mod:`curate.commands` and maps errors to exit codes
0 (success), 1 (content errors) and 2 (usage errors). Tracebacks are shown
only with ``--debug``.

Signals. SIGTERM is handled like Ctrl-C (SIGINT): the first one stops the
command with a one-line message and exit code 130 (SIGINT) or 143 (SIGTERM),
the shell conventions 128 + signal number. Further signals are ignored while
it stops, so a second Ctrl-C never interrupts the clean-up or prints a
traceback. During the short commit of a build the signal is held back until
the commit is complete (:func:`curate.writer.deferred_signals`), so ``docs/``
is either as before or fully updated.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import __version__
from .errors import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    ContentError,
    CurateError,
    UsageError,
)

_SIGNAL_NAMES: dict[int, str] = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors, as we want
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"curate: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="curate", description="Build a cross-linked explainer site from source articles.")
    p.add_argument("--version", action="version", version=f"curate {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    common = _Parser(add_help=False)
    common.add_argument("--project", "-p", default=".", metavar="DIR",
                        help="project folder holding content_sources/ and docs/ (default: current folder)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--debug", action="store_true", help="show a traceback on errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    common.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                        help="processes to clean sources and draft pages in (default: $CURATE_JOBS, else one per "
                             "processor); the pages written are the same for any N")
    b = sub.add_parser("build", parents=[common], help="write the generated pages into docs/")
    b.add_argument("--force", action="store_true",
                   help="overwrite generated pages edited by hand (the edited file is saved as a backup)")
    c = sub.add_parser("check", parents=[common],
                       help="write nothing; fail when docs/ is out of date, hand-edited or content is invalid")
    c.add_argument("--today", metavar="YYYY-MM-DD", help="date to compare review_by with (default: today)")
    i = sub.add_parser("import", parents=[common],
                       help="add web pages (saved files or http(s) addresses) to content_sources/articles/")
    i.add_argument("targets", nargs="+", metavar="PATH|URL", help="a saved web page or its https:// address")
    i.add_argument("--id", dest="source_id", default="", metavar="ID",
                   help="the source id (file name) to give a single page (default: a slug of its title)")
    i.add_argument("--dry-run", action="store_true", help="write nothing; show what a build would keep")
    i.add_argument("--format", choices=("text", "json"), default="text",
                   help="how to print what was found (json: one object per page, an array for several)")
    return p


def _jobs(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of processes, 1 or more")
    return int(value)


def _color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _say(stream: TextIO, text: str, style: str = "") -> None:
    codes = {"red": "31", "yellow": "33", "green": "32", "bold": "1"}
    if style and _color(stream):
        text = f"\033[{codes[style]}m{text}\033[0m"
    print(text, file=stream)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the CLI.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).
            When ``None`` (run as the ``curate`` program), the signal handlers
            stay in place after returning, so a late Ctrl-C cannot interrupt
            the interpreter's exit; otherwise the previous handlers are restored.
        stdout: Stream for reports (default ``sys.stdout``).
        stderr: Stream for errors and warnings (default ``sys.stderr``).

    Returns:
        The exit code: 0, 1 (content errors), 2 (usage errors), 130 (stopped
        by Ctrl-C) or 143 (stopped by SIGTERM).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    received: list[int] = []
    previous = _stop_on_signals(received)
    commits = -1
    try:
        try:
            # Imported only now, with the handlers in place: a Ctrl-C while the libraries
            # load is then reported like any other.
            from . import writer

            commits = writer.commits_completed
            code = _main(argv, out, err)
            received.append(0)  # finished: a signal from here on is ignored
            return code
        except KeyboardInterrupt:
            received.append(signal.SIGINT)  # no-op when a signal was received; else stops further ones
            signum = received[0]
            module = sys.modules.get("curate.writer")
            if 0 <= commits < getattr(module, "commits_completed", 0):
                _say(err, f"curate: stopped by {_SIGNAL_NAMES[signum]} after docs/ was fully updated", "red")
            else:
                _say(err, f"curate: stopped by {_SIGNAL_NAMES[signum]}; docs/ was left as it was", "red")
            return 128 + signum
    finally:
        if argv is not None:  # called as a function: give the caller its handlers back
            for s, handler in previous.items():
                signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def run() -> NoReturn:
    """The ``curate`` program: :func:`main`, its output flushed, then an exit at once.

    A build leaves hundreds of megabytes of objects behind; the interpreter would free
    them one by one on its way out (a quarter of a second at 1,000 articles) for nothing
    the program needs. Everything curate writes is on disk before :func:`main` returns.
    The cycle collector is off throughout, for the same reason.
    """
    # One command, then the process ends: the cycle collector would walk every object a build
    # keeps (twice, a third of a second at 1,000 articles) to free next to nothing. Reference
    # counting still frees what is not in a cycle.
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (curate build | head): nothing more to say
            pass
    os._exit(code)


def _stop_on_signals(received: list[int]) -> dict[int, Any]:
    """Turn the first SIGINT or SIGTERM into KeyboardInterrupt and ignore the ones after it.

    Args:
        received: Filled with the signals received (the first is the one that
            stopped the command); once it holds anything, signals are ignored.

    Returns:
        The handlers replaced (empty outside the main thread, where Python
        cannot set handlers).
    """
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum: int, frame: Any) -> None:
        if received:
            return  # already stopping (or finished): a second signal must not interrupt the clean-up
        received.append(signum)
        raise KeyboardInterrupt

    return {s: signal.signal(s, stop) for s in _SIGNAL_NAMES}


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    root = Path(args.project)
    try:
        if args.command == "import":
            from .importer import run  # imported here: trafilatura and htmldate load only for imports

            return run(args, root, out, err, _say)
        if not (root / "content_sources").is_dir():
            raise UsageError(f"no content_sources/ folder in {root.resolve()}; "
                             "run curate in the project folder or pass --project DIR")
        if args.command == "build":
            return _build(args, root, out, err)
        return _check(args, root, out, err)
    except ContentError as exc:
        for note in getattr(exc, "__notes__", []):
            _say(err, f"note: {note}")
        _say(err, f"curate {args.command}: {len(exc.problems)} error{'s' if len(exc.problems) != 1 else ''}; "
                  "docs/ was not changed", "red")
        for p in exc.problems:
            _say(err, p.format())
        if args.debug:
            traceback.print_exc(file=err)
        return EXIT_CONTENT
    except CurateError as exc:
        _say(err, f"curate: error: {exc}", "red")
        if args.debug:
            traceback.print_exc(file=err)
        return exc.exit_code
    except Exception as exc:  # an unexpected failure is a bug: say so, keep docs/ intact
        if args.debug:
            raise
        _say(err, f"curate: internal error: {type(exc).__name__}: {exc}\n"
                  "    hint: run again with --debug for a traceback, and report it", "red")
        return EXIT_CONTENT


def _build(args, root: Path, out: TextIO, err: TextIO) -> int:
    from .commands import build
    from .parallel import jobs

    start = time.perf_counter()
    result = build(root, force=args.force, strict=args.strict, jobs=jobs(args.jobs))
    elapsed = time.perf_counter() - start
    if not args.quiet:
        for path in result.written:
            _say(out, f"  wrote     docs/{path}")
        for path in result.deleted:
            _say(out, f"  deleted   docs/{path}")
        for path, backup in result.backups:
            _say(out, f"  backup    docs/{path} was edited by hand; the edited version is saved as docs/{backup}")
    if not args.quiet:
        for note in result.notes:
            _say(out, f"note: {note}")
    for w in result.warnings:
        _say(err, f"warning: {w}", "yellow")
    if not args.quiet:
        n = len(result.warnings)
        _say(out, f"curate build: {len(result.written)} written, {len(result.unchanged)} unchanged, "
                  f"{len(result.deleted)} deleted, {n} warning{'s' if n != 1 else ''} ({elapsed:.2f} s)", "green")
    return EXIT_OK


def _check(args, root: Path, out: TextIO, err: TextIO) -> int:
    from .commands import check
    from .parallel import jobs

    today = None
    if args.today:
        try:
            today = _dt.date.fromisoformat(args.today)
        except ValueError:
            raise UsageError(f"--today: '{args.today}' is not a date like 2026-11-30") from None
    result = check(root, today, jobs=jobs(args.jobs))
    for e in result.errors:
        _say(err, f"error: {e}", "red")
    for w in result.warnings:
        _say(err, f"warning: {w}", "yellow")
    if not args.quiet and result.report:
        _say(out, "link health (for information; not counted as warnings):")
        for line in result.report:
            _say(out, f"  {line}")
    if not args.quiet and result.citations:
        _say(out, "editor citations (for information; not counted as warnings):")
        for line in result.citations:
            _say(out, f"  {line}")
    failed = result.failed(args.strict)
    if not args.quiet or failed:
        status = "failed" if failed else "passed"
        _say(out if not failed else err,
             f"curate check {status}: {len(result.errors)} error{'s' if len(result.errors) != 1 else ''}, "
             f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}",
             "red" if failed else "green")
    return EXIT_CONTENT if failed else EXIT_OK
