"""Import Markdown files with front matter into posts, talks and people.

`import_paths()` is the engine behind `manage.py import_markdown`; it returns an
:class:`ImportReport` and never raises for a bad file: each file is imported whole or not
at all, with one line saying why.

This module runs an import; the jobs are each in their own module:
- `discovery`: which files (`find_sources`), and the uuids they give;
- `pipeline`: reading, mapping (`formats`) and rendering them, in worker processes;
- `matching`: which stored item each file is, with the chunk's items loaded at once;
- `relations`: people, tags, credits and redirects; `attachments`: referenced files.
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile

from frontmatter import formats, pipeline
from frontmatter.attachments import Attachments, known_body_references, source_key
from frontmatter.discovery import ImportUsageError, Source, find_sources, scan_uuids
from frontmatter.formats.base import PERSON
from frontmatter.matching import ChunkIndex
from frontmatter.pipeline import Prepared, Preparer, first_line, located
from frontmatter.readers import ItemData, ItemError, PersonRef
from frontmatter.relations import People, Redirects, Tags, sync_credits
from frontmatter.sourcefiles import SourceError, SourceFile
from pagecache.invalidation import invalidation_deferred
from pagecache.models import invalidate_all_pages
from people.models import Person
from publishing import revisions
from publishing.fingerprints import item_fingerprint
from publishing.kinds import get_kind
from publishing.markdown import MarkdownTooComplex, Rendered, referenced_urls
from publishing.signals import content_written, writing_in_bulk

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
        self.done = 0
        self.index = ChunkIndex(Counter(), self._warn)
        self.people = People(on_create=self._person_created)
        self.tags = Tags()
        self.files = Attachments(self.assets_root, dry_run, self._warn)
        self.redirects = Redirects(self._warn)
        # model -> pks of the items the current chunk created or changed (content_written)
        self.written: dict[type, list[int]] = {}
        # People the chunk's items named and created (content_written, but no revision:
        # they hold only what the item said of them).
        self.people_created: list[int] = []
        self.revision_comment = "Imported."

    # -- the run -----------------------------------------------------------------------

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        paths = list(paths)
        self.revision_comment = "Imported from " + ", ".join(str(path) for path in paths) + "."
        sources = find_sources(paths)
        self.index.uuid_counts = scan_uuids(sources)
        if self.assets_root is not None and not self.assets_root.is_dir():
            raise ImportUsageError(f"--assets-root {self.assets_root}: not a directory")
        chunks = Preparer(self.jobs, self.dialect, self.kind).chunks(sources)
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
        self.index.load([prepared.item for _, prepared in chunk if prepared.item])
        for source, prepared in chunk:
            self._import_one(source, prepared)
            self.done += 1
            if self.progress:
                self.progress(self.done, total)
        self.redirects.save()
        # One revision of every item the chunk created or changed, tags and credits with
        # them (written in bulk, without the signals a revision would follow).
        with revisions.revision(self.revision_comment):
            for model, pks in self.written.items():
                revisions.add(model, pks)
        for model, pks in self.written.items():
            content_written.send(sender=model, pks=pks)
        if self.people_created:
            content_written.send(sender=Person, pks=self.people_created)
        self.written.clear()
        self.people_created = []
        invalidate_all_pages()

    def _import_one(self, source: Source, prepared: Prepared) -> None:
        if prepared.error is not None:
            self.report.failed += 1
            self.report.errors.append(prepared.error)
            return
        document, item = prepared.document, prepared.item
        relpath = document.relpath
        warnings_before = len(self.report.warnings)
        self.redirects.start_file()
        try:
            with transaction.atomic():
                outcome = self._save(document, item, source, prepared.rendered)
        except (ItemError, SourceError) as error:
            located_error = located(error, document) if isinstance(error, ItemError) else error
            self._fail(relpath, warnings_before, str(located_error), located=True)
            return
        except MarkdownTooComplex as error:  # bodies are checked earlier, in prepare()
            self._fail(relpath, warnings_before, f"Markdown too complex: {error.message}")
            return
        except DatabaseError as error:
            self._fail(relpath, warnings_before, f"could not be saved: {first_line(error)}")
            return
        except Exception as error:
            # A bug must cost one file, not the run; the details go to the log.
            logger.debug("import of %s failed", relpath, exc_info=True)
            self._fail(
                relpath,
                warnings_before,
                f"could not be imported: {type(error).__name__}: {first_line(error)}",
            )
            return
        self.report.count(outcome)
        self.redirects.keep_file()

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
        self.index.take_slug(item, relpath)
        instance, related = self.index.find(item, relpath)
        created = instance is None
        values = self._field_values(item, document)
        current_attachments = {} if created else self.files.current(instance, related)
        # A body already imported as it is now has its references recorded.
        if not created and instance.body == document.body:
            references = known_body_references(current_attachments, item)
        else:
            rendered = rendered or pipeline.render_document(document.body)
            references = referenced_urls(rendered.html)
        attachments = self.files.body_files(references, document, source)
        values.update(self.files.images(item, document, source, attachments))

        _check_lengths(model, values, item)
        attachments_changed = attachments != {
            reference: attachment.file.name
            for reference, attachment in current_attachments.items()
        }
        if created:
            instance = model()
        changed = created or any(_changed(instance, name, value) for name, value in values.items())
        for name, value in values.items():
            setattr(instance, name, value)
        tags = self.tags.tags(item.tags or [])
        credited = [(ref, self.people.person(ref)) for ref in item.credits or []]
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
            rendered = rendered or pipeline.render_document(document.body)
            fields = None if changed else [*model.rendered_fields, "source_fingerprint"]
            instance.render(rendered, attachments)
            instance.save(update_fields=fields)
        elif fingerprint_changed:
            # Only the digest is new (say, the item was edited since its last import, or
            # imported before digests were kept): the item itself stays as it is.
            model.objects.filter(pk=instance.pk).update(source_fingerprint=fingerprint)
        if attachments_changed:
            self.files.write(instance, current_attachments, attachments)
            changed = True

        if item.tags is not None or not created:
            changed |= Tags.sync(instance, tags, created, related)
        changed |= sync_credits(instance, item, credited, created, related, set(document.data))
        if created or changed:  # an unchanged item keeps the redirect it was given
            self._sync_redirect(instance, item)
            self.written.setdefault(model, []).append(instance.pk)
        return Outcome.of(created=created, changed=changed)

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
            return self.people.person(item.author)
        if self.default_author:
            return self.people.person(PersonRef(slug=self.default_author))
        return None

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
        _check_lengths(Person, values, item)
        changed = created or any(
            _differs(getattr(person, name), value) for name, value in values.items()
        )
        for name, value in values.items():
            setattr(person, name, value)
        fingerprint = item_fingerprint(person)
        if changed:
            person.source_fingerprint = fingerprint
            person.save()
            self.written.setdefault(Person, []).append(person.pk)
        elif fingerprint != person.source_fingerprint:
            person.source_fingerprint = fingerprint
            Person.objects.filter(pk=person.pk).update(source_fingerprint=fingerprint)
        self.people.remember(person)
        return Outcome.of(created=created, changed=changed)

    def _sync_redirect(self, instance, item: ItemData) -> None:
        self.redirects.add(instance, item)

    def _person_created(self, person: Person) -> None:
        self.report.people_created += 1
        self.people_created.append(person.pk)

    def _fail(self, relpath: str, warnings_before: int, message: str, located=False) -> None:
        # People and tags the failed file created were rolled back with it.
        self.people.forget()
        self.tags.forget()
        del self.report.warnings[warnings_before:]
        self.report.failed += 1
        self.report.errors.append(message if located else f"{relpath}: {message}")

    def _warn(self, relpath: str, message: str) -> None:
        self.report.warnings.append(f"{relpath}: {message}")


class _Rollback(Exception):
    pass


def _check_lengths(model, values: dict[str, Any], item: ItemData) -> None:
    """Text longer than its column is refused here, with its key, rather than by the
    database (PostgreSQL) with neither."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            key = source_key(item, name)
            raise ItemError(f"{key}: {len(value)} characters, at most {limit} fit", key)


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
