"""loige.co in its Gatsby years: page bundles ``posts/YYYY-MM-DD_slug/index.md`` and
``speaking/YYYY-MM-DD_slug/index.md``, whose ``layout`` (``post``, ``speaking``) tells the
kind; images beside the file (``./x.png``). Old addresses: ``/slug/`` for posts,
``/speaking/slug/`` for talks."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from frontmatter.formats.base import POST, TALK, Format, date_from_name, item_name, utc_day
from frontmatter.keys import (
    Author,
    Bool,
    Credits,
    DateTime,
    Gps,
    Key,
    Layout,
    NullableText,
    RequiredText,
    Status,
    Tags,
    Text,
    Uuid,
    optional,
    read_only,
)
from frontmatter.keys import Image as ImageRef
from frontmatter.readers import FieldError

# 2021-11-17_inference-podcast-interview (folder) or 2023-04-13-production-ready-…md
NAME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[_-](?P<slug>.+?)(?:\.md)?$")
LAYOUTS = {"speaking": TALK, "post": POST, "blog": POST}
# The keys that describe a talk's event, in the order both loige.co eras write them.
EVENT_KEYS = [
    "event_name",
    "event_link",
    "event_location",
    "event_location_gps",
    "event_city",
    "event_days",
    "is_workshop",
]


def post_keys(*, modern: bool = False) -> dict[str, Key]:
    """The keys loige.co's posts and talks share, by name, as both eras read them."""
    return {
        "uuid": Key("uuid", Uuid()),
        "layout": Key("layout", Layout()),
        "title": Key("title", RequiredText("title")),
        "slug": Key("slug", RequiredText("slug")),
        "subtitle": Key("subtitle", NullableText("subtitle")),
        "date": Key("date", DateTime("date", resets=False)),
        "updated": Key("updated", DateTime("updated")),
        "author": Key("author", Author("name")),
        "author_slug": Key("author_slug", Author("slug")),
        "header_img": Key("header_img", ImageRef("header_image")),
        "fb_img": Key("fb_img", ImageRef("facebook_image")),
        "tw_img": Key("tw_img", ImageRef("twitter_image")),
        "status": Key("status", Status()),
        "language": Key("language", Text("language")),
        "presentation_language": Key("presentation_language", Text("presentation_language")),
        "meta_title": Key("meta_title", NullableText("meta_title")),
        "meta_description": Key("meta_description", NullableText("meta_description")),
        "description": Key("description", Text("description")),
        "tags": Key("tags", Tags()),
        "written_with": Key("written_with", Credits()),
        "with": Key("with", Credits()),
        "event_name": Key("event_name", Text("event_name")),
        "event_link": Key("event_link", NullableText("event_link", link=True)),
        "event_location": Key("event_location", NullableText("event_location")),
        "event_location_gps": Key("event_location_gps", Gps()),
        "event_city": Key("event_city", Text("event_city")),
        "event_days": Key("event_days", Text("event_days")),
        "is_workshop": Key("is_workshop", Bool("is_workshop")),
        "slides_link": Key("slides_link", NullableText("slides_link", link=True)),
        "embed_slides": Key("embed_slides", NullableText("embed_slides", link=True)),
        "video_link": Key("video_link", NullableText("video_link", link=True)),
        "podcast_link": Key("podcast_link", NullableText("podcast_link", link=True)),
        "podcast_embed": Key("podcast_embed", NullableText("podcast_embed", link=True)),
    }


def ordered(keys: dict[str, Key], written: list[str], optional_keys=(), read=()) -> tuple:
    """The keys named in `written` (in that order, those in `optional_keys` only when
    set), then those in `read`, read but never written."""
    return (
        *(
            optional(name, keys[name].value) if name in optional_keys else keys[name]
            for name in written
        ),
        *(read_only(name, keys[name].value) for name in read),
    )


class Loige(Format):
    """What both loige.co eras share: the keys, the old addresses, the file names."""

    def fill_from_file_name(self, source, item):
        date_from_name(NAME_RE.match(item_name(source.posix)), item)

    def old_paths(self, item, instance):
        if item.kind == TALK:
            return [f"/speaking/{instance.slug}/"]
        return [f"/{instance.slug}/"]

    def item_path(self, writer):
        instance = writer.instance
        if writer.same_format and instance.source_path:
            return PurePosixPath(instance.source_path)
        folder = "speaking" if writer.kind == TALK else "posts"
        name = f"{utc_day(instance.date):%Y-%m-%d}_{instance.slug}"
        return PurePosixPath(folder) / self.bundle_or_file(writer.kind, name)

    def bundle_or_file(self, kind: str, name: str) -> PurePosixPath:
        return PurePosixPath(name) / "index.md"


_KEYS = post_keys()


class Loige2021(Loige):
    name = "loige-2021"
    label = "loige.co 2021 (Gatsby)"
    keys = {
        POST: ordered(
            _KEYS,
            [
                "uuid",
                "layout",
                "title",
                "slug",
                "subtitle",
                "date",
                "updated",
                "author",
                "author_slug",
                "header_img",
                "fb_img",
                "tw_img",
                "status",
                "language",
                "meta_title",
                "meta_description",
                "tags",
                "written_with",
            ],
            optional_keys={"written_with"},
            read=["description", "with"],
        ),
        TALK: ordered(
            _KEYS,
            [
                "uuid",
                "layout",
                "title",
                "slug",
                "date",
                "author",
                "author_slug",
                "header_img",
                "status",
                "language",
                "presentation_language",
                "meta_title",
                "meta_description",
                *EVENT_KEYS,
                "slides_link",
                "video_link",
                "with",
                "embed_slides",
                "podcast_link",
                "podcast_embed",
                "tags",
            ],
            optional_keys={"embed_slides", "podcast_link", "podcast_embed", "tags"},
            read=["written_with"],
        ),
    }

    def detect(self, source):
        layout = source.data.get("layout")
        if layout is None:
            return None
        if layout in LAYOUTS:
            return LAYOUTS[layout]
        raise FieldError("layout", f"unknown layout {layout!r} (expected 'post' or 'speaking')")
