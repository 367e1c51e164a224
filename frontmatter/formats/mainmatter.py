"""Mainmatter's Eleventy site: posts ``posts/YYYY-MM-DD-slug.md`` whose date and slug come
from the file name only, and author profiles ``authors/<handle>.md``. Images are
site-absolute (``/assets/images/...``). Old addresses: ``/blog/YYYY/MM/DD/slug/``."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from frontmatter.formats.base import (
    DATE_PREFIX_RE,
    PERSON,
    POST,
    Format,
    item_name,
    site_folder,
    utc_day,
)
from frontmatter.keys import (
    Author,
    Key,
    Layout,
    OgImage,
    RequiredText,
    Tags,
    Text,
    optional,
    read_only,
)
from frontmatter.keys import Image as ImageRef
from frontmatter.readers import FieldError, read_datetime

# 2024-03-18-cargo-autoinherit.md
NAME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.md$")


class Mainmatter(Format):
    name = "mainmatter"
    label = "Mainmatter (Eleventy)"
    site_absolute_images = True
    keys = {
        POST: (
            Key("title", RequiredText("title")),
            Key("authorHandle", Author("slug")),
            optional("tags", Tags()),
            read_only("topic", Tags()),
            optional("bio", Text("author_bio")),
            Key("description", Text("description")),
            optional("og", OgImage()),
            optional("tagline", Text("tagline")),
            optional("image", ImageRef("header_image")),
            optional("imageAlt", Text("header_image_alt")),
            read_only("layout", Layout()),
        ),
        PERSON: (
            Key("name", RequiredText("name")),
            optional("github", Text("github")),
            optional("twitter", Text("twitter")),
            optional("mastodon", Text("mastodon")),
            optional("linkedin", Text("linkedin")),
            optional("bluesky", Text("bluesky")),
            optional("bio", Text("bio")),
            optional("title", Text("job_title")),
            optional("longBio", Text("long_bio")),
            read_only("layout", Layout()),
        ),
    }

    def detect(self, source):
        name = item_name(source.posix)
        data = source.data
        if site_folder(source) == "authors" and not DATE_PREFIX_RE.match(name) and "name" in data:
            return PERSON
        if "authorHandle" in data or (NAME_RE.match(name) and "slug" not in data):
            return POST
        return None

    def fill_from_file_name(self, source, item):
        name = item_name(source.posix)
        if item.kind == PERSON:
            item.fields["slug"] = PurePosixPath(name).stem
            return
        match = NAME_RE.match(name)
        if not match:
            raise FieldError("file name", "a mainmatter post must be named YYYY-MM-DD-slug.md")
        # The file name is the only source of date and slug in this format.
        item.fields["slug"] = match["slug"]
        item.fields["date"] = read_datetime("file name", match["date"], item)
        item.fields.setdefault("status", "published")

    def old_paths(self, item, instance):
        if item.kind == PERSON:
            return []
        return [f"/blog/{instance.date:%Y/%m/%d}/{instance.slug}/"]

    def item_path(self, writer):
        instance = writer.instance
        if writer.kind == PERSON:
            if writer.same_format and instance.source_path:
                return PurePosixPath(instance.source_path)
            return PurePosixPath("authors") / f"{instance.slug}.md"
        # Date and slug live in the file name, so an edited date or slug renames the file.
        same = writer.same_format and instance.source_path
        folder = PurePosixPath(instance.source_path).parent if same else "posts"
        return PurePosixPath(folder) / f"{utc_day(instance.date):%Y-%m-%d}-{instance.slug}.md"
