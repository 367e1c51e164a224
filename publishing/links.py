"""Validation of the URLs that content stores in plain fields (event, slides, video, podcast).

Imported data holds typo'd schemes (``ttps://...``), ``javascript:`` values, blanks and
whitespace; templates render a link or an iframe only for what these functions accept.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from urllib.parse import SplitResult, unquote, urlsplit

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


# Percent-escapes a server may decode before it routes a path: ".", "/", "\\", and "%"
# itself (a double-encoded "%252e" is "%2e" after one decoding, "." after two).
_PATH_ESCAPE_RE = re.compile(r"%(?:2[eEfF]|5[cC]|25)")


def _without_dot_segments(segments: list[str], is_dot) -> str:
    """Resolve "." and ".." segments (RFC 3986 5.2.4) of a path split on "/"."""
    kept: list[str] = []
    for segment in segments[1:]:  # the path starts with "/": segments[0] is ""
        if is_dot(segment) == "..":
            if kept:
                kept.pop()
        elif is_dot(segment) != ".":
            kept.append(segment)
    if segments[-1:] and is_dot(segments[-1]):
        kept.append("")  # "/a/.." is "/", "/a/b/." is "/a/b/"
    return "/" + "/".join(kept)


def _browser_dot(segment: str) -> str | None:
    # Browsers take "%2e" for "." in dot segments (WHATWG URL), and nothing else.
    text = segment.lower().replace("%2e", ".")
    return text if text in (".", "..") else None


def _plain_dot(segment: str) -> str | None:
    return segment if segment in (".", "..") else None


def path_readings(path: str) -> list[str]:
    """The ways a path may be understood between the page and the server: as written;
    as a browser requests it (dot segments resolved, "%2e" counting as "."); and as a
    lenient server may route it (escaped dots and slashes decoded until none is left,
    backslashes as slashes, repeated slashes as one, dot segments resolved)."""
    decoded, previous = path, None
    while decoded != previous:
        previous = decoded
        decoded = _PATH_ESCAPE_RE.sub(lambda match: unquote(match.group(0)), decoded)
    decoded = re.sub(r"/{2,}", "/", decoded.replace("\\", "/"))
    return [
        path,
        _without_dot_segments(path.split("/"), _browser_dot),
        _without_dot_segments(decoded.split("/"), _plain_dot),
    ]


def embeddable_url(value: str | None) -> str | None:
    """Return the stripped URL if it may be the ``src`` of an iframe, else ``None``.

    The URL must pass :func:`http_url` and its host must be one of :data:`EMBED_HOSTS`
    (or a subdomain of one), with that host's required path prefix if it has one, however
    its path is read (:func:`path_readings`): "/presentation/../forms/x" is a Form.
    """
    split = _split_http(value)
    if split is None:
        return None
    url, parts = split
    # hostname is lower-cased by urllib; a trailing dot names the same host in DNS.
    host = (parts.hostname or "").rstrip(".")
    path = parts.path or "/"
    for allowed, path_prefix in EMBED_HOSTS.items():
        if _host_matches(host, allowed):
            readings = path_readings(path)
            return url if all(reading.startswith(path_prefix) for reading in readings) else None
    return None
