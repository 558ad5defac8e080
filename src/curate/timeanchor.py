"""Anchoring relative time expressions to a source's publication date.

"Last month" in an article published in August 2024 means July 2024; a
reader in 2027 cannot know that unless the site says so. Each expression is
followed by the absolute period it stands for in square brackets, the way
journalism marks an editor's insertion in quoted text (AP and Chicago style):
``last month [July 2024]``, or ``[date unknown]`` when the source has no date.
Text inside quotation marks is left alone: a quotation must stay verbatim.
"""

from __future__ import annotations

import datetime as _dt
import re

from .yamlio import PartialDate

RELATIVE = re.compile(
    # "last month|this month|…|now", written so a position is given up quickly: every expression
    # starts with one of [ltnrcy] (the look-ahead), and "last", "this" and "next" are tried once
    # each rather than with each of "month", "year" and "week". No expression is a prefix of
    # another, so at most one can match at a position and their order does not matter.
    r"(?=[ltnrcy])(?<![\w-])((?:last|this|next) (?:month|year|week)|recently|currently|yesterday|today|now)"
    r"(?![\w-])(?!\s*\()",
    re.IGNORECASE,
)

_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")


def _month_shift(date: PartialDate, delta: int) -> PartialDate:
    index = date.year * 12 + (date.month - 1) + delta
    return PartialDate(index // 12, index % 12 + 1)


def resolve(expression: str, date: PartialDate | None) -> str:
    """The absolute period a relative expression stands for.

    Args:
        expression: One of the expressions :data:`RELATIVE` matches, any case.
        date: The source's publication date, or ``None``.

    Returns:
        ``July 2024``, ``2025``, ``as of August 2024``, ``before August 2024``,
        or ``date unknown`` when the date (or its precision) does not allow it.
    """
    if date is None:
        return "date unknown"
    e = expression.lower()
    if e in ("last year", "this year", "next year"):
        return str(date.year + {"last year": -1, "this year": 0, "next year": 1}[e])
    if e in ("last month", "this month", "next month"):
        if not date.month:
            return "date unknown"
        return _month_shift(date, {"last month": -1, "this month": 0, "next month": 1}[e]).human()
    if e in ("last week", "this week", "next week", "yesterday", "today"):
        if not date.day:
            return f"around {PartialDate(date.year, date.month).human()}" if date.month else "date unknown"
        day = date.first_day()
        if e in ("yesterday", "today"):
            return (day - _dt.timedelta(days=1 if e == "yesterday" else 0)).strftime("%-d %B %Y")
        monday = day - _dt.timedelta(days=day.weekday()) + _dt.timedelta(weeks={"last week": -1, "this week": 0,
                                                                                   "next week": 1}[e])
        return "week of " + monday.strftime("%-d %B %Y")
    if e == "recently":
        return f"before {date.human()}"
    return f"as of {date.human()}"  # now, currently


def find_times(text: str, date: PartialDate | None) -> list[tuple[int, str, str]]:
    """The relative time expressions of a passage and the periods they stand for.

    Args:
        text: Plain text of a passage.
        date: The source's publication date, or ``None``.

    Returns:
        ``[(end, expression, period), ...]`` in text order, ``end`` being the
        character offset just after the expression (where the insertion goes);
        expressions inside quotation marks, or already followed by a bracket or
        parenthesis, are left out.
    """
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [(m.end(), m.group(), resolve(m.group(), date)) for m in RELATIVE.finditer(text)
            if not any(a <= m.start() < b for a, b in quoted)]


def anchor_times(text: str, date: PartialDate | None) -> tuple[str, list[tuple[str, str]]]:
    """Add the absolute period in square brackets after each relative time expression.

    Args:
        text: Plain text of a passage.
        date: The source's publication date, or ``None``.

    Returns:
        ``(new_text, [(expression, period), ...])`` in text order, e.g.
        ``("released last month [July 2024]", [("last month", "July 2024")])``;
        expressions inside quotation marks are not changed.
    """
    found = find_times(text, date)
    out, start = [], 0
    for end, _, period in found:
        out += [text[start:end], f" [{period}]"]
        start = end
    out.append(text[start:])
    return "".join(out), [(expression, period) for _, expression, period in found]
