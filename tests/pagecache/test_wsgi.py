"""The front that answers cached pages before Django's request handling: the same hits as
the middleware, and everything else handed to Django."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.wsgi import get_wsgi_application

from pagecache.wsgi import PageCacheFront
from tests.factories import PostFactory
from tests.services import keeping_test_connection

pytestmark = pytest.mark.django_db


class Django:
    """The application behind the front: Django, counting the requests it gets."""

    def __init__(self):
        self.application = get_wsgi_application()
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        with keeping_test_connection():
            result = self.application(environ, start_response)
            body = b"".join(result)
            result.close()
        return [body]


def environ(path: str, **headers: str) -> dict:
    """What a WSGI server passes for a GET of `path`, as the test client's server names it."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }


def call(front, path: str, **headers: str) -> tuple[str, dict, bytes]:
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, dict(response_headers)

    body = b"".join(front(environ(path, **headers), start_response))
    return started["status"], started["headers"], body


@pytest.fixture
def front():
    return PageCacheFront(Django())


@pytest.fixture
def post():
    return PostFactory(title="Pinned toolchains")


def test_a_stored_page_is_answered_without_django(client, front, post):
    stored = client.get(post.get_absolute_url())

    status, headers, body = call(front, post.get_absolute_url())

    assert front.application.requests == 0
    assert status == "200 OK"
    assert body == stored.content
    assert headers["Content-Type"] == stored["Content-Type"]
    assert headers["Cache-Control"].startswith("public, max-age=")


def test_a_page_not_stored_is_handed_to_django(front, post):
    status, _, body = call(front, post.get_absolute_url())
    assert front.application.requests == 1
    assert status == "200 OK"
    assert "Pinned toolchains" in body.decode()


def test_an_edit_sends_the_next_request_to_django(client, front, post):
    client.get(post.get_absolute_url())
    post.title = "Pinned, revised"
    post.save()

    _, _, body = call(front, post.get_absolute_url())

    assert front.application.requests == 1
    assert "Pinned, revised" in body.decode()


def test_an_editor_is_handed_to_django(client, front, post, settings):
    client.get(post.get_absolute_url())
    call(front, post.get_absolute_url(), cookie=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert front.application.requests == 1


def test_a_conditional_request_gets_304_from_the_front(client, front, post):
    etag = client.get(post.get_absolute_url())["ETag"]
    status, headers, body = call(front, post.get_absolute_url(), if_none_match=etag)
    assert front.application.requests == 0
    assert status == "304 Not Modified"
    assert headers["ETag"] == etag
    assert body == b""


def test_a_failing_cache_hands_the_request_to_django(client, front, post, monkeypatch):
    client.get(post.get_absolute_url())

    def broken(*args, **kwargs):
        raise OSError("the cache server went away")

    monkeypatch.setattr(front.pages, "read", broken)

    status, _, _ = call(front, post.get_absolute_url())

    assert status == "200 OK"
    assert front.application.requests == 1


def test_the_front_does_nothing_when_the_page_cache_is_off(client, post, settings):
    client.get(post.get_absolute_url())
    settings.PAGE_CACHE_ENABLED = False
    front = PageCacheFront(Django())
    call(front, post.get_absolute_url())
    call(front, post.get_absolute_url())
    assert front.application.requests == 2


def test_the_sites_wsgi_application_is_the_front():
    from config.wsgi import application

    assert isinstance(application, PageCacheFront)
