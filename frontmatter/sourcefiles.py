"""Markdown files with YAML front matter, as static-site generators write them.

A file is kept in three parts: the *head* (everything up to and including the closing
`---`/`...` line, exactly as written: BOM, CRLF and comments included, so that an unedited
item exports byte-identical), the parsed front matter, and the body with LF line endings.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from publishing.text import CONTROL_CHARACTERS_RE

try:  # libyaml is ten times faster; the pure-Python loader behaves the same.
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024
# Front matter starts on the file's second line, after the opening "---".
FIRST_LINE = 2

# The opening line, the front matter, and the first closing line ("---" or YAML's "...").
# Bodies may contain "---" thematic breaks: only the first closing line counts.
_FRONT_MATTER_RE = re.compile(
    r"\A(?P<open>\ufeff?---[ \t]*\r?\n)(?P<yaml>.*?)(?P<close>^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))",
    re.DOTALL | re.MULTILINE,
)


class SourceError(Exception):
    """A problem with one source file, shown to the user as `path:line: message`."""

    def __init__(self, path: str, message: str, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class _UniqueKeyLoader(_BaseLoader):
    """Safe loader that refuses duplicate keys: PyYAML would silently keep the last one."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen[key] + FIRST_LINE})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        # The safe constructors raise plain Python errors for some values (2024-13-45,
        # `!!bool maybe`); they are bad input like any other and need the value's line.
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r}: {error}", node.start_mark
            ) from None


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _UniqueKeyLoader.construct_mapping
)


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file with front matter, read from disk."""

    path: Path
    relpath: str
    head: str
    data: dict[str, Any]
    body: str
    # What reading changed in the text, for the import report ("body: line 3: …").
    warnings: tuple[str, ...] = ()

    @property
    def posix(self) -> PurePosixPath:
        return PurePosixPath(self.relpath)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.head else "\n"


def _refuse_aliases(text: str, relpath: str) -> None:
    """Anchors and aliases are not used by any real site, and they are how a small file
    expands into a huge (or self-containing) value."""
    if "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise SourceError(
                    relpath,
                    f"YAML aliases (*{event.anchor}) are not supported in front matter",
                    event.start_mark.line + FIRST_LINE,
                )
    except yaml.YAMLError:
        return  # reported with its line by the loader


def parse_front_matter(text: str, relpath: str) -> dict[str, Any]:
    """Parse front-matter YAML with the safe loader; errors name the file's line."""
    _refuse_aliases(text, relpath)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "invalid YAML"
        mark = error.problem_mark or error.context_mark
        line = mark.line + FIRST_LINE if mark else None
        if error.context and error.context_mark and error.problem_mark:
            started = error.context_mark.line + FIRST_LINE
            if started != line:
                problem += f" ({error.context} that starts on line {started})"
                if "end of stream" in problem:
                    line = started  # an unclosed quote: where it opens is what to fix
        if "cannot start any token" in problem and "\t" in text.split("\n")[mark.line]:
            problem += " (tabs cannot indent YAML; use spaces)"
        raise SourceError(relpath, f"invalid YAML in front matter: {problem}", line) from None
    except yaml.YAMLError as error:
        raise SourceError(relpath, f"invalid YAML in front matter: {error}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise SourceError(relpath, f"invalid YAML in front matter: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(relpath, "front matter must be a mapping of keys to values", FIRST_LINE)
    for key in data:
        if not isinstance(key, str):
            raise SourceError(relpath, f"front-matter key {key!r} is not text")
    return data


def split_source(text: str, relpath: str) -> tuple[str, str, str]:
    """Split a file's text into (head, front-matter YAML, body), newlines as written."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        if not text.lstrip("\ufeff").startswith("---"):
            raise SourceError(relpath, "no front matter: the file must start with a '---' line", 1)
        raise SourceError(relpath, "front matter is not closed: no '---' line after it", 1)
    return match.group(0), match.group("yaml"), text[match.end() :]


class UnreadableFile(Exception):
    """A file that cannot be read whole; the message says why in one line."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, refusing one of more than `limit` bytes.

    The size is checked before reading and at most `limit` + 1 bytes are ever read, so a
    huge file (or one growing meanwhile) costs nothing; a FIFO, device or socket is
    refused without waiting on it.
    """
    try:
        # O_NONBLOCK: opening a FIFO would otherwise wait for a writer, forever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise UnreadableFile(f"cannot read the file: {error.strerror or error}") from None
    with open(descriptor, "rb", closefd=True) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        too_large = UnreadableFile(f"file is larger than {_megabytes(limit)}")
        if info.st_size > limit:
            raise too_large
        try:
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grows as it is read
                data += handle.read(limit + 1 - len(data))
        except OSError as error:
            raise UnreadableFile(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > limit:
        raise too_large
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def read_source(path: Path, root: Path) -> SourceFile:
    """Read and parse one file. Raises SourceError with a one-line reason."""
    try:
        relpath = path.relative_to(root).as_posix() if path != root else path.name
    except ValueError:
        relpath = path.as_posix()
    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        raise SourceError(relpath, str(error)) from None
    if b"\x00" in raw:
        raise SourceError(relpath, "binary file, not Markdown text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            relpath, f"not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded)", line
        ) from None
    text, removed = _strip_control_characters(text)
    if not text.strip("\ufeff \t\r\n"):
        raise SourceError(relpath, "empty file")
    head, front_matter, body = split_source(text, relpath)
    data = parse_front_matter(front_matter.replace("\r\n", "\n"), relpath)
    return SourceFile(
        path=path,
        relpath=relpath,
        head=head,
        data=data,
        body=body.replace("\r\n", "\n"),
        warnings=_removal_warnings(removed, head_lines=head.count("\n")),
    )


# Lines named in a warning about removed control characters; more are counted.
LINES_NAMED = 5


def _strip_control_characters(text: str) -> tuple[str, dict[int, set[str]]]:
    """`text` without the control characters feeds cannot carry (see publishing.text), and
    the code points removed, by line. Stripped from the whole text, so that the head kept
    for export is clean too (a raw one in front matter would stop YAML anyway)."""
    removed: dict[int, set[str]] = {}
    line, position = 1, 0
    for match in CONTROL_CHARACTERS_RE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        removed.setdefault(line, set()).add(f"U+{ord(match.group()):04X}")
    if not removed:
        return text, removed
    return CONTROL_CHARACTERS_RE.sub("", text), removed


def _removal_warnings(removed: dict[int, set[str]], head_lines: int) -> tuple[str, ...]:
    """One line for the front matter and one for the body: what was removed, and where."""
    warnings = []
    for part, lines in (
        ("front matter", [line for line in removed if line <= head_lines]),
        ("body", [line for line in removed if line > head_lines]),
    ):
        if not lines:
            continue
        codes = sorted(set().union(*(removed[line] for line in lines)))
        where = ", ".join(str(line) for line in lines[:LINES_NAMED])
        if len(lines) > LINES_NAMED:
            where += f" and {len(lines) - LINES_NAMED} more"
        warnings.append(
            f"{part}: line{'s' if len(lines) > 1 else ''} {where}: removed control "
            f"character{'s' if len(codes) > 1 else ''} {', '.join(codes)}"
        )
    return tuple(warnings)


# --- Writing ----------------------------------------------------------------------------


class Timestamp(str):
    """A timestamp written the way the source sites write them: 2021-11-17T15:00:00.000Z."""

    @classmethod
    def of(cls, moment) -> Timestamp:
        import datetime

        utc = moment.astimezone(datetime.UTC)
        return cls(utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z")


class Styled(str):
    """Text to be written in a given YAML scalar style ('"', "'", '|' or None for plain)."""

    def __new__(cls, value: str, style: str | None):
        instance = super().__new__(cls, value)
        instance.style = style
        return instance


class _FrontMatterDumper(yaml.SafeDumper):
    """Block style, sequences indented under their key (as the real sites write them)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper, value: str):
    style = None
    if "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_styled(dumper, value: Styled):
    # Only a block scalar keeps line breaks readable; a one-line value cannot be one.
    style = "|" if "\n" in value else (None if value.style == "|" else value.style)
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _represent_timestamp(dumper, value: Timestamp):
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def _represent_list(dumper, value: list):
    # `with: []` and `tags: [rust]` stay on one line when empty or when asked to.
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=not value)


_FrontMatterDumper.add_representer(str, _represent_str)
_FrontMatterDumper.add_representer(Styled, _represent_styled)
_FrontMatterDumper.add_representer(Timestamp, _represent_timestamp)
_FrontMatterDumper.add_representer(list, _represent_list)
_FrontMatterDumper.add_representer(
    type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "null")
)


def dump_front_matter(pairs: dict[str, Any]) -> str:
    """YAML text for ordered key/value pairs (no delimiters), ending with a newline."""
    if not pairs:
        return ""
    return yaml.dump(
        pairs,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )


def build_head(pairs: dict[str, Any], newline: str = "\n") -> str:
    text = "---\n" + dump_front_matter(pairs) + "---\n"
    return text.replace("\n", newline)


def _key_spans(yaml_text: str) -> dict[str, tuple[int, int, str | None]]:
    """{key: (first line, end line exclusive, scalar style)} of each top-level entry,
    leaving out blank and comment lines that trail an entry (they belong to the file)."""
    node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    lines = yaml_text.split("\n")
    spans: dict[str, tuple[int, int, str | None]] = {}
    if node is None:
        return spans
    for key_node, value_node in node.value:
        start = key_node.start_mark.line
        end_mark = value_node.end_mark
        end = end_mark.line if end_mark.column == 0 else end_mark.line + 1
        end = max(end, start + 1)
        while end - 1 > start and (
            not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
        ):
            end -= 1
        style = getattr(value_node, "style", None)
        spans[key_node.value] = (start, end, style)
    return spans


def patch_head(head: str, changes: dict[str, Any]) -> str:
    """Rewrite only the entries of `changes` in a file's head, keeping every other line
    as written (comments, quoting, key order, blank lines); new keys go at the end.

    Values of type str keep the quoting style their key had.
    """
    if not changes:
        return head
    bom = "\ufeff" if head.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in head else "\n"
    text = head.removeprefix(bom).replace("\r\n", "\n")
    match = _FRONT_MATTER_RE.match(text)
    if match is None:  # pragma: no cover - heads come from split_source
        raise ValueError("not a front-matter head")
    yaml_text = match.group("yaml")
    spans = _key_spans(yaml_text)
    lines = yaml_text.split("\n")
    trailing = lines.pop() if lines and lines[-1] == "" else None

    replacements: dict[int, tuple[int, list[str]]] = {}
    appended: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in spans:
            appended[key] = value
            continue
        start, end, style = spans[key]
        if isinstance(value, str) and not isinstance(value, (Styled, Timestamp)):
            value = Styled(value, style if style in {'"', "'", "|"} else None)
        replacements[start] = (end, dump_front_matter({key: value}).rstrip("\n").split("\n"))

    output: list[str] = []
    index = 0
    while index < len(lines):
        if index in replacements:
            end, new_lines = replacements[index]
            output.extend(new_lines)
            index = end
        else:
            output.append(lines[index])
            index += 1
    if appended:
        output.extend(dump_front_matter(appended).rstrip("\n").split("\n"))
    if trailing is not None:
        output.append(trailing)
    new_text = match.group("open") + "\n".join(output) + match.group("close")
    return bom + new_text.replace("\n", newline)
