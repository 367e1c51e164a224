"""The part of an import that needs no database: each file read, its front matter mapped
(frontmatter.formats) and its body rendered, in worker processes when the run is big
enough to pay for them, a chunk at a time, ahead of the database work."""

from __future__ import annotations

import functools
import hashlib
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from frontmatter import formats
from frontmatter.discovery import Source
from frontmatter.formats.base import PERSON
from frontmatter.readers import ItemData, ItemError
from frontmatter.sourcefiles import SourceError, SourceFile, read_source
from publishing.kinds import publishable_kinds
from publishing.markdown import MarkdownTooComplex, Rendered, check_markdown, render_document

CHUNK_SIZE = 100
# Below this many files, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 200
MAX_WORKERS = 8
FIRST_CHUNK_SIZE = 10
READ_AHEAD = 2  # chunks being prepared while the database work runs on one
logger = logging.getLogger(__name__)


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
        except ItemError as error:
            raise located(error, document) from None
    except SourceError as error:
        return Prepared(error=str(error))
    except Exception as error:
        # A bug must cost one file, not the run; the details go to the log.
        logger.debug("reading %s failed", relpath, exc_info=True)
        return Prepared(
            error=f"{relpath}: could not be imported: {type(error).__name__}: {first_line(error)}"
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


class Preparer:
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


def first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "unknown error"


def line_of(document: SourceFile, key: str) -> int | None:
    """The file line where a top-level key starts (front matter begins on line 2)."""
    top = key.split(".")[0].split("[")[0]
    for number, line in enumerate(document.head.splitlines(), start=1):
        if line.startswith(f"{top}:"):
            return number
    return None


def located(error: ItemError, document: SourceFile) -> SourceError:
    """`path:line: message` for what makes a file fail: the one place an error said of a
    key gets the file's line."""
    line = line_of(document, error.key) if error.key else None
    return SourceError(document.relpath, str(error), line)
