"""Validation of the URLs that content stores in plain fields (event, slides, video, podcast).

Imported data holds typo'd schemes (``ttps://...``), ``javascript:`` values, blanks and
whitespace; templates render a link or an iframe only for what these functions accept.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from urllib.parse import SplitResult, urlsplit

# Host (matched exactly or as a parent domain) -> path prefix an embed URL must start with.
# Why each is here: youtube.com / youtube-nocookie.com are talk recordings (the nocookie
# host is the privacy-friendly embed); vimeo.com covers player.vimeo.com recordings;
# slides.com, speakerdeck.com and slideshare.net host slide decks; docs.google.com is
# Google Slides, and only under /presentation/ so no arbitrary Doc, Sheet or Form can be
# framed; open.spotify.com, anchor.fm, podcasters.spotify.com (Anchor's new name) and
# spreaker.com (widget.spreaker.com) are podcast players.
EMBED_HOSTS: MappingProxyType[str, str] = MappingProxyType(
    {
        "youtube.com": "",
        "youtube-nocookie.com": "",
        "vimeo.com": "",
        "slides.com": "",
        "docs.google.com": "/presentation/",
        "speakerdeck.com": "",
        "slideshare.net": "",
        "open.spotify.com": "",
        "anchor.fm": "",
        "podcasters.spotify.com": "",
        "spreaker.com": "",
    }
)

# Browsers drop tabs/newlines inside URLs and read "\" as "/" in http(s) URLs, while
# urllib does neither: "https://evil.example\@youtube.com" is youtube.com to urllib
# and evil.example to a browser. Refusing such characters removes that disagreement.
_UNSAFE_CHARS_RE = re.compile(r"[\s\x00-\x1f\x7f\\]")


def _split_http(value: str | None) -> tuple[str, SplitResult] | None:
    """Return the stripped value and its parts when it is an absolute http(s) URL."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _UNSAFE_CHARS_RE.search(url):
        return None
    try:
        parts = urlsplit(url)
        # .port raises on a malformed port ("https://a.b:99999"); such a URL cannot load.
        parts.port  # noqa: B018
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url, parts


def http_url(value: str | None) -> str | None:
    """Return ``value`` stripped if it is an absolute ``http://``/``https://`` URL with a host.

    Anything else (``None``, blanks, ``ttps://...``, ``javascript:...``, ``ftp://...``,
    relative paths, URLs with whitespace or backslashes) gives ``None``, so callers can
    write ``{% if talk.video_url %}`` and never render a broken or hostile link.
    """
    split = _split_http(value)
    return split[0] if split else None


def _host_matches(host: str, allowed: str) -> bool:
    """True for ``allowed`` itself or one of its subdomains (``www.youtube.com``)."""
    # Compared on label boundaries so "evilyoutube.com" and "youtube.com.evil.com" fail.
    return host == allowed or host.endswith("." + allowed)


def embeddable_url(value: str | None) -> str | None:
    """Return the stripped URL if it may be the ``src`` of an iframe, else ``None``.

    The URL must pass :func:`http_url` and its host must be one of :data:`EMBED_HOSTS`
    (or a subdomain of one), with that host's required path prefix if it has one.
    """
    split = _split_http(value)
    if split is None:
        return None
    url, parts = split
    # hostname is lower-cased by urllib; a trailing dot names the same host in DNS.
    host = (parts.hostname or "").rstrip(".")
    for allowed, path_prefix in EMBED_HOSTS.items():
        if _host_matches(host, allowed) and parts.path.startswith(path_prefix):
            return url
    return None
