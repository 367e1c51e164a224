"""One declaration per front-matter key: `Key("event_location_gps", Gps())`.

A key's value type reads what a file says into an `ItemData` (the model's terms), says
what the item holds now, whether a file's value still says it, and writes it back; it
names the model fields it sets, so the formats' field lists, the importer's reset list and
the completeness test (tests/frontmatter/test_formats.py) are derived from it.

The formats (frontmatter.formats) list their keys per kind, in the order they write them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontmatter.readers import (
    FieldError,
    ItemData,
    PersonRef,
    read_bool,
    read_credits,
    read_datetime,
    read_gps,
    read_image_ref,
    read_nullable_text,
    read_required_text,
    read_status,
    read_tags,
    read_text,
    read_uuid,
    tag_names,
    text,
)
from frontmatter.sourcefiles import Timestamp

if TYPE_CHECKING:
    from frontmatter.exporter import ItemWriter


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
            return tag_names(key, value.split())
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
