"""What a file says, in the model's terms (`ItemData`), and the readers that turn a
front-matter value into a field's value, each refusing what it cannot use with a
`FieldError` that names the key."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from taggit.models import Tag

from publishing import dates
from publishing.slugs import slug_for_name, tag_name_too_long
from talks.models import parse_gps

# Quirky but unambiguous timestamps real sites contain, e.g. "2024-12-16:09:30.000Z".
LENIENT_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T :](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


class ItemError(ValueError):
    """What makes a file fail, with the front-matter key it is about (None: not one key),
    so that the message gets the key's line in the file (frontmatter.pipeline.located)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


class FieldError(ItemError):
    """A front-matter value that cannot be used; the message starts with the key."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}", key)


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
    # Addresses the item had on the old site besides the format's own (`redirect_from`).
    old_paths: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    @property
    def uuid(self) -> uuid.UUID | None:
        return self.fields.get("uuid")


# --- Readers: each takes (key, value, item) and returns the value in the model's terms --


def read_text(key: str, value: Any, item: ItemData) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, list, dict, bytes, set)):
        raise FieldError(key, f"expected text, got {describe(value)}")
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
        raise FieldError(key, f"expected a date, got {describe(value)}")
    return in_range(key, value, moment)


def in_range(key: str, value: Any, moment: datetime.datetime) -> datetime.datetime:
    """`moment` (UTC when it has no time zone), if the site accepts its date."""
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
    return tag_names(key, values)


def tag_names(key: str, values: list) -> list[str]:
    tags: list[str] = []
    for entry in values:
        if isinstance(entry, (list, dict)) or entry is None:
            raise FieldError(key, f"expected a list of tag names, found {describe(entry)}")
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
        raise FieldError(key, f"expected a list of people, got {describe(value)}")
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


def describe(value: Any) -> str:
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


def text(value: Any) -> str:
    return "" if value is None else str(value)
