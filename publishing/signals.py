"""Signals of the publishing base, for the layers built on it (the search index).

Bulk writers (the importer, `render_markdown`) write rows without the per-item signals
receivers rely on (`bulk_create`, `bulk_update`, `QuerySet.update()`), or with too many of
them to act on one by one. They run inside `writing_in_bulk()`, and send `content_written`
for what they wrote, in the transaction that wrote it: receivers then do their work once
per batch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

# sender: the model (Post, Talk); pks: the primary keys of the items created or changed,
# with their tags, credits and files as they now are.
content_written = Signal()

_state = threading.local()


@contextmanager
def writing_in_bulk() -> Iterator[None]:
    """Within this block (in this thread), per-item receivers may leave their work to
    `content_written`, which the writer sends for each batch."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def in_bulk_write() -> bool:
    return bool(getattr(_state, "depth", 0))
