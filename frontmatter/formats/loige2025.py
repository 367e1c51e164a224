"""loige.co in its Astro years: single files ``speaking/YYYY-MM-DD_slug.md`` (posts may
still be page bundles), the 2021 keys trimmed, plus ``embed_slides``, ``podcast_*``."""

from __future__ import annotations

from pathlib import PurePosixPath

from frontmatter.formats.base import POST, TALK, site_folder
from frontmatter.formats.loige2021 import EVENT_KEYS, Loige, ordered, post_keys

# Folders that hold talks on the sites we migrate (a talk file may lack every event key).
TALK_FOLDERS = frozenset({"speaking", "talks"})
# A file with any of these is a talk, wherever it is.
TALK_KEYS = frozenset(EVENT_KEYS)
_KEYS = post_keys()
# Read (the 2021 keys are still understood) but not written in a new file.
_READ_POST = [
    "uuid",
    "layout",
    "author",
    "author_slug",
    "fb_img",
    "tw_img",
    "with",
]
_READ_TALK = [
    "uuid",
    "layout",
    "author",
    "author_slug",
    "header_img",
    "meta_title",
    "meta_description",
    "written_with",
]


class Loige2025(Loige):
    name = "loige-2025"
    label = "loige.co 2025 (Astro)"
    keys = {
        POST: ordered(
            _KEYS,
            [
                "title",
                "slug",
                "subtitle",
                "date",
                "updated",
                "header_img",
                "status",
                "tags",
                "description",
                "written_with",
                "language",
                "meta_title",
                "meta_description",
            ],
            optional_keys={
                "header_img",
                "written_with",
                "language",
                "meta_title",
                "meta_description",
            },
            read=_READ_POST,
        ),
        TALK: ordered(
            _KEYS,
            [
                "title",
                "slug",
                "date",
                "status",
                "language",
                *EVENT_KEYS,
                "slides_link",
                "embed_slides",
                "video_link",
                "with",
                "podcast_link",
                "podcast_embed",
                "presentation_language",
                "tags",
            ],
            optional_keys={"podcast_link", "podcast_embed", "presentation_language", "tags"},
            read=_READ_TALK,
        ),
    }

    def detect(self, source):
        data, posix = source.data, source.posix
        if TALK_KEYS & data.keys() or TALK_FOLDERS & {site_folder(source), *posix.parts[:-1]}:
            return TALK
        if "slug" in data:
            return POST
        return None

    def bundle_or_file(self, kind, name):
        if kind == TALK:
            return PurePosixPath(f"{name}.md")
        return super().bundle_or_file(kind, name)
