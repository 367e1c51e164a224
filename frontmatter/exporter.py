"""Export posts, talks and people as Markdown files with front matter, in the format each
came from, with their images put back where the references point.

An item not edited since its import is written byte-identical to its source file: its
original head is kept. An edited item gets only its changed keys rewritten, in the style
of the source; items created in the admin are written in the default format of their kind.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.utils import timezone
from taggit.models import TaggedItem

from frontmatter import dialects
from frontmatter.dialects import (
    PERSON,
    POST,
    TALK,
    FieldError,
    ItemData,
    key_table,
)
from frontmatter.files import is_local_reference
from frontmatter.sourcefiles import (
    Timestamp,
    build_head,
    parse_front_matter,
    patch_head,
    split_source,
)
from people.models import Person
from publishing.fingerprints import item_fingerprint
from publishing.kinds import get_kind, publishable_kinds
from publishing.models import Attachment, Dialect

# Items created in the admin (or of a format without this kind) are written as these.
DEFAULT_DIALECTS = {POST: Dialect.LOIGE_2025, TALK: Dialect.LOIGE_2025, PERSON: Dialect.MAINMATTER}

# The keys of a new file, in the order each site writes them. Keys marked optional are
# written only when they have a value.
CANONICAL_KEYS: dict[tuple[str, str], list[tuple[str, bool]]] = {
    (Dialect.LOIGE_2021, POST): [
        (key, False)
        for key in [
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
        ]
    ]
    + [("written_with", True)],
    (Dialect.LOIGE_2021, TALK): [
        (key, False)
        for key in [
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
            "event_name",
            "event_link",
            "event_location",
            "event_location_gps",
            "event_city",
            "event_days",
            "is_workshop",
            "slides_link",
            "video_link",
            "with",
        ]
    ]
    + [(key, True) for key in ("embed_slides", "podcast_link", "podcast_embed", "tags")],
    (Dialect.LOIGE_2025, POST): [
        ("title", False),
        ("slug", False),
        ("subtitle", False),
        ("date", False),
        ("updated", False),
        ("header_img", True),
        ("status", False),
        ("tags", False),
        ("description", False),
        ("written_with", True),
        ("language", True),
        ("meta_title", True),
        ("meta_description", True),
    ],
    (Dialect.LOIGE_2025, TALK): [
        (key, False)
        for key in [
            "title",
            "slug",
            "date",
            "status",
            "language",
            "event_name",
            "event_link",
            "event_location",
            "event_location_gps",
            "event_city",
            "event_days",
            "is_workshop",
            "slides_link",
            "embed_slides",
            "video_link",
            "with",
        ]
    ]
    + [(key, True) for key in ("podcast_link", "podcast_embed", "presentation_language", "tags")],
    (Dialect.MAINMATTER, POST): [
        ("title", False),
        ("authorHandle", False),
        ("tags", True),
        ("bio", True),
        ("description", False),
        ("og", True),
        ("tagline", True),
        ("image", True),
        ("imageAlt", True),
    ],
    (Dialect.MAINMATTER, PERSON): [
        ("name", False),
        *(
            (key, True)
            for key in ["github", "twitter", "mastodon", "linkedin", "bluesky", "bio", "title"]
        ),
        ("longBio", True),
    ],
}
IMAGE_TARGETS = {
    "image:header_image": "header_image",
    "image:facebook_image": "facebook_image",
    "image:twitter_image": "twitter_image",
    "og": "og_image",
}


class ExportUsageError(Exception):
    """The export cannot start (OUTDIR not empty, bad filter)."""


@dataclass
class ExportReport:
    items: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"exported {self.items} items and {self.files} files, failed {len(self.errors)}, "
            f"warnings {len(self.warnings)}"
        )


def target_dialect(instance, kind: str, forced: str | None) -> str:
    dialect = forced or instance.source_dialect or DEFAULT_DIALECTS[kind]
    if kind == TALK and dialect == Dialect.MAINMATTER:
        return DEFAULT_DIALECTS[TALK]  # the Mainmatter site has no talks
    if kind == PERSON:
        return Dialect.MAINMATTER  # only Mainmatter keeps author profiles in files
    return dialect


# --- Paths ------------------------------------------------------------------------------


def item_path(instance, kind: str, dialect: str) -> PurePosixPath:
    """Where an item's file goes, relative to OUTDIR."""
    same_format = instance.source_path and instance.source_dialect == dialect
    if kind == PERSON:
        if same_format:
            return PurePosixPath(instance.source_path)
        return PurePosixPath("authors") / f"{instance.slug}.md"
    day = timezone.localdate(instance.date, datetime.UTC)
    if dialect == Dialect.MAINMATTER:
        # Date and slug live in the file name, so an edited date or slug renames the file.
        folder = PurePosixPath(instance.source_path).parent if same_format else "posts"
        return PurePosixPath(folder) / f"{day:%Y-%m-%d}-{instance.slug}.md"
    if same_format:
        return PurePosixPath(instance.source_path)
    folder = "speaking" if kind == TALK else "posts"
    if dialect == Dialect.LOIGE_2025 and kind == TALK:
        return PurePosixPath(folder) / f"{day:%Y-%m-%d}_{instance.slug}.md"
    return PurePosixPath(folder) / f"{day:%Y-%m-%d}_{instance.slug}" / "index.md"


def reference_target(reference: str, file_path: PurePosixPath) -> PurePosixPath | None:
    """Where the file a reference points at goes, relative to OUTDIR (None: not a path)."""
    if not is_local_reference(reference):
        return None
    path = unquote(urlsplit(reference).path)
    if not path:
        return None
    target = PurePosixPath(path.lstrip("/")) if path.startswith("/") else file_path.parent / path
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in {".", ""}:
            parts.append(part)
    return PurePosixPath(*parts) if parts else None


# --- Values -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _person_matches(person: Person | None, slug: str, name: str) -> bool:
    if person is None:
        return not slug and not name
    return bool(
        (slug and person.slug.lower() == slug.lower())
        or (name and person.name.lower() == name.lower())
    )


class ItemWriter:
    """Works out the front matter and files of one item."""

    def __init__(self, instance, kind: str, dialect: str):
        self.instance = instance
        self.kind = kind
        self.dialect = dialect
        self.table = key_table(dialect, kind)
        self.path = item_path(instance, kind, dialect)
        self.same_format = bool(instance.source_front_matter) and (
            instance.source_dialect == dialect
        )
        self.attachments = (
            {a.reference: a.file.name for a in self._loaded("loaded_attachments", "attachments")}
            if kind != PERSON
            else {}
        )
        # Not edited since its import: the source file is the file.
        self.pristine = (
            self.same_format
            and bool(instance.source_fingerprint)
            and instance.source_fingerprint == self._fingerprint()
        )
        self.original: dict[str, Any] = {}
        if self.same_format and not self.pristine:
            yaml_text = split_source(instance.source_front_matter, instance.source_path)[1]
            self.original = parse_front_matter(
                yaml_text.replace("\r\n", "\n"), instance.source_path
            )
        self.new_files: dict[PurePosixPath, str] = {}  # target -> stored name
        self.image_refs = self._image_refs() if kind != PERSON and not self.pristine else {}

    def _fingerprint(self) -> str:
        if self.kind == PERSON:
            return item_fingerprint(self.instance)
        return item_fingerprint(
            self.instance,
            tags=self.current("tags"),
            credits=[
                (credit.person.slug, credit.person.name, credit.link, credit.image_url)
                for credit in self._credits()
            ],
            attachments=self.attachments,
        )

    # -- images --

    def _original_ref(self, target: str) -> str | None:
        for key, value in self.original.items():
            if self.table.get(key, (None,))[0] != target:
                continue
            if target == "og":
                return value.get("image") if isinstance(value, dict) else None
            return value
        return None

    def _image_refs(self) -> dict[str, str | None]:
        refs_by_name: dict[str, list[str]] = {}
        for reference, name in sorted(self.attachments.items()):
            if name:
                refs_by_name.setdefault(name, []).append(reference)
        refs: dict[str, str | None] = {}
        for target, field_name in IMAGE_TARGETS.items():
            if not hasattr(self.instance, field_name):
                continue
            current = getattr(self.instance, field_name).name or ""
            original = self._original_ref(target)
            if original is not None and self.attachments.get(original, "") == current:
                refs[target] = original or None
                continue
            if original and not is_local_reference(original) and not current:
                refs[target] = original  # a remote picture, kept as written
                continue
            if not current:
                refs[target] = None
                continue
            refs[target] = self._new_image_ref(current, refs_by_name.get(current, []))
        return refs

    def _new_image_ref(self, name: str, known_refs: list[str]) -> str:
        """A reference for an image set in the admin, or one written in another format:
        reuse a reference of the same file that suits the format, else name it after
        the file (or its content hash)."""
        site_absolute = self.dialect == Dialect.MAINMATTER
        for reference in known_refs:
            if reference.startswith("/") == site_absolute:
                return reference
        basename = PurePosixPath(name).name
        if known_refs:
            basename = PurePosixPath(unquote(urlsplit(known_refs[0]).path)).name or basename
        if site_absolute:
            reference = f"/assets/images/posts/{self.path.stem}/{basename}"
        else:
            reference = f"./{basename}"
        self.new_files[reference_target(reference, self.path)] = name
        return reference

    # -- values --

    def current(self, target: str) -> Any:
        """The item's value for a key target, in the model's terms."""
        instance = self.instance
        if target in IMAGE_TARGETS:
            return self.image_refs.get(target)
        if target == "tags":
            names = instance.__dict__.get("tag_names")
            if names is None:
                names = [tag.name for tag in instance.tags.all()]
            return sorted(names)
        if target == "credits":
            return [
                (credit.person.name, credit.link, credit.image_url) for credit in self._credits()
            ]
        if target == "gps":
            return (instance.latitude, instance.longitude)
        if target == "author_slug":
            return instance.author.slug if instance.author else ""
        if target == "author_name":
            return instance.author.name if instance.author else ""
        return getattr(instance, target)

    def _credits(self):
        related = "co_author_credits" if self.kind == POST else "guest_credits"
        return self._loaded("loaded_credits", related)

    def _loaded(self, attribute: str, related: str):
        """Related rows loaded with the item's chunk, else from the database."""
        loaded = self.instance.__dict__.get(attribute)
        if loaded is None:
            return getattr(self.instance, related).all()
        return loaded

    def unchanged(self, key: str, target: str, value: Any) -> bool:
        """Whether the source's value for `key` still says what the item says."""
        if target in IMAGE_TARGETS:
            original = value.get("image") if target == "og" and isinstance(value, dict) else value
            return (original or None) == self.image_refs.get(target)
        reader = self.table[key][1]
        try:
            decoded = reader(key, value, ItemData(kind=self.kind, dialect=self.dialect))
        except FieldError:
            return False
        if target in {"author_slug", "author_name"}:
            slug = _text(self.original.get("author_slug") or self.original.get("authorHandle"))
            return _person_matches(self.instance.author, slug, _text(self.original.get("author")))
        if target == "tags":
            return {t.lower() for t in decoded} == {t.lower() for t in self.current("tags")}
        if target == "credits":
            return [(p.name.lower(), p.link, p.image_url) for p in decoded] == [
                (name.lower(), link, image) for name, link, image in self.current("credits")
            ]
        current = self.current(target)
        if isinstance(current, str) or current is None:
            return _text(decoded) == _text(current)
        return decoded == current

    def encode(self, key: str, target: str, original: Any = None) -> Any:
        """The YAML value for `key` now."""
        instance = self.instance
        if target in IMAGE_TARGETS:
            reference = self.image_refs.get(target)
            if target == "og":
                return {"image": reference} if reference else None
            return reference
        if key == "layout":
            return "speaking" if self.kind == TALK else "post"
        if target == "tags":
            names = self.current("tags")
            if isinstance(original, str) and len(names) == 1:
                return names[0]
            return names
        if target == "credits":
            return self._encode_credits(original)
        if target == "gps":
            return instance.gps
        if target == "uuid":
            return str(instance.uuid)
        if target in {"date", "updated"}:
            moment = getattr(instance, target)
            return Timestamp.of(moment) if moment else None
        value = self.current(target)
        if isinstance(value, bool) or value is None:
            return value
        return str(value)

    def _encode_credits(self, original: Any) -> list[dict[str, Any]]:
        """Guests or co-authors as entries; a person listed before keeps the keys (and
        their order, `avatar` instead of `image`, unknown ones) of their old entry."""
        before: dict[str, dict] = {}
        for entry in original if isinstance(original, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                before[entry["name"].strip().lower()] = entry
        entries = []
        for name, link, image in self.current("credits"):
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

    def _target(self, key: str) -> str:
        if key == "layout":
            return "layout"
        return self.table[key][0]

    def _is_import_default(self, target: str) -> bool:
        if target == "status":
            return self.instance.status == "published"
        try:
            field = self.instance._meta.get_field(target)
        except FieldDoesNotExist:
            return False
        return getattr(self.instance, target) == field.get_default()

    def _has_value(self, value: Any) -> bool:
        return value not in (None, "", [], {})

    # -- the file --

    def head(self) -> str:
        if self.pristine:
            return self.instance.source_front_matter
        if self.same_format:
            return self._patched_head()
        pairs: dict[str, Any] = {}
        for key, optional in CANONICAL_KEYS[(self.dialect, self.kind)]:
            value = self.encode(key, self._target(key))
            if optional and not self._has_value(value):
                continue
            pairs[key] = value
        for key, value in self.instance.source_extra or []:
            pairs.setdefault(key, value)
        return build_head(pairs)

    def _patched_head(self) -> str:
        changes: dict[str, Any] = {}
        seen_targets = set()
        for key, value in self.original.items():
            if key == "layout" or key not in self.table:
                continue
            target = self._target(key)
            if target in seen_targets or target not in dialects.KIND_FIELDS[self.kind]:
                continue  # e.g. `topic:` beside `tags:`: kept as an extra
            seen_targets.add(target)
            if target == "og" and not (isinstance(value, dict) and set(value) <= {"image"}):
                continue
            if not self.unchanged(key, target, value):
                changes[key] = self.encode(key, target, value)
        # Keys the source did not have, for values set since (e.g. an added header image).
        for key, _ in CANONICAL_KEYS.get((self.dialect, self.kind), []):
            target = self._target(key)
            if key in self.original or target in seen_targets or key == "layout":
                continue
            if target in {"slug", "date"} and self.dialect == Dialect.MAINMATTER:
                continue
            if self._is_import_default(target):
                continue  # what importing the file without the key gave; nothing was set
            value = self.encode(key, target)
            if self._has_value(value) and value is not False:
                changes[key] = value
                seen_targets.add(target)
        return patch_head(self.instance.source_front_matter, changes)

    def text(self) -> str:
        head = self.head()
        newline = "\r\n" if "\r\n" in head else "\n"
        body = self.instance.body
        if not self.same_format and body and not body.startswith("\n"):
            body = "\n" + body
        return head + body.replace("\n", newline)

    def files(self) -> Iterator[tuple[PurePosixPath, str]]:
        """(target path, stored name) of every file the item's references point at."""
        for reference, name in sorted(self.attachments.items()):
            target = reference_target(reference, self.path)
            if name and target is not None:
                yield target, name
        yield from sorted(self.new_files.items())


# --- The run ----------------------------------------------------------------------------


def _with_related(instances, kind: str, chunk_size: int = 200):
    """Give each item its tag names, credits and attachments, three queries per chunk
    (Django's and taggit's prefetching build a queryset per item, which cost more than
    writing the file)."""
    chunk = []
    for instance in instances:
        chunk.append(instance)
        if len(chunk) == chunk_size:
            yield from _load_related(chunk, kind)
            chunk = []
    yield from _load_related(chunk, kind)


def _load_related(chunk: list, kind: str) -> list:
    if not chunk:
        return chunk
    content_type = ContentType.objects.get_for_model(chunk[0])
    by_pk = {instance.pk: instance for instance in chunk}
    for instance in chunk:
        instance.tag_names, instance.loaded_credits, instance.loaded_attachments = [], [], []
    tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=list(by_pk))
    for object_id, name in tagged.values_list("object_id", "tag__name"):
        by_pk[object_id].tag_names.append(name)
    credit_model, item_field = get_kind(kind).credit_model, get_kind(kind).credit_item_field
    credits = (
        credit_model.objects.filter(**{f"{item_field}__in": list(by_pk)})
        .select_related("person")
        .order_by("position", "pk")
    )
    for credit in credits:
        by_pk[getattr(credit, f"{item_field}_id")].loaded_credits.append(credit)
    attachments = Attachment.objects.filter(content_type=content_type, object_id__in=list(by_pk))
    for attachment in attachments:
        by_pk[attachment.object_id].loaded_attachments.append(attachment)
    return chunk


def _querysets(kind: str | None, status: str | None, since: datetime.datetime | None):
    querysets = {
        known.name: known.model.objects.select_related("author") for known in publishable_kinds()
    }
    for item_kind, queryset in querysets.items():
        if kind and kind != item_kind:
            continue
        if status:
            queryset = queryset.filter(status=status)
        if since:
            queryset = queryset.filter(date__gte=since)
        yield item_kind, queryset.order_by("date", "slug", "pk")


def export_items(
    outdir: str | Path,
    *,
    kind: str | None = None,
    status: str | None = None,
    since: datetime.datetime | None = None,
    dialect: str | None = None,
    force: bool = False,
) -> ExportReport:
    """Write the selected items under `outdir`. Refuses a non-empty `outdir` unless
    `force`; never writes outside it: a file that would land outside, or go through a
    symbolic link or a file where a folder should be, fails alone with one line."""
    root = Path(outdir)
    if root.exists() and not root.is_dir():
        raise ExportUsageError(f"{outdir}: exists and is not a directory")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise ExportUsageError(f"{outdir}: is not empty (use --force to write into it)")
    root.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    written: dict[PurePosixPath, str] = {}
    folder = _Folder(root)

    for item_kind, queryset in _querysets(kind, status, since):
        for instance in _with_related(queryset.iterator(chunk_size=200), item_kind):
            writer = ItemWriter(instance, item_kind, target_dialect(instance, item_kind, dialect))
            _write_item(folder, writer, f"{item_kind} {instance.slug!r}", written, report)

    if kind in (None, PERSON) and status is None and since is None:
        # Author profiles exist as files only on the Mainmatter site; they have neither
        # status nor date, so those filters leave them out.
        for person in Person.objects.filter(source_dialect=Dialect.MAINMATTER).order_by("slug"):
            writer = ItemWriter(person, PERSON, Dialect.MAINMATTER)
            _write_item(folder, writer, f"person {person.slug!r}", written, report)
    return report


def _write_item(folder: _Folder, writer: ItemWriter, label: str, written: dict, report) -> None:
    path = writer.path
    if path in written:
        report.errors.append(f"{path}: {label} would overwrite {written[path]}; not written")
        return
    try:
        text = writer.text()
    except (FieldError, ValueError) as error:
        report.errors.append(f"{path}: {label} cannot be written: {error}")
        return
    try:
        folder.write(path, text.encode("utf-8"))
    except NotWritten as refusal:
        report.errors.append(f"{path}: not written: {refusal}")
        return
    written[path] = label
    report.items += 1
    for target, name in writer.files():
        if target in written:
            continue
        try:
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
        except OSError:
            report.warnings.append(f"{path}: stored file {name} is missing; {target} not written")
            continue
        try:
            folder.write(target, data)
        except NotWritten as refusal:
            report.errors.append(f"{target}: not written: {refusal}")
            continue
        written[target] = label
        report.files += 1


class NotWritten(Exception):
    """A file the export refuses to write (it would land outside OUTDIR, or go through a
    symbolic link in it); the message says why."""


_OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CREATE_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class _Folder:
    """Writes files under one root, never anywhere else.

    Every folder below the root is opened component by component relative to its parent
    and without following symbolic links (created when missing), so a link or a file
    planted in OUTDIR, or swapped in while the export runs, is refused before anything is
    created through it. Each file is written atomically: to a new temporary file created
    exclusively beside it (never through an existing name), then renamed over the target,
    which replaces a name and never follows one.
    """

    def __init__(self, root: Path):
        self.root = root.resolve()

    def write(self, relative: PurePosixPath, data: bytes) -> None:
        parts = relative.parts
        if not parts or relative.is_absolute() or any(p in {"", ".", ".."} for p in parts):
            raise NotWritten("it would be outside the output folder")
        try:
            folder = self._open_folder(parts[:-1])
            try:
                self._write_file(folder, parts[-1], data)
            finally:
                os.close(folder)
        except (OSError, ValueError) as error:  # ValueError: a NUL in a name
            raise NotWritten(_reason(error)) from None

    def _open_folder(self, parts: tuple[str, ...]) -> int:
        """A descriptor of the folder `parts` below the root, created as needed."""
        folder = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for depth, part in enumerate(parts):
                # mkdir never follows a link: whatever holds the name is checked on opening.
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=folder)
                try:
                    child = os.open(part, _OPEN_FOLDER, dir_fd=folder)
                except OSError:
                    _refuse_existing(folder, part, "/".join(parts[: depth + 1]), folder=True)
                    raise
                os.close(folder)
                folder = child
        except BaseException:
            os.close(folder)
            raise
        return folder

    def _write_file(self, folder: int, name: str, data: bytes) -> None:
        _refuse_existing(folder, name, name, folder=False)
        while True:
            temporary = f".{name}.{secrets.token_hex(4)}.export-tmp"
            try:
                descriptor = os.open(temporary, _CREATE_FILE, 0o666, dir_fd=folder)
                break
            except FileExistsError:
                continue  # someone else's name: never opened, never removed
        try:
            with open(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)
            raise


def _refuse_existing(parent: int, name: str, shown: str, *, folder: bool) -> None:
    """Raise NotWritten when what holds `name` in `parent` must not be written through
    (a link; a file where a `folder` should be, or the other way round)."""
    try:
        mode = os.lstat(name, dir_fd=parent).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        where = shown if folder else "the target"
        raise NotWritten(
            f"{where} is a symbolic link (links in the output folder are never followed)"
        )
    if folder and not stat.S_ISDIR(mode):
        raise NotWritten(f"{shown} is a file, not a folder")
    if not folder and not stat.S_ISREG(mode):
        raise NotWritten("a folder or special file is in its place")


def _reason(error: OSError | ValueError) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
