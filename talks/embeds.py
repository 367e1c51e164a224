"""Players embedded on a talk page: the privacy-friendly video URL, and click-to-load frames.

A talk page loads nothing from other sites: each player is a box with a link to the
original and a button that puts the iframe in place (``static/js/embeds.js``). Every URL
that may become an iframe ``src`` has passed :func:`publishing.links.embeddable_url`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from publishing.links import embeddable_url, http_url

_YOUTUBE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")
# YouTube paths that carry the video id as their second segment.
_YOUTUBE_ID_PATHS = {"embed", "shorts", "live", "v", "e"}
_VIMEO_ID_RE = re.compile(r"^\d+$")
_VIMEO_HASH_RE = re.compile(r"^[0-9a-f]+$")
# "t=972", "t=972s", "t=1h2m3s", "start=60": where a shared link starts playing.
_TIME_RE = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


def _host(parts) -> str:
    return (parts.hostname or "").rstrip(".").removeprefix("www.").removeprefix("m.")


def _start_seconds(query: dict[str, list[str]]) -> int:
    value = (query.get("t") or query.get("start") or [""])[0]
    match = _TIME_RE.match(value)
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube_id(host: str, path_segments: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "youtu.be":
        candidate = path_segments[0] if path_segments else ""
    elif host in {"youtube.com", "music.youtube.com", "youtube-nocookie.com"}:
        if path_segments[:1] == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(path_segments) >= 2 and path_segments[0] in _YOUTUBE_ID_PATHS:
            candidate = path_segments[1]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID_RE.match(candidate) else None


def _vimeo_embed(host: str, path_segments: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "player.vimeo.com" and path_segments[:1] == ["video"]:
        ids = path_segments[1:2]
        private_hash = (query.get("h") or [""])[0]
    elif host == "vimeo.com":
        # vimeo.com/<id>, vimeo.com/<id>/<hash> (unlisted), vimeo.com/channels/x/<id>, ...
        numeric = [index for index, part in enumerate(path_segments) if _VIMEO_ID_RE.match(part)]
        if not numeric:
            return None
        ids = [path_segments[numeric[0]]]
        following = path_segments[numeric[0] + 1 : numeric[0] + 2]
        private_hash = following[0] if following else ""
    else:
        return None
    if not ids or not _VIMEO_ID_RE.match(ids[0]):
        return None
    params = {"h": private_hash} if _VIMEO_HASH_RE.match(private_hash) else {}
    # dnt=1: the player sets no tracking cookies.
    params["dnt"] = "1"
    return f"https://player.vimeo.com/video/{ids[0]}?{urlencode(params)}"


def video_embed_url(value: str | None) -> str | None:
    """The privacy-friendly player URL of a YouTube or Vimeo link, else None.

    YouTube plays from youtube-nocookie.com (``/embed/<id>``, keeping a start time given as
    ``t=`` or ``start=``); Vimeo from ``player.vimeo.com/video/<id>?dnt=1``. Links that are
    not http(s), other hosts and links without a recognisable video id give None.
    """
    url = http_url(value)
    if url is None:
        return None
    parts = urlsplit(url)
    host = _host(parts)
    segments = [segment for segment in parts.path.split("/") if segment]
    query = parse_qs(parts.query)
    embed = None
    if youtube_id := _youtube_id(host, segments, query):
        start = _start_seconds(query)
        embed = f"https://www.youtube-nocookie.com/embed/{youtube_id}"
        if start:
            embed += f"?start={start}"
    else:
        embed = _vimeo_embed(host, segments, query)
    # Belt and braces: whatever is built here must also pass the site-wide allowlist.
    return embeddable_url(embed)


def video_provider(value: str | None) -> str | None:
    """ "YouTube" or "Vimeo" for a link :func:`video_embed_url` can embed."""
    embed = video_embed_url(value)
    if embed is None:
        return None
    return "Vimeo" if "vimeo.com" in urlsplit(embed).hostname else "YouTube"


@dataclass(frozen=True)
class Frame:
    """A player shown as a click-to-load box: the iframe `src` waits in a data attribute."""

    kind: str  # "video", "slides" or "podcast": the box's proportions
    src: str  # allowlisted embed URL, never loaded before the visitor asks
    link: str  # the original page, which works without JavaScript
    link_text: str
    title: str  # the iframe's accessible name

    @property
    def host(self) -> str:
        """The site the frame would load from, named on the button."""
        return (urlsplit(self.src).hostname or "").removeprefix("www.")
