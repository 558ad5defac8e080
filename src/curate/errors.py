"""Errors and problem reports.

Every failure a user can cause is a :class:`Problem` (file, line, key, message,
hint). Problems are collected and raised together as a :class:`ContentError`,
so one run reports everything that is wrong (the way MkDocs' ``load_config``
reports every bad config value before aborting). Exit codes follow the CLI
contract: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input.

    Attributes:
        file: Project-relative path, '/'-separated (for example
            ``content_sources/curation.yml``); empty when no file applies.
        line: 1-based line number, or 0 when unknown.
        key: Dotted key path inside a YAML file (``pages[2].title``), or empty.
        message: What is wrong, one sentence.
        hint: What to do about it, or empty.
    """

    file: str
    line: int
    key: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Return the problem as ``file:line: key: message (hint)`` text."""
        text = ""
        if self.file:
            text = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        if self.key:
            text += f"{self.key}: "
        text += self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class CurateError(Exception):
    """Base class of every error curate reports without a traceback."""

    exit_code = EXIT_CONTENT


class ContentError(CurateError):
    """One or more problems in ``content_sources/`` or ``docs/``.

    Attributes:
        problems: Every problem found, sorted by file, line and key.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


class TargetError(CurateError):
    """Something curate was pointed at (a file, a web address) cannot be used; exit code 1.

    Attributes:
        target: The path or address, as given.
        reason: What is wrong, one sentence.
        hint: What to do about it, or empty.
    """

    def __init__(self, target: str, reason: str, hint: str = ""):
        self.target = target
        self.reason = reason
        self.hint = hint
        super().__init__(f"{target}: {reason}" + (f"\n    hint: {hint}" if hint else ""))


class UsageError(CurateError):
    """The command line or project layout is wrong (exit code 2)."""

    exit_code = EXIT_USAGE


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return a ``did you mean 'x'?`` hint for the closest choice, or ``''``.

    Uses :func:`difflib.get_close_matches` with its default cutoff of 0.6.
    """
    match = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{match[0]}'?" if match else ""
