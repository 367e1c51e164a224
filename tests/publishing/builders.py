"""Files and trees for the import and export tests: front matter of each dialect written
as YAML text we control (so that broken YAML can be injected exactly); hostile content a
browser would run, disguised or not, hidden files, symbolic links out of the tree, huge and
special files; what the admin forms send; and Markdown built to be expensive to render
(bench/hostile_rendering.py uses it too)."""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from PIL import Image
from taggit.models import Tag

from blog.models import Post
from frontmatter.sourcefiles import parse_front_matter, split_source
from people.models import Person
from publishing.models import Attachment
from talks.models import Talk
from tests.images.builders import media_files

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


# --- Files ----------------------------------------------------------------------------------


def write_file(root: Path, relpath: str, content: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# --- Front matter as YAML text we control ----------------------------------------------
#
# Each dialect's defaults map a key to the YAML text written after `key:`. An override
# replaces a key's text in place (so other keys keep their lines), None drops the key, and
# a text starting with a newline is a block value (`with:` followed by its list).

# loige-2025 (Astro) talk: src/content/speaking/YYYY-MM-DD_slug.md
TALK_2025 = {
    "title": "Streams without tears",
    "slug": "streams-without-tears-node-lisbon",
    "date": "2024-03-01T18:30:00.000Z",
    "status": "published",
    "language": "en_US",
    "event_name": "Node.js Lisbon",
    "event_link": "https://www.meetup.com/example-node-lisbon/events/301234/",
    "event_location": "'Rua do Exemplo 12, Lisbon, Portugal'",
    "event_location_gps": "38.7075,-9.1364",
    "event_city": "Lisbon, Portugal",
    "event_days": "March 1 2024",
    "is_workshop": "false",
    "slides_link": "https://slides.com/example/streams-without-tears",
    "embed_slides": "'https://slides.com/example/streams-without-tears/embed'",
    "video_link": "null",
    "with": (
        "\n  - name: Grace Example"
        "\n    link: https://github.com/grace-example"
        "\n    image: https://unavatar.io/github/grace-example"
    ),
}
TALK_BODY = (
    "Backpressure is the part of Node.js streams everybody skips.\n"
    "\n"
    "We build a small pipeline, break it on purpose, and fix it with `pipeline()`.\n"
)

# loige-2021 (Gatsby) talk bundle: content/speaking/YYYY-MM-DD_slug/index.md
TALK_BUNDLE_2021 = {
    "uuid": "3f2b8c1e-5d4a-4e6b-9a7c-1d2e3f4a5b6c",
    "layout": "speaking",
    "title": '"Testing serverless functions for real"',
    "slug": "'testing-serverless-functions-cloud-conf'",
    "date": "2019-10-17T09:00:00.000Z",
    "author": "Jane Example",
    "author_slug": "jane-example",
    "header_img": "null",
    "status": "published",
    "language": "en_US",
    "meta_title": "null",
    "meta_description": "null",
    "event_name": '"Cloud Conf"',
    "event_link": "'https://cloudconf.example.org/2019'",
    "event_location": '"Lingotto Fiere, Turin, Italy"',
    "event_location_gps": '"45.0312,7.6653"',
    "event_city": "'Turin'",
    "event_days": "'October 17 2019'",
    "is_workshop": "false",
    "slides_link": '"https://speakerdeck.com/example/testing-serverless-functions"',
    "video_link": "~",
    "with": "[]",
}
TALK_BUNDLE_BODY = "Mocks lie. This talk runs every test against a real, throwaway stack.\n"

# loige-2021 (Gatsby) post bundle: content/posts/YYYY-MM-DD_slug/index.md + its images
POST_BUNDLE_2021 = {
    "uuid": "9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
    "layout": "post",
    "title": "Reading a PNG header by hand",
    "slug": "reading-a-png-header-by-hand",
    "subtitle": "null",
    "date": "2020-05-04T10:00:00.000Z",
    "updated": "2020-05-04T10:00:00.000Z",
    "author": "Jane Example",
    "author_slug": "jane-example",
    "header_img": "./png-header.png",
    "fb_img": "./png-header-fb.png",
    "tw_img": "./png-header-tw.png",
    "status": "published",
    "language": "en_US",
    "meta_title": "null",
    "meta_description": "null",
    "tags": "\n  - binary\n  - images",
}
POST_BUNDLE_BODY = "Eight magic bytes, then chunks: length, type, data, CRC.\n"

# mainmatter (Eleventy) post: src/posts/YYYY-MM-DD-slug.md, date and slug from the name
MAINMATTER_POST = {
    "title": '"Why we pin our toolchains"',
    "authorHandle": "janeexample",
    "bio": '"Engineer at Example Co, maintainer of a small build tool"',
    "description": (
        '\n  "A short note on why every project we ship pins its compiler and'
        '\n  package manager versions."'
    ),
    "tags": "[rust, tooling]",
    "tagline": "|\n  <p>Pinning versions saves afternoons.</p>",
}
MAINMATTER_BODY = "A new compiler release broke our build on a Friday. Never again.\n"


def front_matter_file(
    defaults: dict[str, str],
    overrides: dict[str, str | None],
    body: str,
    *,
    close: str = "---",
    extra: str = "",
) -> str:
    """The text of a Markdown file: `---`, the keys, `extra` lines, `close`, a blank line,
    the body."""
    lines = ["---"]
    for key, value in {**defaults, **overrides}.items():
        if value is None:
            continue
        lines.append(f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}")
    if extra:
        lines.append(extra)
    lines.append(close)
    return "\n".join(lines) + "\n\n" + body


def talk_text(body: str = TALK_BODY, close: str = "---", extra: str = "", **overrides) -> str:
    return front_matter_file(TALK_2025, overrides, body, close=close, extra=extra)


def talk_bundle_text(body: str = TALK_BUNDLE_BODY, **overrides) -> str:
    return front_matter_file(TALK_BUNDLE_2021, overrides, body)


def post_bundle_text(body: str = POST_BUNDLE_BODY, **overrides) -> str:
    return front_matter_file(POST_BUNDLE_2021, overrides, body)


def mainmatter_post_text(body: str = MAINMATTER_BODY, **overrides) -> str:
    return front_matter_file(MAINMATTER_POST, overrides, body)


def line_of(text: str, key: str) -> int:
    """The 1-based line of the first `key:` line of a fixture."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    raise AssertionError(f"no {key!r} line in the fixture")


def write_talk(root: Path, name: str, **overrides) -> Path:
    """A loige-2025 talk at speaking/<name>."""
    return write_file(root, f"speaking/{name}", talk_text(**overrides))


def write_talk_bundle(
    root: Path, folder: str, files: dict[str, bytes] | None = None, **overrides
) -> Path:
    """A loige-2021 talk bundle at speaking/<folder>/index.md, with `files` beside it."""
    for name, data in (files or {}).items():
        write_file(root, f"speaking/{folder}/{name}", data)
    return write_file(root, f"speaking/{folder}/index.md", talk_bundle_text(**overrides))


def write_post(root: Path, name: str, **overrides) -> Path:
    """A mainmatter post at posts/<name>."""
    return write_file(root, f"posts/{name}", mainmatter_post_text(**overrides))


# --- Trees ----------------------------------------------------------------------------------

POST_FOLDER = "posts/2024-05-01_hostile"
POST_FILE = f"{POST_FOLDER}/index.md"
GOOD_TALK_FILE = "speaking/2024-02-01_good-talk.md"
GOOD_TALK_SLUG = "good-talk"


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
    """The valid file that sits beside every bad or hostile one: it must import whatever they
    do. No author, guests, tags or images, so that anything of that kind found after a run
    came from the other file."""
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


# --- What a run wrote -----------------------------------------------------------------------


def assert_only_the_bad_file_failed(report, relpath, fragment, line, media) -> None:
    """One line naming `relpath` (and `line`) with `fragment`, and nothing written but the
    good talk of write_good_talk()."""
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    where = f"{relpath}:{line}: " if line else f"{relpath}: "
    assert error.startswith(where), error
    assert fragment in error, error
    assert "\n" not in error
    assert "Traceback" not in error
    assert report.failed == 1
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    # The warnings of a failed file go with it; the good file has none.
    assert report.warnings == []
    assert list(Talk.objects.values_list("slug", flat=True)) == [GOOD_TALK_SLUG]
    assert not Post.objects.exists()
    assert not Person.objects.exists()
    assert not Tag.objects.exists()
    assert not Attachment.objects.exists()
    assert not Redirect.objects.exclude(new_path__contains=GOOD_TALK_SLUG).exists()
    assert media_files(media) == set()


# --- Imported items --------------------------------------------------------------------------


def forget_digests() -> None:
    """Send every item through the full export (what an edited item gets)."""
    for model in (Post, Talk, Person):
        model.objects.update(source_fingerprint="")


# --- Admin forms --------------------------------------------------------------------------
# What the admin's add and change forms send: valid as they are, so that a test's overrides
# are the only thing the form can object to.


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    """The management form of the inline formset `prefix`: `total` forms, `initial` of them
    rows that already exist."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _draft_form(title: str, slug: str, inline: str, fields: dict) -> dict:
    """What the add forms of posts and talks send for a draft with nothing in its `inline`
    formset, with `fields` on top."""
    return {
        "title": title,
        "slug": slug,
        "status": "draft",
        "date_0": "2024-06-20",
        "date_1": "18:00:00",
        "uuid": str(uuid.uuid4()),
        "language": "en_US",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "body": "Text.",
        **management_form(inline),
        "_save": "Save",
        **fields,
    }


def post_form(**fields) -> dict:
    """A draft post without co-authors, as the add form sends it, with `fields` on top."""
    return _draft_form("A post", "a-post", "co_author_credits", fields)


def post_change_form(post: Post, **fields) -> dict:
    """What the change form sends back for `post` unchanged, with `fields` on top."""
    return {
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "date_0": post.date.strftime("%Y-%m-%d"),
        "date_1": post.date.strftime("%H:%M:%S"),
        "author": str(post.author.pk) if post.author else "",
        "tags": "",
        "description": post.description,
        "body": post.body,
        "header_image_alt": post.header_image_alt,
        "uuid": str(post.uuid),
        "language": post.language,
        "focal_x": str(post.focal_x),
        "focal_y": str(post.focal_y),
        **management_form("co_author_credits"),
        "_save": "Save",
        **fields,
    }


def talk_form(**fields) -> dict:
    """A draft talk without guests, as the add form sends it, with `fields` on top."""
    return _draft_form("A talk", "a-talk", "guest_credits", fields)


def person_form(**fields) -> dict:
    """A person, as the add form sends it, with `fields` on top."""
    return {"name": "A person", "slug": "a-person", "_save": "Save", **fields}


class _FormReader(HTMLParser):
    """The fields of one <form> as a browser submits it unchanged."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            checkable = attrs.get("type") in {"checkbox", "radio"}
            if checkable and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if checkable else "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline right after <textarea>.
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_as_shown(html: str, form_id: str) -> dict[str, str | list[str]]:
    """What saving the form `form_id` of a page sends when nothing was changed in it."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, str | list[str]] = {}
    for name, value in reader.data:
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return data


def field_errors(response, field: str) -> list[str]:
    """The errors the admin form of `response` shows on `field` (the form must have been
    refused: a saved form redirects)."""
    assert response.status_code == 200, "the form was accepted"
    return list(response.context["adminform"].form.errors.get(field, []))


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


# --- A small site of every format ----------------------------------------------------


def write_site(root: Path, talks: int = 6) -> Path:
    """Talks in both loige formats (guests, tags, GPS), a post bundle with a header image
    and a body image, a mainmatter post and its author's profile."""
    for number in range(talks):
        write_file(
            root,
            f"speaking/2024-03-{number + 1:02d}_talk-{number}.md",
            talk_text(
                title=f"'Talk {number}'",
                slug=f"talk-{number}",
                tags=f"[streams, talk-{number % 2}]",
                **{"with": f"\n  - name: Guest {number % 3}\n  - name: Guest {number % 3 + 1}"},
            ),
        )
    write_file(
        root,
        "speaking/2019-10-17_bundle/index.md",
        talk_bundle_text(body="A body with a [link](https://example.com/a) and `code`.\n"),
    )
    write_file(root, "posts/2020-05-04_png/png-header.png", png_bytes(color="red"))
    write_file(root, "posts/2020-05-04_png/diagram.png", png_bytes(color="blue"))
    write_file(
        root,
        "posts/2020-05-04_png/index.md",
        "---\nuuid: 9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d\nlayout: post\ntitle: PNG\n"
        "slug: png\ndate: 2020-05-04T10:00:00.000Z\nheader_img: ./png-header.png\n"
        "tags:\n  - images\n---\n\nSee ![the diagram](./diagram.png).\n\n```python\nx = 1\n```\n",
    )
    write_file(root, "posts/2024-02-12-why-we-pin.md", mainmatter_post_text())
    write_file(root, "authors/janeexample.md", "---\nname: Jane Example\n---\n")
    return root


# --- Files, commands and the sitemap, as users and search engines see them ------------


def markdown_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def front_matter_and_body(data: bytes) -> tuple[dict, str]:
    text = data.decode("utf-8")
    _, front_matter, body = split_source(text, "file")
    return parse_front_matter(front_matter.replace("\r\n", "\n"), "file"), body


def manage_py(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` as a user would, on a throwaway SQLite database."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


DEPLOY = Path(settings.BASE_DIR) / "deploy"
EXAMPLE_ENV = DEPLOY / "production.env.example"


def example_environment() -> dict[str, str]:
    """The example file's variables, with a real secret key in place of the placeholder."""
    env = {}
    for number, line in enumerate(EXAMPLE_ENV.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, value = line.partition("=")
        assert separator and name.isupper(), f"{EXAMPLE_ENV.name}:{number}: not NAME=value"
        env[name] = value
    assert "replace" in env["DJANGO_SECRET_KEY"], "the example must not carry a real key"
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    # Production has no .env file: a developer's local one must not be read here.
    env["DJANGO_ENV_FILE"] = os.devnull
    return env


def manage_py_with(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` with exactly the environment `env`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def local_path(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sitemap_index(client) -> list[ET.Element]:
    """The <sitemap> entries of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return root.findall(f"{SITEMAP}sitemap")


def sitemap_page(client, url: str) -> list[ET.Element]:
    """The <url> entries of one page of a section."""
    response = client.get(local_path(url))
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return root.findall(f"{SITEMAP}url")


def sitemap_entries(client) -> dict[str, ET.Element]:
    """Every <url> the sitemap lists, by its <loc>, following the index."""
    return {
        url.findtext(f"{SITEMAP}loc"): url
        for section in sitemap_index(client)
        for url in sitemap_page(client, section.findtext(f"{SITEMAP}loc"))
    }
