"""Markdown files with YAML front matter, as static-site generators write them.

A file is kept in three parts: the *head* (everything up to and including the closing
`---`/`...` line, exactly as written: BOM, CRLF and comments included, so that an unedited
item exports byte-identical), the parsed front matter, and the body with LF line endings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

try:  # libyaml is ten times faster; the pure-Python loader behaves the same.
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024

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
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen[key] + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


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

    @property
    def posix(self) -> PurePosixPath:
        return PurePosixPath(self.relpath)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.head else "\n"


def parse_front_matter(text: str, relpath: str, first_line: int = 2) -> dict[str, Any]:
    """Parse front-matter YAML with the safe loader; errors name the file's line."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise SourceError(relpath, f"invalid YAML in front matter: {problem}", line) from None
    except yaml.YAMLError as error:
        raise SourceError(relpath, f"invalid YAML in front matter: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(relpath, "front matter must be a mapping of keys to values", first_line)
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


def read_source(path: Path, root: Path) -> SourceFile:
    """Read and parse one file. Raises SourceError with a one-line reason."""
    try:
        relpath = path.relative_to(root).as_posix() if path != root else path.name
    except ValueError:
        relpath = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(relpath, f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(relpath, f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    if b"\x00" in raw:
        raise SourceError(relpath, "binary file, not Markdown text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            relpath, f"not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded)", line
        ) from None
    head, front_matter, body = split_source(text, relpath)
    data = parse_front_matter(front_matter.replace("\r\n", "\n"), relpath)
    return SourceFile(
        path=path, relpath=relpath, head=head, data=data, body=body.replace("\r\n", "\n")
    )
