"""Bad input never hurts: a bad file gets one `path:line: what is wrong` line and writes
nothing, while every good file of the same run is imported.

The files are written as YAML text (tests/publishing/builders.py), so that broken YAML can be
injected exactly.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from taggit.models import Tag

from blog.models import Post
from frontmatter.importer import import_paths
from people.models import Person
from publishing.models import Attachment
from talks.models import Talk
from tests.images.builders import media_files
from tests.publishing.builders import (
    assert_only_the_bad_file_failed,
    line_of,
    mainmatter_post_text,
    manage_py,
    png_bytes,
    post_bundle_text,
    talk_bundle_text,
    talk_text,
    write_file,
    write_good_talk,
    write_post,
    write_talk,
    write_talk_bundle,
)

pytestmark = pytest.mark.django_db

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --- One bad file among good ones ------------------------------------------------------------


def failure(case_id, relpath, text, fragment, line=None, files=None):
    """A table row; `line` is a number, a key whose line is expected, or None."""
    if isinstance(line, str):
        line = line_of(text, line)
    content = text.encode("utf-8") if isinstance(text, str) else text
    return pytest.param(relpath, content, fragment, line, files or {}, id=case_id)


TALK = "speaking/2024-03-01_streams-without-tears.md"
BUNDLE = "speaking/2019-10-17_testing-serverless-functions/index.md"
POST_BUNDLE = "posts/2020-05-04_reading-a-png-header/index.md"
MAINMATTER = "posts/2024-02-12-why-we-pin-our-toolchains.md"
_talk = talk_text()
_duplicate_title = talk_text(extra="title: Streams, again")

FAILURES = [
    # The quote opens on the title line; the scanner only notices at the end of the YAML.
    failure(
        "unclosed-quote",
        TALK,
        talk_text(title='"Streams without tears'),
        "found unexpected end of stream",
        "title",
    ),
    failure(
        "bad-indentation",
        TALK,
        talk_text(**{"with": "\n  - name: Grace Example\n     link: https://example.com/grace"}),
        "mapping values are not allowed",
        line_of(_talk, "with") + 2,
    ),
    # libyaml's words for a tab used as indentation.
    failure(
        "tab-indentation",
        TALK,
        talk_text(**{"with": "\n\t- name: Grace Example"}),
        "found character that cannot start any token",
        line_of(_talk, "with") + 1,
    ),
    failure(
        "no-front-matter",
        TALK,
        "# Streams without tears\n\nJust a body.\n",
        "no front matter: the file must start with a '---' line",
        1,
    ),
    failure(
        "front-matter-not-closed",
        TALK,
        "---\ntitle: Streams without tears\nslug: streams\n\nThe head never ends.\n",
        "front matter is not closed",
        1,
    ),
    failure(
        "front-matter-is-a-list",
        TALK,
        "---\n- title: Streams without tears\n- slug: streams\n---\n\nBody.\n",
        "front matter must be a mapping of keys to values",
        2,
    ),
    # The message points at the first title's line in the file, not inside the YAML.
    failure(
        "duplicate-key",
        TALK,
        _duplicate_title,
        f"duplicate key 'title' (first on line {line_of(_talk, 'title')})",
        _duplicate_title.splitlines().index("title: Streams, again") + 1,
    ),
    failure("missing-title", TALK, talk_text(title=None), "title: is required"),
    failure("empty-title", TALK, talk_text(title="''"), "title: must not be empty", "title"),
    failure(
        "no-date-anywhere",
        "speaking/streams-without-tears.md",
        talk_text(date=None),
        "date: is required (no date key and none in the file name)",
    ),
    failure(
        "is-workshop-maybe",
        TALK,
        talk_text(is_workshop="maybe"),
        "is_workshop: expected true or false, got 'maybe'",
        "is_workshop",
    ),
    failure(
        "gps-out-of-range",
        TALK,
        talk_text(event_location_gps="'91,0'"),
        "event_location_gps: latitude 91.0 is outside -90..90",
        "event_location_gps",
    ),
    failure(
        "gps-not-numbers",
        TALK,
        talk_text(event_location_gps="north,east"),
        "event_location_gps: expected two numbers 'latitude,longitude', got 'north,east'",
        "event_location_gps",
    ),
    failure(
        "date-not-a-date",
        TALK,
        talk_text(date="not-a-date"),
        "date: not a date: 'not-a-date'",
        "date",
    ),
    # YAML reads this as a timestamp and the date constructor raises a plain ValueError.
    failure(
        "date-out-of-calendar",
        TALK,
        talk_text(date="2024-13-45"),
        "month must be in 1..12",
        "date",
    ),
    # Explicitly tagged values PyYAML cannot build: its constructors raise plain ValueError,
    # KeyError, AttributeError or TypeError instead of a YAML error with a line.
    failure(
        "tagged-float-not-a-number",
        TALK,
        talk_text(event_days="!!float soon"),
        "invalid YAML in front matter",
        "event_days",
    ),
    failure(
        "tagged-bool-maybe",
        TALK,
        talk_text(is_workshop="!!bool maybe"),
        "invalid YAML in front matter",
        "is_workshop",
    ),
    failure(
        "tagged-timestamp-not-a-date",
        TALK,
        talk_text(date="!!timestamp soon"),
        "invalid YAML in front matter",
        "date",
    ),
    failure(
        "tagged-set-of-a-list",
        TALK,
        talk_text(event_days="!!set [March, 1]"),
        "invalid YAML in front matter",
        "event_days",
    ),
    # A key no field takes is kept as JSON for export; a list that contains itself cannot be.
    failure(
        "alias-that-contains-itself",
        TALK,
        talk_text(extra="notes: &loop [*loop]"),
        "alias",
        "notes",
    ),
    # Aliases that multiply (a "billion laughs") would expand into a huge value.
    failure(
        "alias-bomb",
        TALK,
        talk_text(
            extra="a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]"
            "\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]"
        ),
        "aliases",
        "b",
    ),
    failure(
        "binary-title",
        TALK,
        talk_text(title="!!binary aGVsbG8="),
        "title: expected text, got binary data",
        "title",
    ),
    failure(
        "title-too-long",
        TALK,
        talk_text(title="x" * 301),
        "title: 301 characters, at most 300 fit",
        "title",
    ),
    failure(
        "with-is-a-string",
        TALK,
        talk_text(**{"with": "Grace Example"}),
        "with: expected a list of people, got 'Grace Example'",
        "with",
    ),
    failure(
        "with-entry-without-name",
        TALK,
        talk_text(**{"with": "\n  - link: https://github.com/grace-example"}),
        "with: entry 1 must be a mapping with a 'name'",
        "with",
    ),
    failure(
        "with-entry-with-empty-name",
        TALK,
        talk_text(**{"with": "\n  - name: ''\n    link: https://github.com/grace-example"}),
        "with: entry 1 has an empty name",
        "with",
    ),
    failure(
        "with-lists-a-guest-twice",
        TALK,
        talk_text(
            **{"with": "\n  - name: Grace Example\n  - name: Ada Example\n  - name: grace example"}
        ),
        "with: the same person is listed twice",
        "with",
    ),
    failure(
        "malformed-uuid",
        BUNDLE,
        talk_bundle_text(uuid="3f2b8c1e-5d4a-NOPE"),
        "uuid: malformed uuid '3f2b8c1e-5d4a-NOPE'",
        "uuid",
    ),
    failure(
        "status-maybe",
        TALK,
        talk_text(status="maybe"),
        "status: expected 'published' or 'draft', got 'maybe'",
        "status",
    ),
    failure(
        "tags-with-a-mapping",
        MAINMATTER,
        mainmatter_post_text(tags="\n  - rust\n  - {name: tooling}"),
        "tags: expected a list of tag names, found a mapping",
        "tags",
    ),
    failure(
        "slug-with-spaces",
        TALK,
        talk_text(slug="streams without tears"),
        "slug: 'streams without tears' cannot be used in a URL",
        "slug",
    ),
    failure(
        "slug-with-a-slash",
        TALK,
        talk_text(slug="talks/streams"),
        "slug: 'talks/streams' cannot be used in a URL",
        "slug",
    ),
    failure(
        "unknown-layout",
        BUNDLE,
        talk_bundle_text(layout="gallery"),
        "layout: unknown layout 'gallery'",
        "layout",
    ),
    failure(
        "unknown-format",
        "notes/2024-01-05_groceries.md",
        "---\ntitle: Groceries\n---\n\nMilk, eggs.\n",
        "cannot tell the format",
    ),
    failure(
        "not-utf8",
        TALK,
        talk_text(title="Café-driven development").encode("latin-1"),
        "not UTF-8 text (byte 0xe9 cannot be decoded)",
        2,
    ),
    failure("binary-file", TALK, png_bytes(), "binary file, not Markdown text"),
    failure("empty-file", TALK, b"", "empty file", None),
    failure(
        "image-escapes-the-root",
        TALK,
        talk_text(header_img="../../etc/passwd"),
        "header_img: '../../etc/passwd' points outside site/",
        "header_img",
    ),
    failure(
        "image-is-not-an-image",
        BUNDLE,
        talk_bundle_text(header_img="./cover.png"),
        "header_img: ./cover.png: This file is not an image",
        "header_img",
        files={"cover.png": b"This is a text file with a .png name.\n"},
    ),
    # The header image is fine and queued for storage; the next image fails the file, and
    # the queued write must go with it.
    failure(
        "second-image-is-not-an-image",
        POST_BUNDLE,
        post_bundle_text(),
        "fb_img: ./png-header-fb.png: This file is not an image",
        "fb_img",
        files={
            "png-header.png": png_bytes(),
            "png-header-fb.png": b"not a picture",
            "png-header-tw.png": png_bytes(color="navy"),
        },
    ),
    failure(
        "mainmatter-post-named-without-date",
        "posts/why-we-pin-our-toolchains.md",
        mainmatter_post_text(),
        "file name: a mainmatter post must be named YYYY-MM-DD-slug.md",
    ),
]


@pytest.mark.parametrize(("relpath", "content", "fragment", "line", "files"), FAILURES)
def test_bad_file_fails_alone_with_one_line_and_writes_nothing(
    site, media_root, run_import, relpath, content, fragment, line, files
):
    write_good_talk(site)
    bad = write_file(site, relpath, content)
    for name, data in files.items():
        write_file(bad.parent, name, data)

    report = run_import(site)

    assert_only_the_bad_file_failed(report, relpath, fragment, line, media_root)


@pytest.mark.parametrize(
    "tagged_value",
    [
        "!!python/object/apply:builtins.exec [\"open(r'{marker}', 'w').write('ran')\"]",
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    ],
    ids=["exec", "os-system", "subprocess"],
)
def test_python_tags_are_refused_and_never_run(
    site, media_root, run_import, tmp_path, tagged_value
):
    marker = tmp_path / "marker"
    write_good_talk(site)
    text = talk_text(event_name=tagged_value.format(marker=marker))
    write_file(site, TALK, text)

    report = run_import(site)

    assert not marker.exists()
    assert_only_the_bad_file_failed(
        report,
        TALK,
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/",
        line_of(text, "event_name"),
        media_root,
    )


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root can read a file whatever its mode")
def test_unreadable_file_fails_alone(site, media_root, run_import):
    write_good_talk(site)
    bad = write_talk(site, "2024-03-01_streams-without-tears.md")
    bad.chmod(0)
    try:
        report = run_import(site)
    finally:
        bad.chmod(0o644)

    assert_only_the_bad_file_failed(
        report, TALK, "cannot read the file: Permission denied", None, media_root
    )


def test_file_the_system_refuses_to_read_fails_alone(site, media_root, run_import, monkeypatch):
    # The same failure as a chmod 000 file, for runs as root (which can read anything).
    bad = write_talk(site, "2024-03-01_streams-without-tears.md")
    write_good_talk(site)
    open_file = os.open

    def refuse_the_bad_file(path, *args, **kwargs):
        if path == bad:
            raise PermissionError(13, "Permission denied", str(path))
        return open_file(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_bad_file)

    report = run_import(site)

    assert_only_the_bad_file_failed(
        report, TALK, "cannot read the file: Permission denied", None, media_root
    )


# --- The command: exit status and output -----------------------------------------------------


def run_command(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    exit_status = 0
    try:
        call_command("import_markdown", *map(str, args), stdout=out, stderr=err, **options)
    except SystemExit as stopped:
        exit_status = stopped.code
    return exit_status, out.getvalue(), err.getvalue()


def test_command_exits_0_when_every_file_is_imported(site):
    write_good_talk(site)
    write_post(site, "2024-02-12-why-we-pin-our-toolchains.md")

    status, out, err = run_command(site)

    assert status == 0
    assert "created 2, updated 0, unchanged 0, failed 0, warnings 0" in out
    assert err == ""


def test_command_exits_1_and_prints_the_error_on_stderr_when_a_file_fails(site):
    write_good_talk(site)
    write_talk(site, "2024-03-01_streams-without-tears.md", is_workshop="maybe")

    status, out, err = run_command(site)

    assert status == 1
    line = line_of(talk_text(), "is_workshop")
    assert err.splitlines() == [f"{TALK}:{line}: is_workshop: expected true or false, got 'maybe'"]
    assert "created 1, updated 0, unchanged 0, failed 1, warnings 0" in out
    assert "Traceback" not in out + err


def test_command_raises_a_usage_error_with_status_2_for_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="no such file or directory") as raised:
        call_command("import_markdown", str(tmp_path / "missing"), stdout=io.StringIO())

    assert raised.value.returncode == 2


def test_manage_py_exits_2_for_a_missing_path(tmp_path):
    result = manage_py(tmp_path, "import_markdown", str(tmp_path / "missing"))

    assert result.returncode == 2
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


# --- --atomic and --dry-run ------------------------------------------------------------------


def write_two_good_files_and_a_bad_one(site: Path) -> None:
    write_good_talk(site)
    write_talk_bundle(
        site,
        "2019-10-17_testing-serverless-functions",
        files={"cover.png": png_bytes()},
        header_img="./cover.png",
    )
    write_talk(site, "2024-03-01_streams-without-tears.md", status="maybe")


def test_without_atomic_the_good_files_are_written(
    site, media_root, django_capture_on_commit_callbacks
):
    write_two_good_files_and_a_bad_one(site)

    with django_capture_on_commit_callbacks(execute=True):
        status, out, _ = run_command(site)

    assert status == 1
    assert "created 2, updated 0, unchanged 0, failed 1" in out
    assert Talk.objects.count() == 2
    assert len(media_files(media_root)) == 1


def test_atomic_writes_nothing_when_a_file_fails(
    site, media_root, django_capture_on_commit_callbacks
):
    write_two_good_files_and_a_bad_one(site)

    with django_capture_on_commit_callbacks(execute=True):
        status, out, err = run_command(site, "--atomic")

    assert status == 1
    assert "Nothing was written (--atomic and some files failed)." in out
    assert f"{TALK}:" in err
    assert not Talk.objects.exists()
    assert not Person.objects.exists()
    assert not Attachment.objects.exists()
    assert not Redirect.objects.exists()
    assert media_files(media_root) == set()


def write_good_files_of_every_dialect(site: Path) -> None:
    write_good_talk(site)
    write_talk_bundle(
        site,
        "2019-10-17_testing-serverless-functions",
        files={"cover.png": png_bytes()},
        header_img="./cover.png",
    )
    write_post(site, "2024-02-12-why-we-pin-our-toolchains.md")


def test_dry_run_counts_good_files_as_created_and_writes_nothing(site, media_root, run_import):
    write_good_files_of_every_dialect(site)

    report = run_import(site, dry_run=True)

    assert (report.created, report.failed, report.errors) == (3, 0, [])
    assert report.rolled_back
    assert not Talk.objects.exists()
    assert not Post.objects.exists()
    assert not Person.objects.exists()
    assert not Tag.objects.exists()
    assert not Attachment.objects.exists()
    assert not Redirect.objects.exists()
    assert media_files(media_root) == set()


def test_dry_run_still_reports_bad_files(site, media_root, django_capture_on_commit_callbacks):
    write_good_files_of_every_dialect(site)
    write_talk(site, "2024-03-01_streams-without-tears.md", status="maybe")

    with django_capture_on_commit_callbacks(execute=True):
        status, out, err = run_command(site, "--dry-run")

    assert status == 1
    assert "Nothing was written (dry run)." in out
    assert "created 3, updated 0, unchanged 0, failed 1, warnings 0" in out
    assert err.startswith(f"{TALK}:{line_of(talk_text(), 'status')}: status:")
    assert not Talk.objects.exists()
    assert media_files(media_root) == set()


# --- Unusable but real values: warnings, not errors -----------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("embed_slides", "ttps://docs.example.com/presentation/d/x/embed"),
        ("event_link", "javascript:alert(1)"),
        ("slides_link", "ftp://files.example.com/slides.pdf"),
    ],
)
def test_link_with_a_foreign_scheme_is_kept_as_written_and_never_linked(
    site, run_import, client, key, value
):
    write_talk(site, "2024-03-01_streams-without-tears.md", **{key: f"'{value}'"})

    report = run_import(site)

    assert (report.created, report.errors) == (1, [])
    assert report.warnings == [
        f"{TALK}: {key}: {value!r} is not an http(s) link; kept, not linked"
    ]
    talk = Talk.objects.get()
    assert getattr(talk, key) == value
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r'(?:href|src)="[^"]*' + re.escape(value), page)


def test_missing_header_image_is_a_warning_and_its_reference_is_kept(site, run_import):
    write_talk_bundle(site, "2019-10-17_testing-serverless-functions", header_img="./nope.png")

    report = run_import(site)

    assert (report.created, report.errors) == (1, [])
    assert report.warnings == [f"{BUNDLE}: header_img: image ./nope.png not found"]
    talk = Talk.objects.get()
    assert not talk.header_image
    attachment = Attachment.objects.get()
    assert (attachment.item, attachment.reference, attachment.file.name) == (
        talk,
        "./nope.png",
        "",
    )


# --- Quirks of files edited elsewhere: they simply work --------------------------------------

_BODY_WITH_BREAKS = "Part one.\n\n---\n\nPart two.\n---\nPart three.\n"

QUIRKS = [
    pytest.param(("\ufeff" + talk_text()).encode(), "Backpressure is the part", id="utf8-bom"),
    pytest.param(talk_text().replace("\n", "\r\n").encode(), "skips.\n\nWe build", id="crlf"),
    pytest.param(
        talk_text(body="Steps:\n\n\tnpm install\n\tnpm test\n\nDone\tand dusted.\n").encode(),
        "\tnpm install\n\tnpm test\n\nDone\tand dusted.",
        id="tabs-in-body",
    ),
    pytest.param(talk_text(close="...").encode(), "Backpressure is the part", id="dots-closing"),
    pytest.param(
        talk_text(body=_BODY_WITH_BREAKS).encode(), _BODY_WITH_BREAKS, id="thematic-breaks"
    ),
    pytest.param(
        talk_text(body="No newline at the end.").encode(),
        "No newline at the end.",
        id="no-final-newline",
    ),
    pytest.param(
        ("\ufeff" + talk_text(close="...")).replace("\n", "\r\n").encode(),
        "skips.\n\nWe build",
        id="bom-crlf-and-dots",
    ),
]


@pytest.mark.parametrize(("content", "body_fragment"), QUIRKS)
def test_quirky_file_imports_without_errors_or_warnings(site, run_import, content, body_fragment):
    write_file(site, TALK, content)

    report = run_import(site)

    assert (report.created, report.errors, report.warnings) == (1, [], [])
    talk = Talk.objects.get()
    assert talk.title == "Streams without tears"
    assert talk.slug == "streams-without-tears-node-lisbon"
    assert "\r" not in talk.body
    assert body_fragment in talk.body
    assert "status:" not in talk.body


def test_a_failed_file_does_not_leave_its_new_tags_or_people_to_the_next_files(
    tmp_path, monkeypatch
):
    """A file that fails after its tags and people were created has them rolled back;
    the next file must not link to those rows."""
    from django.db import DatabaseError

    from frontmatter.importer import Importer

    original = Importer._sync_redirect

    def fail_for_the_bad_file(self, instance, item):
        if instance.slug == "bad":
            raise DatabaseError("simulated failure after tags and people were written")
        return original(self, instance, item)

    monkeypatch.setattr(Importer, "_sync_redirect", fail_for_the_bad_file)
    for day, slug in (("01", "bad"), ("02", "good")):
        path = tmp_path / f"posts/2020-01-{day}_{slug}/index.md"
        path.parent.mkdir(parents=True)
        path.write_text(
            f"---\ntitle: {slug}\nslug: {slug}\ntags: [fresh-tag]\nwritten_with:\n"
            "  - name: New Person\n---\n"
        )

    report = import_paths([tmp_path])

    assert (report.created, report.failed) == (1, 1), report.errors
    assert "simulated failure" in report.errors[0]
    post = Post.objects.get(slug="good")
    assert list(post.tags.names()) == ["fresh-tag"]
    assert [credit.person.name for credit in post.co_author_credits.all()] == ["New Person"]
