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

from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from taggit.models import TaggedItem

from frontmatter import formats
from frontmatter.files import is_local_reference
from frontmatter.formats.base import PERSON, Format
from frontmatter.keys import Image, Key
from frontmatter.readers import FieldError
from frontmatter.sourcefiles import (
    build_head,
    parse_front_matter,
    patch_head,
    split_source,
)
from images.fields import image_fields
from people.models import Person
from publishing.fingerprints import item_fingerprint
from publishing.kinds import get_kind, publishable_kinds


def image_values(kind: str) -> list[Image]:
    """The image keys of a kind in any format, one per target, in the model's field order:
    an image set on an item is exported beside its file even where its format has no key
    for it."""
    by_target = {}
    for key in formats.keys_of(kind):
        if isinstance(key.value, Image):
            by_target.setdefault(key.target, key.value)
    order = image_fields(get_kind(kind).model)
    return sorted(by_target.values(), key=lambda value: order.index(value.field_name))


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


def target_format(instance, kind: str, forced: str | None) -> Format:
    """The format an item is written in: the one asked for, else the one it came from,
    else (or when that format has no such kind) the default of its kind."""
    name = forced or instance.source_dialect
    format = formats.FORMATS.get(name) if name else None
    if format is None or kind not in format.kinds:
        return formats.default_format(kind)
    return format


# --- Paths ------------------------------------------------------------------------------


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


# --- The item ---------------------------------------------------------------------


class ItemWriter:
    """Works out the front matter and files of one item, in one format."""

    def __init__(self, instance, kind: str, format: Format):
        self.instance = instance
        self.kind = kind
        self.format = format
        self.dialect = format.name
        self.table: dict[str, Key] = format.table(kind)
        self.same_format = bool(instance.source_front_matter) and (
            instance.source_dialect == format.name
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
        self.path = format.item_path(self)
        self.new_files: dict[PurePosixPath, str] = {}  # target -> stored name
        self.image_refs = self._image_refs() if kind != PERSON and not self.pristine else {}

    def _fingerprint(self) -> str:
        if self.kind == PERSON:
            return item_fingerprint(self.instance)
        return item_fingerprint(
            self.instance,
            tags=self.tag_names(),
            credits=[
                (credit.person.slug, credit.person.name, credit.link, credit.image_url)
                for credit in self.credits()
            ],
            attachments=self.attachments,
        )

    # -- related rows --

    def tag_names(self) -> list[str]:
        loaded = getattr(self.instance, "loaded_tags", None)
        if loaded is None:
            return sorted(tag.name for tag in self.instance.tags.all())
        return sorted(tagged.tag.name for tagged in loaded)

    def credits(self):
        kind = get_kind(self.kind)
        field = kind.credit_model._meta.get_field(kind.credit_item_field)
        return self._loaded("loaded_credits", field.remote_field.get_accessor_name())

    def _loaded(self, attribute: str, related: str):
        """Related rows prefetched with the item's chunk, else from the database."""
        loaded = getattr(self.instance, attribute, None)
        if loaded is None:
            return getattr(self.instance, related).all()
        return loaded

    # -- images --

    def _original_ref(self, value: Image) -> str | None:
        for name, said in self.original.items():
            key = self.table.get(name)
            if key is not None and key.target == value.target:
                return value.reference(said)
        return None

    def _image_refs(self) -> dict[str, str | None]:
        refs_by_name: dict[str, list[str]] = {}
        for reference, name in sorted(self.attachments.items()):
            if name:
                refs_by_name.setdefault(name, []).append(reference)
        refs: dict[str, str | None] = {}
        for value in image_values(self.kind):
            current = getattr(self.instance, value.field_name).name or ""
            original = self._original_ref(value)
            if original is not None and self.attachments.get(original, "") == current:
                refs[value.target] = original or None
                continue
            if original and not is_local_reference(original) and not current:
                refs[value.target] = original  # a remote picture, kept as written
                continue
            if not current:
                refs[value.target] = None
                continue
            refs[value.target] = self._new_image_ref(current, refs_by_name.get(current, []))
        return refs

    def _new_image_ref(self, name: str, known_refs: list[str]) -> str:
        """A reference for an image set in the admin, or one written in another format:
        reuse a reference of the same file that suits the format, else name it after
        the file (or its content hash)."""
        site_absolute = self.format.site_absolute_images
        for reference in known_refs:
            if reference.startswith("/") == site_absolute:
                return reference
        basename = PurePosixPath(name).name
        if known_refs:
            basename = PurePosixPath(unquote(urlsplit(known_refs[0]).path)).name or basename
        reference = self.format.image_reference(basename, self.path)
        self.new_files[reference_target(reference, self.path)] = name
        return reference

    # -- the file --

    def head(self) -> str:
        if self.pristine:
            return self.instance.source_front_matter
        if self.same_format:
            return self._patched_head()
        pairs: dict[str, Any] = {}
        for name, optional in self.format.written_keys(self.kind):
            value = self.table[name].value.encode(self)
            if optional and not _has_value(value):
                continue
            pairs[name] = value
        for name, value in self.instance.source_extra or []:
            pairs.setdefault(name, value)
        return build_head(pairs)

    def _patched_head(self) -> str:
        changes: dict[str, Any] = {}
        seen_targets = set()
        for name, said in self.original.items():
            key = self.table.get(name)
            if key is None or not key.value.patched or key.target in seen_targets:
                continue  # e.g. `topic:` beside `tags:`: kept as an extra
            seen_targets.add(key.target)
            if not key.value.takes(said):
                continue
            if not key.value.unchanged(self, name, said):
                changes[name] = key.value.encode(self, said)
        # Keys the source did not have, for values set since (e.g. an added header image).
        for name, _ in self.format.written_keys(self.kind):
            key = self.table[name]
            if name in self.original or key.target in seen_targets or not key.value.patched:
                continue
            if key.value.is_import_default(self):
                continue  # what importing the file without the key gave; nothing was set
            value = key.value.encode(self)
            if key.value.worth_adding(value):
                changes[name] = value
                seen_targets.add(key.target)
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


def _has_value(value: Any) -> bool:
    return value not in (None, "", [], {})


# --- The run ----------------------------------------------------------------------------


def _with_related(known) -> QuerySet:
    """The items of a kind with their tag names, credits and attachments, three queries
    per chunk (Django's and taggit's default prefetching build a queryset per item, which
    cost more than writing the file)."""
    credits = known.credit_model._meta.get_field(known.credit_item_field)
    return known.model.objects.select_related("author").prefetch_related(
        Prefetch(
            "tagged_items",
            queryset=TaggedItem.objects.select_related("tag"),
            to_attr="loaded_tags",
        ),
        Prefetch(
            credits.remote_field.get_accessor_name(),
            queryset=known.credit_model.objects.select_related("person").order_by(
                "position", "pk"
            ),
            to_attr="loaded_credits",
        ),
        Prefetch("attachments", to_attr="loaded_attachments"),
    )


def _querysets(kind: str | None, status: str | None, since: datetime.datetime | None):
    querysets = {known.name: _with_related(known) for known in publishable_kinds()}
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
        for instance in queryset.iterator(chunk_size=200):
            writer = ItemWriter(instance, item_kind, target_format(instance, item_kind, dialect))
            _write_item(folder, writer, f"{item_kind} {instance.slug!r}", written, report)

    if kind in (None, PERSON) and status is None and since is None:
        # Author profiles exist as files only in some formats (Mainmatter's); they have neither
        # status nor date, so those filters leave them out.
        holding = [format.name for format in formats.formats_holding(PERSON)]
        for person in Person.objects.filter(source_dialect__in=holding).order_by("slug"):
            writer = ItemWriter(person, PERSON, formats.get_format(person.source_dialect))
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
