"""What the page cache tests share: whether a response came from the cache, and views with
the properties that keep a response out of it."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils.cache import add_never_cache_headers

from blog.models import Post

VERSION_TABLE = "pagecache_siteversion"


def get(client, url: str, **kwargs) -> tuple[HttpResponse, bool]:
    """The response to a GET, and whether it came from the page cache: then the only
    query is the read of the site version."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    cached = len(queries) == 1 and VERSION_TABLE in queries[0]["sql"]
    return response, cached


def text(response) -> str:
    return response.content.decode()


# --- A URLconf with views whose responses must not be cached -----------------------------
# Each reads the database, as pages do, so that `get()` tells a rendered response from one
# answered by the cache.


def reads_the_database(view):
    def wrapped(request):
        Post.objects.exists()
        return view(request)

    return wrapped


def sets_a_cookie(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def never_cache(request):
    response = HttpResponse("<p>fresh</p>")
    add_never_cache_headers(response)
    return response


def private(request):
    response = HttpResponse("<p>yours</p>")
    response["Cache-Control"] = "private"
    return response


def varies_on_language(request):
    response = HttpResponse(f"<p>{request.headers.get('Accept-Language', '')}</p>")
    response["Vary"] = "Accept-Language"
    return response


def reads_colour(request):
    return HttpResponse(f"<p>{request.GET.get('colour', 'none')}</p>")


def binary(request):
    return HttpResponse(b"\x89PNG", content_type="image/png")


def plain(request):
    return HttpResponse("<p>plain</p>")


urlpatterns = [
    path("test/cookie/", reads_the_database(sets_a_cookie)),
    path("test/never-cache/", reads_the_database(never_cache)),
    path("test/private/", reads_the_database(private)),
    path("test/vary/", reads_the_database(varies_on_language)),
    path("test/colour/", reads_the_database(reads_colour)),
    path("test/binary/", reads_the_database(binary)),
    path("test/plain/", reads_the_database(plain)),
    path("", include("config.urls")),
]
