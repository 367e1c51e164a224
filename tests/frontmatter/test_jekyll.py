"""Jekyll posts end to end: detected, imported with their dates, tags, drafts and old
addresses, shown on the site, and exported back byte-identical, `.markdown` kept."""

import datetime

import pytest
from django.contrib.redirects.models import Redirect

from blog.models import Post
from frontmatter.formats import detect, markdown_files
from frontmatter.sourcefiles import read_source
from tests.frontmatter.builders import EDGE, FILES, IMAGE, write_jekyll_site
from tests.publishing.builders import (
    forget_digests,
    front_matter_and_body,
    write_file,
)
from tests.publishing.builders import markdown_files as files_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def jekyll_site(tmp_path):
    return write_jekyll_site(tmp_path / "blog")


@pytest.fixture
def imported(jekyll_site, run_import):
    report = run_import(jekyll_site, assets_root=jekyll_site)
    assert (report.failed, report.created) == (0, 3), report.errors
    return jekyll_site


def test_only_posts_under_posts_are_read_and_each_is_a_jekyll_post(jekyll_site):
    found = sorted(p.relative_to(jekyll_site).as_posix() for p in markdown_files(jekyll_site))
    assert found == sorted(FILES)
    for relpath in FILES:
        assert detect(read_source(jekyll_site / relpath, jekyll_site)) == ("jekyll", "post")


def test_date_with_its_offset_title_and_slug_from_the_file_name(imported):
    post = Post.objects.get(slug="hello-from-the-new-blog")
    assert post.title == "Hello from the new blog"
    moment = datetime.datetime(
        2024, 3, 18, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert post.date == moment
    assert post.status == "published"
    assert post.source_dialect == "jekyll"
    assert post.source_path == "_posts/2024-03-18-hello-from-the-new-blog.markdown"


def test_keys_with_a_field_are_read_and_the_others_kept_in_order(imported):
    post = Post.objects.get(slug="caching-at-the-edge")
    assert post.author.name == "Jane Doe"
    assert sorted(post.tags.names()) == ["cdn", "performance"]
    assert post.description == "How a cache in front of the app halved the time to first byte."
    assert post.language == "en"
    assert post.updated == datetime.datetime(2024, 1, 5, 10, tzinfo=datetime.UTC)
    assert post.header_image.name.startswith("images/")
    assert [key for key, _ in post.source_extra] == ["layout", "permalink", "redirect_from"]
    assert post.date == datetime.datetime(2023, 11, 2, tzinfo=datetime.UTC)


def test_published_false_is_a_draft_and_space_separated_tags_are_tags(imported, client):
    post = Post.objects.get(slug="notes-to-self")
    assert post.status == "draft"
    assert sorted(post.tags.names()) == ["jekyll", "notes"]
    assert client.get(post.get_absolute_url()).status_code == 404


def test_the_old_addresses_redirect_to_the_new_page(imported, client):
    edge = Post.objects.get(slug="caching-at-the-edge").get_absolute_url()
    hello = Post.objects.get(slug="hello-from-the-new-blog").get_absolute_url()
    redirects = dict(Redirect.objects.values_list("old_path", "new_path"))
    assert redirects == {
        # Jekyll's default permalink: /:categories/:year/:month/:day/:title.html
        "/release/notes/2024/03/18/hello-from-the-new-blog.html": hello,
        # the post's own permalink, and its redirect_from paths
        "/articles/caching-at-the-edge/": edge,
        "/blog/edge-caching/": edge,
        "/2023/11/edge.html": edge,
        # the draft's, which answers once it is published
        "/2022/05/01/notes-to-self.html": Post.objects.get(
            slug="notes-to-self"
        ).get_absolute_url(),
    }
    response = client.get("/2023/11/edge.html")
    assert (response.status_code, response["Location"]) == (301, edge)


def test_an_imported_post_is_a_page_with_its_body_and_picture(imported, client):
    post = Post.objects.get(slug="caching-at-the-edge")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Caching at the edge" in page
    assert "We put a cache in front of the application servers." in page
    assert 'alt="The request path through the cache"' in page


@pytest.mark.parametrize("path", ["unedited", "full-export"])
def test_unedited_posts_come_back_byte_identical_with_their_extension(imported, path, run_export):
    if path == "full-export":
        forget_digests()
    exported = files_under(run_export())
    original = files_under(imported)
    for relpath in FILES:
        assert exported[relpath] == original[relpath], relpath
    assert exported[IMAGE] == original[IMAGE]


def test_an_edited_post_keeps_its_file_and_changes_only_its_keys(imported, run_export):
    post = Post.objects.get(slug="caching-at-the-edge")
    post.title = "Caching at the edge, revisited"
    post.save()
    post.tags.add("http")

    relpath = "_posts/2023-11-02-caching-at-the-edge.md"
    front_matter, body = front_matter_and_body(files_under(run_export())[relpath])
    expected, expected_body = front_matter_and_body(EDGE.encode())
    assert front_matter == {
        **expected,
        "title": "Caching at the edge, revisited",
        "tags": ["cdn", "http", "performance"],
    }
    assert list(front_matter) == list(expected)
    assert body == expected_body


def test_a_new_date_renames_the_file_and_is_written_in_the_posts_offset(imported, run_export):
    post = Post.objects.get(slug="hello-from-the-new-blog")
    post.date = datetime.datetime(2024, 4, 1, 8, 0, tzinfo=datetime.UTC)
    post.save()

    exported = files_under(run_export())
    assert "_posts/2024-03-18-hello-from-the-new-blog.markdown" not in exported
    front_matter, _ = front_matter_and_body(
        exported["_posts/2024-04-01-hello-from-the-new-blog.markdown"]
    )
    assert front_matter["date"] == "2024-04-01 09:00:00 +0100"


def test_publishing_a_draft_writes_published_true_and_space_separated_tags_stay_so(
    imported, run_export
):
    post = Post.objects.get(slug="notes-to-self")
    post.status = "published"
    post.save()
    post.tags.add("drafts")

    front_matter, _ = front_matter_and_body(
        files_under(run_export())["_posts/2022-05-01-notes-to-self.md"]
    )
    assert front_matter["published"] is True
    assert front_matter["tags"] == "drafts jekyll notes"


def test_unpublishing_adds_published_false(imported, run_export):
    post = Post.objects.get(slug="hello-from-the-new-blog")
    post.status = "draft"
    post.save()

    exported = files_under(run_export())["_posts/2024-03-18-hello-from-the-new-blog.markdown"]
    assert front_matter_and_body(exported)[0]["published"] is False


def test_a_post_of_another_format_exported_as_jekyll(run_import, run_export, tmp_path):
    site = tmp_path / "astro"
    write_file(
        site,
        "posts/2021-06-01_astro-post.md",
        "---\ntitle: From Astro\nslug: astro-post\ndate: 2021-06-01T10:00:00.000Z\n"
        "status: published\ntags:\n  - astro\ndescription: Moved.\n---\nBody.\n",
    )
    assert run_import(site).created == 1

    exported = files_under(run_export(dialect="jekyll"))
    front_matter, body = front_matter_and_body(exported["_posts/2021-06-01-astro-post.md"])
    assert front_matter == {
        "title": "From Astro",
        "date": "2021-06-01 10:00:00 +0000",
        "tags": ["astro"],
        "description": "Moved.",
        "lang": "en_US",
    }
    assert body == "\nBody.\n"


def test_a_post_not_named_after_its_date_fails_alone_saying_why(tmp_path, run_import):
    site = write_jekyll_site(tmp_path / "blog")
    write_file(site, "_posts/about.md", "---\ntitle: About\n---\nHi.\n")

    report = run_import(site)

    assert report.created == 3
    assert report.errors == [
        "_posts/about.md: file name: a Jekyll post must be named YYYY-MM-DD-slug.md (or .markdown)"
    ]
