"""Every kind of the file-type table is recognised from its bytes, and nothing else is."""

from __future__ import annotations

import gzip
import io
import tarfile
import wave

import pytest
from PIL import features

from publishing.filetypes import BY_EXTENSION, FILE_TYPES, NotAccepted, identify, recognise
from tests.images.builders import image_bytes
from tests.publishing import builders


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(800))
    return buffer.getvalue()


def tar_bytes() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"notes"))
    return buffer.getvalue()


def iso_media(brand: bytes) -> bytes:
    """The opening `ftyp` box of an MP4-family file, then an empty `mdat` box."""
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"\x00\x00\x00\x08mdat"


WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"
)

# One sample per kind, by the extension the kind stores: (bytes, the name it came with).
SAMPLES = {
    ".jpg": (lambda: image_bytes(image_format="JPEG"), "photo.jpeg"),
    ".png": (lambda: image_bytes(image_format="PNG"), "diagram.png"),
    ".gif": (builders.gif_bytes, "anim.gif"),
    ".webp": (lambda: image_bytes(image_format="WEBP"), "photo.webp"),
    ".avif": (lambda: image_bytes(image_format="AVIF"), "photo.avif"),
    ".pdf": (builders.pdf_bytes, "paper.pdf"),
    ".txt": (lambda: builders.PLAIN_TEXT, "notes.md"),
    ".csv": (lambda: builders.CSV_TEXT, "talks.csv"),
    ".mp3": (builders.mp3_bytes, "episode.mp3"),
    ".ogg": (lambda: b"OggS\x00\x02" + bytes(22) + b"\x01\x1evorbis", "episode.ogg"),
    ".wav": (wav_bytes, "sound.wav"),
    ".m4a": (lambda: iso_media(b"M4A "), "episode.m4a"),
    ".mp4": (lambda: iso_media(b"isom"), "demo.mp4"),
    ".webm": (lambda: WEBM, "demo.webm"),
    ".zip": (builders.zip_bytes, "slides.zip"),
    ".gz": (lambda: gzip.compress(b"notes"), "notes.txt.gz"),
    ".tar": (tar_bytes, "slides.tar"),
}


def test_every_kind_of_the_table_has_a_sample():
    assert set(SAMPLES) == set(BY_EXTENSION)


@pytest.mark.parametrize("extension", [file_type.extension for file_type in FILE_TYPES])
def test_each_kind_is_recognised_from_its_bytes(extension):
    if extension == ".avif" and not features.check("avif"):
        pytest.skip("Pillow has no AVIF support")
    make, name = SAMPLES[extension]
    assert recognise(make(), name) is BY_EXTENSION[extension]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (builders.HTML_PAGE, "photo.jpg"),
        (builders.SVG_DRAWING, "diagram.svg"),
        (builders.XML_DOCUMENT, "feed.xml"),
        (builders.JAVASCRIPT, "app.js"),
        (builders.polyglot_pdf(), "paper.pdf"),
        (builders.ELF_BINARY, "tool"),
        # An ISO media file of a brand not in the table (HEIC pictures).
        (iso_media(b"heic"), "photo.heic"),
        # Matroska that is not WebM.
        (WEBM.replace(b"webm", b"mkvx"), "film.mkv"),
    ],
    ids=["html", "svg", "xml", "js", "polyglot", "binary", "heic", "matroska"],
)
def test_anything_else_is_not_identified(data, name):
    assert identify(data, name) is None
    with pytest.raises(NotAccepted):
        recognise(data, name)


def test_the_name_never_decides_the_kind_of_binary_content():
    assert recognise(builders.pdf_bytes(), "page.html") is BY_EXTENSION[".pdf"]
    assert recognise(image_bytes(image_format="PNG"), "photo.jpg") is BY_EXTENSION[".png"]
