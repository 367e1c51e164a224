"""Jekyll posts: ``_posts/YYYY-MM-DD-slug.md`` (or ``.markdown``), the most common
static-blog layout (https://jekyllrb.com/docs/posts/, /docs/front-matter/).

- The file name gives the date and the slug; a ``date`` key (``2024-03-18 09:30:00
  +0100``, time and offset optional) and a ``slug`` key override them.
- ``published: false`` is a draft; ``tags`` is a list or a space-separated string.
- ``excerpt`` and ``description`` (jekyll-seo-tag) describe the post, ``image`` is its
  picture (a path from the site's root), ``lang`` its language, ``last_modified_at`` its
  update (jekyll-last-modified-at); ``author`` names the author.
- ``layout``, ``permalink``, ``categories``/``category``, ``redirect_from`` and every other
  key are kept as written. The old addresses get redirects: the ``permalink`` (or
  Jekyll's default, ``/:categories/:year/:month/:day/:title.html``) and each
  ``redirect_from`` path (jekyll-redirect-from).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path, PurePosixPath
from typing import Any

from frontmatter.formats.base import POST, Format, utc_day
from frontmatter.keys import (
    Author,
    DateTime,
    Key,
    RequiredText,
    Tags,
    Text,
    Value,
    optional,
    read_only,
)
from frontmatter.keys import Image as ImageRef
from frontmatter.readers import FieldError, ItemData, in_range, read_bool, read_datetime

NAME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.(?P<ext>md|markdown)$")
POSTS_FOLDER = "_posts"
# The date formats Jekyll documents, tried before the ISO forms other formats use.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
DEFAULT_PERMALINK = "/:categories/:year/:month/:day/:title:output_ext"
PLACEHOLDER_RE = re.compile(
    r":(categories|year|month|day|i_month|i_day|short_year|title|slug|output_ext)"
)


def read_jekyll_datetime(key: str, value: Any, item: ItemData) -> datetime.datetime | None:
    if isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(value.strip(), pattern)
            except ValueError:
                continue
            return in_range(key, value, moment)
    return read_datetime(key, value, item)


class JekyllDateTime(DateTime):
    """A date as Jekyll writes it, in the time zone the file gave it."""

    reader = staticmethod(read_jekyll_datetime)

    def is_import_default(self, writer):
        """The post's date is its file name's (a file without a `date` key gets that)."""
        match = NAME_RE.match(writer.path.name)
        if self.target != "date" or match is None:
            return False
        named = datetime.datetime.fromisoformat(match["date"]).replace(tzinfo=datetime.UTC)
        return writer.instance.date == named

    def encode(self, writer, original=None):
        moment = getattr(writer.instance, self.target)
        if moment is None:
            return None
        zone = datetime.UTC
        try:
            before = read_jekyll_datetime(self.target, original, ItemData(POST, Jekyll.name))
        except FieldError:
            before = None
        if before is not None and before.tzinfo is not None:
            zone = before.tzinfo
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %z")


class Published(Value):
    """`published: false` makes a draft; a published post needs no key."""

    target = "status"
    fields = ("status",)
    resets = False

    def read(self, key, value, item):
        item.fields["status"] = "published" if read_bool(key, value, item) else "draft"

    def decode(self, key, value, writer):
        return read_bool(key, value, None)

    def current(self, writer):
        return writer.instance.status == "published"

    def encode(self, writer, original=None):
        if self.current(writer):
            return True if original is not None else None
        return False

    def is_import_default(self, writer):
        return writer.instance.status == "published"

    def worth_adding(self, encoded):
        return encoded is not None


class Jekyll(Format):
    name = "jekyll"
    label = "Jekyll"
    suffixes = (".md", ".markdown")
    site_absolute_images = True
    keys = {
        POST: (
            Key("title", RequiredText("title")),
            Key("date", JekyllDateTime("date", resets=False)),
            optional("author", Author("name")),
            optional("tags", Tags(spaces=True)),
            optional("description", Text("description")),
            optional("image", ImageRef("header_image")),
            optional("lang", Text("language")),
            optional("last_modified_at", JekyllDateTime("updated")),
            optional("published", Published()),
            read_only("excerpt", Text("description")),
            read_only("slug", RequiredText("slug")),
        ),
    }

    def finds(self, path):
        return path.suffix == ".md" or (
            path.suffix == ".markdown" and POSTS_FOLDER in path.absolute().parts[:-1]
        )

    def detect(self, source):
        folders = Path(source.path).absolute().parts[:-1]
        return POST if POSTS_FOLDER in folders else None

    def fill_from_file_name(self, source, item):
        match = NAME_RE.match(source.posix.name)
        if match is None:
            raise FieldError(
                "file name", "a Jekyll post must be named YYYY-MM-DD-slug.md (or .markdown)"
            )
        item.fields.setdefault("slug", match["slug"])
        if item.fields.get("date") is None:
            item.fields["date"] = read_datetime("file name", match["date"], item)
        item.fields.setdefault("status", "published")
        item.old_paths = [self._permalink(source.data, item, match), *_redirect_from(source.data)]

    def old_paths(self, item, instance):
        return [path for path in item.old_paths if path]

    def _permalink(self, data: dict, item: ItemData, match: re.Match) -> str | None:
        template = data.get("permalink")
        if not isinstance(template, str) or not template.strip():
            template = DEFAULT_PERMALINK
        day = item.fields["date"]
        categories = data.get("categories", data.get("category"))
        if isinstance(categories, str):
            categories = categories.split()
        if not isinstance(categories, list):
            categories = []
        values = {
            "categories": "/".join(dict.fromkeys(str(c).lower() for c in categories)),
            "year": f"{day:%Y}",
            "month": f"{day:%m}",
            "day": f"{day:%d}",
            "i_month": str(day.month),
            "i_day": str(day.day),
            "short_year": f"{day:%y}",
            "title": item.fields["slug"],
            "slug": item.fields["slug"],
            "output_ext": ".html",
        }
        path = PLACEHOLDER_RE.sub(lambda placeholder: values[placeholder[1]], template.strip())
        if ":" in path or "?" in path or "#" in path:
            return None  # a placeholder this importer does not know: no redirect
        return "/" + re.sub(r"/{2,}", "/", path).lstrip("/")

    def item_path(self, writer):
        instance = writer.instance
        if writer.pristine:
            return PurePosixPath(instance.source_path)
        folder, extension = PurePosixPath(POSTS_FOLDER), ".md"
        day, slug = utc_day(instance.date), instance.slug
        if writer.same_format and instance.source_path:
            source = PurePosixPath(instance.source_path)
            folder = source.parent
            match = NAME_RE.match(source.name)
            if match:
                extension = f".{match['ext']}"
                # The name keeps what did not change (a date key may differ from it).
                if instance.date == _date_said(writer.original, match):
                    day = datetime.date.fromisoformat(match["date"])
                if instance.slug == writer.original.get("slug", match["slug"]):
                    slug = match["slug"]
        return folder / f"{day:%Y-%m-%d}-{slug}{extension}"


def _date_said(original: dict, match: re.Match) -> datetime.datetime | None:
    """The date the file said when it was imported: its key, else its name's."""
    item = ItemData(POST, Jekyll.name)
    try:
        return read_jekyll_datetime("date", original.get("date"), item) or read_datetime(
            "file name", match["date"], item
        )
    except FieldError:
        return None


def _redirect_from(data: dict) -> list[str]:
    """The site paths of `redirect_from` (one or a list; full URLs are another site's)."""
    paths = data.get("redirect_from")
    paths = [paths] if isinstance(paths, str) else paths if isinstance(paths, list) else []
    return [
        "/" + path.strip().lstrip("/")
        for path in paths
        if isinstance(path, str) and path.strip() and "://" not in path
    ]
