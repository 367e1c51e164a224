"""The page cache: whole responses for visitors, never stale.

Outermost middleware. A visitor's GET or HEAD is answered from the cache when a response
for the same URL (scheme, host, path, query string) and the same accepted encodings is
stored and was rendered at the current site version (`pagecache.models`): one query on
the version row and one cache read, no session, no view. Everything else goes through.

What is stored: anonymous GET responses with status 200 of text (pages, feeds,
calendars, the sitemap), that set no cookie, are not marked private or no-cache/no-store,
vary on nothing but Cookie and Accept-Encoding, and whose every query parameter the page
read (`?page=2` of a list, `?q=` of the search, never `?utm_source=` or `?page=` of a
page without pages: unused parameters cannot multiply the entries). An entry lives
`PAGE_CACHE_SECONDS` at most, and never past the next scheduled publication.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from pagecache.models import current_version
from pagecache.schedule import next_change

logger = logging.getLogger(__name__)

CACHED_TYPES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/ld+json",
)
# A response varying on another request header would need that header in the key.
ALLOWED_VARY = {"cookie", "accept-encoding"}
REFUSING_DIRECTIVES = {"private", "no-cache", "no-store"}
ENCODINGS = ("br", "deflate", "gzip", "identity", "zstd", "*")
MAX_QUERY_LENGTH = 200
MAX_ENCODING_LENGTH = 200


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.PAGE_CACHE_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.alias = settings.PAGE_CACHE_ALIAS
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.max_age = settings.PAGE_CACHE_MAX_AGE
        self.max_bytes = settings.PAGE_CACHE_MAX_BYTES
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.https_only = settings.SECURE_SSL_REDIRECT
        self.forwarded_host = settings.USE_X_FORWARDED_HOST
        self.excluded = tuple(settings.PAGE_CACHE_EXCLUDE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.key_for(request)
        if key is None:
            response = self.get_response(request)
            editor = self.session_cookie in request.META.get("HTTP_COOKIE", "")
            if editor and not response.has_header("Cache-Control"):
                # An editor's page (preview banners, drafts) is for them alone.
                patch_cache_control(response, private=True)
            return response
        version = current_version()
        now = time.time()
        cached = self.cached(request, key, version, now)
        if cached is not None:
            return cached
        if request.method != "GET":
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        if query:
            request.GET = ReadTrackingQueryDict(query, encoding=request.encoding)
        response = self.get_response(request)
        self.store(request, response, key, version, now)
        return response

    def key_for(self, request: HttpRequest) -> str | None:
        """The cache key of a request that may be answered from the cache, else None."""
        meta = request.META
        if request.method not in ("GET", "HEAD"):
            return None
        if self.session_cookie in meta.get("HTTP_COOKIE", "") or "HTTP_AUTHORIZATION" in meta:
            return None
        query = meta.get("QUERY_STRING", "")
        encodings = meta.get("HTTP_ACCEPT_ENCODING", "")
        if len(query) > MAX_QUERY_LENGTH or len(encodings) > MAX_ENCODING_LENGTH:
            return None
        if request.path_info.startswith(self.excluded):
            return None
        if self.https_only and not request.is_secure():
            return None  # redirected to HTTPS by SecurityMiddleware
        if self.forwarded_host:
            try:
                host = request.get_host()
            except DisallowedHost:
                return None  # answered 400 by CommonMiddleware
        else:
            # Unchecked: only a host in ALLOWED_HOSTS ever had a page stored (the others are
            # answered 400 by CommonMiddleware), so any other finds nothing.
            host = meta.get("HTTP_HOST") or meta.get("SERVER_NAME", "")
        url = f"{request.scheme}://{host}{request.path}?{query} {accepted_encodings(encodings)}"
        return "page:" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()

    def cached(self, request: HttpRequest, key: str, version: int, now: float):
        """The stored response for `key` if it was rendered at `version` and is fresh."""
        entry = self.fresh_entry(key, version, now)
        return None if entry is None else self.answer(request, entry, now)

    def fresh_entry(self, key: str, version: int, now: float) -> tuple | None:
        """What is stored for `key`, if it was rendered at `version` and is fresh:
        (version, expires, max-age, status, headers, body)."""
        entry = self.read(key)
        if entry is not None and entry[0] == version and now < entry[1]:
            return entry
        return None

    def read(self, key: str):
        try:
            return caches[self.alias].get(key)
        except Exception:  # an unreachable cache server serves pages uncached, not 500s
            logger.warning("Page cache unreadable", exc_info=True)
            return None

    def answer(self, request: HttpRequest, entry: tuple, now: float) -> HttpResponse:
        _, _, _, status, headers, body = entry
        response = HttpResponse(body, status=status, headers=dict(headers))
        response["Cache-Control"] = cache_control(entry, now)
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        return response

    def store(
        self,
        request: HttpRequest,
        response: HttpResponse,
        key: str,
        version: int,
        now: float,
    ) -> None:
        if not self.may_store(request, response):
            return
        seconds = self.seconds
        moment = next_change(version, datetime.datetime.fromtimestamp(now, datetime.UTC))
        if moment is not None:
            seconds = min(seconds, math.floor(moment.timestamp() - now))
        if seconds < 1:
            return
        max_age = self.max_age
        if "Cache-Control" in response:
            max_age = min(max_age, _max_age(response["Cache-Control"], max_age))
        patch_cache_control(response, public=True, max_age=min(max_age, seconds))
        headers = tuple(
            (name, value) for name, value in response.items() if name != "Cache-Control"
        )
        entry = (version, now + seconds, max_age, response.status_code, headers, response.content)
        try:
            caches[self.alias].set(key, entry, seconds)
        except Exception:
            logger.warning("Page cache unwritable", exc_info=True)

    def may_store(self, request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith(CACHED_TYPES):
            return False
        if len(response.content) > self.max_bytes:
            return False
        if REFUSING_DIRECTIVES & _directives(response.get("Cache-Control", "")):
            return False
        if _max_age(response.get("Cache-Control", ""), 1) <= 0:
            return False
        vary = {header.lower() for header in cc_delim_re.split(response.get("Vary", "")) if header}
        if vary - ALLOWED_VARY:
            return False
        if "cookie" in vary and request.META.get("HTTP_COOKIE"):
            return False  # rendered for this visitor's cookies, maybe
        parameters = request.GET
        if parameters:
            read = getattr(parameters, "names_read", set())
            if not set(parameters) <= read:
                return False
        return True


class ReadTrackingQueryDict(QueryDict):
    """`request.GET` that remembers the names of the parameters the page asked for."""

    def __init__(self, *args, **kwargs):
        self.names_read: set[str] = set()
        super().__init__(*args, **kwargs)
        self.names_read = set()  # parsing the query string looked every name up

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)

    def _getlist(self, key, *args, **kwargs):
        self.names_read.add(key)
        return super()._getlist(key, *args, **kwargs)


def cache_control(entry: tuple, now: float) -> str:
    """What browsers and CDNs are told of a stored page: never to keep it past its expiry."""
    _, expires, max_age, *_ = entry
    return f"public, max-age={min(max_age, int(expires - now))}"


def accepted_encodings(header: str) -> str:
    """The content codings a client accepts or refuses, in a canonical form: whatever
    compression runs inside the cache, a response is only served to clients that accept
    the same codings. Unknown tokens and preference weights other than 0 do not matter."""
    if not header:
        return ""
    codings = set()
    for item in header.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if name in ENCODINGS:
            refused = parameters.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000")
            codings.add(f"{name};q=0" if refused else name)
    return ",".join(sorted(codings))


def _directives(cache_control: str) -> set[str]:
    return {
        directive.split("=", 1)[0].strip().lower()
        for directive in cc_delim_re.split(cache_control)
        if directive
    }


def _max_age(cache_control: str, default: int) -> int:
    for directive in cc_delim_re.split(cache_control):
        name, _, value = directive.partition("=")
        if name.strip().lower() == "max-age":
            try:
                return int(value.strip())
            except ValueError:
                return 0
    return default
