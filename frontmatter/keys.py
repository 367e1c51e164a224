"""One declaration per front-matter key: `Key("event_location_gps", Gps())`.

A key's value type reads what a file says into an `ItemData` (the model's terms), says
what the item holds now, whether a file's value still says it, and writes it back; it
names the model fields it sets, so the formats' field lists, the importer's reset list and
the completeness test (tests/frontmatter/test_formats.py) are derived from it.

The formats (frontmatter.formats) list their keys per kind, in the order they write them.
"""

from __future__ import annotations

import datetime
import enum
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taggit.models import Tag

from frontmatter.sourcefiles import Timestamp
from publishing import dates
from publishing.slugs import slug_for_name, tag_name_too_long
from talks.models import parse_gps

if TYPE_CHECKING:
    from frontmatter.exporter import ItemWriter

# Quirky but unambiguous timestamps real sites contain, e.g. "2024-12-16:09:30.000Z".
LENIENT_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T :](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
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
    return _tag_names(key, values)


def _tag_names(key: str, values: list) -> list[str]:
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


# --- Value types ------------------------------------------------------------------------


class Value:
    """How a key's value maps to an item. `target` names what it sets (two keys with one
    target, such as `tags:` and `topic:`, are one value: the first is read, the second
    kept as written); `fields` are the model fields it sets."""

    target: str = ""
    fields: tuple[str, ...] = ()
    # Whether a key missing from a re-imported file resets its fields to their defaults
    # (an import replaces, never merges); not for what is required or generated.
    resets = True
    # Whether the exporter rewrites the key when the item changed.
    patched = True
    # Whether it holds an address (kept, but never linked, unless http(s)).
    is_link = False

    def label(self, key: str) -> str:
        """How messages name the value's place in a file."""
        return key

    def takes(self, value: Any) -> bool:
        """Whether this value is read (else the key is kept as written, as an extra)."""
        return True

    def read(self, key: str, value: Any, item: ItemData) -> None:
        raise NotImplementedError

    def current(self, writer: ItemWriter) -> Any:
        raise NotImplementedError

    def unchanged(self, writer: ItemWriter, key: str, value: Any) -> bool:
        """Whether a file's `value` for `key` still says what the item says."""
        try:
            decoded = self.decode(key, value, writer)
        except FieldError:
            return False
        current = self.current(writer)
        if isinstance(current, str) or current is None:
            return text(decoded) == text(current)
        return decoded == current

    def decode(self, key: str, value: Any, writer: ItemWriter) -> Any:
        return value

    def encode(self, writer: ItemWriter, original: Any = None) -> Any:
        value = self.current(writer)
        if isinstance(value, bool) or value is None:
            return value
        return str(value)

    def is_import_default(self, writer: ItemWriter) -> bool:
        """Whether the item holds what importing a file without the key gave it."""
        return False

    def worth_adding(self, encoded: Any) -> bool:
        """Whether an edited file that lacked the key gets it, with this value."""
        return encoded not in (None, "", [], {}) and encoded is not False


class Field(Value):
    """A model field set from the key's value by `reader`."""

    reader = staticmethod(read_text)

    def __init__(self, name: str, *, resets: bool = True, link: bool = False):
        self.target = name
        self.fields = (name,)
        self.resets = resets
        self.is_link = link

    def read(self, key, value, item):
        item.fields[self.target] = self.reader(key, value, item)

    def decode(self, key, value, writer):
        return self.reader(key, value, ItemData(kind=writer.kind, dialect=writer.dialect))

    def current(self, writer):
        return getattr(writer.instance, self.target)

    def is_import_default(self, writer):
        field = writer.instance._meta.get_field(self.target)
        return getattr(writer.instance, self.target) == field.get_default()


class Text(Field):
    pass


class NullableText(Field):
    reader = staticmethod(read_nullable_text)


class RequiredText(Field):
    reader = staticmethod(read_required_text)

    def __init__(self, name: str):
        super().__init__(name, resets=False)


class Bool(Field):
    reader = staticmethod(read_bool)


class Uuid(Field):
    """Kept when a file has none (the item has one generated)."""

    reader = staticmethod(read_uuid)

    def __init__(self, name: str = "uuid"):
        super().__init__(name, resets=False)

    def encode(self, writer, original=None):
        return str(writer.instance.uuid)


class Status(Field):
    """`published` or `draft`; a file without it is published."""

    reader = staticmethod(read_status)

    def __init__(self, name: str = "status"):
        super().__init__(name, resets=False)

    def is_import_default(self, writer):
        return writer.instance.status == "published"


class DateTime(Field):
    """A moment, written back as the source sites write them (2021-11-17T15:00:00.000Z)."""

    reader = staticmethod(read_datetime)

    def encode(self, writer, original=None):
        moment = getattr(writer.instance, self.target)
        return Timestamp.of(moment) if moment else None


class Image(Value):
    """A reference to an image (`./header.png`, `/assets/x.png`, a URL) that sets an
    image field; the exporter puts the file back where the reference points."""

    resets = False  # the importer sets every image field of the kind

    def __init__(self, name: str):
        self.field_name = name
        self.target = f"image:{name}"
        self.fields = (name,)

    def read(self, key, value, item):
        item.images[self.field_name] = read_image_ref(key, value, item)

    def reference(self, value: Any) -> Any:
        """The reference a file's value holds."""
        return value

    def current(self, writer):
        return writer.image_refs.get(self.target)

    def unchanged(self, writer, key, value):
        return (self.reference(value) or None) == writer.image_refs.get(self.target)

    def encode(self, writer, original=None):
        return writer.image_refs.get(self.target)


class OgImage(Image):
    """`og: {image: …}`: only the image has a field; any other mapping is kept as written."""

    def __init__(self):
        super().__init__("og_image")
        self.target = "og"

    def label(self, key):
        return f"{key}.image"

    def takes(self, value):
        return isinstance(value, dict) and set(value) <= {"image"}

    def read(self, key, value, item):
        item.images[self.field_name] = read_image_ref(f"{key}.image", value.get("image"), item)

    def reference(self, value):
        return value.get("image") if isinstance(value, dict) else None

    def encode(self, writer, original=None):
        reference = writer.image_refs.get(self.target)
        return {"image": reference} if reference else None


class Gps(Value):
    """`"lat,lng"` to latitude and longitude."""

    target = "gps"
    fields = ("latitude", "longitude")

    def read(self, key, value, item):
        item.fields["latitude"], item.fields["longitude"] = read_gps(key, value, item)

    def decode(self, key, value, writer):
        return read_gps(key, value, ItemData(kind=writer.kind, dialect=writer.dialect))

    def current(self, writer):
        return (writer.instance.latitude, writer.instance.longitude)

    def encode(self, writer, original=None):
        return writer.instance.gps


class Tags(Value):
    """Tag names, a list (or one name); `spaces=True` also reads a space-separated string
    (`tags: python django`), as Jekyll does, and writes it back as one."""

    target = "tags"
    fields = ("tags",)
    resets = False

    def __init__(self, *, spaces: bool = False):
        self.spaces = spaces

    def read(self, key, value, item):
        item.tags = self.decode(key, value, None)

    def decode(self, key, value, writer):
        if self.spaces and isinstance(value, str):
            return _tag_names(key, value.split())
        return read_tags(key, value, None)

    def current(self, writer):
        return writer.tag_names()

    def unchanged(self, writer, key, value):
        try:
            decoded = self.decode(key, value, writer)
        except FieldError:
            return False
        return {t.lower() for t in decoded} == {t.lower() for t in self.current(writer)}

    def encode(self, writer, original=None):
        names = self.current(writer)
        if self.spaces and isinstance(original, str) and not any(" " in n for n in names):
            return " ".join(names)
        if isinstance(original, str) and len(names) == 1:
            return names[0]
        return names


class Credits(Value):
    """Co-authors or guests: a list of mappings with a name, a link and a picture."""

    target = "credits"
    fields = ("credits",)
    resets = False

    def read(self, key, value, item):
        item.credits = read_credits(key, value, item)

    def current(self, writer):
        return [(c.person.name, c.link, c.image_url) for c in writer.credits()]

    def unchanged(self, writer, key, value):
        try:
            decoded = read_credits(key, value, ItemData(kind=writer.kind, dialect=writer.dialect))
        except FieldError:
            return False
        return [(p.name.lower(), p.link, p.image_url) for p in decoded] == [
            (name.lower(), link, image) for name, link, image in self.current(writer)
        ]

    def encode(self, writer, original=None):
        """Entries; a person listed before keeps the keys (and their order, `avatar`
        instead of `image`, unknown ones) of their old entry."""
        before: dict[str, dict] = {}
        for entry in original if isinstance(original, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                before[entry["name"].strip().lower()] = entry
        entries = []
        for name, link, image in self.current(writer):
            old = before.get(name.lower(), {})
            image_key = "avatar" if "avatar" in old and "image" not in old else "image"
            values = {"name": name, "link": link, image_key: image}
            entry: dict[str, Any] = {}
            for key in [*old, *(key for key in values if key not in old)]:
                if key not in values:
                    entry[key] = old[key]  # a key this project has no field for
                elif values[key] or key == "name":
                    entry[key] = values[key]
                elif key in old:
                    entry[key] = old[key] if old[key] in (None, "") else values[key]
            entries.append(entry)
        return entries


class Author(Value):
    """The author, by handle (`part="slug"`) or by name (`part="name"`): a file may give
    either or both, in two keys."""

    fields = ("author",)
    resets = False

    def __init__(self, part: str):
        self.part = part
        self.target = f"author_{part}"

    def read(self, key, value, item):
        item.author = item.author or PersonRef()
        setattr(item.author, self.part, read_text(key, value, item).strip())

    def current(self, writer):
        author = writer.instance.author
        return getattr(author, self.part) if author else ""

    def unchanged(self, writer, key, value):
        try:
            read_text(key, value, ItemData(kind=writer.kind, dialect=writer.dialect))
        except FieldError:
            return False
        said = {"slug": "", "name": ""}
        for original_key, original_value in writer.original.items():
            known = writer.table.get(original_key)
            if known and isinstance(known.value, Author) and not said[known.value.part]:
                said[known.value.part] = text(original_value)
        return person_matches(writer.instance.author, said["slug"], said["name"])


def person_matches(person, slug: str, name: str) -> bool:
    if person is None:
        return not slug and not name
    return bool(
        (slug and person.slug.lower() == slug.lower())
        or (name and person.name.lower() == name.lower())
    )


class Layout(Value):
    """`layout:` tells the kind (`post`, `speaking`); it sets nothing and is written only
    in new files."""

    target = "layout"
    resets = False
    patched = False

    def read(self, key, value, item):
        pass

    def current(self, writer):
        return "speaking" if writer.kind == "talk" else "post"

    def unchanged(self, writer, key, value):
        return True


# --- Keys -------------------------------------------------------------------------------


class Written(enum.Enum):
    """When the exporter writes a key in a new file (or adds it to an edited one)."""

    ALWAYS = "always"
    IF_SET = "if set"
    NEVER = "never"  # read only: another key of the format writes the value


@dataclass(frozen=True)
class Key:
    name: str
    value: Value
    written: Written = Written.ALWAYS

    @property
    def target(self) -> str:
        return self.value.target


def optional(name: str, value: Value) -> Key:
    return Key(name, value, Written.IF_SET)


def read_only(name: str, value: Value) -> Key:
    return Key(name, value, Written.NEVER)
