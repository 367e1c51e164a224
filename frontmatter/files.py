"""Files referenced by imported content: resolved on disk, stored under content-hash names.

Stored names never contain user-controlled paths, and the same bytes are stored once,
whichever item or run brings them.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from frontmatter.sourcefiles import UnreadableFile, read_regular_file
from images.validation import check_image

MAX_REFERENCED_FILE_BYTES = 50 * 1024 * 1024


class ReferenceError_(ValueError):
    """A reference that must not be followed (it leaves its root), or a file that is bad."""


class NotImported(ValueError):
    """A referenced file that is left out, with a warning: the reference stays as written.
    The message says why, after "not imported: "."""


@dataclass(frozen=True)
class ResolvedFile:
    reference: str
    path: Path | None  # None when the file does not exist

    @property
    def found(self) -> bool:
        return self.path is not None


def is_local_reference(reference: str) -> bool:
    """A path into the site (./x.png, x.png, /assets/x.png), not a URL or an anchor."""
    if not reference or reference.startswith(("#", "//")):
        return False
    parts = urlsplit(reference)
    return not parts.scheme and not parts.netloc


def resolve_reference(
    reference: str, *, folder: Path, root: Path, assets_root: Path | None
) -> ResolvedFile:
    """Find the file a reference points at.

    `./x` and `x` resolve against the file's folder and must stay inside the imported
    root; `/x` resolves against the old site's static root (`assets_root`). Fragments and
    queries (`#full@1200-2761`) are not part of the file name. Symbolic links are followed
    and their targets held to the same rules. Hidden files and folders (`.env`,
    `.git/config`) are never imported, whether the reference or a link names them.

    Raises ReferenceError_ for a reference that leaves its root, NotImported for a hidden
    file, a link loop or something that is not a regular file.
    """
    path_part = unquote(urlsplit(reference).path)
    if not path_part:
        return ResolvedFile(reference, None)
    _refuse_hidden(PurePosixPath(path_part).parts)
    if path_part.startswith("/"):
        if assets_root is None:
            return ResolvedFile(reference, None)
        base = assets_root.resolve()
        candidate = base / path_part.lstrip("/")
    else:
        base = root.resolve()
        candidate = folder / PurePosixPath(path_part)
    try:
        candidate = candidate.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        raise NotImported("it is a symbolic link that cannot be followed") from None
    if not candidate.is_relative_to(base):
        raise ReferenceError_(f"{reference!r} points outside {base.name or base}/")
    _refuse_hidden(candidate.relative_to(base).parts)
    try:
        mode = candidate.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return ResolvedFile(reference, None)
    if stat.S_ISDIR(mode):
        return ResolvedFile(reference, None)  # a link to a page, not to a file
    if not stat.S_ISREG(mode):
        raise NotImported("it is not a regular file")
    return ResolvedFile(reference, candidate)


def _refuse_hidden(parts: tuple[str, ...]) -> None:
    if any(part.startswith(".") and part not in {".", ".."} for part in parts):
        raise NotImported('hidden files and folders (names starting with ".") are never published')


def read_referenced_file(path: Path) -> bytes:
    """The bytes of a resolved reference; the size is checked before anything is read."""
    try:
        return read_regular_file(path, MAX_REFERENCED_FILE_BYTES)
    except UnreadableFile as error:
        raise ReferenceError_(f"{path.name}: {error}") from None


def image_extension(data: bytes, filename: str, reference: str) -> str:
    """The extension of an image's real format, after the same checks as an upload
    (extension, format, size, pixel count, a full decode)."""
    try:
        return check_image(filename, data).extension
    except ValidationError as error:
        raise ReferenceError_(f"{reference}: {error.messages[0]}") from None


def store_on_commit(name: str, data: bytes) -> None:
    """Save `data` as `name` once the surrounding transaction commits (never on rollback,
    so a failed or dry run leaves no files behind). Existing names are not rewritten."""

    def save() -> None:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))

    transaction.on_commit(save)
