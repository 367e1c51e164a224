"""Import Markdown files with front matter into posts, talks and people.

`import_paths()` is the engine behind `manage.py import_markdown`; it returns an
:class:`ImportReport` and never raises for a bad file: each file is imported whole or not
at all, with one line saying why.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile
from taggit.models import Tag, TaggedItem

from blog.models import Post, PostCoAuthor
from images.processing import content_name
from people.models import Person
from publishing import dialects
from publishing.dialects import PERSON, POST, TALK, FieldError, ItemData, PersonRef
from publishing.files import (
    ReferenceError_,
    image_extension,
    is_local_reference,
    read_referenced_file,
    resolve_reference,
    store_on_commit,
)
from publishing.markdown import referenced_urls, render_document
from publishing.models import Attachment, Dialect
from publishing.sourcefiles import SourceError, SourceFile, read_source
from talks.models import Talk, TalkGuest

MODELS = {POST: Post, TALK: Talk}
CREDIT_MODELS = {POST: (PostCoAuthor, "post"), TALK: (TalkGuest, "talk")}
IGNORED_DIRECTORIES = {"node_modules", ".git", ".cache", "_site", "public", "dist"}
# Repository documents that sit beside content; named explicitly, they are still read.
IGNORED_FILES = {
    "readme.md",
    "changelog.md",
    "contributing.md",
    "license.md",
    "code_of_conduct.md",
}
UUID_LINE_RE = re.compile(rb"^uuid:[ \t]*['\"]?([0-9A-Fa-f-]{32,36})['\"]?[ \t]*\r?$", re.M)
# Files linked from a body are imported when found; a missing one is worth a warning only
# when it looks like a file (a link to "/blog/" is a page, not an attachment).
FILE_LINK_RE = re.compile(r"\.(?:pdf|zip|png|jpe?g|gif|webp|svg|mp4|webm|mp3|txt|csv)$", re.I)
CHUNK_SIZE = 100
logger = logging.getLogger(__name__)
IMAGE_FIELDS = {
    POST: ("header_image", "og_image", "facebook_image", "twitter_image"),
    TALK: ("header_image", "og_image"),
}
# Fields a file sets; uuid and date are kept when a file has none (they are generated).
RESETTABLE_FIELDS = {
    kind: sorted(
        {
            target
            for target in dialects.KIND_FIELDS[kind]
            if ":" not in target
            and target not in {"uuid", "date", "slug", "title"}
            and target
            not in {"author_name", "author_slug", "tags", "credits", "gps", "og", "status"}
        }
        | ({"latitude", "longitude"} if kind == TALK else set())
    )
    for kind in (POST, TALK)
}


class ImportUsageError(Exception):
    """Arguments that cannot work at all (a path that does not exist)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    people_created: int = 0
    rolled_back: bool = False

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"failed {self.failed}, warnings {len(self.warnings)}"
        )


@dataclass(frozen=True)
class Source:
    path: Path
    root: Path


def find_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Every Markdown file under the given paths, author profiles first, then by path."""
    sources: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            sources.append(Source(path, path.parent))
        elif path.is_dir():
            for file in path.rglob("*.md"):
                relative = file.relative_to(path).parts
                if any(part.startswith(".") or part in IGNORED_DIRECTORIES for part in relative):
                    continue
                if file.name.lower() in IGNORED_FILES:
                    continue
                if file.is_file():
                    sources.append(Source(file, path))
        else:
            raise ImportUsageError(f"{raw}: no such file or directory")
    # Profiles first, so that posts find their authors' names already there.
    sources.sort(key=lambda s: (s.path.parent.name != "authors", s.path.as_posix()))
    return sources


def scan_uuids(sources: Iterable[Source]) -> Counter[str]:
    """How many files of this run give each uuid (a cheap pass over the raw heads)."""
    counts: Counter[str] = Counter()
    for source in sources:
        try:
            with source.path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        match = UUID_LINE_RE.search(head)
        if match:
            counts[match.group(1).decode().lower()] += 1
    return counts


class Importer:
    """One import run. Use `import_paths()` unless you need the pieces."""

    def __init__(
        self,
        *,
        dialect: str | None = None,
        kind: str | None = None,
        assets_root: str | Path | None = None,
        default_author: str | None = None,
        dry_run: bool = False,
        atomic: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.dialect = dialect
        self.kind = kind
        self.assets_root = Path(assets_root) if assets_root else None
        self.default_author = default_author
        self.dry_run = dry_run
        self.atomic = atomic
        self.progress = progress
        self.report = ImportReport()
        self.people: dict[str, Person] = {}
        self.uuid_counts: Counter[str] = Counter()
        self.uuid_files: dict[str, str] = {}
        self.seen_slugs: dict[tuple[str, str], str] = {}
        self.tags: dict[str, Tag] = {}

    # -- the run -----------------------------------------------------------------------

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        sources = find_sources(paths)
        self.uuid_counts = scan_uuids(sources)
        if self.assets_root is not None and not self.assets_root.is_dir():
            raise ImportUsageError(f"--assets-root {self.assets_root}: not a directory")
        try:
            if self.atomic or self.dry_run:
                with transaction.atomic():
                    self._import_all(sources)
                    if self.dry_run or (self.atomic and self.report.failed):
                        raise _Rollback
            else:
                # Commit in chunks: one transaction per file is slow on SQLite, one for the
                # whole run holds a lock for minutes. Each file still has its own savepoint.
                for start in range(0, len(sources), CHUNK_SIZE):
                    with transaction.atomic():
                        self._import_all(sources[start : start + CHUNK_SIZE], offset=start)
        except _Rollback:
            self.report.rolled_back = True
        return self.report

    def _import_all(self, sources: list[Source], offset: int = 0) -> None:
        total = len(sources) + offset
        for number, source in enumerate(sources, start=offset + 1):
            self._import_one(source)
            if self.progress:
                self.progress(number, total)

    def _import_one(self, source: Source) -> None:
        relpath = source.path.relative_to(source.root).as_posix()
        warnings_before = len(self.report.warnings)
        try:
            document = read_source(source.path, source.root)
            try:
                item = dialects.read_item(document, self.dialect, self.kind)
            except FieldError as error:
                raise SourceError(relpath, str(error), _line_of(document, error.key)) from None
            with transaction.atomic():
                outcome = self._save(document, item, source)
        except SourceError as error:
            self._forget_rolled_back_rows()
            del self.report.warnings[warnings_before:]
            self.report.failed += 1
            self.report.errors.append(str(error))
            return
        except DatabaseError as error:
            self._fail(relpath, warnings_before, f"could not be saved: {_first_line(error)}")
            return
        except Exception as error:
            # A bug must cost one file, not the run; the details go to the log.
            logger.debug("import of %s failed", relpath, exc_info=True)
            self._fail(
                relpath,
                warnings_before,
                f"could not be imported: {type(error).__name__}: {_first_line(error)}",
            )
            return
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    # -- saving one item ---------------------------------------------------------------

    def _save(self, document: SourceFile, item: ItemData, source: Source) -> str:
        relpath = document.relpath
        for message in item.warnings:
            self._warn(relpath, message)
        if item.kind == PERSON:
            return self._save_person(document, item)

        model = MODELS[item.kind]
        slug_key = (item.kind, item.slug.lower())
        if slug_key in self.seen_slugs:
            raise SourceError(
                relpath,
                f"slug {item.slug!r} is also used by {self.seen_slugs[slug_key]} "
                "(two files cannot be one item)",
                _line_of(document, "slug"),
            )
        self.seen_slugs[slug_key] = relpath

        instance = self._find_existing(model, item, relpath, document)
        values = self._field_values(item, document)
        # Rendering is most of an import's time: a body already imported as it is now has
        # its references recorded, and is rendered again only if something changed.
        rendered = None
        if instance is not None and instance.body == document.body:
            references = self._known_body_references(instance, item)
        else:
            rendered = render_document(document.body)
            references = referenced_urls(rendered.html)
        attachments = self._resolve_attachments(references, document, source)
        values.update(self._resolve_images(item, document, source, attachments))

        _check_lengths(model, values, item, document)
        created = instance is None
        if created:
            instance = model()
        changed = created or any(
            _differs(getattr(instance, name), value) for name, value in values.items()
        )
        for name, value in values.items():
            setattr(instance, name, value)
        if changed:
            rendered = rendered or render_document(document.body)
            instance.save(rendered=rendered)

        if item.tags is not None or not created:
            changed |= self._sync_tags(instance, item.tags or [], created)
        changed |= self._sync_credits(instance, item, created)
        if self._sync_attachments(instance, attachments, created):
            changed = True
            rendered = rendered or render_document(document.body)
            instance.save(update_fields=["body_html", "excerpt_html"], rendered=rendered)
        if created or changed:  # an unchanged item keeps the redirect it was given
            self._sync_redirect(instance, item)
        if created:
            return "created"
        return "updated" if changed else "unchanged"

    def _find_existing(self, model, item: ItemData, relpath: str, document: SourceFile):
        file_uuid = str(item.uuid).lower() if item.uuid else None
        if file_uuid:
            if self.uuid_counts[file_uuid] > 1:
                first = self.uuid_files.setdefault(file_uuid, relpath)
                if first != relpath:
                    self._warn(
                        relpath,
                        f"uuid {file_uuid} is also used by {first}; imported as separate items",
                    )
            else:
                matches = list(model.objects.filter(uuid=item.uuid)[:2])
                if len(matches) == 1:
                    self._check_slug_free(model, item, matches[0], relpath, document)
                    return matches[0]
        # Same kind and slug: the same item, possibly from another era of the site.
        return model.objects.with_slug(item.slug).first()

    def _check_slug_free(self, model, item, instance, relpath, document) -> None:
        clash = model.objects.with_slug(item.slug).exclude(pk=instance.pk).first()
        if clash is not None:
            raise SourceError(
                relpath,
                f"slug {item.slug!r} already belongs to {clash.source_path or clash}",
                _line_of(document, "slug"),
            )

    def _field_values(self, item: ItemData, document: SourceFile) -> dict[str, Any]:
        model = MODELS[item.kind]
        # A key removed from the file resets its field: an import replaces, never merges.
        values = {
            name: model._meta.get_field(name).get_default()
            for name in RESETTABLE_FIELDS[item.kind]
        }
        values.update(item.fields)
        values.setdefault("status", "published")
        values["author"] = self._author(item)
        values["body"] = document.body
        values["source_dialect"] = item.dialect
        values["source_path"] = document.relpath
        values["source_extra"] = item.extras
        values["source_front_matter"] = document.head
        return values

    def _author(self, item: ItemData) -> Person | None:
        if item.author and (item.author.slug or item.author.name):
            return self._person(item.author)
        if self.default_author:
            return self._person(PersonRef(slug=self.default_author))
        return None

    # -- people ------------------------------------------------------------------------

    def _person(self, ref: PersonRef) -> Person:
        """The Person a reference means: same slug, else same name, else a new person."""
        slug = ref.slug or dialects.slugify(ref.name)
        for key in (f"slug:{slug.lower()}", f"name:{ref.name.lower()}" if ref.name else None):
            if key and key in self.people:
                return self.people[key]
        person = Person.objects.with_slug(slug).first()
        if person is None and ref.name:
            person = Person.objects.filter(name__iexact=ref.name).first()
        if person is None:
            person = Person(
                slug=slug,
                name=ref.name or slug,
                link=ref.link,
                avatar_url=ref.image_url,
            )
            person.full_clean(exclude=["avatar"], validate_unique=False)
            person.save()
            self.report.people_created += 1
        self._remember(person)
        return person

    def _remember(self, person: Person) -> None:
        self.people[f"slug:{person.slug.lower()}"] = person
        self.people[f"name:{person.name.lower()}"] = person

    def _save_person(self, document: SourceFile, item: ItemData) -> str:
        person = Person.objects.with_slug(item.slug).first()
        created = person is None
        if created:
            person = Person()
        values = {
            **{name: "" for name in dialects.KIND_FIELDS[PERSON]},
            **item.fields,
            "body": document.body,
            "source_dialect": item.dialect,
            "source_path": document.relpath,
            "source_extra": item.extras,
            "source_front_matter": document.head,
        }
        if not created:
            values["slug"] = person.slug  # keep the handle as first written
        _check_lengths(Person, values, item, document)
        changed = created or any(
            _differs(getattr(person, name), value) for name, value in values.items()
        )
        for name, value in values.items():
            setattr(person, name, value)
        if changed:
            person.save()
        self._remember(person)
        if created:
            return "created"
        return "updated" if changed else "unchanged"

    # -- images and attachments ----------------------------------------------------------

    def _resolve(self, reference: str, key: str, document: SourceFile, source: Source):
        try:
            return resolve_reference(
                reference,
                folder=document.path.parent,
                root=source.root,
                assets_root=self.assets_root,
            )
        except ReferenceError_ as error:
            raise SourceError(
                document.relpath, f"{key}: {error}", _line_of(document, key)
            ) from None

    def _resolve_images(
        self, item: ItemData, document: SourceFile, source: Source, attachments: dict[str, str]
    ) -> dict[str, str]:
        """Image fields' stored names; the references are added to `attachments` so that
        export writes each file back where its reference points."""
        values = dict.fromkeys(IMAGE_FIELDS[item.kind], "")
        for field_name, reference in item.images.items():
            key = _source_key(item, field_name)
            if not reference:
                values[field_name] = ""
                continue
            if not is_local_reference(reference):
                # Remote pictures are kept as written in the front matter, never fetched.
                values[field_name] = ""
                continue
            resolved = self._resolve(reference, key, document, source)
            if not resolved.found:
                hint = _assets_root_hint(reference, self.assets_root)
                self._warn(document.relpath, f"{key}: image {reference} not found{hint}")
                attachments[reference] = ""
                continue
            try:
                data = read_referenced_file(resolved.path)
                extension = image_extension(data, resolved.path.name, reference)
            except ReferenceError_ as error:
                raise SourceError(
                    document.relpath, f"{key}: {error}", _line_of(document, key)
                ) from None
            name = content_name(data, extension)
            if not self.dry_run:
                store_on_commit(name, data)
            values[field_name] = name
            attachments[reference] = name
        return values

    def _known_body_references(self, instance, item: ItemData) -> list[tuple[str, str]]:
        """The body references recorded at the last import, as (attribute, reference)."""
        field_references = set(item.images.values())
        return [
            ("src", attachment.reference)
            for attachment in instance.attachments.all()
            if attachment.reference not in field_references
        ]

    def _resolve_attachments(
        self, references: list[tuple[str, str]], document: SourceFile, source: Source
    ) -> dict[str, str]:
        """Files the body refers to: {reference as written: stored name or ""}."""
        attachments: dict[str, str] = {}
        for attribute, reference in references:
            if reference in attachments or not is_local_reference(reference):
                continue
            resolved = self._resolve(reference, "body", document, source)
            if not resolved.found:
                is_file = attribute != "href" or FILE_LINK_RE.search(reference.split("#")[0])
                if is_file:
                    hint = _assets_root_hint(reference, self.assets_root)
                    self._warn(document.relpath, f"body: file {reference} not found{hint}")
                    attachments[reference] = ""
                continue
            try:
                data = read_referenced_file(resolved.path)
            except ReferenceError_ as error:
                raise SourceError(document.relpath, f"body: {error}") from None
            name = stored_name(data, resolved.path.suffix)
            if not self.dry_run:
                store_on_commit(name, data)
            attachments[reference] = name
        return attachments

    def _sync_attachments(self, instance, attachments: dict[str, str], created: bool) -> bool:
        content_type = ContentType.objects.get_for_model(instance)
        current = (
            {}  # a new item has none yet
            if created
            else {
                attachment.reference: attachment
                for attachment in Attachment.objects.filter(
                    content_type=content_type, object_id=instance.pk
                )
            }
        )
        if {ref: a.file.name for ref, a in current.items()} == attachments:
            return False
        stale = [a.pk for ref, a in current.items() if attachments.get(ref) != a.file.name]
        Attachment.objects.filter(pk__in=stale).delete()
        Attachment.objects.bulk_create(
            Attachment(content_type=content_type, object_id=instance.pk, reference=ref, file=name)
            for ref, name in attachments.items()
            if ref not in current or current[ref].pk in stale
        )
        return True

    # -- tags, credits, redirects --------------------------------------------------------

    def _sync_tags(self, instance, tags: list[str], created: bool) -> bool:
        wanted = {name.lower(): name for name in tags}
        content_type = ContentType.objects.get_for_model(instance)
        items = TaggedItem.objects.filter(content_type=content_type, object_id=instance.pk)
        if not created:
            current = {name.lower() for name in items.values_list("tag__name", flat=True)}
            if current == set(wanted):
                return False
            items.delete()
        elif not wanted:
            return False
        # taggit's tags.set() costs several queries per tag; tags are few and reused, so
        # they are looked up once per run and linked in one insert.
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=instance.pk, tag=self._tag(name))
            for name in wanted.values()
        )
        return True

    def _tag(self, name: str) -> Tag:
        key = name.lower()
        if key not in self.tags:
            tag = Tag.objects.filter(name__iexact=name).first()
            self.tags[key] = tag or Tag.objects.create(name=name)
        return self.tags[key]

    def _sync_credits(self, instance, item: ItemData, created: bool) -> bool:
        model, item_field = CREDIT_MODELS[item.kind]
        wanted = [(self._person(ref).pk, ref.link, ref.image_url) for ref in (item.credits or [])]
        current = (
            []  # a new item has none yet
            if created
            else list(
                model.objects.filter(**{item_field: instance})
                .order_by("position")
                .values_list("person_id", "link", "image_url")
            )
        )
        if current == wanted:
            return False
        if not created:
            model.objects.filter(**{item_field: instance}).delete()
        model.objects.bulk_create(
            model(
                **{item_field: instance},
                person_id=person_id,
                position=position,
                link=link,
                image_url=image_url,
            )
            for position, (person_id, link, image_url) in enumerate(wanted)
        )
        return True

    def _sync_redirect(self, instance, item: ItemData) -> None:
        old_path = old_url(item, instance)
        new_path = instance.get_absolute_url()
        if not old_path or old_path == new_path:
            return
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
        )

    def _forget_rolled_back_rows(self) -> None:
        # People and tags the failed file created were rolled back with it.
        self.people.clear()
        self.tags.clear()

    def _fail(self, relpath: str, warnings_before: int, message: str) -> None:
        self._forget_rolled_back_rows()
        del self.report.warnings[warnings_before:]
        self.report.failed += 1
        self.report.errors.append(f"{relpath}: {message}")

    def _warn(self, relpath: str, message: str) -> None:
        self.report.warnings.append(f"{relpath}: {message}")


class _Rollback(Exception):
    pass


def old_url(item: ItemData, instance) -> str | None:
    """Where the item lived on the old site."""
    if item.kind == TALK:
        return f"/speaking/{instance.slug}/"
    if item.dialect == Dialect.MAINMATTER:
        return f"/blog/{instance.date:%Y/%m/%d}/{instance.slug}/"
    return f"/{instance.slug}/"


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "unknown error"


def _check_lengths(model, values: dict[str, Any], item: ItemData, document: SourceFile) -> None:
    """Text longer than its column is refused here, with its key, rather than by the
    database (PostgreSQL) with neither."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            key = _source_key(item, name)
            raise SourceError(
                document.relpath,
                f"{key}: {len(value)} characters, at most {limit} fit",
                _line_of(document, key),
            )


def stored_name(data: bytes, suffix: str) -> str:
    """Content-hash name of a file a body refers to: images share the name an image field
    would give the same bytes, so one picture is stored once; other files keep their
    extension."""
    try:
        return content_name(data, image_extension(data, f"file{suffix}", "file"))
    except ReferenceError_:
        return content_name(data, suffix, "files")


def _assets_root_hint(reference: str, assets_root: Path | None) -> str:
    if assets_root is None and reference.startswith("/"):
        return " (site-absolute paths need --assets-root)"
    return ""


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, FieldFile):
        return (current.name or "") != (new or "")
    return current != new


def _source_key(item: ItemData, field_name: str) -> str:
    """The front-matter key that sets a field, for messages."""
    if field_name == "og_image":
        return "og.image"
    for key, (target, _) in dialects.key_table(item.dialect, item.kind).items():
        if target in {field_name, f"image:{field_name}"}:
            return key
    return field_name


def _line_of(document: SourceFile, key: str) -> int | None:
    """The file line where a top-level key starts (front matter begins on line 2)."""
    top = key.split(".")[0].split("[")[0]
    for number, line in enumerate(document.head.splitlines(), start=1):
        if line.startswith(f"{top}:"):
            return number
    return None


def import_paths(paths: Iterable[str | Path], **options: Any) -> ImportReport:
    """Import every Markdown file under `paths`; see `Importer` for the options."""
    return Importer(**options).run(paths)
