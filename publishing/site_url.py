"""The site's address in absolute URLs, decided at request time.

Canonical links, Open Graph and JSON-LD, feeds, sitemaps, calendars and the admin's "View
on site" all take it from `site_url()`: the SITE_URL setting when it is set (production sets
it, so every page names the one public address whatever host a request came in on), else the
scheme and host of the request being served, which Django has checked against ALLOWED_HOSTS.
A site served on another port or host so links to itself. Nothing is stored: the sites
framework's Site row only keys redirects.

The request is known to code that is not handed it (a model's `site_url` property rendered
in a template) through a context variable, set by `SiteURLMiddleware` for the length of the
request: contextvars keep threads and async tasks apart.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

# Outside a request (the shell, a management command) and with SITE_URL unset: the address
# `make run` serves on.
LOCAL_SITE_URL = "http://127.0.0.1:8000"

_request: ContextVar[HttpRequest | None] = ContextVar("site_url_request", default=None)


def site_url() -> str:
    """The site's origin, e.g. "https://www.example.org", without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = _request.get()
    if request is None:
        return LOCAL_SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path: str) -> str:
    """A site-absolute path ("/blog/x/") as a full URL on the site's origin."""
    return site_url() + path


def site_scheme_and_host() -> tuple[str, str]:
    origin = urlsplit(site_url())
    return origin.scheme, origin.netloc


class SiteURLMiddleware:
    """Makes the request's origin known to `site_url()` while the request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
