"""Finding the files of an import: every Markdown file a format reads under the given
paths, with those that must not be read (links leading out) listed with the reason."""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from frontmatter import formats

IGNORED_DIRECTORIES = {"node_modules", ".git", ".cache", "_site", "public", "dist"}
# Repository documents that sit beside content; named explicitly, they are still read.
IGNORED_FILES = {
    "readme.md",
    "changelog.md",
    "contributing.md",
    "license.md",
    "code_of_conduct.md",
}
UUID_LINE_RE = re.compile(rb"^uuid:[ \t]*['\"]?([0-9A-Fa-f-]{32,36})['\"]?[ \t]*\r?$", re.M)


class ImportUsageError(Exception):
    """Arguments that cannot work at all (a path that does not exist)."""


@dataclass(frozen=True)
class Source:
    path: Path
    root: Path
    refused: str | None = None  # why the file is not read (one line, without its path)


def find_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Every Markdown file under the given paths, author profiles first, then by path.

    A Markdown file that is a symbolic link to somewhere outside the given paths is listed
    with the reason it is refused: a tree must not pull in files from elsewhere.
    """
    given = [(raw, Path(raw)) for raw in paths]
    roots = [path.resolve() for _, path in given]
    sources: list[Source] = []
    for raw, path in given:
        if path.is_file():
            sources.append(Source(path, path.parent))
        elif path.is_dir():
            for file in formats.markdown_files(path):
                relative = file.relative_to(path).parts
                if any(part.startswith(".") or part in IGNORED_DIRECTORIES for part in relative):
                    continue
                if file.name.lower() in IGNORED_FILES:
                    continue
                # rglob() does not descend into linked folders: only a file can be a link.
                problem = _link_problem(file, roots) if file.is_symlink() else None
                if problem:
                    sources.append(Source(file, path, problem))
                elif file.is_file():
                    sources.append(Source(file, path))
        elif path.exists():
            raise ImportUsageError(f"{raw}: not a regular file or a folder")
        else:
            raise ImportUsageError(f"{raw}: no such file or directory")
    # Profiles first, so that posts find their authors' names already there.
    sources.sort(key=lambda s: (s.path.parent.name != "authors", s.path.as_posix()))
    return sources


def _link_problem(file: Path, roots: list[Path]) -> str | None:
    """Why `file`, its links followed, is not to be read: it lands outside the `roots`."""
    try:
        target = file.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return "not imported: it is a symbolic link that cannot be followed"
    if any(target.is_relative_to(root) for root in roots):
        return None
    return "not imported: it is a symbolic link to a file outside the imported folders"


def scan_uuids(sources: Iterable[Source]) -> Counter[str]:
    """How many files of this run give each uuid (a cheap pass over the raw heads)."""
    counts: Counter[str] = Counter()
    for source in sources:
        if source.refused:
            continue
        try:
            # Non-blocking: a FIFO put in place of a file must not hang the run.
            with open(os.open(source.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        match = UUID_LINE_RE.search(head)
        if match:
            try:  # counted as the importer reads it: "0A1B…" and "0a1b-…" are one uuid
                counts[str(uuid.UUID(match.group(1).decode()))] += 1
            except ValueError:
                continue  # reported when the file is read
    return counts
