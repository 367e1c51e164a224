"""Addresses of items by their slug (and date), without a `reverse()` per link.

A page of cards links a dozen posts, tags and people; `reverse()` costs more than the rest
of a card. The part of an address before its variable tail only depends on the script
prefix and the URLconf, so it is reversed once per pair and the tail is appended, quoted
the way `reverse()` quotes it."""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse

# What `reverse()` leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters
# and "/~:@").
SAFE = "!$&'()*+,;=/~:@"

# A tail every URL converter of the site accepts.
SAMPLE_SLUG = "slug"
SAMPLE_DATE = {"year": 2000, "month": 1, "day": 1}
SAMPLE_DATE_PATH = "2000/01/01/"


@lru_cache(maxsize=32)
def _base(viewname: str, key: str, dated: bool, script_prefix: str, urlconf: str) -> str:
    kwargs = {**SAMPLE_DATE, key: SAMPLE_SLUG} if dated else {key: SAMPLE_SLUG}
    tail = f"{SAMPLE_DATE_PATH}{SAMPLE_SLUG}/" if dated else f"{SAMPLE_SLUG}/"
    url = reverse(viewname, kwargs=kwargs)
    if not url.endswith(tail):
        raise ImproperlyConfigured(f"The address of {viewname!r} does not end with {tail!r}.")
    return url.removesuffix(tail)


def reversing_context() -> tuple[str, str]:
    """What every reversed address depends on besides its arguments: the script prefix
    and the URLconf of the request being served. A cache of addresses is keyed on it."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def _base_of(viewname: str, key: str = "slug", dated: bool = False) -> str:
    return _base(viewname, key, dated, *reversing_context())


def slug_url(viewname: str, slug: str, key: str = "slug") -> str:
    """`reverse(viewname, kwargs={key: slug})` for a pattern ending in `<key>/`."""
    return f"{_base_of(viewname, key)}{quote(slug, safe=SAFE)}/"


def dated_slug_url(viewname: str, year: int, month: int, day: int, slug: str) -> str:
    """`reverse()` of a pattern ending in `<year>/<month>/<day>/<slug>/`."""
    tail = f"{year:04d}/{month:02d}/{day:02d}/{slug}/"
    return f"{_base_of(viewname, dated=True)}{quote(tail, safe=SAFE)}"
