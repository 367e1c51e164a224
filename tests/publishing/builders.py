"""Hostile files and trees for the import and export tests: content a browser would run,
disguised or not, hidden files, symbolic links out of the tree, huge and special files;
and Markdown built to be expensive to render (bench/hostile_rendering.py uses it too)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from PIL import Image

# --- Content --------------------------------------------------------------------------------

HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
# What a careless page looks like: a BOM, blank lines, capitals, no doctype.
SHOUTED_HTML = b"\xef\xbb\xbf\n  <HTML><BODY ONLOAD=alert(document.domain)>hi</BODY></HTML>\n"
SVG_DRAWING = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>\n'
)
SVG_WITH_PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>\n' + SVG_DRAWING
XML_DOCUMENT = (
    b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="#x"?>\n'
    b"<note><to>editors</to><text>hello</text></note>\n"
)
JAVASCRIPT = b"fetch('/admin/').then(r => r.text()).then(t => alert(t));\n"
# Text that opens like plain prose and carries a script further down.
TEXT_WITH_A_SCRIPT = b"Release notes\n\nAll good.\n<script>alert(1)</script>\n"
PLAIN_TEXT = "Notes for the talk.\n\n- one\n- two\tthree\n\nCafé, naïve, 日本語.\n".encode()
CSV_TEXT = b"year,talks\n2023,12\n2024,15\n"
ELF_BINARY = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4


def png_bytes(size: tuple[int, int] = (6, 4), color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="GIF")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return output


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("slides/notes.txt", "the notes")
    return buffer.getvalue()


def mp3_bytes() -> bytes:
    """An ID3v2 tag followed by MPEG-1 layer III frame headers (silence)."""
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x00"
    frame = b"\xff\xfb\x90\x64" + bytes(413)
    return tag + frame * 3


def polyglot_pdf() -> bytes:
    """A PDF signature in front of an HTML page: a sniffing browser would render it."""
    return b"%PDF-1.4\n" + HTML_PAGE


def polyglot_gif() -> bytes:
    """A GIF header whose bytes go on as a script."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;<script>alert(1)</script>"


# --- Trees ----------------------------------------------------------------------------------

POST_FOLDER = "posts/2024-05-01_hostile"
POST_FILE = f"{POST_FOLDER}/index.md"
GOOD_TALK_FILE = "speaking/2024-02-01_good-talk.md"
GOOD_TALK_SLUG = "good-talk"


def write_file(root: Path, relpath: str, content: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def post_text(body: str, slug: str = "hostile", header_img: str | None = None) -> str:
    """A loige.co 2025 (Astro) post."""
    header = f"header_img: {header_img}\n" if header_img else ""
    return (
        f"---\ntitle: A post\nslug: {slug}\ndate: 2024-05-01T10:00:00.000Z\n{header}"
        f"status: published\ntags: [security]\ndescription: A post.\n---\n\n{body}"
    )


def write_post_bundle(
    root: Path,
    body: str,
    files: dict[str, bytes] | None = None,
    *,
    header_img: str | None = None,
    folder: str = POST_FOLDER,
    slug: str = "hostile",
) -> Path:
    """A post bundle (`folder`/index.md) with `files` beside it; `body` is its Markdown."""
    for name, data in (files or {}).items():
        write_file(root, f"{folder}/{name}", data)
    return write_file(root, f"{folder}/index.md", post_text(body, slug, header_img))


def write_good_talk(root: Path) -> Path:
    """A plain talk beside the hostile files: it must import whatever they do."""
    return write_file(
        root,
        GOOD_TALK_FILE,
        "---\ntitle: A good talk\nslug: good-talk\ndate: 2024-02-01T18:00:00.000Z\n"
        "status: published\nevent_name: Meetup\nwith: []\n---\n\nA talk.\n",
    )


def link_outside(link: Path, target: Path) -> Path:
    """A symbolic link at `link` to `target` (somewhere outside the imported tree)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


def sparse_file(path: Path, size: int) -> Path:
    """A file that claims `size` bytes without taking them on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def fifo(path: Path) -> Path:
    """A named pipe with no writer: opening it for reading waits forever unless told not to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


# --- Markdown that is expensive to render ------------------------------------------------


def nested_divs(depth: int) -> str:
    """Raw HTML `depth` elements deep: the sanitizer's time grows with tags × depth."""
    return "<div>" * depth + "deep" + "</div>" * depth


def unclosed_divs(count: int) -> str:
    """`count` HTML blocks that each open a <div> and never close it."""
    return "<div>\n\n" * count


def nested_blockquotes(depth: int) -> str:
    return "> " * depth + "deep\n"


def nested_lists(depth: int) -> str:
    return "- " * depth + "deep\n"


def wide_table(columns: int, rows: int) -> str:
    """A Markdown table of `columns` × `rows` cells, each written out."""
    return (
        "|"
        + "h|" * columns
        + "\n"
        + "|"
        + "-|" * columns
        + "\n"
        + ("|" + "c|" * columns + "\n") * rows
    )


def short_rows_table(columns: int, rows: int) -> str:
    """A header of `columns` cells over `rows` rows of one cell: the parser gives every row
    as many cells as the header has."""
    return "|" + "h|" * columns + "\n" + "|" + "-|" * columns + "\n" + "|c\n" * rows


def many_footnotes(count: int) -> str:
    references = "".join(f"Claim {number}.[^{number}]\n" for number in range(count))
    definitions = "".join(f"[^{number}]: Source {number}.\n\n" for number in range(count))
    return references + "\n" + definitions


def long_paragraph(characters: int) -> str:
    return ("lorem ipsum " * (characters // 12 + 1))[:characters] + "\n"


def repeated_headings(count: int) -> str:
    return "## Setup\n\n" * count


def open_brackets(count: int) -> str:
    """A paragraph of "[": the parser looks for the end of a link label from each one."""
    return "[" * count + "\n"


def dense_list(items: int) -> str:
    return "- item\n" * items
