"""Hostile files a Markdown tree may bring along: only images, PDF, text, audio, video and
archives are stored (recognised by their bytes, named by their kind), hidden files are never
published, nothing outside the tree is read, and huge or special files cost nothing."""

from __future__ import annotations

import re
import tracemalloc

import pytest

from blog.models import Post
from frontmatter.exporter import export_items
from frontmatter.importer import ImportUsageError
from frontmatter.sourcefiles import SourceError, read_source
from images.processing import content_name
from publishing.models import Attachment
from talks.models import Talk
from tests.images.builders import media_files
from tests.publishing import builders
from tests.publishing.builders import (
    GOOD_TALK_SLUG,
    POST_FILE,
    POST_FOLDER,
    write_file,
    write_good_talk,
    write_post_bundle,
)

pytestmark = pytest.mark.django_db

ACCEPTED = "(images, PDF, text, audio, video and archives are)"
HIDDEN = 'hidden files and folders (names starting with ".") are never published'
GOOD_IMAGE = builders.png_bytes(color="olive")
GOOD_IMAGE_NAME = content_name(GOOD_IMAGE, ".png")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    write_good_talk(root)
    return root


@pytest.fixture
def outside(tmp_path):
    """A folder beside the imported tree, holding what must never be imported."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(
        "---\ntitle: Secret\nslug: secret\ndate: 2024-01-01T00:00:00.000Z\n---\n\nSecret.\n"
    )
    (folder / "id_rsa.png").write_bytes(builders.png_bytes(color="red"))
    return folder


def only_the_good_talk_and(report, post_created: bool = True) -> None:
    """The good talk of the same run imported whatever the hostile file did."""
    assert Talk.objects.filter(slug=GOOD_TALK_SLUG).exists()
    assert report.created == (2 if post_created else 1), report


def assert_body_reference_refused(report, media_root, reference: str, reason: str) -> Post:
    """The file imported, with one warning naming the reference and why, its good image
    stored, the refused file not stored, and the reference kept in the body as written."""
    assert report.errors == []
    assert report.warnings == [f"{POST_FILE}: body: {reference} is not imported: {reason}"]
    only_the_good_talk_and(report)
    post = Post.objects.get(slug="hostile")
    assert reference in post.body
    assert media_files(media_root) == {GOOD_IMAGE_NAME}
    attachments = dict(post.attachments.values_list("reference", "file"))
    assert attachments == {"./good.png": GOOD_IMAGE_NAME, reference: ""}
    return post


# --- Content a browser would run is never stored -------------------------------------------

HTML_REFUSED = f"HTML pages are not accepted {ACCEPTED}"
SVG_REFUSED = f"SVG drawings are not accepted {ACCEPTED}"

REFUSED_CONTENT = [
    pytest.param("page.html", builders.HTML_PAGE, HTML_REFUSED, id="html"),
    pytest.param("page.htm", builders.SHOUTED_HTML, HTML_REFUSED, id="html-bom-capitals"),
    pytest.param("diagram.svg", builders.SVG_DRAWING, SVG_REFUSED, id="svg"),
    pytest.param("diagram.txt", builders.SVG_WITH_PROLOG, SVG_REFUSED, id="svg-named-txt"),
    pytest.param(
        "feed.xml", builders.XML_DOCUMENT, f"XML documents are not accepted {ACCEPTED}", id="xml"
    ),
    pytest.param(
        "app.js", builders.JAVASCRIPT, f"JavaScript files are not accepted {ACCEPTED}", id="js"
    ),
    pytest.param("photo.jpg", builders.HTML_PAGE, HTML_REFUSED, id="html-named-jpg"),
    pytest.param("photo.png", builders.HTML_PAGE, HTML_REFUSED, id="html-named-png"),
    pytest.param("paper.pdf", builders.HTML_PAGE, HTML_REFUSED, id="html-named-pdf"),
    pytest.param("notes.txt", builders.HTML_PAGE, HTML_REFUSED, id="html-named-txt"),
    pytest.param("notes.txt", builders.TEXT_WITH_A_SCRIPT, HTML_REFUSED, id="text-with-script"),
    pytest.param(
        "paper.pdf",
        builders.polyglot_pdf(),
        "it starts as a PDF document but holds HTML markup, which is not accepted",
        id="pdf-polyglot",
    ),
    pytest.param(
        "anim.gif",
        builders.polyglot_gif(),
        "it starts as a GIF image but holds HTML markup, which is not accepted",
        id="gif-polyglot",
    ),
    pytest.param(
        "tool.bin",
        builders.ELF_BINARY,
        "its content is none of the accepted kinds (images, PDF, text, audio, video and archives)",
        id="unknown-binary",
    ),
    pytest.param(
        "cover.png",
        builders.png_bytes((64, 64))[:60],
        "This image is truncated or corrupt and cannot be used.",
        id="truncated-png",
    ),
    pytest.param("empty.pdf", b"", "the file is empty", id="empty"),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSED_CONTENT)
def test_linked_file_a_browser_could_run_is_not_stored_and_its_link_kept(
    site, media_root, run_import, name, data, reason
):
    write_post_bundle(
        site,
        f"![good](./good.png)\n\nSee [the file](./{name}).\n",
        {"good.png": GOOD_IMAGE, name: data},
    )

    report = run_import(site)

    post = assert_body_reference_refused(report, media_root, f"./{name}", reason)
    assert f'href="./{name}"' in post.body_html


def test_html_named_as_a_picture_is_not_stored_from_an_img_tag(site, media_root, run_import):
    write_post_bundle(
        site,
        '![good](./good.png)\n\n<img src="./photo.jpg" alt="a photo">\n',
        {"good.png": GOOD_IMAGE, "photo.jpg": builders.HTML_PAGE},
    )

    report = run_import(site)

    post = assert_body_reference_refused(
        report, media_root, "./photo.jpg", f"HTML pages are not accepted {ACCEPTED}"
    )
    assert not any(name.startswith("files/") for name in media_files(media_root))
    assert 'src="./photo.jpg"' in post.body_html


def test_export_writes_the_body_as_imported_and_no_refused_file(site, run_import, tmp_path):
    body = "![good](./good.png)\n\nSee [the page](./page.html).\n"
    write_post_bundle(site, body, {"good.png": GOOD_IMAGE, "page.html": builders.HTML_PAGE})
    run_import(site)

    outdir = tmp_path / "out"
    report = export_items(outdir)

    assert report.errors == []
    assert (outdir / POST_FILE).read_bytes() == (site / POST_FILE).read_bytes()
    assert (outdir / POST_FOLDER / "good.png").read_bytes() == GOOD_IMAGE
    assert not (outdir / POST_FOLDER / "page.html").exists()


def test_reimport_drops_a_stored_file_whose_content_became_html(site, media_root, run_import):
    """A link stored as a text file once is refused when the file turns into a page, and
    the item no longer points at the old copy."""
    write_post_bundle(site, "See [the notes](./notes.txt).\n", {"notes.txt": builders.PLAIN_TEXT})
    run_import(site)
    (site / POST_FOLDER / "notes.txt").write_bytes(builders.HTML_PAGE)

    report = run_import(site)

    assert report.warnings == [
        f"{POST_FILE}: body: ./notes.txt is not imported: HTML pages are not accepted {ACCEPTED}"
    ]
    assert report.updated == 1
    post = Post.objects.get(slug="hostile")
    assert dict(post.attachments.values_list("reference", "file")) == {"./notes.txt": ""}
    assert "/media/files/" not in post.body_html


# --- Accepted kinds are stored under the extension of what they are ------------------------

ACCEPTED_CONTENT = [
    pytest.param("paper.pdf", builders.pdf_bytes(), ".pdf", "files", id="pdf"),
    pytest.param("NOTES", builders.PLAIN_TEXT, ".txt", "files", id="text"),
    pytest.param("talks.csv", builders.CSV_TEXT, ".csv", "files", id="csv"),
    pytest.param("slides.zip", builders.zip_bytes(), ".zip", "files", id="zip"),
    pytest.param("episode.mp3", builders.mp3_bytes(), ".mp3", "files", id="mp3"),
    # The name never decides: a PDF named as a page is a PDF, a PNG named .jpg a PNG.
    pytest.param("page.html", builders.pdf_bytes(), ".pdf", "files", id="pdf-named-html"),
    pytest.param("photo.jpg", builders.png_bytes(), ".png", "images", id="png-named-jpg"),
    pytest.param("anim.gif", builders.gif_bytes(), ".gif", "images", id="gif"),
]


@pytest.mark.parametrize(("name", "data", "extension", "folder"), ACCEPTED_CONTENT)
def test_linked_file_of_an_accepted_kind_is_stored_under_its_kinds_extension(
    site, media_root, run_import, name, data, extension, folder
):
    write_post_bundle(site, f"Get [the file](./{name}).\n", {name: data})

    report = run_import(site)

    assert (report.errors, report.warnings) == ([], [])
    only_the_good_talk_and(report)
    stored = content_name(data, extension, folder)
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{2}}/[0-9a-f]{{64}}\{extension}", stored)
    assert media_files(media_root) == {stored}
    assert (media_root / stored).read_bytes() == data
    post = Post.objects.get(slug="hostile")
    assert dict(post.attachments.values_list("reference", "file")) == {f"./{name}": stored}


# --- Hidden files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "where"),
    [
        ("../../.env", ".env"),
        (".git/config", f"{POST_FOLDER}/.git/config"),
        ("./.secret.png", f"{POST_FOLDER}/.secret.png"),
        ("./%2Esecret.png", f"{POST_FOLDER}/.secret.png"),
        ("./.drafts/../good.png", f"{POST_FOLDER}/good.png"),
        ("/assets/.hidden/x.png", "assets/.hidden/x.png"),
    ],
)
def test_link_into_a_hidden_file_or_folder_is_refused(
    site, media_root, run_import, reference, where
):
    write_file(site, where, builders.png_bytes() if where.endswith(".png") else b"SECRET=1\n")
    write_post_bundle(
        site, f"![good](./good.png)\n\n[there]({reference})\n", {"good.png": GOOD_IMAGE}
    )

    report = run_import(site, assets_root=site)

    assert_body_reference_refused(report, media_root, reference, HIDDEN)


def test_link_to_a_symlink_whose_target_is_hidden_is_refused(site, media_root, run_import):
    write_post_bundle(
        site,
        "![good](./good.png)\n\n[key](./public.txt)\n",
        {"good.png": GOOD_IMAGE, ".env": b"SECRET_KEY=hunter2\n"},
    )
    (site / POST_FOLDER / "public.txt").symlink_to(".env")

    report = run_import(site)

    assert_body_reference_refused(report, media_root, "./public.txt", HIDDEN)


def test_header_image_in_a_hidden_file_is_a_warning_and_the_post_imports(
    site, media_root, run_import
):
    write_post_bundle(
        site,
        "![good](./good.png)\n",
        {"good.png": GOOD_IMAGE, ".cover.png": builders.png_bytes(color="red")},
        header_img="./.cover.png",
    )

    report = run_import(site)

    assert report.warnings == [f"{POST_FILE}: header_img: ./.cover.png is not imported: {HIDDEN}"]
    only_the_good_talk_and(report)
    post = Post.objects.get(slug="hostile")
    assert not post.header_image
    assert media_files(media_root) == {GOOD_IMAGE_NAME}


# --- Symbolic links out of the tree ----------------------------------------------------------


def test_symlinked_markdown_file_pointing_outside_is_not_imported(
    site, outside, media_root, run_import
):
    builders.link_outside(site / "posts/leak.md", outside / "secret.md")

    report = run_import(site)

    assert report.errors == [
        "posts/leak.md: not imported: it is a symbolic link to a file outside the imported folders"
    ]
    assert report.failed == 1
    only_the_good_talk_and(report, post_created=False)
    assert not Post.objects.exists()


def test_symlinked_folder_of_markdown_pointing_outside_is_not_walked(site, outside, run_import):
    builders.link_outside(site / "posts/elsewhere", outside)

    report = run_import(site)

    assert (report.errors, report.failed) == ([], 0)
    only_the_good_talk_and(report, post_created=False)
    assert not Post.objects.exists()


def test_symlinked_markdown_file_pointing_inside_the_tree_is_imported(site, run_import):
    write_file(site, "shared/post.markdown", builders.post_text("Shared.\n", slug="shared"))
    (site / "posts").mkdir()
    (site / "posts/shared.md").symlink_to("../shared/post.markdown")

    report = run_import(site)

    assert (report.errors, report.created) == ([], 2)
    assert Post.objects.get(slug="shared").source_path == "posts/shared.md"


def test_symlink_loop_in_place_of_a_markdown_file_is_not_imported(site, run_import):
    (site / "posts").mkdir()
    (site / "posts/loop.md").symlink_to("loop.md")

    report = run_import(site)

    assert report.errors == [
        "posts/loop.md: not imported: it is a symbolic link that cannot be followed"
    ]
    only_the_good_talk_and(report, post_created=False)


@pytest.mark.parametrize(
    ("reference", "link", "target"),
    [
        ("./avatar.png", "avatar.png", "id_rsa.png"),
        ("./assets/id_rsa.png", "assets", ""),
    ],
    ids=["symlinked-file", "symlinked-folder"],
)
def test_linked_symlink_out_of_the_tree_fails_the_file_and_reads_nothing(
    site, outside, media_root, run_import, reference, link, target
):
    write_post_bundle(
        site, f"![good](./good.png)\n\n![x]({reference})\n", {"good.png": GOOD_IMAGE}
    )
    builders.link_outside(site / POST_FOLDER / link, outside / target)

    report = run_import(site)

    assert report.errors == [f"{POST_FILE}: body: {reference!r} points outside site/"]
    only_the_good_talk_and(report, post_created=False)
    assert media_files(media_root) == set()
    assert not Attachment.objects.exists()


def test_header_image_symlinked_out_of_the_tree_fails_the_file(
    site, outside, media_root, run_import
):
    write_post_bundle(site, "Body.\n", header_img="./cover.png")
    (site / POST_FOLDER / "cover.png").symlink_to(outside / "id_rsa.png")

    report = run_import(site)

    (error,) = report.errors
    assert error.startswith(f"{POST_FILE}:")
    assert "header_img: './cover.png' points outside site/" in error
    assert media_files(media_root) == set()


# --- Huge and special files ------------------------------------------------------------------


def test_huge_sparse_markdown_file_is_refused_from_its_size_without_reading_it(site, run_import):
    builders.sparse_file(site / "posts/huge.md", 2 * 1024**3)

    tracemalloc.start()
    try:
        report = run_import(site)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.errors == ["posts/huge.md: file is larger than 5 MB"]
    only_the_good_talk_and(report, post_created=False)
    assert peak < 64 * 1024**2  # reading the file would have taken 2 GiB


def test_huge_sparse_linked_file_fails_its_post_from_its_size(site, media_root, run_import):
    write_post_bundle(site, "[all of it](./dump.zip)\n")
    builders.sparse_file(site / POST_FOLDER / "dump.zip", 2 * 1024**3)

    report = run_import(site)

    assert report.errors == [f"{POST_FILE}: body: dump.zip: file is larger than 50 MB"]
    only_the_good_talk_and(report, post_created=False)
    assert media_files(media_root) == set()


def test_linked_fifo_is_refused_without_waiting_for_a_writer(site, media_root, run_import):
    write_post_bundle(
        site, "![good](./good.png)\n\n[listen](./live.mp3)\n", {"good.png": GOOD_IMAGE}
    )
    builders.fifo(site / POST_FOLDER / "live.mp3")

    report = run_import(site)

    assert_body_reference_refused(report, media_root, "./live.mp3", "it is not a regular file")


def test_fifo_named_like_markdown_in_the_tree_is_skipped(site, run_import):
    builders.fifo(site / "posts/pipe.md")

    report = run_import(site)

    assert (report.errors, report.failed) == ([], 0)
    only_the_good_talk_and(report, post_created=False)


def test_fifo_given_as_a_path_is_a_usage_error(tmp_path, run_import):
    pipe = builders.fifo(tmp_path / "pipe.md")

    with pytest.raises(ImportUsageError, match="not a regular file or a folder"):
        run_import(pipe)


def test_reading_a_fifo_or_a_device_as_a_source_fails_at_once(tmp_path):
    """The same file swapped in after the tree was listed: refused, never waited on."""
    pipe = builders.fifo(tmp_path / "pipe.md")
    for path in (pipe, "/dev/zero"):
        with pytest.raises(SourceError, match="not a regular file"):
            read_source(tmp_path / path, tmp_path)


def test_dry_run_reports_refused_files_and_stores_nothing(site, media_root, run_import):
    write_post_bundle(
        site,
        "![good](./good.png)\n\n[page](./page.html)\n",
        {"good.png": GOOD_IMAGE, "page.html": builders.HTML_PAGE},
    )

    report = run_import(site, dry_run=True)

    assert report.warnings == [
        f"{POST_FILE}: body: ./page.html is not imported: HTML pages are not accepted {ACCEPTED}"
    ]
    assert media_files(media_root) == set()
    assert not Post.objects.exists()
