"""What the page cache serves, to whom, with which headers, and what it never stores."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pagecache.middleware import accepted_encodings
from tests.factories import NOW, PostFactory, TalkFactory
from tests.pagecache.builders import get, text
from tests.publishing.builders import manage_py

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="Pinned toolchains")


def test_a_visitor_gets_the_second_request_from_the_cache(client, post):
    first, cached = get(client, post.get_absolute_url())
    assert not cached
    second, cached = get(client, post.get_absolute_url())
    assert cached
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_cached_pages_tell_browsers_and_cdns_a_short_public_max_age(client, post, settings):
    first, _ = get(client, post.get_absolute_url())
    second, _ = get(client, post.get_absolute_url())
    for response in (first, second):
        assert response["Cache-Control"] == f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"


def test_head_is_answered_from_what_a_get_stored(client, post):
    get(client, post.get_absolute_url())
    with_head = client.head(post.get_absolute_url())
    assert with_head.status_code == 200
    assert get(client, post.get_absolute_url())[1]


# --- Editors ---------------------------------------------------------------------------


def test_an_editor_is_never_served_from_the_cache(client, visitor, editor, post):
    get(visitor, post.get_absolute_url())
    assert get(visitor, post.get_absolute_url())[1]
    client.force_login(editor)

    response, cached = get(client, post.get_absolute_url())

    assert response.status_code == 200
    assert not cached
    assert "private" in response["Cache-Control"]


def test_an_editors_pages_are_never_stored(client, visitor, editor, post):
    client.force_login(editor)
    get(client, post.get_absolute_url())
    get(client, post.get_absolute_url())

    assert not get(visitor, post.get_absolute_url())[1]


def test_an_editors_preview_of_a_draft_never_reaches_visitors(client, visitor, editor):
    draft = PostFactory(title="Secret plans", status="draft")
    client.force_login(editor)
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Secret plans" in text(preview)

    assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_post_is_not_shown_to_visitors_before_its_time(client, now):
    PostFactory(title="Next week", date=NOW + datetime.timedelta(days=7))
    assert "Next week" not in text(client.get("/blog/"))
    assert "Next week" not in text(client.get("/blog/"))


# --- What is never stored --------------------------------------------------------------


@pytest.mark.usefixtures("test_views")
@pytest.mark.parametrize(
    "url",
    [
        "/test/cookie/",
        "/test/never-cache/",
        "/test/private/",
        "/test/vary/",
        "/test/binary/",
    ],
    ids=["sets a cookie", "never-cache", "private", "varies on another header", "not text"],
)
def test_responses_that_must_not_be_shared_are_never_stored(client, url):
    get(client, url)
    response, cached = get(client, url)
    assert response.status_code == 200
    assert not cached
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.usefixtures("test_views")
def test_a_plain_page_of_the_test_views_is_stored(client):
    """The test views above differ from this one only in what keeps them out."""
    get(client, "/test/plain/")
    assert get(client, "/test/plain/")[1]


def test_404s_are_not_stored(client):
    get(client, "/blog/no-such-page/")
    response, cached = get(client, "/blog/no-such-page/")
    assert response.status_code == 404
    assert not cached


def test_a_page_rendered_for_a_visitor_with_cookies_is_not_stored(client, post):
    client.cookies["csrftoken"] = "x" * 32
    get(client, post.get_absolute_url())
    del client.cookies["csrftoken"]
    assert not get(client, post.get_absolute_url())[1]


def test_a_visitor_with_cookies_other_than_the_session_is_served_from_the_cache(client, post):
    get(client, post.get_absolute_url())
    client.cookies["csrftoken"] = "x" * 32
    assert get(client, post.get_absolute_url())[1]


def test_post_requests_are_never_answered_from_the_cache(client, post):
    get(client, "/search/")
    assert get(client, "/search/")[1]
    assert client.post("/search/").status_code == 405


# --- Query strings ---------------------------------------------------------------------


def test_the_pages_of_a_list_are_cached_each(client):
    PostFactory.create_batch(12)
    first, _ = get(client, "/blog/")
    second, _ = get(client, "/blog/?page=2")
    assert first.content != second.content
    assert get(client, "/blog/")[1]
    assert get(client, "/blog/?page=2")[1]


def test_a_search_is_cached_per_query(client):
    PostFactory(title="Serverless at scale")
    get(client, "/search/?q=serverless")
    response, cached = get(client, "/search/?q=serverless")
    assert cached
    assert "Serverless at scale" in text(response)
    assert not get(client, "/search/?q=kubernetes")[1]


@pytest.mark.parametrize(
    "query",
    ["?utm_source=feed", "?page=2", "?q=x&junk=1", "?" + "q=" + "x" * 300],
    ids=["tracking parameter", "parameter the page does not use", "one unused", "too long"],
)
def test_a_query_string_the_page_does_not_use_is_never_stored(client, post, query):
    url = post.get_absolute_url() if "q=" not in query else "/search/"
    get(client, url + query)
    response, cached = get(client, url + query)
    assert response.status_code == 200
    assert not cached


@pytest.mark.usefixtures("test_views")
def test_a_query_parameter_the_page_reads_is_part_of_the_key(client):
    assert text(get(client, "/test/colour/?colour=red")[0]) == "<p>red</p>"
    assert text(get(client, "/test/colour/?colour=blue")[0]) == "<p>blue</p>"
    response, cached = get(client, "/test/colour/?colour=red")
    assert cached
    assert text(response) == "<p>red</p>"


# --- The key ---------------------------------------------------------------------------


def test_each_host_has_its_own_entries(client, post, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    get(client, post.get_absolute_url(), HTTP_HOST="127.0.0.1")
    assert not get(client, post.get_absolute_url(), HTTP_HOST="localhost")[1]
    assert get(client, post.get_absolute_url(), HTTP_HOST="127.0.0.1")[1]


def test_a_host_that_is_not_allowed_gets_400_not_a_cached_page(client, post):
    get(client, post.get_absolute_url())
    response, cached = get(client, post.get_absolute_url(), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not cached


def test_https_and_http_have_their_own_entries(client, post):
    get(client, post.get_absolute_url())
    assert not get(client, post.get_absolute_url(), secure=True)[1]
    assert get(client, post.get_absolute_url(), secure=True)[1]


def test_each_set_of_accepted_encodings_has_its_own_entries(client, post):
    get(client, post.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert not get(client, post.get_absolute_url())[1]
    assert get(client, post.get_absolute_url(), HTTP_ACCEPT_ENCODING="br;q=1.0, gzip")[1]


@pytest.mark.parametrize(
    "header, key",
    [
        ("", ""),
        ("gzip, deflate, br, zstd", "br,deflate,gzip,zstd"),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", "*,br,gzip"),
        ("gzip;q=0, identity", "gzip;q=0,identity"),
        ("x-unknown, gzip", "gzip"),
    ],
)
def test_accepted_encodings_are_keyed_in_a_canonical_form(header, key):
    assert accepted_encodings(header) == key


# --- Conditional requests --------------------------------------------------------------


def test_a_cached_page_answers_304_to_its_etag(client, post):
    first = client.get(post.get_absolute_url())
    etag = first["ETag"]

    response, cached = get(client, post.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert cached
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_cached_page_answers_304_to_its_last_modified(client, post):
    first = client.get(post.get_absolute_url())

    response, cached = get(
        client, post.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert cached
    assert response.status_code == 304


def test_a_changed_page_answers_200_to_the_old_etag(client, post):
    etag = client.get(post.get_absolute_url())["ETag"]
    post.title = "Pinned, revised"
    post.save()

    response = client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Pinned, revised" in text(response)


# --- Scheduled items -------------------------------------------------------------------


def test_a_scheduled_post_appears_at_its_time(client, now, time_machine):
    PostFactory(title="Older post", date=NOW - datetime.timedelta(days=1))
    PostFactory(title="Scheduled post", date=NOW + datetime.timedelta(minutes=5))
    assert "Scheduled post" not in text(client.get("/blog/"))
    time_machine.shift(datetime.timedelta(minutes=4))
    assert get(client, "/blog/")[1]

    time_machine.shift(datetime.timedelta(minutes=1))

    response, cached = get(client, "/blog/")
    assert not cached
    assert "Scheduled post" in text(response)


def test_browsers_are_not_told_to_keep_a_page_past_the_next_publication(client, now, settings):
    settings.PAGE_CACHE_MAX_AGE = 300
    PostFactory(date=NOW + datetime.timedelta(seconds=42))
    assert client.get("/blog/")["Cache-Control"] == "public, max-age=42"


def test_a_hit_counts_the_max_age_down_to_the_next_publication(client, now, time_machine):
    PostFactory(date=NOW + datetime.timedelta(seconds=50))
    client.get("/")
    time_machine.shift(datetime.timedelta(seconds=20))

    response, cached = get(client, "/")

    assert cached
    assert response["Cache-Control"] == "public, max-age=30"


def test_an_upcoming_talk_moves_to_the_past_at_its_date(client, now, time_machine):
    TalkFactory(title="Streams in practice", date=NOW + datetime.timedelta(hours=3))
    client.get("/")
    time_machine.shift(datetime.timedelta(hours=3, seconds=1))
    assert not get(client, "/")[1]


# --- Switched off, and out of order ----------------------------------------------------


def test_the_page_cache_switched_off_stores_nothing(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    get(client, post.get_absolute_url())
    response, cached = get(client, post.get_absolute_url())
    assert not cached
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("value, enabled", [(None, "True"), ("0", "False"), ("1", "True")])
def test_the_setting_follows_the_environment_variable(tmp_path, monkeypatch, value, enabled):
    if value is None:
        monkeypatch.delenv("DJANGO_PAGE_CACHE", raising=False)
    else:
        monkeypatch.setenv("DJANGO_PAGE_CACHE", value)
    result = manage_py(tmp_path, "shell", "--no-imports", "-c", PRINT_ENABLED)
    assert result.stdout.strip() == enabled, result.stderr


PRINT_ENABLED = "from django.conf import settings; print(settings.PAGE_CACHE_ENABLED)"


def test_an_unreachable_cache_server_serves_pages_uncached(client, post, settings):
    settings.CACHES = {
        **settings.CACHES,
        settings.PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        },
    }
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Pinned toolchains" in text(response)


def test_the_admin_is_never_cached(client):
    get(client, "/admin/login/")
    assert not get(client, "/admin/login/")[1]


@pytest.mark.parametrize("url", ["/", "/blog/", reverse("robots")])
def test_pages_without_content_are_cached_too(client, url):
    get(client, url)
    assert get(client, url)[1]


def test_a_hit_sends_no_query_through_djangos_cursor(client, post):
    client.get(post.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response, cached = get(client, post.get_absolute_url())
    assert cached
    assert response.status_code == 200
    assert len(queries) == 0
