"""Reading YAML files into typed models, with every problem named by file, line and key.

Three steps, each reporting every problem it finds (never raising for bad content):

1. :func:`compose` parses the text (libyaml when it can) into a plain tree of
   mappings, lists and :class:`Scalar` texts, remembering the line of every key
   and list item. Anchors (``&a``) and aliases (``*a``) are refused where the
   parser meets the first one, so a small file can never expand into a large
   tree ("billion laughs"). Duplicate keys and keys that are not names are
   refused here too.
2. :func:`validate` checks the tree against a pydantic model in strict mode:
   unknown keys (with a "did you mean"), missing keys, wrong types, and the
   value rules the model's field types carry. The model is the schema: each
   key is declared once, as a field with a docstring.
3. When anything is refused, :func:`validate` still returns the model built
   from the values that passed, with the refused keys listed in
   :attr:`Validated.failed`, so later checks can skip whatever depends on a
   refused value instead of reporting follow-on errors.

PyYAML resolves plain scalars to dates, floats and booleans (``2024-07-23``,
``1.0``, ``no``). Here every scalar stays the text as written, and each field
type decides how to read it (:data:`Line`, :data:`Text`, :data:`YamlBool`,
:data:`OptionalDate`, :data:`TextList`), refusing values YAML would read as less
than what is written (a `` #`` comment, a tag, an anchor).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, TypeVar, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)
from pydantic.fields import FieldInfo

from .errors import Problem, did_you_mean

#: Where a value sits in a file: keys and list indexes from the top (``("pages", 2, "title")``).
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a year, a month or a day.

    Attributes:
        year: Four-digit year.
        month: 1-12, or 0 when only the year is known.
        day: 1-31, or 0 when only the year and month are known.
    """

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        """``'day'``, ``'month'`` or ``'year'``."""
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> _dt.date:
        """The earliest date the value may stand for."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        """ISO 8601 text at the value's own precision (``2024-08``)."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """English text at the value's precision: ``August 2024``, ``5 August 2024``."""
        if not self.month:
            return str(self.year)
        month = _dt.date(2000, self.month, 1).strftime("%B")
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises:
            ValueError: The text is not one of those forms or not a real date.
        """
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not m:
            raise ValueError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
        try:
            _dt.date(year, month or 1, day or 1)
        except ValueError as exc:  # 2024-02-31, 2024-13
            raise ValueError(f"'{text}' is not a real date ({exc})") from None
        return cls(year, month, day)


# --- 1. composing: text → tree of mappings, lists and scalars ------------------------------------

class Scalar(str):
    """A YAML scalar: its value as text, and how it was written.

    Attributes:
        line: 1-based line where the value starts.
        raw: The value's source text, with any tag (``!x``) in front of it.
        plain: Written without quotes or a block indicator (``|``, ``>``).
        after: For a plain value, the rest of its last line (where a ``#``
            comment would start); ``''`` otherwise.
    """

    line: int
    raw: str
    plain: bool
    after: str

    def __new__(cls, value: str, line: int = 0, raw: str = "", plain: bool = False, after: str = "") -> Self:
        self = super().__new__(cls, value)
        self.line, self.raw, self.plain, self.after = line, raw, plain, after
        return self

    def __reduce__(self):  # pickled (or copied) as the plain text it is
        return (str, (str(self),))


@dataclass
class Document:
    """One YAML file (or front-matter block) composed into plain data.

    Attributes:
        file: Project-relative file name for messages.
        data: ``dict`` (str keys), ``list``, :class:`Scalar` or ``None`` (YAML null), nested.
        lines: 1-based line of every key (``("pages", 0, "title")``), list item
            (``("pages", 0)``) and of the whole document (``()``).
    """

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)


def key_path(loc: Loc) -> str:
    """Dotted key path of a location, as messages show it: ``pages[2].title``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# libyaml (bundled with PyYAML's wheels) parses the same documents several times faster than the
# pure-Python parser; both give the same events for what curate uses. libyaml accepts tabs and
# control characters where PyYAML reports them; text holding any is parsed by PyYAML, so both give
# the same tree or the same error.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_PYYAML_ONLY = re.compile(r"[\t\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffd\u2028\u2029]")
_FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_NULL = re.compile(r"~|null|Null|NULL|")
_NULL_TAG = "tag:yaml.org,2002:null"


class _Stop(Exception):
    """The composer met an anchor or alias: the file is refused as a whole."""


class _Composer:
    """Builds a :class:`Document` from parser events, refusing anchors and aliases.

    Events are typed ``Any``: PyYAML's stubs declare their marks optional,
    though the parsers always set them.

    Why not ``yaml.compose``: it shares the node of an anchor with every alias,
    so a walk over its tree visits a 500-byte "billion laughs" file's nodes
    billions of times. Building the tree from events refuses the first
    ``&``/``*`` before anything is shared, tracks the key path of every value
    for messages, and keeps each scalar's text as written.
    """

    _KEY, _SKIP = object(), object()

    def __init__(self, text: str, file: str, first_line: int, problems: list[Problem]):
        self.text, self.file, self.offset, self.problems = text, file, first_line - 1, problems
        self.lines: dict[Loc, int] = {}
        # Open collections: [value, loc (None inside a discarded subtree), pending key or _KEY/_SKIP,
        #                    seen keys with their lines, role in the parent, line]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def run(self, events: Iterator[yaml.Event]) -> Document | None:
        try:
            for event in events:
                self._event(event)
        except _Stop:
            return None
        return Document(self.file, self.root, self.lines)

    def _line(self, mark: Any) -> int:
        return mark.line + 1 + self.offset

    def _event(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problems.append(Problem(self.file, self._line(event.start_mark), "",
                                             "invalid YAML: the file holds a second document (after a '---' line)",
                                             "remove the '---' line and what follows it, or the line alone"))
                raise _Stop
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            loc, role = self._place(event)
            if event.anchor is not None:
                self._anchor(event, loc, role)
            if isinstance(event, yaml.ScalarEvent):
                self._attach(self._scalar(event), loc, role, self._line(event.start_mark))
            else:
                if role == "key":
                    self._bad_key(event, loc, "a mapping" if isinstance(event, yaml.MappingStartEvent) else "a list")
                    loc = None
                value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                self.stack.append([value, loc, self._KEY, {}, role, self._line(event.start_mark)])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            value, loc, _, _, role, line = self.stack.pop()
            self._attach(value, loc, role, line)

    def _place(self, event: Any) -> tuple[Loc | None, str]:
        """Where the node that ``event`` starts goes: its location and role."""
        if not self.stack:
            return (), "root"
        value, loc, key = self.stack[-1][:3]
        if loc is None:
            return None, "skip"
        if isinstance(value, list):
            return loc + (len(value),), "item"
        if key is self._KEY:
            return loc, "key"
        return (None, "skip") if key is self._SKIP else (loc + (key,), "value")

    def _attach(self, value: Any, loc: Loc | None, role: str, line: int) -> None:
        if role == "root":
            self.root = value
            self.lines[()] = line
            return
        frame = self.stack[-1]
        if role == "key":
            if loc is None:  # a list or mapping used as a key: reported when it started
                frame[2] = self._SKIP
                return
            key = str(value) if value is not None else ""
            seen = frame[3]
            if key in seen:
                self.problems.append(Problem(self.file, line, key_path(loc + (key,)),
                                             f"duplicate key (first given on line {seen[key]})",
                                             "remove one of the two"))
                frame[2] = self._SKIP
                return
            seen[key] = line
            frame[2] = key
            self.lines[loc + (key,)] = line
            return
        if isinstance(frame[0], list):
            if loc is not None:
                frame[0].append(value)
                self.lines[loc] = line
            return
        if loc is not None and role == "value":
            frame[0][frame[2]] = value
        frame[2] = self._KEY

    def _scalar(self, event: Any) -> Scalar | None:
        surrogate = _SURROGATE.search(event.value)
        if surrogate:
            # Only a "\ud800"-style escape makes one: no character, and no file or page can hold it.
            self.problems.append(Problem(self.file, self._line(event.start_mark), "",
                                         f"invalid YAML: the escape \\u{ord(surrogate.group()):04x} is half of a "
                                         "UTF-16 surrogate pair, not a character",
                                         "write the character itself, or its full escape such as \\U0001F600"))
            raise _Stop
        plain = bool(event.implicit[0]) and event.style in (None, "")
        if (event.tag is None and plain and _NULL.fullmatch(event.value)) or event.tag == _NULL_TAG:
            return None
        start, end = event.start_mark.index, event.end_mark.index
        after = ""
        if plain:
            stop = self.text.find("\n", end)
            after = self.text[end:stop if stop >= 0 else len(self.text)]
        return Scalar(event.value, self._line(event.start_mark), self.text[start:end], plain, after)

    def _bad_key(self, event: Any, loc: Loc | None, what: str) -> None:
        self.problems.append(Problem(self.file, self._line(event.start_mark), key_path(loc or ()),
                                     f"a key must be a name, not {what}", "write keys as name: value"))

    def _quoted_hint(self, loc: Loc | None, text: str) -> str:
        key = next((p for p in reversed(loc or ()) if isinstance(p, str)), "key")
        return f'put the whole value in quotes: {key}: "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _anchor(self, event: Any, loc: Loc | None, role: str) -> None:
        start, end = event.start_mark.index, event.end_mark.index
        name = self.text[start:].split(None, 1)[0] if self.text[start:start + 1] == "&" else f"&{event.anchor}"
        path = key_path(loc) if role != "key" and loc is not None else key_path(self.stack[-1][1] or ())
        line = self._line(event.start_mark)
        if isinstance(event, yaml.ScalarEvent) and event.implicit[0] and role != "key":
            raw = self.text[start:end]
            self.problems.append(Problem(self.file, line, path, f"'{name}' makes the value an anchor in YAML, so it "
                                         f"would read '{event.value}'",
                                         self._quoted_hint(loc, raw) + " (YAML anchors and aliases are not allowed)"))
        else:
            self.problems.append(Problem(self.file, line, path, f"'{name}' makes the value an anchor in YAML: "
                                         "anchors and aliases are not allowed",
                                         "write the value out in full wherever it is needed; curate never expands "
                                         "'*' aliases"))
        raise _Stop

    def _alias(self, event: Any) -> None:
        loc, role = self._place(event)
        start = event.start_mark.index
        stop = self.text.find("\n", start)
        rest = self.text[start:stop if stop >= 0 else len(self.text)]
        rest = re.split(r"[ \t]+#", rest, maxsplit=1)[0].rstrip()
        path = key_path(loc) if role not in ("key", "skip") and loc is not None else ""
        self.problems.append(Problem(self.file, self._line(event.start_mark), path,
                                     f"'*{event.anchor}' makes the value an alias in YAML (a copy of a value marked "
                                     "'&'); aliases are not allowed", self._quoted_hint(loc, rest)))
        raise _Stop


_SURROGATE = re.compile("[\ud800-\udfff]")


def compose(text: str, file: str, problems: list[Problem], first_line: int = 1) -> Document | None:
    """Parse YAML text into a :class:`Document`, turning every failure into a problem.

    Args:
        text: The YAML text (LF line endings).
        file: Project-relative file name for messages.
        problems: Collects problems.
        first_line: Line of the file on which ``text`` starts (2 for front
            matter after its ``---`` line).

    Returns:
        The document, or ``None`` for an empty document, a syntax error, an
        anchor or an alias (each failure appends a problem).
    """
    offset = first_line - 1
    for lineno, row in enumerate(text.split("\n"), first_line):
        indent = re.match(r"[ \t]*", row)
        if indent and "\t" in indent.group():
            problems.append(Problem(file, lineno, "", "a tab is used for indentation",
                                    "YAML allows only spaces for indentation; replace the tab with spaces"))
            return None
    try:
        if _FastLoader is not yaml.SafeLoader and not _PYYAML_ONLY.search(text):
            reported = len(problems)
            try:
                doc = _Composer(text, file, first_line, problems).run(yaml.parse(text, Loader=_FastLoader))
            except yaml.YAMLError:
                del problems[reported:]  # libyaml words its errors differently: parse again for PyYAML's
            else:
                return doc if doc is None or doc.data is not None else None
        doc = _Composer(text, file, first_line, problems).run(yaml.parse(text, Loader=yaml.SafeLoader))
        return doc if doc is None or doc.data is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "syntax error"
        key = _key_on_line(text, line)
        problems.append(Problem(file, line + offset if line else 0, "", f"invalid YAML: {problem}"
                                + (f" (in the value of '{key}')" if key else ""), _yaml_hint(problem)))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        key = _key_on_line(text, line)
        problems.append(Problem(file, line + offset, "", f"invalid YAML: the invisible control character "
                                f"U+{ord(char):04X} is not allowed" + (f" (in the value of '{key}')" if key else ""),
                                "remove it; the file may be damaged"))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors in practice
        problems.append(Problem(file, 0, "", f"invalid YAML: {exc}"))
        return None


def _key_on_line(text: str, line: int) -> str:
    """The ``key`` of a ``key: value`` (or ``- key: value``) line, or ``''``."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return ""
    m = re.match(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:", lines[line - 1])
    return m.group(1) if m else ""


def _yaml_hint(problem: str) -> str:
    """What to do about a YAML syntax error, from PyYAML's problem text."""
    if "'\\t'" in problem:
        return "replace the tab with spaces: YAML allows no tab here"
    if "mapping values are not allowed" in problem:
        return "put the value in quotes: text holding ': ' must be quoted"
    if "sequence entries are not allowed" in problem:
        return "put the value in quotes: text starting with '- ' must be quoted"
    m = re.search(r"found character '(.)' that cannot start any token", problem)
    if m:
        return f"put the value in quotes: text starting with '{m.group(1)}' must be quoted"
    if "end of stream" in problem or "found unexpected end" in problem:
        return "a quotation mark or bracket is not closed"
    return "put quotes around text that contains ': ', ' #' or starts with '-', '*', '&', '!', '@' or '`'"


# --- 2. field types: how each kind of value is read from a scalar --------------------------------

class Invalid(ValueError):
    """A value a field refuses; raised inside validators, reported as a :class:`Problem`.

    Attributes:
        message: What is wrong, one sentence.
        hint: What to do about it, or ``''``.
    """

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def kind_of(value: Any) -> str:
    """How a message names a YAML value: ``a list``, ``nothing``, ``the value 'x'``."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the value '{value}'"


# Characters no title or note may hold: C0 and C1 controls (tab and, in multi-line text, line
# feed aside), U+FFFD, the Unicode line separators, U+FEFF, and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder the text shown after them
# wherever the value goes (a title in the nav, the knowledge map's tooltip); the marks U+200E and
# U+200F, which right-to-left text needs, are kept.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]")


def text_of(value: Any, key: str = "key") -> str:
    """The text of a scalar exactly as written, refusing what YAML would read as less.

    ``key`` names the value in hints (``"-"`` for an item of a list).

    A plain value cut short by `` #`` (a comment) and a value with a tag
    (``!x``) are refused, as are invisible characters. A ``str`` that is not
    a :class:`Scalar` comes from code, not from a file, and is returned as it is.

    Raises:
        Invalid: Not a scalar, or one of the cases above.
    """
    if not isinstance(value, str):
        raise Invalid(f"expected text, found {kind_of(value)}", "quote the value if it is meant to be text")
    if not isinstance(value, Scalar):
        return value

    def quoted(text: str) -> str:
        lead = "- " if key == "-" else f"{key}: "  # "-": the value is an item of a block list
        return f'put the whole value in quotes: {lead}"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    if value.raw[:1] == "!":
        first = value.raw.split()[0] if value.raw.split() else value.raw
        raise Invalid(f"'{first}' makes the value a tag in YAML, so it would read '{value}'", quoted(value.raw))
    if value.plain and re.match(r"[ \t]+#", value.after):
        # Refused either way: a title such as "Llama #1" would lose its end without a word. The
        # hint says how to keep it, and where a comment goes if that is what it is.
        raise Invalid(f"the text after ' #' is read as a YAML comment, so the value would be '{value}'",
                      quoted(f"{value.raw}{value.after}".rstrip())
                      + "; or, if it is a comment, put it on a line of its own")
    bad = _BAD_CHAR.search(value)
    if bad:
        ch = bad.group()
        if ch == "\ufffd":
            message = "holds U+FFFD, the replacement character: the text was damaged before it arrived"
        elif ch in "\u2028\u2029\x85":
            message = f"holds a line separator (U+{ord(ch):04X})"
        elif ch == "\ufeff":
            message = "holds an invisible byte-order mark (U+FEFF)"
        elif ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            message = f"holds an invisible bidirectional control (U+{ord(ch):04X}), which reorders the text after it"
        else:
            message = f"holds an invisible control character (U+{ord(ch):04X})"
        raise Invalid(message, "retype the value")
    return str(value)


def _line(value: Any, info: ValidationInfo) -> str:
    text = text_of(value, info.field_name or "key")
    if not isinstance(value, Scalar):
        return text
    if "\n" in text.strip():
        raise Invalid("expected one line of text, found several")
    if not text.strip():
        raise Invalid("must not be empty")
    return text.strip()


def _text(value: Any, info: ValidationInfo) -> str:
    text = text_of(value, info.field_name or "key")
    if isinstance(value, Scalar) and not text.strip():
        raise Invalid("must not be empty")
    return text.strip() if isinstance(value, Scalar) else text


def _bool(value: Any) -> Any:
    if isinstance(value, Scalar) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, bool):
        return value
    raise Invalid(f"expected true or false, found {kind_of(value)}", "write true or false")


def _date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a date, found {kind_of(value)}", "write the date as 2024-08 or 2024-08-15")
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise Invalid(str(exc), "write the date as 2024-08 or 2024-08-15") from None


def _text_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, Scalar):
        raise Invalid(f"expected a list, found {kind_of(value)}", f"write it as a list: [{value}]")
    if isinstance(value, dict):
        raise Invalid(f"expected a list, found {kind_of(value)}")
    return value


def _list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        raise Invalid(f"expected a list, found {kind_of(value)}")
    return value


#: One line of text, stripped and not empty.
Line = typing.Annotated[str, BeforeValidator(_line)]
#: Text that may run over several lines (``>-`` blocks), stripped and not empty.
Text = typing.Annotated[str, BeforeValidator(_text)]
#: ``true`` or ``false`` (not ``yes``, ``no``, ``on`` or ``1``, which YAML 1.1 also reads as booleans).
YamlBool = typing.Annotated[bool, BeforeValidator(_bool)]
#: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a :class:`PartialDate`; ``None`` only when the key is left out.
OptionalDate = typing.Annotated[PartialDate | None, PlainValidator(_date)]
T = TypeVar("T")
#: A list of texts read as ``T`` (``TextListOf[Line]``); a key with no value is an empty list.
TextListOf = typing.Annotated[list[T], BeforeValidator(_text_list)]
#: A list of one-line texts.
TextList = TextListOf[Line]
#: A list of mappings (``ListOf[PageSpec]``); a key with no value is an empty list.
ListOf = typing.Annotated[list[T], BeforeValidator(_list)]


class _Derived:
    """Marks a field that is worked out by curate, never read from YAML."""

    def __repr__(self) -> str:
        return "DERIVED"


#: Field metadata for attributes that are not YAML keys (``line: Annotated[int, DERIVED] = 0``).
DERIVED = _Derived()


class YamlModel(BaseModel):
    """Base of the models of curate's YAML files: strict, closed, documented by attribute docstrings.

    Models are built with keyword arguments (``GlossaryTerm(term="Meta",
    definition="The company.")``); from a file, by :func:`validate`.
    """

    model_config = ConfigDict(strict=True, extra="forbid", use_attribute_docstrings=True, defer_build=True)
    #: Keys a file may still hold from an earlier version → the hint that says what to do instead.
    retired_keys: ClassVar[dict[str, str]] = {}


def yaml_keys(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The keys a YAML mapping of this model may hold (fields not marked :data:`DERIVED`)."""
    return {key: info for key, (info, _, _) in _keys(model).items()}


@functools.cache
def _keys(model: type[BaseModel]) -> dict[str, tuple[FieldInfo, type[BaseModel] | None, bool]]:
    """Key → ``(field, model it holds or None, whether a list of them)``; worked out once per model."""
    return {name: (info, *_model_in(info.annotation)) for name, info in model.model_fields.items()
            if DERIVED not in info.metadata}


def summary(info: FieldInfo) -> str:
    """First sentence of a field's docstring, for hints: ``a one-line summary``."""
    text = (info.description or "").strip().split("\n\n")[0].replace("\n", " ")
    text = re.split(r"(?<=[a-z)`'])\. ", text, maxsplit=1)[0].rstrip(".")
    return text[0].lower() + text[1:] if text[:2].istitle() else text


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """``(model, is_list)`` when a field holds a model or a list of models, else ``(None, False)``."""
    seen_list = False
    for _ in range(6):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                break
            annotation = args[0]
        elif origin is list:
            if seen_list:
                break
            seen_list, annotation = True, typing.get_args(annotation)[0]
        else:
            break
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, seen_list
    return None, False


# --- 3. validating: tree → model ---------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


@dataclass
class Validated(Generic[M]):
    """A file's model and what was refused in it.

    Attributes:
        value: The model. When anything was refused it holds every value that
            passed; a refused or missing key keeps its default (an empty text
            or list for a required one), and :meth:`ok` says which.
        lines: Line of every key and list item (see :class:`Document`).
        failed: Locations whose values were refused or are missing.
    """

    value: M
    lines: dict[Loc, int]
    failed: frozenset[Loc] = frozenset()

    def ok(self, *loc: str | int) -> bool:
        """Whether the value at ``loc`` and every value holding it passed (``ok("pages", 2, "id")``)."""
        return not any(loc[:n] in self.failed for n in range(len(loc) + 1))

    def clean(self, *loc: str | int) -> bool:
        """Whether :meth:`ok` holds for ``loc`` and every value inside it."""
        return self.ok(*loc) and not any(f[:len(loc)] == loc for f in self.failed)

    def line(self, *loc: str | int) -> int:
        """Line of ``loc``, or of the nearest key or item holding it."""
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return 0


def validate(model: type[M], doc: Document, problems: list[Problem],
             context: dict[str, Any] | None = None) -> Validated[M]:
    """Check a document against a model, appending a problem for everything refused.

    Args:
        model: The file's model (a :class:`YamlModel`).
        doc: The composed file.
        problems: Collects problems; never raises for bad content.
        context: Passed to the field validators (``info.context``).

    Returns:
        The model and what was refused (see :class:`Validated`).
    """
    failed: set[Loc] = set()
    typos: set[Loc] = set()
    data = _known_keys(model, doc.data, (), doc, problems, typos)
    try:
        value = model.model_validate(data, strict=True, context=context)
        return Validated(value, doc.lines, frozenset(failed))
    except ValidationError as exc:
        errors = exc.errors()
    for error in errors:
        loc = tuple(error["loc"])
        failed.add(_value_loc(model, loc))
        if error["type"] == "missing" and loc in typos:
            continue  # the misspelt key's "did you mean" says it
        problems.append(_problem(model, doc, loc, error))
    return Validated(_salvage(model, data, (), frozenset(failed), context), doc.lines, frozenset(failed))


def _known_keys(model: type[BaseModel], data: Any, loc: Loc, doc: Document, problems: list[Problem],
                typos: set[Loc]) -> Any:
    """``data`` without unknown keys, each reported with a "did you mean".

    The keys an unknown key is a misspelling of are added to ``typos``: when
    such a key is required, its "missing" would only repeat the problem.
    """
    if not isinstance(data, dict):
        return data
    keys = _keys(model)
    retired: dict[str, str] = getattr(model, "retired_keys", {})
    out = {}
    for key, value in data.items():
        shape = keys.get(key)
        if shape is None and key in retired:
            problems.append(Problem(doc.file, doc.lines.get(loc + (key,), 0), key_path(loc + (key,)),
                                    f"'{key}' is no longer a key here", retired[key]))
            continue
        if shape is None:
            hint = did_you_mean(key, sorted(keys))
            problems.append(Problem(doc.file, doc.lines.get(loc + (key,), 0), key_path(loc + (key,)), "unknown key",
                                    hint or "allowed keys: " + ", ".join(sorted(keys))))
            typos.update(loc + (k,) for k in keys if hint == f"did you mean '{k}'?" and k not in data)
            continue
        _, sub, is_list = shape
        if sub is not None and is_list and isinstance(value, list):
            value = [_known_keys(sub, item, loc + (key, i), doc, problems, typos) for i, item in enumerate(value)]
        elif sub is not None and not is_list:
            value = _known_keys(sub, value, loc + (key,), doc, problems, typos)
        out[key] = value
    return out


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model of the mapping at ``loc`` (``pages[2]`` → PageSpec), or ``None``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        shape = _keys(current).get(part) if current is not None else None
        if shape is None:
            return None
        current = shape[1]
    return current


def _value_loc(model: type[BaseModel], loc: Loc) -> Loc:
    """The key or list item whose value an error refuses: ``pages[2].tags[1]`` → ``pages[2].tags``.

    A value inside a model (``pages[2].title``) is refused alone; a value
    inside a list of texts refuses the whole list, so a half-read list is
    never used.
    """
    current: type[BaseModel] | None = model
    for n, part in enumerate(loc):
        if isinstance(part, int):
            continue
        shape = _keys(current).get(part) if current is not None else None
        if shape is None:
            return loc[:n + 1]
        _, sub, is_list = shape
        if sub is None:
            return loc[:n + 1]
        if is_list and len(loc) == n + 2:
            return loc[:n + 2]  # the list item itself (not a mapping)
        current = sub
    return loc


def _problem(model: type[BaseModel], doc: Document, loc: Loc, error: Any) -> Problem:
    kind, value = error["type"], error.get("input")
    line = doc.lines.get(loc) or (value.line if isinstance(value, Scalar) else 0) or _nearest_line(doc, loc)
    path = key_path(loc)
    exc = (error.get("ctx") or {}).get("error")
    if isinstance(exc, Invalid):
        return Problem(doc.file, line, path, exc.message, exc.hint)
    if kind == "missing":
        holder = _model_at(model, loc[:-1])
        key = str(loc[-1])
        info = _keys(holder)[key][0] if holder is not None and key in _keys(holder) else None
        hint = f"add '{key}: …' ({summary(info)})" if info is not None and info.description else f"add '{key}: …'"
        return Problem(doc.file, _nearest_line(doc, loc[:-1]), path, "required key is missing", hint)
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        keys = sorted(_keys(holder)) if holder is not None else []
        return Problem(doc.file, line, path, "unknown key", did_you_mean(str(loc[-1]), keys))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(doc.file, line, path, f"expected a mapping (key: value lines), found {kind_of(value)}")
    if kind == "list_type":
        return Problem(doc.file, line, path, f"expected a list, found {kind_of(value)}")
    return Problem(doc.file, line, path, f"{error['msg']} (found {kind_of(value)})")


def _nearest_line(doc: Document, loc: Loc) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in doc.lines:
            return doc.lines[loc[:n]]
    return 0


_ADAPTERS: dict[tuple[type, str], TypeAdapter] = {}


def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    """A validator for one field of a model alone (its type and the validators its type carries)."""
    key = (model, name)
    if key not in _ADAPTERS:
        info = model.model_fields[name]
        annotation: Any = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        _ADAPTERS[key] = TypeAdapter(annotation, config=ConfigDict(strict=True))
    return _ADAPTERS[key]


def _salvage(model: type[M], data: Any, loc: Loc, failed: frozenset[Loc], context: dict[str, Any] | None) -> M:
    """The model built from the values that passed; refused required values become empty ones.

    Built with ``model_construct`` from values each validated alone, so one
    refused key never costs the others of its mapping.
    """
    data = data if isinstance(data, dict) else {}
    values: dict[str, Any] = {}
    for name, (info, sub, is_list) in _keys(model).items():
        here = loc + (name,)
        refused = any(here[:n] in failed for n in range(len(here) + 1))
        if name in data and not refused:
            if sub is not None and is_list:
                items = data[name] if isinstance(data[name], list) else []
                values[name] = [_salvage(sub, item, here + (i,), failed, context) for i, item in enumerate(items)]
                continue
            if sub is not None:
                values[name] = _salvage(sub, data[name], here, failed, context)
                continue
            try:
                values[name] = _adapter(model, name).validate_python(data[name], context=context)
                continue
            except ValidationError:  # pragma: no cover - refused values are in ``failed``
                pass
        if info.is_required():
            values[name] = ([] if is_list else _salvage(sub, {}, here, failed, context) if sub is not None
                            else _empty(info.annotation))
    return model.model_construct(**values)


def _empty(annotation: Any) -> Any:
    """The empty value of a required field that was refused: ``''``, ``[]`` or ``False``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is list:
        return []
    return {str: "", bool: False, int: 0}.get(annotation)


def dump_front_matter(data: dict) -> str:
    """Render a mapping as a YAML front-matter block (``---`` … ``---``).

    Strings that YAML would read as dates, numbers or booleans are quoted by
    PyYAML's representer, so a load of the block gives the same strings back.
    """
    # libyaml writes characters beyond U+FFFF (emoji) as "\U0001F6A8" escapes; PyYAML writes them
    # as they are. Such front matter goes through PyYAML so output never depends on libyaml.
    dumper = yaml.SafeDumper if _ASTRAL.search(repr(data)) else _FastDumper
    body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    return f"---\n{body}---\n"
