"""Several worker processes, each with its own local-memory cache, and several servers
sharing a Redis: an edit made through one is visible through every other at once, because
the site version they check lives in the database all of them share."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.factories import PostFactory
from tests.pagecache.builders import get, text
from tests.publishing.builders import post_change_form

pytestmark = pytest.mark.django_db


def worker(settings, alias: str) -> Client:
    """A client whose requests go through a middleware stack of its own, with the page
    cache `alias`: a worker process with its own memory."""
    settings.PAGE_CACHE_ALIAS = alias
    client = Client()
    client.get("/robots.txt")  # loads the middleware, which keeps its alias
    return client


@pytest.fixture
def two_workers(settings):
    """Two workers with a local-memory cache each, as gunicorn's processes have."""
    settings.CACHES = {
        **settings.CACHES,
        "worker-a": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "a"},
        "worker-b": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
    }
    yield worker(settings, "worker-a"), worker(settings, "worker-b")
    caches["worker-a"].clear()
    caches["worker-b"].clear()


def test_an_edit_through_one_worker_is_visible_through_the_other_at_once(two_workers, editor):
    a, b = two_workers
    post = PostFactory(title="Before the edit")
    url = post.get_absolute_url()
    for visitor in (a, b):
        get(visitor, url)
        assert get(visitor, url)[1], "each worker has the page in its own cache"
    editor_on_a = Client()
    editor_on_a.force_login(editor)

    response = editor_on_a.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, title="After the edit"),
    )

    assert response.status_code == 302
    page, cached = get(b, url)
    assert not cached
    assert "After the edit" in text(page)


def test_the_workers_caches_are_independent(two_workers):
    a, b = two_workers
    post = PostFactory()
    get(a, post.get_absolute_url())
    assert get(a, post.get_absolute_url())[1]
    assert not get(b, post.get_absolute_url())[1]


# --- Redis ----------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def redis_servers(settings):
    """Two app servers sharing one Redis (db 2), under a key prefix of this test's own,
    whose keys alone are deleted afterwards."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-pagecache-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield worker(settings, "shared"), worker(settings, "shared"), connection, prefix
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


def test_pages_are_stored_in_redis_and_served_from_it(redis_servers):
    one, two, redis, prefix = redis_servers
    post = PostFactory(title="Kept in Redis")

    get(one, post.get_absolute_url())

    assert list(redis.scan_iter(f"{prefix}:*"))
    page, cached = get(two, post.get_absolute_url())
    assert cached, "the other server gets the page the first one stored"
    assert "Kept in Redis" in text(page)


def test_an_edit_is_visible_through_every_server_sharing_redis(redis_servers):
    one, two, _, _ = redis_servers
    post = PostFactory(title="Before the edit")
    get(one, post.get_absolute_url())
    assert get(two, post.get_absolute_url())[1]

    post.title = "After the edit"
    post.save()

    for server in (one, two):
        page, _ = get(server, post.get_absolute_url())
        assert "After the edit" in text(page)
