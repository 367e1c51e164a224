"""What a front-matter format is: its keys per kind, how it names files, how it tells
its files apart, where its items lived on the old site and how it refers to images.

Each format is one module in this package with one `Format` subclass; the registry
(`frontmatter.formats`) lists them. The importer and exporter ask the format, never its
name.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from django.utils import timezone

from frontmatter.keys import Key, Written
from frontmatter.readers import FieldError, ItemData, read_datetime
from frontmatter.sourcefiles import SourceFile

if TYPE_CHECKING:
    from frontmatter.exporter import ItemWriter

POST, TALK, PERSON = "post", "talk", "person"
KINDS = (POST, TALK, PERSON)
DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def item_name(posix: PurePosixPath) -> str:
    """The name that carries date and slug: the folder of a page bundle, else the file."""
    return posix.parent.name if posix.name == "index.md" else posix.name


def site_folder(source: SourceFile) -> str:
    """The folder of the site the item sits in ("authors", "posts", "speaking"): that of a
    page bundle's folder, else the file's. Taken from the file's own path, so it is the same
    whichever folder the import was given: the site, `authors/`, or the file itself."""
    path = Path(source.path).absolute()
    item = path.parent if path.name == "index.md" else path
    return item.parent.name


def utc_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment, datetime.UTC)


class Format:
    """A front-matter format. Subclasses set the attributes and override what differs."""

    name: str = ""  # stored in `source_dialect`, given to --dialect
    label: str = ""
    # The keys of each kind the format holds, in the order the format writes them.
    keys: dict[str, tuple[Key, ...]] = {}
    # The file name endings its files have (discovery looks for these).
    suffixes: tuple[str, ...] = (".md",)
    # Whether the format refers to images from the site's root (/assets/x.png) rather
    # than beside the file (./x.png).
    site_absolute_images = False

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.keys)

    def table(self, kind: str) -> dict[str, Key]:
        """The keys a file of this kind may have, by name."""
        return {key.name: key for key in self.keys.get(kind, ())}

    def written_keys(self, kind: str) -> list[tuple[str, bool]]:
        """(key, optional) in the order of a new file; optional keys only with a value."""
        return [
            (key.name, key.written is Written.IF_SET)
            for key in self.keys.get(kind, ())
            if key.written is not Written.NEVER
        ]

    # -- reading ---------------------------------------------------------------------

    def finds(self, path: Path) -> bool:
        """Whether a file found in an imported folder is one this format may have
        written (by its ending, and for some formats its folder)."""
        return path.suffix in self.suffixes

    def detect(self, source: SourceFile) -> str | None:
        """The kind of a file if it is one of this format's, else None."""
        return None

    def fill_from_file_name(self, source: SourceFile, item: ItemData) -> None:
        """Take from the file's name what its keys did not say (slug, date)."""

    def old_paths(self, item: ItemData, instance) -> list[str]:
        """The addresses the item had on the old site (each gets a redirect)."""
        return []

    # -- writing ---------------------------------------------------------------------

    def item_path(self, writer: ItemWriter) -> PurePosixPath:
        """Where an item's file goes, relative to the export's folder."""
        raise NotImplementedError

    def image_reference(self, basename: str, path: PurePosixPath) -> str:
        """A reference for an image written beside the item's file at `path` (or under
        the site's assets)."""
        if self.site_absolute_images:
            return f"/assets/images/posts/{path.stem}/{basename}"
        return f"./{basename}"

    def __repr__(self) -> str:
        return f"<Format {self.name}>"


def date_from_name(match: re.Match | None, item: ItemData, *, required: str = "") -> None:
    """Slug and date from a dated file name, where the keys did not give them."""
    if match is None:
        if required:
            raise FieldError("file name", required)
        return
    if "slug" not in item.fields:
        item.fields["slug"] = match["slug"]
    if item.fields.get("date") is None:
        item.fields["date"] = read_datetime("file name", match["date"], item)
