"""The front-matter formats of the sites we migrate, and how their keys map to fields.

Three dialects (see FORMATS.md in the shared corpus for every key seen in the wild):

- ``mainmatter``: Eleventy posts ``YYYY-MM-DD-slug.md`` (date and slug from the file name)
  and author profiles ``authors/<handle>.md``; images are site-absolute ``/assets/...``.
- ``loige-2021``: Gatsby page bundles ``YYYY-MM-DD_slug/index.md`` with ``layout: post`` or
  ``layout: speaking``; images are ``./file.png`` beside the file.
- ``loige-2025``: Astro single files ``YYYY-MM-DD_slug.md`` (posts may still be bundles),
  the same keys trimmed, plus ``embed_slides``, ``podcast_*`` and ``bluesky_url``.

Reading a file gives an :class:`ItemData`: plain field values, tags, people references and
image references, plus the keys no field takes, in their original order.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from taggit.models import Tag

from frontmatter.sourcefiles import SourceFile
from publishing import dates
from publishing.links import http_url
from publishing.models import Dialect
from publishing.slugs import (
    route_taking,
    route_taking_message,
    slug_for_name,
    tag_name_too_long,
    validate_url_slug,
)
from publishing.text import control_characters, without_control_characters
from talks.models import parse_gps

POST, TALK, PERSON = "post", "talk", "person"
KINDS = (POST, TALK, PERSON)

# 2024-03-18-cargo-autoinherit.md
MAINMATTER_NAME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.md$")
# 2021-11-17_inference-podcast-interview (folder) or 2023-04-13-production-ready-…md
LOIGE_NAME_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[_-](?P<slug>.+?)(?:\.md)?$")
DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Quirky but unambiguous timestamps real sites contain, e.g. "2024-12-16:09:30.000Z".
LENIENT_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T :](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
# Folders that hold talks on the sites we migrate (a talk file may lack every event key).
TALK_FOLDERS = frozenset({"speaking", "talks"})
LINK_FIELDS = frozenset(
    {"event_link", "slides_link", "embed_slides", "video_link", "podcast_link", "podcast_embed"}
)
TALK_KEYS = frozenset(
    {
        "event_name",
        "event_link",
        "event_location",
        "event_location_gps",
        "event_city",
        "event_days",
        "is_workshop",
    }
)


class FieldError(ValueError):
    """A front-matter value that cannot be used; the message names the key."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass
class PersonRef:
    """A person as a file names them: by handle/slug, by name, or both."""

    slug: str = ""
    name: str = ""
    link: str = ""
    image_url: str = ""
    image_key: str = "image"


@dataclass
class ItemData:
    """What one source file says, in the model's terms."""

    kind: str
    dialect: str
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] | None = None
    author: PersonRef | None = None
    credits: list[PersonRef] | None = None
    images: dict[str, str] = field(default_factory=dict)
    extras: list[list[Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    @property
    def uuid(self) -> uuid.UUID | None:
        return self.fields.get("uuid")


# --- Value readers: each takes (key, value, item) and returns the field value ----------


def read_text(key: str, value: Any, item: ItemData) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, list, dict, bytes, set)):
        raise FieldError(key, f"expected text, got {_describe(value)}")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def read_nullable_text(key: str, value: Any, item: ItemData) -> str | None:
    return None if value is None else read_text(key, value, item)


def read_required_text(key: str, value: Any, item: ItemData) -> str:
    text = read_text(key, value, item).strip()
    if not text:
        raise FieldError(key, "must not be empty")
    return read_text(key, value, item)


def read_bool(key: str, value: Any, item: ItemData) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FieldError(key, f"expected true or false, got {value!r}")
    return value


def read_uuid(key: str, value: Any, item: ItemData) -> uuid.UUID:
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError):
        raise FieldError(key, f"malformed uuid {value!r}") from None


def read_status(key: str, value: Any, item: ItemData) -> str:
    status = read_text(key, value, item).strip().lower()
    if status not in {"published", "draft"}:
        raise FieldError(key, f"expected 'published' or 'draft', got {value!r}")
    return status


def read_datetime(key: str, value: Any, item: ItemData) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    elif isinstance(value, str):
        moment = _parse_datetime_text(key, value, item)
    else:
        raise FieldError(key, f"expected a date, got {_describe(value)}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    if not dates.in_range(moment):
        shown = value.isoformat() if isinstance(value, datetime.date) else repr(value)
        raise FieldError(
            key,
            f"{shown} is outside the dates the site accepts "
            f"({dates.FIRST_DAY.isoformat()} to {dates.LAST_DAY.isoformat()}, UTC)",
        )
    return moment


def _parse_datetime_text(key: str, text: str, item: ItemData) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        pass
    match = LENIENT_DATETIME_RE.match(text.strip())
    if not match:
        raise FieldError(key, f"not a date: {text!r}")
    try:
        day = datetime.date.fromisoformat(match["date"])
        moment = datetime.datetime.combine(
            day, datetime.time(int(match["h"] or 0), int(match["m"] or 0), int(match["s"] or 0))
        )
    except ValueError as error:
        raise FieldError(key, f"not a date: {text!r} ({error})") from None
    tz = match["tz"]
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment.replace(tzinfo=datetime.timezone(sign * offset))
    else:
        moment = moment.replace(tzinfo=datetime.UTC)
    item.warnings.append(f"{key}: unusual date {text!r} read as {moment.isoformat()}")
    return moment


def read_gps(key: str, value: Any, item: ItemData) -> tuple[float | None, float | None]:
    try:
        return parse_gps(None if value is None else str(value)) or (None, None)
    except ValueError as error:
        raise FieldError(key, str(error)) from None


def read_tags(key: str, value: Any, item: ItemData) -> list[str]:
    if value is None or value == "":
        return []
    values = value if isinstance(value, list) else [value]
    tags = []
    for entry in values:
        if isinstance(entry, (list, dict)) or entry is None:
            raise FieldError(key, f"expected a list of tag names, found {_describe(entry)}")
        name = str(entry).strip()
        if name and name.lower() not in {tag.lower() for tag in tags}:
            tags.append(name)
    if problem := tag_name_too_long(tags, Tag._meta.get_field("name").max_length):
        raise FieldError(key, problem)
    return tags


def read_credits(key: str, value: Any, item: ItemData) -> list[PersonRef]:
    """`with:` / `written_with:`: a list of people with a name, a link and a picture."""
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise FieldError(key, f"expected a list of people, got {_describe(value)}")
    people = []
    for position, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise FieldError(key, f"entry {position} must be a mapping with a 'name'")
        name = entry["name"].strip()
        if not name:
            raise FieldError(key, f"entry {position} has an empty name")
        image_key = "avatar" if "avatar" in entry and "image" not in entry else "image"
        people.append(
            PersonRef(
                slug=slug_for_name(name),
                name=name,
                link=read_text(f"{key}[{position}].link", entry.get("link"), item),
                image_url=read_text(f"{key}[{position}].{image_key}", entry.get(image_key), item),
                image_key=image_key,
            )
        )
    if len({person.slug for person in people}) != len(people):
        raise FieldError(key, "the same person is listed twice")
    return people


def read_image_ref(key: str, value: Any, item: ItemData) -> str:
    return read_text(key, value, item).strip()


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, set):
        return "a set"
    return repr(value)


# --- Key tables -------------------------------------------------------------------------

Reader = Callable[[str, Any, ItemData], Any]

# key -> (field, reader). The field names are model fields, or one of the special
# targets handled by `read_item`: tags, author_slug, author_name, credits, image:<field>,
# gps, og.
LOIGE_KEYS: dict[str, tuple[str, Reader]] = {
    "uuid": ("uuid", read_uuid),
    "title": ("title", read_required_text),
    "slug": ("slug", read_required_text),
    "subtitle": ("subtitle", read_nullable_text),
    "date": ("date", read_datetime),
    "updated": ("updated", read_datetime),
    "author": ("author_name", read_text),
    "author_slug": ("author_slug", read_text),
    "header_img": ("image:header_image", read_image_ref),
    "fb_img": ("image:facebook_image", read_image_ref),
    "tw_img": ("image:twitter_image", read_image_ref),
    "status": ("status", read_status),
    "language": ("language", read_text),
    "presentation_language": ("presentation_language", read_text),
    "meta_title": ("meta_title", read_nullable_text),
    "meta_description": ("meta_description", read_nullable_text),
    "description": ("description", read_text),
    "tags": ("tags", read_tags),
    "written_with": ("credits", read_credits),
    "with": ("credits", read_credits),
    "event_name": ("event_name", read_text),
    "event_link": ("event_link", read_nullable_text),
    "event_location": ("event_location", read_nullable_text),
    "event_location_gps": ("gps", read_gps),
    "event_city": ("event_city", read_text),
    "event_days": ("event_days", read_text),
    "is_workshop": ("is_workshop", read_bool),
    "slides_link": ("slides_link", read_nullable_text),
    "embed_slides": ("embed_slides", read_nullable_text),
    "video_link": ("video_link", read_nullable_text),
    "podcast_link": ("podcast_link", read_nullable_text),
    "podcast_embed": ("podcast_embed", read_nullable_text),
}

MAINMATTER_POST_KEYS: dict[str, tuple[str, Reader]] = {
    "title": ("title", read_required_text),
    "authorHandle": ("author_slug", read_text),
    "bio": ("author_bio", read_text),
    "description": ("description", read_text),
    "tags": ("tags", read_tags),
    "topic": ("tags", read_tags),
    "og": ("og", None),  # handled in read_item: only og.image has a field
    "tagline": ("tagline", read_text),
    "image": ("image:header_image", read_image_ref),
    "imageAlt": ("header_image_alt", read_text),
}

MAINMATTER_PERSON_KEYS: dict[str, tuple[str, Reader]] = {
    "name": ("name", read_required_text),
    "github": ("github", read_text),
    "twitter": ("twitter", read_text),
    "mastodon": ("mastodon", read_text),
    "linkedin": ("linkedin", read_text),
    "bluesky": ("bluesky", read_text),
    "bio": ("bio", read_text),
    "title": ("job_title", read_text),
    "longBio": ("long_bio", read_text),
}

# Fields each kind has: a key whose field the kind lacks is kept as an extra.
KIND_FIELDS = {
    POST: frozenset(
        {
            "uuid",
            "title",
            "slug",
            "subtitle",
            "date",
            "updated",
            "author_name",
            "author_slug",
            "image:header_image",
            "image:facebook_image",
            "image:twitter_image",
            "status",
            "language",
            "meta_title",
            "meta_description",
            "description",
            "tags",
            "credits",
            "author_bio",
            "og",
            "tagline",
            "header_image_alt",
        }
    ),
    TALK: frozenset(
        {
            "uuid",
            "title",
            "slug",
            "date",
            "author_name",
            "author_slug",
            "image:header_image",
            "status",
            "language",
            "presentation_language",
            "meta_title",
            "meta_description",
            "tags",
            "credits",
            "event_name",
            "event_link",
            "event_location",
            "gps",
            "event_city",
            "event_days",
            "is_workshop",
            "slides_link",
            "embed_slides",
            "video_link",
            "podcast_link",
            "podcast_embed",
        }
    ),
    PERSON: frozenset(MAINMATTER_PERSON_KEYS[key][0] for key in MAINMATTER_PERSON_KEYS),
}


def key_table(dialect: str, kind: str) -> dict[str, tuple[str, Reader]]:
    """The keys a file of this dialect and kind may have, and the field each sets."""
    if kind == PERSON:
        return MAINMATTER_PERSON_KEYS
    return MAINMATTER_POST_KEYS if dialect == Dialect.MAINMATTER else LOIGE_KEYS


# --- Detection --------------------------------------------------------------------------


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


def detect(source: SourceFile) -> tuple[str, str]:
    """(dialect, kind) of a file, from its keys, its name and its folder."""
    data, posix = source.data, source.posix
    name = item_name(posix)
    folder = site_folder(source)
    layout = data.get("layout")
    if layout is not None:
        if layout == "speaking":
            return Dialect.LOIGE_2021, TALK
        if layout in {"post", "blog"}:
            return Dialect.LOIGE_2021, POST
        raise FieldError("layout", f"unknown layout {layout!r} (expected 'post' or 'speaking')")
    if folder == "authors" and not DATE_PREFIX_RE.match(name) and "name" in data:
        return Dialect.MAINMATTER, PERSON
    if "authorHandle" in data or (MAINMATTER_NAME_RE.match(name) and "slug" not in data):
        return Dialect.MAINMATTER, POST
    if TALK_KEYS & data.keys() or TALK_FOLDERS & {folder, *posix.parts[:-1]}:
        return Dialect.LOIGE_2025, TALK
    if "slug" in data:
        return Dialect.LOIGE_2025, POST
    raise FieldError(
        "front matter",
        "cannot tell the format: no 'layout', 'authorHandle', 'slug' or event keys "
        "(use --dialect and --kind)",
    )


# --- Reading ----------------------------------------------------------------------------


def read_item(source: SourceFile, dialect: str | None = None, kind: str | None = None) -> ItemData:
    """Map a parsed file to model values. Raises FieldError for unusable values."""
    if dialect is None or kind is None:
        detected_dialect, detected_kind = detect(source)
        dialect = dialect or detected_dialect
        kind = kind or detected_kind
    item = ItemData(kind=kind, dialect=dialect, warnings=list(source.warnings))
    table = key_table(dialect, kind)
    allowed = KIND_FIELDS[kind]
    tag_key_used = None
    data = _without_control_characters(source.data, item)

    for key, value in data.items():
        target, reader = table.get(key, (None, None))
        if target is None or target not in allowed or (key == "layout"):
            if key != "layout":
                item.extras.append([key, _jsonable(value)])
            continue
        if target == "tags":
            if tag_key_used is not None:  # both `tags` and `topic`: keep the second as is
                item.extras.append([key, _jsonable(value)])
                continue
            tag_key_used = key
            item.tags = reader(key, value, item)
        elif target == "og":
            if isinstance(value, dict) and set(value) <= {"image"}:
                item.images["og_image"] = read_image_ref("og.image", value.get("image"), item)
            else:
                item.extras.append([key, _jsonable(value)])
        elif target.startswith("image:"):
            item.images[target.removeprefix("image:")] = reader(key, value, item)
        elif target == "gps":
            item.fields["latitude"], item.fields["longitude"] = reader(key, value, item)
        elif target == "credits":
            item.credits = reader(key, value, item)
        elif target == "author_slug":
            item.author = item.author or PersonRef()
            item.author.slug = reader(key, value, item).strip()
        elif target == "author_name":
            item.author = item.author or PersonRef()
            item.author.name = reader(key, value, item).strip()
        else:
            item.fields[target] = reader(key, value, item)

    _fill_from_file_name(source, item)
    _check_required(source, item)
    _check_links(data, item)
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


def _check_links(data: dict[str, Any], item: ItemData) -> None:
    """Real sites contain typo'd schemes (`ttps://…`); such values are kept for export but
    never rendered as links, and the person migrating should know."""
    for key, value in data.items():
        target = LOIGE_KEYS.get(key, (None,))[0] if item.dialect != Dialect.MAINMATTER else None
        if target in LINK_FIELDS and item.fields.get(target) and not http_url(value):
            item.warnings.append(f"{key}: {value!r} is not an http(s) link; kept, not linked")
    for position, credit in enumerate(item.credits or [], start=1):
        for label, value in (("link", credit.link), (credit.image_key, credit.image_url)):
            if value and not http_url(value):
                item.warnings.append(
                    f"{credit.name} ({position}) {label}: {value!r} is not an http(s) link; "
                    "kept, not linked"
                )


def _fill_from_file_name(source: SourceFile, item: ItemData) -> None:
    name = item_name(source.posix)
    if item.kind == PERSON:
        item.fields["slug"] = PurePosixPath(name).stem
        return
    if item.dialect == Dialect.MAINMATTER:
        match = MAINMATTER_NAME_RE.match(name)
        if not match:
            raise FieldError("file name", "a mainmatter post must be named YYYY-MM-DD-slug.md")
        # The file name is the only source of date and slug in this format.
        item.fields["slug"] = match["slug"]
        item.fields["date"] = read_datetime("file name", match["date"], item)
        item.fields.setdefault("status", "published")
        return
    match = LOIGE_NAME_RE.match(name)
    if "slug" not in item.fields and match:
        item.fields["slug"] = match["slug"]
    if item.fields.get("date") is None and match:
        item.fields["date"] = read_datetime("file name", match["date"], item)


def _check_required(source: SourceFile, item: ItemData) -> None:
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
