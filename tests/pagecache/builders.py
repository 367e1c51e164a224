"""What the page cache tests share: whether a response came from the cache, and views with
the properties that keep a response out of it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path
from django.utils.cache import add_never_cache_headers

# Requests the page cache answered, appended to by the `answers_recorded` fixture.
ANSWERED: list[str] = []


def get(client, url: str, **kwargs) -> tuple[HttpResponse, bool]:
    """The response to a GET, and whether the page cache answered it."""
    answered = len(ANSWERED)
    response = client.get(url, **kwargs)
    return response, len(ANSWERED) > answered


def text(response) -> str:
    return response.content.decode()


# --- A URLconf with views whose responses must not be cached -----------------------------


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
    path("test/cookie/", sets_a_cookie),
    path("test/never-cache/", never_cache),
    path("test/private/", private),
    path("test/vary/", varies_on_language),
    path("test/colour/", reads_colour),
    path("test/binary/", binary),
    path("test/plain/", plain),
    path("", include("config.urls")),
]
