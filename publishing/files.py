"""Files referenced by imported content: resolved on disk, stored under content-hash names.

Stored names never contain user-controlled paths, and the same bytes are stored once,
whichever item or run brings them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from images.validation import check_image

MAX_REFERENCED_FILE_BYTES = 50 * 1024 * 1024


class ReferenceError_(ValueError):
    """A reference that must not be followed (it leaves its root), or a file that is bad."""


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
    queries (`#full@1200-2761`) are not part of the file name.
    """
    path_part = unquote(urlsplit(reference).path)
    if not path_part:
        return ResolvedFile(reference, None)
    if path_part.startswith("/"):
        if assets_root is None:
            return ResolvedFile(reference, None)
        base = assets_root.resolve()
        candidate = (base / path_part.lstrip("/")).resolve()
    else:
        base = root.resolve()
        candidate = (folder / PurePosixPath(path_part)).resolve()
    if not candidate.is_relative_to(base):
        raise ReferenceError_(f"{reference!r} points outside {base.name or base}/")
    if not candidate.is_file():
        return ResolvedFile(reference, None)
    return ResolvedFile(reference, candidate)


def read_referenced_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_REFERENCED_FILE_BYTES:
        raise ReferenceError_(
            f"{path.name} is larger than {MAX_REFERENCED_FILE_BYTES // 1024 // 1024} MB"
        )
    return path.read_bytes()


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
