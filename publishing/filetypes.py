"""The kinds of file an imported body may bring along, and how each is served.

One table for the whole project: the importer stores a referenced file only when its bytes
are one of these kinds (recognised by content, never by the name it came with), under the
extension given here; whatever serves media answers with the media type given here, and
sends everything that is not an image as a download. HTML, SVG, XML and JavaScript are not
in the table, so they are never stored or served from the site's origin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError

from images.validation import ACCEPTED_EXTENSIONS, check_image

ACCEPTED = "images, PDF, text, audio, video and archives"


def _starts(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(prefixes)


def _riff(form: bytes) -> Callable[[bytes], bool]:
    return lambda data: data[:4] == b"RIFF" and data[8:12] == form


def _iso_media(*brands: bytes) -> Callable[[bytes], bool]:
    """ISO base media files (MP4, M4A, AVIF) say what they are in their major brand."""
    return lambda data: data[4:8] == b"ftyp" and data[8:12] in brands


def _mp3(data: bytes) -> bool:
    if data.startswith(b"ID3"):
        return True
    # A bare MPEG audio frame: 11 sync bits, a valid version, layer III.
    return (
        len(data) >= 2
        and data[0] == 0xFF
        and data[1] & 0xE0 == 0xE0
        and (data[1] >> 3) & 0b11 != 0b01
        and (data[1] >> 1) & 0b11 == 0b01
    )


def _webm(data: bytes) -> bool:
    # Matroska's EBML header; WebM is the Matroska profile that names itself "webm".
    return data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]


def _tar(data: bytes) -> bool:
    return data[257:262] == b"ustar"


@dataclass(frozen=True)
class FileType:
    """A kind of file content may refer to."""

    label: str  # for messages: "PDF document"
    extension: str  # what stored files of this kind are named with
    media_type: str  # the Content-Type they are served with
    inline: bool = False  # shown in the page (images); everything else is a download
    # Recognises the kind from a file's bytes; text kinds have none (see `recognise`).
    signature: Callable[[bytes], bool] | None = field(default=None, compare=False, repr=False)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


FILE_TYPES: tuple[FileType, ...] = (
    # Images are only ever shown through re-encoded renditions (images.models), and are
    # accepted only once they decode whole.
    FileType("JPEG image", ".jpg", "image/jpeg", True, _starts(b"\xff\xd8\xff")),
    FileType("PNG image", ".png", "image/png", True, _starts(b"\x89PNG\r\n\x1a\n")),
    FileType("GIF image", ".gif", "image/gif", True, _starts(b"GIF87a", b"GIF89a")),
    FileType("WebP image", ".webp", "image/webp", True, _riff(b"WEBP")),
    FileType("AVIF image", ".avif", "image/avif", True, _iso_media(b"avif", b"avis")),
    FileType("PDF document", ".pdf", "application/pdf", signature=_starts(b"%PDF-")),
    FileType("text file", ".txt", "text/plain; charset=utf-8"),
    FileType("CSV file", ".csv", "text/csv; charset=utf-8"),
    FileType("MP3 audio", ".mp3", "audio/mpeg", signature=_mp3),
    FileType("Ogg audio", ".ogg", "audio/ogg", signature=_starts(b"OggS")),
    FileType("WAV audio", ".wav", "audio/wav", signature=_riff(b"WAVE")),
    FileType("M4A audio", ".m4a", "audio/mp4", signature=_iso_media(b"M4A ", b"M4B ")),
    FileType(
        "MP4 video",
        ".mp4",
        "video/mp4",
        signature=_iso_media(
            b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "
        ),
    ),
    FileType("WebM video", ".webm", "video/webm", signature=_webm),
    FileType(
        "ZIP archive",
        ".zip",
        "application/zip",
        signature=_starts(b"PK\x03\x04", b"PK\x05\x06"),
    ),
    FileType("gzip archive", ".gz", "application/gzip", signature=_starts(b"\x1f\x8b\x08")),
    FileType("tar archive", ".tar", "application/x-tar", signature=_tar),
)

BY_EXTENSION: dict[str, FileType] = {file_type.extension: file_type for file_type in FILE_TYPES}
TEXT = BY_EXTENSION[".txt"]
# Text is recognised by its bytes; which kind of text, by the name it came with.
TEXT_BY_NAME = {".csv": BY_EXTENSION[".csv"]}

# Served when a stored name has no known extension: nothing renders it.
UNKNOWN = FileType("file", "", "application/octet-stream")

# Text a browser would run (or render) when it is named so: refused however plain it looks.
ACTIVE_NAMES = {
    **dict.fromkeys((".html", ".htm", ".xhtml", ".shtml"), "HTML pages"),
    **dict.fromkeys((".svg", ".svgz"), "SVG drawings"),
    **dict.fromkeys((".xml", ".xsl", ".xslt"), "XML documents"),
    **dict.fromkeys((".js", ".mjs", ".cjs"), "JavaScript files"),
}
# Browsers that sniff look at the first 1445 bytes; more is checked to be safe.
SNIFFED_BYTES = 4096
_MARKUP_START_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<[!?/a-zA-Z]")
_ACTIVE_TAG_RE = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|frameset|object|embed|svg|"
    rb"meta|base|link|style|title|form)(?=[\s/>])",
    re.IGNORECASE,
)
_SVG_RE = re.compile(rb"<svg(?=[\s/>])", re.IGNORECASE)
_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|script)(?=[\s/>])", re.IGNORECASE)
# C0 controls other than tab, line feed, form feed and carriage return: binary, not text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class NotAccepted(ValueError):
    """Content that is none of the kinds of FILE_TYPES; the message says why, in a few
    words that follow "not imported: "."""


def type_of_stored(name: str) -> FileType:
    """The kind of a stored file, from the extension the project gave it when storing it."""
    return BY_EXTENSION.get(PurePosixPath(name).suffix.lower(), UNKNOWN)


def recognise(data: bytes, name: str = "") -> FileType:
    """The kind of `data`, from its bytes alone: images by a full decode (the checks of an
    upload), PDF, audio, video and archives by their signature, text as UTF-8 without
    control characters. `name` (the file's name) only tells CSV from other text and
    refuses text named as a script or page.

    Raises NotAccepted for anything else: markup (HTML, SVG, XML), a known signature with
    HTML markup in the bytes a browser sniffs, text named .js or .html, unknown binaries.
    """
    if not data:
        raise NotAccepted("the file is empty")
    head = data[:SNIFFED_BYTES]
    for file_type in FILE_TYPES:
        if file_type.signature is None or not file_type.signature(head):
            continue
        if _ACTIVE_TAG_RE.search(head):
            raise NotAccepted(
                f"it starts as a {file_type.label} but holds HTML markup, which is not accepted"
            )
        return _decoded_image(data, file_type) if file_type.is_image else file_type
    if _MARKUP_START_RE.match(head) or _ACTIVE_TAG_RE.search(head):
        raise NotAccepted(f"{_markup_kind(head)} are not accepted ({ACCEPTED} are)")
    if not _is_text(data):
        raise NotAccepted(f"its content is none of the accepted kinds ({ACCEPTED})")
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in ACTIVE_NAMES:
        raise NotAccepted(f"{ACTIVE_NAMES[suffix]} are not accepted ({ACCEPTED} are)")
    return TEXT_BY_NAME.get(suffix, TEXT)


def identify(data: bytes, name: str = "") -> FileType | None:
    """The kind of `data` (see `recognise`), or None when it is not one that is accepted."""
    try:
        return recognise(data, name)
    except NotAccepted:
        return None


def _decoded_image(data: bytes, file_type: FileType) -> FileType:
    """The image kind once the whole image decodes within the upload limits."""
    if file_type.extension not in ACCEPTED_EXTENSIONS:
        raise NotAccepted(f"{file_type.label}s cannot be read by this installation")
    try:
        checked = check_image(f"image{file_type.extension}", data)
    except ValidationError as error:
        raise NotAccepted(error.messages[0]) from None
    return BY_EXTENSION[checked.extension]


def _markup_kind(head: bytes) -> str:
    if _SVG_RE.search(head):
        return "SVG drawings"
    if _HTML_RE.search(head) or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        return "HTML pages"
    return "XML documents"


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _CONTROL_RE.search(text)
