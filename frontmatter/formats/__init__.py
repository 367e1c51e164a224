"""The registry of front-matter formats, and reading a file with the one it is written in.

One module per format (see FORMATS.md in the shared corpus for every key seen in the
wild, and each module for its layout):

- ``mainmatter``: Eleventy posts ``YYYY-MM-DD-slug.md`` and author profiles;
- ``loige-2021``: Gatsby page bundles ``YYYY-MM-DD_slug/index.md`` with a ``layout``;
- ``loige-2025``: Astro single files ``YYYY-MM-DD_slug.md``;
- ``jekyll``: Jekyll posts ``_posts/YYYY-MM-DD-slug.md`` (or ``.markdown``).

A new format is a module with a `Format` subclass and a line in `FORMATS`. The model field
that remembers an item's format takes its choices from here (`source_format_choices`), so
it needs no migration.

Reading a file gives an `ItemData`: plain field values, tags, people references and
image references, plus the keys no field takes, in their original order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from frontmatter.formats import jekyll, loige2021, loige2025, mainmatter
from frontmatter.formats.base import PERSON, POST, TALK, Format
from frontmatter.keys import Key
from frontmatter.readers import FieldError, ItemData
from frontmatter.sourcefiles import SourceFile
from publishing.links import http_url
from publishing.models import SOURCE_FORMATS
from publishing.slugs import route_taking, route_taking_message, validate_url_slug
from publishing.text import control_characters, without_control_characters

# In the order they are offered; `DETECTION_ORDER` is the order they are tried in.
FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        mainmatter.Mainmatter(),
        loige2021.Loige2021(),
        loige2025.Loige2025(),
        jekyll.Jekyll(),
    )
}
# Jekyll's `_posts/` folder says it all; a `layout` says loige-2021 (Jekyll files have
# one too); then Mainmatter's handle or name, then loige-2025's keys.
DETECTION_ORDER = ("jekyll", "loige-2021", "mainmatter", "loige-2025")
# Items created in the admin (or exported to a format without their kind) are written in
# the first of these formats that holds their kind.
DEFAULT_ORDER = ("loige-2025", "mainmatter")

# The fields of each kind that no front-matter key sets, and why; every other editable
# field is some format's key (tests/frontmatter/test_formats.py holds them to it).
FROM_THE_FILE = {
    "body": "the Markdown after the front matter",
    "source_dialect": "the format the file was read in",
    "source_path": "where the file was",
    "source_extra": "the keys no field takes, written back as they were",
    "source_front_matter": "the front matter as it was, for byte-identical export",
}
NOT_IN_FRONT_MATTER: dict[str, dict[str, str]] = {
    POST: {
        **FROM_THE_FILE,
        "focal_x": "the header's focal point, chosen in the admin",
        "focal_y": "the header's focal point, chosen in the admin",
        "series": "an editorial grouping, set in the admin; not exported",
        "series_part": "the post's place in its series, set in the admin; not exported",
    },
    TALK: {
        **FROM_THE_FILE,
        "focal_x": "the header's focal point, chosen in the admin",
        "focal_y": "the header's focal point, chosen in the admin",
        "header_image_alt": "no talk format has a key for it: set in the admin, not exported",
        "og_image": "no talk format has a key for it: set in the admin, exported beside the file",
        "talk_group": "an editorial grouping, set in the admin; not exported",
    },
    PERSON: {
        **FROM_THE_FILE,
        "slug": "the profile's file name",
        "avatar": "uploaded in the admin; profiles have no picture key",
        "avatar_url": "the picture a co-author or guest entry gives",
        "link": "the link a co-author or guest entry gives",
        "user": "the person's admin account, linked in the admin",
    },
}

SOURCE_FORMATS.update((format.name, format.label) for format in FORMATS.values())


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise LookupError(f"no front-matter format {name!r}") from None


def names() -> list[str]:
    return list(FORMATS)


def default_format(kind: str) -> Format:
    return next(FORMATS[name] for name in DEFAULT_ORDER if kind in FORMATS[name].kinds)


def formats_holding(kind: str) -> list[Format]:
    return [format for format in FORMATS.values() if kind in format.kinds]


def keys_of(kind: str) -> list[Key]:
    """Every key any format reads for `kind`."""
    return [key for format in formats_holding(kind) for key in format.keys[kind]]


def markdown_files(folder: Path) -> Iterator[Path]:
    """The files under `folder` that some format reads: every `.md`, and files with
    another ending a format uses where it uses it (Jekyll's `_posts/*.markdown`)."""
    yield from folder.rglob("*.md")
    others = {suffix for f in FORMATS.values() for suffix in f.suffixes} - {".md"}
    for suffix in sorted(others):
        for path in folder.rglob(f"*{suffix}"):
            if any(f.finds(path) for f in FORMATS.values() if suffix in f.suffixes):
                yield path


def detect(source: SourceFile) -> tuple[str, str]:
    """(format name, kind) of a file, from its keys, its name and its folder."""
    for name in DETECTION_ORDER:
        kind = FORMATS[name].detect(source)
        if kind is not None:
            return name, kind
    raise FieldError(
        "front matter",
        "cannot tell the format: no 'layout', 'authorHandle', 'slug' or event keys "
        "(use --dialect and --kind)",
    )


def read_item(source: SourceFile, dialect: str | None = None, kind: str | None = None) -> ItemData:
    """Map a parsed file to model values. Raises FieldError for unusable values."""
    if dialect is None or kind is None:
        detected_dialect, detected_kind = detect(source)
        dialect = dialect or detected_dialect
        kind = kind or detected_kind
    format = get_format(dialect)
    item = ItemData(kind=kind, dialect=dialect, warnings=list(source.warnings))
    table = format.table(kind)
    data = _without_control_characters(source.data, item)
    read_targets = set()
    for name, value in data.items():
        key = table.get(name)
        # A second key for one value (`topic:` beside `tags:`) is kept as written.
        if key is None or key.target in read_targets or not key.value.takes(value):
            item.extras.append([name, _jsonable(value)])
            continue
        read_targets.add(key.target)
        key.value.read(name, value, item)

    format.fill_from_file_name(source, item)
    _check_required(item)
    _check_links(data, table, item)
    return item


def _without_control_characters(data: dict[str, Any], item: ItemData) -> dict[str, Any]:
    """Front matter without the control characters a YAML escape ("\\v", "\\x0b") can put
    in a value (see publishing.text), each key that had one named in a warning."""
    cleaned = {}
    for key, value in data.items():
        if found := control_characters([key, value]):
            key, value = without_control_characters(key), without_control_characters(value)
            plural = "s" if len(found) > 1 else ""
            item.warnings.append(f"{key}: removed control character{plural} {', '.join(found)}")
        cleaned[key] = value
    return cleaned


def _check_links(data: dict[str, Any], table: dict[str, Key], item: ItemData) -> None:
    """Real sites contain typo'd schemes (`ttps://…`); such values are kept for export but
    never rendered as links, and the person migrating should know."""
    for name, value in data.items():
        key = table.get(name)
        if key is None or not key.value.is_link:
            continue
        if item.fields.get(key.target) and not http_url(value):
            item.warnings.append(f"{name}: {value!r} is not an http(s) link; kept, not linked")
    for position, credit in enumerate(item.credits or [], start=1):
        for label, value in (("link", credit.link), (credit.image_key, credit.image_url)):
            if value and not http_url(value):
                item.warnings.append(
                    f"{credit.name} ({position}) {label}: {value!r} is not an http(s) link; "
                    "kept, not linked"
                )


def _check_required(item: ItemData) -> None:
    if item.kind != PERSON:
        if not item.fields.get("title", "").strip():
            raise FieldError("title", "is required")
        if item.fields.get("date") is None:
            raise FieldError("date", "is required (no date key and none in the file name)")
    slug = item.fields.get("slug", "")
    if not slug:
        raise FieldError("slug", "is required (no slug key and none in the file name)")
    try:
        validate_url_slug(slug)
    except Exception:
        raise FieldError(
            "slug", f"{slug!r} cannot be used in a URL (letters, digits, - _ . ~ only)"
        ) from None
    if address := route_taking(item.kind, slug):
        raise FieldError("slug", route_taking_message(slug, address))


def _jsonable(value: Any) -> Any:
    """A YAML value as JSON can hold it (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
