"""Files referenced by imported content: resolved on disk, stored under content-hash names.

Stored names never contain user-controlled paths, and the same bytes are stored once,
whichever item or run brings them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError

MAX_REFERENCED_FILE_BYTES = 50 * 1024 * 1024
IMAGE_FORMAT_EXTENSIONS = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "GIF": ".gif",
    "WEBP": ".webp",
    "AVIF": ".avif",
}


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


def content_name(data: bytes, folder: str, extension: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"{folder}/{digest[:2]}/{digest}{extension.lower()}"


def read_referenced_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_REFERENCED_FILE_BYTES:
        raise ReferenceError_(
            f"{path.name} is larger than {MAX_REFERENCED_FILE_BYTES // 1024 // 1024} MB"
        )
    return path.read_bytes()


def image_extension(data: bytes, label: str) -> str:
    """The extension for an image's real format; refuses what Pillow cannot read."""
    from io import BytesIO

    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ):
        raise ReferenceError_(f"{label} is not an image that can be read") from None
    if image_format not in IMAGE_FORMAT_EXTENSIONS:
        raise ReferenceError_(f"{label} is a {image_format} image; use JPEG, PNG, GIF or WebP")
    return IMAGE_FORMAT_EXTENSIONS[image_format]


def store_on_commit(name: str, data: bytes) -> None:
    """Save `data` as `name` once the surrounding transaction commits (never on rollback,
    so a failed or dry run leaves no files behind). Existing names are not rewritten."""

    def save() -> None:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))

    transaction.on_commit(save)
