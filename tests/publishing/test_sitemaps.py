"""The sitemap: an index of sections, each in pages of at most `limit` URLs, listing only
what the public may see, with lastmod."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.sitemaps import PostSitemap
from people.sitemaps import PersonSitemap
from publishing.sitemaps import SECTION_SIZE
from talks.sitemaps import TalkSitemap
from tests.factories import PostFactory, TalkFactory
from tests.publishing.builders import SITEMAP, local_path, sitemap_index, sitemap_page

pytestmark = pytest.mark.django_db


def index_locations(client) -> list[str]:
    return [local_path(entry.findtext(f"{SITEMAP}loc")) for entry in sitemap_index(client)]


def page_paths(client, url: str) -> list[str]:
    return [local_path(url.findtext(f"{SITEMAP}loc")) for url in sitemap_page(client, url)]


def test_sections_hold_at_most_a_few_thousand_urls():
    assert SECTION_SIZE <= 5000
    for sitemap in (PostSitemap, TalkSitemap, PersonSitemap):
        assert sitemap.limit == SECTION_SIZE


def test_index_lists_a_section_per_kind_of_page(client, now):
    PostFactory()
    TalkFactory()
    assert index_locations(client) == [
        "/sitemap-sections.xml",
        "/sitemap-posts.xml",
        "/sitemap-talks.xml",
        "/sitemap-people.xml",
    ]


def test_index_gives_each_section_the_latest_change_of_its_public_items(client, now, time_machine):
    TalkFactory(title="Old")
    time_machine.shift(datetime.timedelta(days=2))
    newest = TalkFactory(title="Changed last")
    time_machine.shift(datetime.timedelta(days=2))
    TalkFactory(title="Draft changed later", status="draft")
    entry = next(
        entry
        for entry in sitemap_index(client)
        if entry.findtext(f"{SITEMAP}loc").endswith("/sitemap-talks.xml")
    )
    lastmod = datetime.datetime.fromisoformat(entry.findtext(f"{SITEMAP}lastmod"))
    assert lastmod == newest.updated_at


def test_a_section_longer_than_its_limit_is_split_into_pages_in_the_index(
    client, now, monkeypatch
):
    monkeypatch.setattr(TalkSitemap, "limit", 2)
    for days in range(5):
        TalkFactory(slug=f"talk-{days}", date=now - datetime.timedelta(days=days))
    TalkFactory(slug="draft-talk", status="draft", date=now - datetime.timedelta(days=1))
    talks = [path for path in index_locations(client) if "talks" in path]
    assert talks == ["/sitemap-talks.xml", "/sitemap-talks.xml?p=2", "/sitemap-talks.xml?p=3"]
    assert [page_paths(client, path) for path in talks] == [
        ["/speaking/talk-0/", "/speaking/talk-1/"],
        ["/speaking/talk-2/", "/speaking/talk-3/"],
        ["/speaking/talk-4/"],
    ]


def test_section_pages_list_only_public_items_with_lastmod(client, now):
    post = PostFactory(slug="public-post")
    PostFactory(slug="draft-post", status="draft")
    PostFactory(slug="scheduled-post", date=now + datetime.timedelta(days=1))
    talk = TalkFactory(slug="upcoming-talk", date=now + datetime.timedelta(days=10))
    TalkFactory(slug="draft-talk", status="draft")
    [post_url] = sitemap_page(client, "/sitemap-posts.xml")
    assert local_path(post_url.findtext(f"{SITEMAP}loc")) == post.get_absolute_url()
    assert post_url.findtext(f"{SITEMAP}lastmod") == post.updated_at.date().isoformat()
    assert page_paths(client, "/sitemap-talks.xml") == [talk.get_absolute_url()]


def test_section_urls_are_absolute(client, now):
    PostFactory()
    for entry in sitemap_index(client):
        assert entry.findtext(f"{SITEMAP}loc").startswith(("http://", "https://"))
    for url in sitemap_page(client, "/sitemap-posts.xml"):
        assert url.findtext(f"{SITEMAP}loc").startswith(("http://", "https://"))


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-talks.xml?p=2",
        "/sitemap-talks.xml?p=0",
        "/sitemap-talks.xml?p=abc",
        "/sitemap-talks.xml?p=99999999999999999999",
        "/sitemap-unknown.xml",
    ],
)
def test_pages_and_sections_that_do_not_exist_are_not_found(client, now, path):
    TalkFactory()
    assert client.get(path).status_code == 404


def test_sitemap_is_never_stale_after_an_edit(client, now):
    talk = TalkFactory(slug="first-name")
    assert page_paths(client, "/sitemap-talks.xml") == ["/speaking/first-name/"]
    talk.slug = "second-name"
    talk.save()
    assert page_paths(client, "/sitemap-talks.xml") == ["/speaking/second-name/"]
    talk.status = "draft"
    talk.save()
    assert page_paths(client, "/sitemap-talks.xml") == []


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-posts.xml", "/sitemap-talks.xml", "/sitemap-people.xml"]
)
def test_sitemap_query_count_does_not_grow_with_items(client, now, path, no_page_cache):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            PostFactory()
            TalkFactory()

    add(5)
    queries()  # the current Site is looked up once, then kept
    with_5 = queries()
    add(45)
    assert queries() == with_5
    assert with_5 <= 12


@pytest.mark.usefixtures("no_page_cache")
def test_index_asks_each_section_its_latest_change_and_size_in_one_query(client, now):
    for _ in range(3):
        PostFactory()
        TalkFactory()
    client.get("/sitemap.xml")  # the current Site is looked up once, then kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/sitemap.xml").status_code == 200
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in captured]
    assert tables == ['"blog_post"', '"talks_talk"', '"people_person"']
