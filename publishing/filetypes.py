"""The kinds of file an imported body may bring along, and how each is served.

One table for the whole project: the importer stores a referenced file only when its bytes
are one of these kinds (recognised by content, never by the name it came with), under the
extension given here; whatever serves media answers with the media type given here, and
sends everything that is not an image as a download. HTML, SVG, XML and JavaScript are not
in the table, so they are never stored or served from the site's origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class FileType:
    """A kind of file content may refer to."""

    label: str  # for messages: "PDF document"
    extension: str  # what stored files of this kind are named with
    media_type: str  # the Content-Type they are served with
    inline: bool = False  # shown in the page (images); everything else is a download


FILE_TYPES: tuple[FileType, ...] = (
    # Images are only ever shown through re-encoded renditions (images.models).
    FileType("JPEG image", ".jpg", "image/jpeg", inline=True),
    FileType("PNG image", ".png", "image/png", inline=True),
    FileType("GIF image", ".gif", "image/gif", inline=True),
    FileType("WebP image", ".webp", "image/webp", inline=True),
    FileType("AVIF image", ".avif", "image/avif", inline=True),
    FileType("PDF document", ".pdf", "application/pdf"),
    FileType("text file", ".txt", "text/plain; charset=utf-8"),
    FileType("CSV file", ".csv", "text/csv; charset=utf-8"),
    FileType("MP3 audio", ".mp3", "audio/mpeg"),
    FileType("Ogg audio", ".ogg", "audio/ogg"),
    FileType("WAV audio", ".wav", "audio/wav"),
    FileType("M4A audio", ".m4a", "audio/mp4"),
    FileType("MP4 video", ".mp4", "video/mp4"),
    FileType("WebM video", ".webm", "video/webm"),
    FileType("ZIP archive", ".zip", "application/zip"),
    FileType("gzip archive", ".gz", "application/gzip"),
    FileType("tar archive", ".tar", "application/x-tar"),
)

BY_EXTENSION: dict[str, FileType] = {file_type.extension: file_type for file_type in FILE_TYPES}

# Served when a stored name has no known extension: nothing renders it.
UNKNOWN = FileType("file", "", "application/octet-stream")


def type_of_stored(name: str) -> FileType:
    """The kind of a stored file, from the extension the project gave it when storing it."""
    return BY_EXTENSION.get(PurePosixPath(name).suffix.lower(), UNKNOWN)
