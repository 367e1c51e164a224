"""Import Markdown files with front matter into posts, talks and people.

`import_paths()` is the engine behind `manage.py import_markdown`; it returns an
:class:`ImportReport` and never raises for a bad file: each file is imported whole or not
at all, with one line saying why.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import signal
import sys
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Lower
from taggit.models import Tag, TaggedItem

from frontmatter import formats
from frontmatter.files import (
    NotImported,
    ReferenceError_,
    image_extension,
    is_local_reference,
    read_referenced_file,
    resolve_reference,
    store_on_commit,
)
from frontmatter.formats.base import PERSON
from frontmatter.keys import FieldError, ItemData, PersonRef
from frontmatter.sourcefiles import SourceError, SourceFile, read_source
from images.fields import image_fields
from images.processing import content_name
from pagecache.invalidation import invalidation_deferred
from pagecache.models import invalidate_all_pages
from people.models import Person
from publishing.filetypes import FileType, NotAccepted, recognise
from publishing.fingerprints import item_fingerprint
from publishing.kinds import get_kind, publishable_kinds
from publishing.markdown import (
    MarkdownTooComplex,
    Rendered,
    check_markdown,
    referenced_urls,
    render_document,
)
from publishing.models import Attachment
from publishing.signals import content_written, writing_in_bulk
from publishing.slugs import slug_for_name

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
# Below this many files, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 200
REDIRECT_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length
MAX_WORKERS = 8
FIRST_CHUNK_SIZE = 10
READ_AHEAD = 2  # chunks being prepared while the database work runs on one
logger = logging.getLogger(__name__)


def resettable_fields(kind: str) -> list[str]:
    """The fields a file of `kind` sets that a re-import without their key resets (an
    import replaces, never merges): those of every format's keys that reset."""
    return sorted(
        {name for key in formats.keys_of(kind) if key.value.resets for name in key.value.fields}
    )


def person_fields() -> list[str]:
    """The fields an author profile sets, all reset by a re-import without their key."""
    return sorted({name for key in formats.keys_of(PERSON) for name in key.value.fields})


class ImportUsageError(Exception):
    """Arguments that cannot work at all (a path that does not exist)."""


class Outcome(enum.StrEnum):
    """What importing a file did to its item; each is a count of the report."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"

    @classmethod
    def of(cls, *, created: bool, changed: bool) -> Outcome:
        if created:
            return cls.CREATED
        return cls.UPDATED if changed else cls.UNCHANGED


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

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"failed {self.failed}, warnings {len(self.warnings)}"
        )


@dataclass(frozen=True)
class Source:
    path: Path
    root: Path
    refused: str | None = None  # why the file is not read (one line, without its path)


def find_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Every Markdown file under the given paths, author profiles first, then by path.

    A Markdown file that is a symbolic link to somewhere outside the given paths is listed
    with the reason it is refused: a tree must not pull in files from elsewhere.
    """
    given = [(raw, Path(raw)) for raw in paths]
    roots = [path.resolve() for _, path in given]
    sources: list[Source] = []
    for raw, path in given:
        if path.is_file():
            sources.append(Source(path, path.parent))
        elif path.is_dir():
            for file in formats.markdown_files(path):
                relative = file.relative_to(path).parts
                if any(part.startswith(".") or part in IGNORED_DIRECTORIES for part in relative):
                    continue
                if file.name.lower() in IGNORED_FILES:
                    continue
                # rglob() does not descend into linked folders: only a file can be a link.
                problem = _link_problem(file, roots) if file.is_symlink() else None
                if problem:
                    sources.append(Source(file, path, problem))
                elif file.is_file():
                    sources.append(Source(file, path))
        elif path.exists():
            raise ImportUsageError(f"{raw}: not a regular file or a folder")
        else:
            raise ImportUsageError(f"{raw}: no such file or directory")
    # Profiles first, so that posts find their authors' names already there.
    sources.sort(key=lambda s: (s.path.parent.name != "authors", s.path.as_posix()))
    return sources


def _link_problem(file: Path, roots: list[Path]) -> str | None:
    """Why `file`, its links followed, is not to be read: it lands outside the `roots`."""
    try:
        target = file.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return "not imported: it is a symbolic link that cannot be followed"
    if any(target.is_relative_to(root) for root in roots):
        return None
    return "not imported: it is a symbolic link to a file outside the imported folders"


def scan_uuids(sources: Iterable[Source]) -> Counter[str]:
    """How many files of this run give each uuid (a cheap pass over the raw heads)."""
    counts: Counter[str] = Counter()
    for source in sources:
        if source.refused:
            continue
        try:
            # Non-blocking: a FIFO put in place of a file must not hang the run.
            with open(os.open(source.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        match = UUID_LINE_RE.search(head)
        if match:
            try:  # counted as the importer reads it: "0A1B…" and "0a1b-…" are one uuid
                counts[str(uuid.UUID(match.group(1).decode()))] += 1
            except ValueError:
                continue  # reported when the file is read
    return counts


@dataclass
class Prepared:
    """A file read, parsed and rendered: the part of an import that needs no database."""

    document: SourceFile | None = None
    item: ItemData | None = None
    rendered: Rendered | None = None
    error: str | None = None  # the one line that says why the file cannot be imported


def prepare(
    source: Source,
    dialect: str | None = None,
    kind: str | None = None,
    stored_bodies: Mapping[str, str] | None = None,
) -> Prepared:
    """Read one file, map its front matter and render its body (safe in worker processes:
    no database, no storage). The body is not rendered when its digest is the one
    `stored_bodies` gives for the file (already imported as it is)."""
    relpath = source.path.relative_to(source.root).as_posix()
    if source.refused:
        return Prepared(error=f"{relpath}: {source.refused}")
    try:
        document = read_source(source.path, source.root)
        try:
            item = formats.read_item(document, dialect, kind)
        except FieldError as error:
            raise SourceError(relpath, str(error), _line_of(document, error.key)) from None
    except SourceError as error:
        return Prepared(error=str(error))
    except Exception as error:
        # A bug must cost one file, not the run; the details go to the log.
        logger.debug("reading %s failed", relpath, exc_info=True)
        return Prepared(
            error=f"{relpath}: could not be imported: {type(error).__name__}: {_first_line(error)}"
        )
    rendered = None
    unchanged = stored_bodies and stored_bodies.get(relpath) == body_digest(document.body)
    try:
        if item.kind == PERSON:
            check_markdown(document.body)  # rendered when the person is saved
        elif not unchanged:
            rendered = render_document(document.body)
    except MarkdownTooComplex as error:
        return Prepared(error=str(_body_error(document, error)))
    except Exception:  # rendered again where the import reports it, with the file
        logger.debug("rendering %s failed", relpath, exc_info=True)
    return Prepared(document, item, rendered)


def _body_error(document: SourceFile, error: MarkdownTooComplex) -> SourceError:
    """`path:line: body: ...` for a body the Markdown pipeline refuses to render."""
    line = document.head.count("\n") + error.line if error.line else None
    return SourceError(document.relpath, f"body: {error.message}", line)


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle: it stops the workers with the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunked(items: list, size: int, first: int | None = None) -> Iterator[list]:
    """`items` in slices of `size`; with `first`, the slices start at that size and double."""
    start, step = 0, min(first or size, size)
    while start < len(items):
        yield items[start : start + step]
        start += step
        step = min(step * 2, size)


def body_digest(body: str) -> str:
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def stored_body_digests(sources: list[Source]) -> dict[str, str]:
    """Digests of the bodies already imported from these files, by relative path.

    A hint only: the import still compares the body of the item a file matches."""
    relpaths = [source.path.relative_to(source.root).as_posix() for source in sources]
    digests = {}
    for model in (kind.model for kind in publishable_kinds()):
        rows = model.objects.filter(source_path__in=relpaths).values_list("source_path", "body")
        digests.update((path, body_digest(body)) for path, body in rows)
    return digests


class _Preparer:
    """Prepares files ahead of the database work, in worker processes when the run is big
    enough to pay for them: rendering Markdown is most of an import's CPU time and needs
    nothing but the file."""

    def __init__(self, jobs: int | None, dialect: str | None, kind: str | None):
        self.jobs = jobs
        self.prepare = functools.partial(prepare, dialect=dialect, kind=kind)

    def chunks(self, sources: list[Source]) -> Iterator[list[tuple[Source, Prepared]]]:
        """(source, prepared) pairs in order, a chunk at a time; at most READ_AHEAD + 1
        chunks are held in memory."""
        workers = self._workers(len(sources))
        if workers < 2:
            for chunk in _chunked(sources, CHUNK_SIZE):
                stored = stored_body_digests(chunk)
                yield [(source, self.prepare(source, stored_bodies=stored)) for source in chunk]
            return
        # The first chunk is prepared here, before the workers are forked: they inherit
        # what it warmed up (Pygments lexers, the Markdown parser), and the database work
        # starts at once. The first chunks are small for the same reason.
        chunks = _chunked(sources, CHUNK_SIZE, first=FIRST_CHUNK_SIZE)
        first = next(chunks)
        stored = stored_body_digests(first)
        ready = [(source, self.prepare(source, stored_bodies=stored)) for source in first]
        # Forked workers never touch the parent's database connection or storage: they
        # only read files and return plain data.
        with multiprocessing.get_context("fork").Pool(workers, _ignore_interrupts) as pool:
            pending: deque = deque()
            for chunk in chunks:
                task = functools.partial(self.prepare, stored_bodies=stored_body_digests(chunk))
                batch = max(1, min(8, len(chunk) // (2 * workers)))
                pending.append((chunk, pool.map_async(task, chunk, chunksize=batch)))
                if ready is not None and len(pending) == READ_AHEAD:
                    yield ready
                    ready = None
                elif len(pending) > READ_AHEAD:
                    chunk, result = pending.popleft()
                    yield list(zip(chunk, result.get(), strict=True))
            if ready is not None:
                yield ready
            while pending:
                chunk, result = pending.popleft()
                yield list(zip(chunk, result.get(), strict=True))

    def _workers(self, files: int) -> int:
        # Forking a process that has set Django up is safe on Linux; macOS may crash a
        # forked child that touches system frameworks, and Windows cannot fork.
        if not sys.platform.startswith("linux"):
            return 1
        if self.jobs is not None:
            return min(self.jobs, files)
        if files < MIN_FILES_FOR_WORKERS:
            return 1
        return min(os.cpu_count() or 1, MAX_WORKERS)


@dataclass
class _Related:
    """An existing item's tags (lower-case), credits and attachments, as stored."""

    tags: set[str] = field(default_factory=set)
    credits: list[tuple] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)


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
        jobs: int | None = None,
    ):
        self.dialect = dialect
        self.kind = kind
        self.assets_root = Path(assets_root) if assets_root else None
        self.default_author = default_author
        self.dry_run = dry_run
        self.atomic = atomic
        self.progress = progress
        self.jobs = jobs
        self.report = ImportReport()
        self.people: dict[str, Person] = {}
        self.uuid_counts: Counter[str] = Counter()
        self.uuid_files: dict[str, str] = {}
        self.seen_slugs: dict[tuple[str, str], str] = {}
        self.tags: dict[str, Tag] = {}
        self.done = 0
        # Items of the current chunk, loaded at its start; `claimed` are the items files of
        # this run have matched (and possibly changed) since.
        self.by_uuid: dict[tuple[str, str], list] = {}
        self.by_slug: dict[tuple[str, str], list] = {}
        self.claimed: set[tuple[str, int]] = set()
        self.related: dict[tuple[str, int], _Related] = {}
        self.file_related: _Related | None = None  # those of the current file's item
        # old path -> new path, for the current file and for its chunk's imported files
        self.file_redirects: dict[str, str] = {}
        self.redirects: dict[str, str] = {}
        # model -> pks of the items the current chunk created or changed (content_written)
        self.written: dict[type, list[int]] = {}

    # -- the run -----------------------------------------------------------------------

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        sources = find_sources(paths)
        self.uuid_counts = scan_uuids(sources)
        if self.assets_root is not None and not self.assets_root.is_dir():
            raise ImportUsageError(f"--assets-root {self.assets_root}: not a directory")
        chunks = _Preparer(self.jobs, self.dialect, self.kind).chunks(sources)
        total = len(sources)
        # Tags, credits and redirects are written in bulk, without signals: each chunk
        # invalidates the cached pages itself, once, in its transaction.
        with invalidation_deferred(), writing_in_bulk():
            self._run_chunks(chunks, total)
        return self.report

    def _run_chunks(self, chunks: Iterator[list[tuple[Source, Prepared]]], total: int) -> None:
        try:
            if self.atomic or self.dry_run:
                with transaction.atomic():
                    for chunk in chunks:
                        self._import_chunk(chunk, total)
                    if self.dry_run or (self.atomic and self.report.failed):
                        raise _Rollback
            else:
                # Commit in chunks: one transaction per file is slow on SQLite, one for the
                # whole run holds a lock for minutes. Each file still has its own savepoint.
                for chunk in chunks:
                    with transaction.atomic():
                        self._import_chunk(chunk, total)
        except _Rollback:
            self.report.rolled_back = True
        finally:
            chunks.close()  # stops the worker processes of a run that ended early

    def _import_chunk(self, chunk: list[tuple[Source, Prepared]], total: int) -> None:
        self._prefetch_items([prepared.item for _, prepared in chunk if prepared.item])
        for source, prepared in chunk:
            self._import_one(source, prepared)
            self.done += 1
            if self.progress:
                self.progress(self.done, total)
        self._save_redirects()
        for model, pks in self.written.items():
            content_written.send(sender=model, pks=pks)
        self.written.clear()
        invalidate_all_pages()

    def _prefetch_items(self, items: list[ItemData]) -> None:
        """Load the items a chunk's files may update, by uuid and by slug, in two queries
        per kind instead of two per file."""
        self.by_uuid.clear()
        self.by_slug.clear()
        for known in publishable_kinds():
            kind, model = known.name, known.model
            uuids = [
                item.uuid
                for item in items
                if item.kind == kind and item.uuid and self.uuid_counts[str(item.uuid)] < 2
            ]
            slugs = [item.slug.lower() for item in items if item.kind == kind]
            for instance in model.objects.filter(uuid__in=uuids) if uuids else ():
                self.by_uuid.setdefault((kind, str(instance.uuid)), []).append(instance)
            if slugs:
                found = model.objects.alias(slug_lower=Lower("slug")).filter(slug_lower__in=slugs)
                self.by_slug.update(((kind, i.slug.lower()), [i]) for i in found)
        self.related.clear()
        for (kind, _), instances in (*self.by_uuid.items(), *self.by_slug.items()):
            for instance in instances:
                self.related[(kind, instance.pk)] = _Related()
        for kind in (known.name for known in publishable_kinds()):
            self._prefetch_related(kind, [pk for k, pk in self.related if k == kind])

    def _prefetch_related(self, kind: str, pks: list[int]) -> None:
        """Tags, credits and attachments of the chunk's existing items, a query each."""
        if not pks:
            return
        content_type = ContentType.objects.get_for_model(get_kind(kind).model)
        tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=pks)
        for object_id, name in tagged.values_list("object_id", "tag__name"):
            self.related[(kind, object_id)].tags.add(name.lower())
        model, item_field = get_kind(kind).credit_model, get_kind(kind).credit_item_field
        credits = model.objects.filter(**{f"{item_field}__in": pks}).order_by("position")
        for item_id, *credit in credits.values_list(
            f"{item_field}_id", "person_id", "link", "image_url"
        ):
            self.related[(kind, item_id)].credits.append(tuple(credit))
        for attachment in Attachment.objects.filter(content_type=content_type, object_id__in=pks):
            self.related[(kind, attachment.object_id)].attachments[attachment.reference] = (
                attachment
            )

    def _import_one(self, source: Source, prepared: Prepared) -> None:
        if prepared.error is not None:
            self.report.failed += 1
            self.report.errors.append(prepared.error)
            return
        document, item = prepared.document, prepared.item
        relpath = document.relpath
        warnings_before = len(self.report.warnings)
        self.file_redirects = {}
        self.file_related = None
        try:
            with transaction.atomic():
                outcome = self._save(document, item, source, prepared.rendered)
        except SourceError as error:
            self._forget_rolled_back_rows()
            del self.report.warnings[warnings_before:]
            self.report.failed += 1
            self.report.errors.append(str(error))
            return
        except MarkdownTooComplex as error:  # bodies are checked earlier, in prepare()
            self._fail(relpath, warnings_before, f"Markdown too complex: {error.message}")
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
        self.report.count(outcome)
        self.redirects.update(self.file_redirects)

    # -- saving one item ---------------------------------------------------------------

    def _save(
        self, document: SourceFile, item: ItemData, source: Source, rendered: Rendered | None
    ) -> Outcome:
        relpath = document.relpath
        for message in item.warnings:
            self._warn(relpath, message)
        if item.kind == PERSON:
            return self._save_person(document, item)

        model = get_kind(item.kind).model
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
        created = instance is None
        values = self._field_values(item, document)
        current_attachments = {} if created else self._current_attachments(instance)
        # A body already imported as it is now has its references recorded.
        if not created and instance.body == document.body:
            references = _known_body_references(current_attachments, item)
        else:
            rendered = rendered or render_document(document.body)
            references = referenced_urls(rendered.html)
        attachments = self._resolve_attachments(references, document, source)
        values.update(self._resolve_images(item, document, source, attachments))

        _check_lengths(model, values, item, document)
        attachments_changed = attachments != {
            reference: attachment.file.name
            for reference, attachment in current_attachments.items()
        }
        if created:
            instance = model()
        changed = created or any(_changed(instance, name, value) for name, value in values.items())
        for name, value in values.items():
            setattr(instance, name, value)
        tags = self._tags(item.tags or [])
        credited = [(ref, self._person(ref)) for ref in item.credits or []]
        fingerprint = item_fingerprint(
            instance,
            tags=[tag.name for tag in tags],
            credits=[
                (person.slug, person.name, ref.link, ref.image_url) for ref, person in credited
            ],
            attachments=attachments,
        )
        fingerprint_changed = fingerprint != instance.source_fingerprint
        instance.source_fingerprint = fingerprint
        if changed or attachments_changed:
            rendered = rendered or render_document(document.body)
            fields = None if changed else [*model.rendered_fields, "source_fingerprint"]
            instance.save(update_fields=fields, rendered=rendered, files=attachments)
        elif fingerprint_changed:
            # Only the digest is new (say, the item was edited since its last import, or
            # imported before digests were kept): the item itself stays as it is.
            model.objects.filter(pk=instance.pk).update(source_fingerprint=fingerprint)
        if attachments_changed:
            self._write_attachments(instance, current_attachments, attachments)
            changed = True

        if item.tags is not None or not created:
            changed |= self._sync_tags(instance, tags, created)
        changed |= self._sync_credits(instance, item, credited, created, document)
        if created or changed:  # an unchanged item keeps the redirect it was given
            self._sync_redirect(instance, item)
            self.written.setdefault(model, []).append(instance.pk)
        return Outcome.of(created=created, changed=changed)

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
                matches = self._lookup(
                    self.by_uuid,
                    (item.kind, file_uuid),
                    lambda: model.objects.filter(uuid=item.uuid),
                )
                if len(matches) == 1:
                    self._check_slug_free(model, item, matches[0], relpath, document)
                    return self._claim(item, matches[0])
        # Same kind and slug: the same item, possibly from another era of the site.
        matches = self._lookup(
            self.by_slug,
            (item.kind, item.slug.lower()),
            lambda: model.objects.with_slug(item.slug),
        )
        return self._claim(item, matches[0]) if matches else None

    def _lookup(self, prefetched: dict, key: tuple[str, str], query: Callable) -> list:
        """Items under `key` as loaded for the chunk; the database is asked again (`query()`)
        when one of them was already taken by an earlier file of the run (it may have
        changed since)."""
        found = prefetched.get(key, [])
        if any((key[0], instance.pk) in self.claimed for instance in found):
            return list(query()[:2])
        return found

    def _claim(self, item: ItemData, instance):
        key = (item.kind, instance.pk)
        self.claimed.add(key)
        # Rows loaded for the chunk serve the first file that takes the item, no other.
        self.file_related = self.related.pop(key, None)
        return instance

    def _check_slug_free(self, model, item, instance, relpath, document) -> None:
        holders = self._lookup(
            self.by_slug,
            (item.kind, item.slug.lower()),
            lambda: model.objects.with_slug(item.slug),
        )
        clash = next((holder for holder in holders if holder.pk != instance.pk), None)
        if clash is not None:
            raise SourceError(
                relpath,
                f"slug {item.slug!r} already belongs to {clash.source_path or clash}",
                _line_of(document, "slug"),
            )

    def _field_values(self, item: ItemData, document: SourceFile) -> dict[str, Any]:
        model = get_kind(item.kind).model
        # A key removed from the file resets its field: an import replaces, never merges.
        values = {
            name: model._meta.get_field(name).get_default()
            for name in resettable_fields(item.kind)
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
        slug = ref.slug or slug_for_name(ref.name)
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

    def _save_person(self, document: SourceFile, item: ItemData) -> Outcome:
        person = Person.objects.with_slug(item.slug).first()
        created = person is None
        if created:
            person = Person()
        values = {
            **dict.fromkeys(person_fields(), ""),
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
        fingerprint = item_fingerprint(person)
        if changed:
            person.source_fingerprint = fingerprint
            person.save()
        elif fingerprint != person.source_fingerprint:
            person.source_fingerprint = fingerprint
            Person.objects.filter(pk=person.pk).update(source_fingerprint=fingerprint)
        self._remember(person)
        return Outcome.of(created=created, changed=changed)

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
        values = dict.fromkeys(image_fields(get_kind(item.kind).model), "")
        for field_name, reference in item.images.items():
            key = _source_key(item, field_name)
            if not reference:
                values[field_name] = ""
                continue
            if not is_local_reference(reference):
                # Remote pictures are kept as written in the front matter, never fetched.
                values[field_name] = ""
                continue
            try:
                resolved = self._resolve(reference, key, document, source)
            except NotImported as refusal:
                self._warn(document.relpath, f"{key}: {reference} is not imported: {refusal}")
                attachments[reference] = ""
                continue
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

    def _current_attachments(self, instance) -> dict[str, Attachment]:
        if self.file_related is not None:
            return self.file_related.attachments
        return {
            attachment.reference: attachment
            for attachment in Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
            )
        }

    def _resolve_attachments(
        self, references: list[tuple[str, str]], document: SourceFile, source: Source
    ) -> dict[str, str]:
        """Files the body refers to: {reference as written: stored name or ""}.

        A file is stored only when its content is one of the kinds of `publishing.filetypes`;
        anything else (HTML, SVG, a hidden file) is a warning and its reference is kept as
        written, like a missing file's."""
        attachments: dict[str, str] = {}
        for attribute, reference in references:
            if reference in attachments or not is_local_reference(reference):
                continue
            try:
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
                file_type = recognise(data, resolved.path.name)
            except (NotImported, NotAccepted) as refusal:
                self._warn(document.relpath, f"body: {reference} is not imported: {refusal}")
                attachments[reference] = ""
                continue
            name = stored_name(data, file_type)
            if not self.dry_run:
                store_on_commit(name, data)
            attachments[reference] = name
        return attachments

    def _write_attachments(
        self, instance, current: dict[str, Attachment], attachments: dict[str, str]
    ) -> None:
        content_type = ContentType.objects.get_for_model(instance)
        stale = [a.pk for ref, a in current.items() if attachments.get(ref) != a.file.name]
        if stale:
            Attachment.objects.filter(pk__in=stale).delete()
        Attachment.objects.bulk_create(
            Attachment(content_type=content_type, object_id=instance.pk, reference=ref, file=name)
            for ref, name in attachments.items()
            if ref not in current or current[ref].pk in stale
        )

    # -- tags, credits, redirects --------------------------------------------------------

    def _sync_tags(self, instance, tags: list[Tag], created: bool) -> bool:
        wanted = {tag.name.lower() for tag in tags}
        content_type = ContentType.objects.get_for_model(instance)
        if not created:
            if self.file_related is not None:
                current = self.file_related.tags
            else:
                items = TaggedItem.objects.filter(content_type=content_type, object_id=instance.pk)
                current = {name.lower() for name in items.values_list("tag__name", flat=True)}
            if current == wanted:
                return False
            TaggedItem.objects.filter(content_type=content_type, object_id=instance.pk).delete()
        elif not wanted:
            return False
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=instance.pk, tag=tag) for tag in tags
        )
        return True

    def _tags(self, names: list[str]) -> list[Tag]:
        """The tags `names` link to, each once (a tag keeps its first spelling). taggit's
        tags.set() costs several queries per tag; tags are few and reused, so they are
        looked up once per run and linked in one insert."""
        tags = {tag.pk: tag for tag in map(self._tag, {n.lower(): n for n in names}.values())}
        return list(tags.values())

    def _tag(self, name: str) -> Tag:
        key = name.lower()
        if key not in self.tags:
            tag = Tag.objects.filter(name__iexact=name).first()
            self.tags[key] = tag or Tag.objects.create(name=name)
        return self.tags[key]

    def _sync_credits(
        self,
        instance,
        item: ItemData,
        credited: list[tuple[PersonRef, Person]],
        created: bool,
        document: SourceFile,
    ) -> bool:
        model, item_field = get_kind(item.kind).credit_model, get_kind(item.kind).credit_item_field
        wanted = []
        for ref, person in credited:
            if any(person_id == person.pk for person_id, _, _ in wanted):
                table = formats.get_format(item.dialect).table(item.kind)
                key = next(
                    name
                    for name, known in table.items()
                    if known.target == "credits" and name in document.data
                )
                raise SourceError(
                    document.relpath,
                    f"{key}: {ref.name or ref.slug} is listed more than once",
                    _line_of(document, key),
                )
            wanted.append((person.pk, ref.link, ref.image_url))
        if created:
            current = []  # a new item has none yet
        elif self.file_related is not None:
            current = self.file_related.credits
        else:
            current = list(
                model.objects.filter(**{item_field: instance})
                .order_by("position")
                .values_list("person_id", "link", "image_url")
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
        """Remember the redirects from the item's old URLs; saved with its chunk."""
        new_path = instance.get_absolute_url()
        for old_path in formats.get_format(item.dialect).old_paths(item, instance):
            if not old_path or old_path == new_path:
                continue
            if max(len(old_path), len(new_path)) > REDIRECT_PATH_LENGTH:
                self._warn(
                    instance.source_path,
                    f"no redirect from {old_path} to {new_path}: "
                    f"a redirect holds addresses of up to {REDIRECT_PATH_LENGTH} characters",
                )
                continue
            self.file_redirects[old_path] = new_path

    def _save_redirects(self) -> None:
        """Create or update the redirects of the chunk's imported files, in three queries."""
        if not self.redirects:
            return
        existing = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(
                site_id=settings.SITE_ID, old_path__in=list(self.redirects)
            )
        }
        changed = []
        for old_path, new_path in self.redirects.items():
            redirect = existing.get(old_path)
            if redirect is not None and redirect.new_path != new_path:
                redirect.new_path = new_path
                changed.append(redirect)
        Redirect.objects.bulk_update(changed, ["new_path"])
        Redirect.objects.bulk_create(
            Redirect(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path)
            for old_path, new_path in self.redirects.items()
            if old_path not in existing
        )
        self.redirects.clear()

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


def stored_name(data: bytes, file_type: FileType) -> str:
    """Content-hash name of a file a body refers to, with the extension of its recognised
    kind (never the one it came with): images under images/, where an image field would
    store the same bytes (so one picture is stored once); other files under files/."""
    return content_name(data, file_type.extension, "images" if file_type.is_image else "files")


def _known_body_references(
    attachments: dict[str, Attachment], item: ItemData
) -> list[tuple[str, str]]:
    """The body references recorded at the last import, as (attribute, reference)."""
    field_references = set(item.images.values())
    return [("src", reference) for reference in attachments if reference not in field_references]


def _assets_root_hint(reference: str, assets_root: Path | None) -> str:
    if assets_root is None and reference.startswith("/"):
        return " (site-absolute paths need --assets-root)"
    return ""


def _changed(instance, name: str, new: Any) -> bool:
    """Whether setting `name` to `new` changes `instance`; a related item (the author) is
    compared by its key: reading the one the instance has would cost a query per file."""
    field = instance._meta.get_field(name)
    if field.many_to_one:
        return getattr(instance, field.attname) != (new.pk if new is not None else None)
    return _differs(getattr(instance, name), new)


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, FieldFile):
        return (current.name or "") != (new or "")
    return current != new


def _source_key(item: ItemData, field_name: str) -> str:
    """The front-matter key that sets a field, for messages."""
    for name, key in formats.get_format(item.dialect).table(item.kind).items():
        if field_name in key.value.fields:
            return key.value.label(name)
    return field_name


def _line_of(document: SourceFile, key: str) -> int | None:
    """The file line where a top-level key starts (front matter begins on line 2)."""
    top = key.split(".")[0].split("[")[0]
    for number, line in enumerate(document.head.splitlines(), start=1):
        if line.startswith(f"{top}:"):
            return number
    return None


def import_paths(
    paths: Iterable[str | Path],
    *,
    dialect: str | None = None,
    kind: str | None = None,
    assets_root: str | Path | None = None,
    default_author: str | None = None,
    dry_run: bool = False,
    atomic: bool = False,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> ImportReport:
    """Import every Markdown file under `paths`.

    `dialect` and `kind` force a front-matter format and a kind of item instead of
    detecting them; `assets_root` is the old site's static root, where site-absolute
    references (`/assets/x.png`) resolve; `default_author` is the author of files that
    name none; `dry_run` checks and reports but writes nothing; `atomic` imports nothing
    if any file fails; `progress(done, total)` is called after each file; `jobs` is the
    number of worker processes that prepare files (None: one per CPU, at most
    MAX_WORKERS, from MIN_FILES_FOR_WORKERS files on, on Linux)."""
    importer = Importer(
        dialect=dialect,
        kind=kind,
        assets_root=assets_root,
        default_author=default_author,
        dry_run=dry_run,
        atomic=atomic,
        progress=progress,
        jobs=jobs,
    )
    return importer.run(paths)
