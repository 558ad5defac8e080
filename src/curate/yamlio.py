"""Line-aware YAML loading and a small typed schema.

PyYAML resolves plain scalars to dates, floats and booleans (``2024-07-23``,
``1.0``, ``no``). For string-typed keys curate uses the scalar's text exactly
as written, so a page titled ``2024-07-23`` stays that string all the way to
the site. Every value keeps the line it came from, so later checks (an unknown
page id in ``related``) can still name file, line and key.

The schema reports every problem at once: missing keys, wrong types, unknown
keys (with a "did you mean"), duplicate keys and tabs.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import yaml

from .errors import Problem, did_you_mean


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
    def parse(cls, text: str) -> "PartialDate":
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


class Located(dict):
    """A mapping loaded from YAML that remembers where each key was.

    Attributes:
        line: 1-based line of the mapping itself.
        lines: 1-based line of each key.
    """

    def __init__(self, *args: Any, line: int = 0, lines: Optional[dict] = None):
        super().__init__(*args)
        self.line = line
        self.lines: dict[str, int] = dict(lines or {})

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        return self.lines.get(key, self.line)


@dataclass
class Field:
    """One key of a mapping schema.

    Attributes:
        kind: ``str``, ``text`` (multi-line str), ``date``, ``bool``, ``int``,
            ``list[str]``, ``map`` or ``list[map]``.
        required: Whether the key must be present.
        schema: For ``map`` and ``list[map]``, the schema of the mapping(s).
        check: Optional extra check on the converted value; returns an error
            message or ``''``.
        doc: What the key means (shown in the editing guide).
    """

    kind: str
    required: bool = False
    schema: Optional["Schema"] = None
    check: Optional[Callable[[Any], str]] = None
    doc: str = ""


@dataclass
class Schema:
    """A mapping schema: allowed keys and their fields."""

    fields: dict[str, Field] = field(default_factory=dict)

    def validate(self, node: yaml.Node, file: str, path: str, problems: list[Problem]) -> Located:
        """Convert a YAML mapping node, appending every problem found.

        Args:
            node: The composed YAML node.
            file: Project-relative file name for messages.
            path: Dotted key path of this mapping ('' at the top).
            problems: Collects problems; never raises for bad content.

        Returns:
            A :class:`Located` mapping holding only keys that converted cleanly.
        """
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(file, line, path, f"expected a mapping (key: value lines), found {_kind_name(node)}"))
            return Located(line=line)
        out = Located(line=line)
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            kline = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(file, kline, path, f"a key must be a name, not {_kind_name(key_node)}",
                                        "write keys as name: value"))
                continue
            key = str(key_node.value)
            kpath = f"{path}.{key}" if path else key
            if key in seen:
                problems.append(Problem(file, kline, kpath, f"duplicate key (first given on line {seen[key]})",
                                        "remove one of the two"))
                continue
            seen[key] = kline
            spec = self.fields.get(key)
            if spec is None:
                problems.append(Problem(file, kline, kpath, "unknown key",
                                        did_you_mean(key, sorted(self.fields)) or
                                        "allowed keys: " + ", ".join(sorted(self.fields))))
                continue
            value = _convert(spec, value_node, file, kpath, problems)
            if value is not _BAD:
                if spec.check:
                    msg = spec.check(value)
                    if msg:
                        problems.append(Problem(file, kline, kpath, msg))
                        continue
                out[key] = value
                out.lines[key] = kline
        for key, spec in self.fields.items():
            if spec.required and key not in seen:
                problems.append(Problem(file, line, f"{path}.{key}" if path else key, "required key is missing",
                                        f"add '{key}: …' ({spec.doc})" if spec.doc else ""))
        return out


_BAD = object()


def _kind_name(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return f"the value '{node.value}'"


_STANDARD_TAG = "tag:yaml.org,2002:"
# Characters no title or note may hold: C0 and C1 controls (tab and, in
# multi-line text, line feed aside), U+FFFD, the Unicode line separators and U+FEFF.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\u2028\u2029\ufeff]")


def _scalar_text(node: yaml.Node, file: str, path: str, problems: list[Problem], text: bool = True) -> Any:
    """The scalar's text exactly as written, or ``_BAD`` (with a problem).

    With ``text`` (every text-valued key), a value YAML would read as less
    than what is written is a problem: a plain value cut short by `` #`` (a
    comment), and a value turned into an anchor (``&x``), alias (``*x``) or
    tag (``!x``).
    """
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        problems.append(Problem(file, line, path, f"expected text, found {_kind_name(node)}",
                                "quote the value if it is meant to be text"))
        return _BAD
    if not text:
        return node.value
    key = path.rsplit(".", 1)[-1].split("[", 1)[0] or "key"
    buffer = getattr(node.start_mark, "buffer", None) or ""
    raw = buffer[node.start_mark.index:node.end_mark.index]
    quoted = f'{key}: "' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if raw[:1] in ("&", "*") or not node.tag.startswith(_STANDARD_TAG) or raw[:1] == "!":
        what = {"&": "an anchor", "*": "an alias", "!": "a tag"}.get(raw[:1], "a tag")
        problems.append(Problem(file, line, path, f"'{raw.split()[0] if raw.split() else raw}' makes the value "
                                f"{what} in YAML, so it would read '{node.value}'",
                                f"put the whole value in quotes: {quoted}"))
        return _BAD
    if node.style is None and buffer:
        end = buffer.find("\n", node.end_mark.index)
        rest = buffer[node.end_mark.index:end if end >= 0 else len(buffer)].rstrip("\0")
        if re.match(r"[ \t]+#", rest):
            whole = f"{raw}{rest}".rstrip()
            quoted = f'{key}: "' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
            problems.append(Problem(file, line, path, "the text after ' #' is read as a YAML comment, so the "
                                    f"value would be '{node.value}'", f"put the whole value in quotes: {quoted}"))
            return _BAD
    bad = _BAD_CHAR.search(node.value)
    if bad:
        ch = bad.group()
        if ch == "\ufffd":
            message = "holds U+FFFD, the replacement character: the text was damaged before it arrived"
        elif ch in "\u2028\u2029\x85":
            message = f"holds a line separator (U+{ord(ch):04X})"
        elif ch == "\ufeff":
            message = "holds an invisible byte-order mark (U+FEFF)"
        else:
            message = f"holds an invisible control character (U+{ord(ch):04X})"
        problems.append(Problem(file, line, path, message, "retype the value"))
        return _BAD
    return node.value


def _convert(spec: Field, node: yaml.Node, file: str, path: str, problems: list[Problem]) -> Any:
    line = node.start_mark.line + 1
    kind = spec.kind
    if kind in ("str", "text"):
        value = _scalar_text(node, file, path, problems)
        if value is _BAD:
            return _BAD
        if kind == "str" and ("\n" in value.strip()):
            problems.append(Problem(file, line, path, "expected one line of text, found several"))
            return _BAD
        if not value.strip():
            problems.append(Problem(file, line, path, "must not be empty"))
            return _BAD
        return value.strip() if kind == "str" else value
    if kind == "date":
        value = _scalar_text(node, file, path, problems, text=False)
        if value is _BAD:
            return _BAD
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            problems.append(Problem(file, line, path, str(exc), "write the date as 2024-08 or 2024-08-15"))
            return _BAD
    if kind == "bool":
        if isinstance(node, yaml.ScalarNode) and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        problems.append(Problem(file, line, path, f"expected true or false, found {_kind_name(node)}",
                                "write true or false"))
        return _BAD
    if kind == "int":
        if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"-?\d+", node.value):
            return int(node.value)
        problems.append(Problem(file, line, path, f"expected a whole number, found {_kind_name(node)}"))
        return _BAD
    if kind in ("list[str]", "list[map]"):
        if isinstance(node, yaml.ScalarNode) and kind == "list[str]" and node.tag != "tag:yaml.org,2002:null":
            problems.append(Problem(file, line, path, f"expected a list, found {_kind_name(node)}",
                                    f"write it as a list: [{node.value}]"))
            return _BAD
        if not isinstance(node, yaml.SequenceNode):
            if node.tag == "tag:yaml.org,2002:null":
                return []
            problems.append(Problem(file, line, path, f"expected a list, found {_kind_name(node)}"))
            return _BAD
        items = []
        for i, item in enumerate(node.value):
            ipath = f"{path}[{i}]"
            if kind == "list[str]":
                value = _scalar_text(item, file, ipath, problems)
                if value is not _BAD:
                    items.append(value.strip())
            else:
                assert spec.schema is not None
                items.append(spec.schema.validate(item, file, ipath, problems))
        return items
    if kind == "map":
        assert spec.schema is not None
        return spec.schema.validate(node, file, path, problems)
    raise AssertionError(f"unknown field kind {kind}")


# libyaml (bundled with PyYAML's wheels) parses and emits the same documents several times
# faster than the pure-Python classes; both build the same nodes and text for what curate uses.
# libyaml accepts tabs and control characters where PyYAML reports them; text holding any
# is parsed by PyYAML, so both give the same nodes or the same error.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_PYYAML_ONLY = re.compile(r"[\t\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffd\u2028\u2029]")
_FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _with_buffer(root: Optional[yaml.Node], text: str) -> Optional[yaml.Node]:
    """Make libyaml's nodes look like PyYAML's: marks that keep the text, plain style ``None``.

    ``_scalar_text`` reads the text around a value through its marks; libyaml's
    mark ``index`` is a character index into ``text``, as PyYAML's is.
    """
    if root is None:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        for attr in ("start_mark", "end_mark"):
            m = getattr(node, attr)
            setattr(node, attr, yaml.Mark(m.name, m.index, m.line, m.column, text, m.index))
        if isinstance(node, yaml.ScalarNode) and node.style == "":
            node.style = None  # libyaml marks a plain scalar '', PyYAML None
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return root


def compose(text: str, file: str, problems: list[Problem]) -> Optional[yaml.Node]:
    """Parse YAML text into a node tree, turning syntax errors into problems.

    Returns:
        The root node, or ``None`` for an empty document or a syntax error
        (the error is appended to ``problems``).
    """
    for lineno, line in enumerate(text.split("\n"), 1):
        indent = re.match(r"[ \t]*", line)
        if indent and "\t" in indent.group():
            problems.append(Problem(file, lineno, "", "a tab is used for indentation",
                                    "YAML allows only spaces for indentation; replace the tab with spaces"))
            return None
    try:
        if _FastLoader is not yaml.SafeLoader and not _PYYAML_ONLY.search(text):
            try:
                return _with_buffer(yaml.compose(text, Loader=_FastLoader), text)
            except yaml.YAMLError:
                pass  # libyaml words its errors differently: parse again for PyYAML's messages
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "syntax error"
        key = _key_on_line(text, line)
        problems.append(Problem(file, line, "", f"invalid YAML: {problem}" + (f" (in the value of '{key}')" if key else ""),
                                _yaml_hint(problem, text, line)))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        key = _key_on_line(text, line)
        problems.append(Problem(file, line, "", f"invalid YAML: the invisible control character U+{ord(char):04X} "
                                "is not allowed" + (f" (in the value of '{key}')" if key else ""),
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


def _yaml_hint(problem: str, text: str, line: int) -> str:
    """What to do about a YAML syntax error, from PyYAML's problem text."""
    if "'\\t'" in problem:
        return "replace the tab with spaces: YAML allows no tab here"
    if "mapping values are not allowed" in problem:
        return "put the value in quotes: text holding ': ' must be quoted"
    if "sequence entries are not allowed" in problem:
        return "put the value in quotes: text starting with '- ' must be quoted"
    if "undefined alias" in problem:
        return "put the value in quotes: text starting with '*' must be quoted"
    m = re.search(r"found character '(.)' that cannot start any token", problem)
    if m:
        return f"put the value in quotes: text starting with '{m.group(1)}' must be quoted"
    if "end of stream" in problem or "found unexpected end" in problem:
        return "a quotation mark or bracket is not closed"
    return "put quotes around text that contains ': ', ' #' or starts with '-', '*', '&', '!', '@' or '`'"


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
