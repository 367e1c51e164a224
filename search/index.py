"""The search index: an `Entry` per post, talk and person holding the words search reads,
by weight.

SQLite searches the entries through an FTS5 table that triggers keep in step with them;
PostgreSQL through a GIN index of their weighted `document` (both made by
search/migrations/0001_initial.py). Entries are written when an item, its tags or a tag
change (search.signals), and once per batch by bulk writers (`content_written`). Whether an
item is public is not stored: search joins its hits to `published()` when it runs.

`python manage.py rebuild_search_index` writes every entry anew.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from taggit.models import TaggedItem

from pagecache.models import invalidate_all_pages
from publishing import kinds
from publishing.markdown import text_of_rendered
from search.models import Entry

# Titles (a person's name) rank highest, then tags and the fields each kind ranks like a
# description (`Kind.search_fields`), then bodies (`Kind.search_body`).
WEIGHTS = {"title": "A", "tags": "B", "other": "B", "body": "C"}
CONFIG = "english"
BATCH_SIZE = 500


def searched_models() -> dict[str, type]:
    """The models searched (publishing.kinds: those with search fields), by the name
    results give their kind."""
    return {kind.name: kind.model for kind in kinds.searchable_kinds()}


def is_searched(model) -> bool:
    return model in searched_models().values()


def kind_of(model) -> str:
    return kinds.kind_of(model).name


def document_vector():
    """The weighted tsvector of an entry (PostgreSQL), as stored in `Entry.document`."""
    from django.contrib.postgres.search import SearchVector

    vector = None
    for field, weight in WEIGHTS.items():
        part = SearchVector(field, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def index(model, pks: Iterable[int]) -> None:
    """Make the entries of these items of `model` what the items now are (an item that no
    longer exists loses its entry)."""
    pks = list(dict.fromkeys(pks))
    for start in range(0, len(pks), BATCH_SIZE):
        _index_batch(model, pks[start : start + BATCH_SIZE])


def _words(fields: tuple[str, ...], values) -> str:
    """The text of these fields' values, one after the other ("_html" fields as text)."""
    return " ".join(
        text_of_rendered(value) if field.endswith("_html") else value
        for field, value in zip(fields, values, strict=True)
        if value
    )


def _index_batch(model, pks: list[int]) -> None:
    spec = kinds.kind_of(model)
    kind = spec.name
    other_fields, body_fields = spec.search_fields, spec.search_body
    items = model._default_manager.filter(pk__in=pks).values_list(
        "pk", spec.search_title, *other_fields, *body_fields
    )
    content_type = ContentType.objects.get_for_model(model)
    tags = defaultdict(list)
    tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=pks)
    for object_id, name in tagged.order_by("tag_id").values_list("object_id", "tag__name"):
        tags[object_id].append(name)
    bodies_from = 2 + len(other_fields)
    entries = [
        Entry(
            kind=kind,
            object_id=row[0],
            title=row[1],
            tags=" ".join(tags[row[0]]),
            other=_words(other_fields, row[2:bodies_from]),
            body=_words(body_fields, row[bodies_from:]),
        )
        for row in items
    ]
    with transaction.atomic():
        Entry.objects.filter(kind=kind, object_id__in=pks).delete()
        Entry.objects.bulk_create(entries)
        if connection.vendor == "postgresql" and entries:
            Entry.objects.filter(kind=kind, object_id__in=pks).update(document=document_vector())


def unindex(model, pks: Iterable[int]) -> None:
    Entry.objects.filter(kind=kind_of(model), object_id__in=list(pks)).delete()


def index_unindexed_kinds() -> int:
    """Write the entries of each searched kind that has items but no entry at all (a site
    whose items predate the index, or a kind searched since: people); the number of items
    written. Cached search pages are invalidated when any are."""
    written = 0
    with transaction.atomic():
        for kind, model in searched_models().items():
            if Entry.objects.filter(kind=kind).exists():
                continue
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            index(model, pks)
            written += len(pks)
        if written:
            invalidate_all_pages()
    return written


def rebuild() -> int:
    """Write every entry anew; the number of entries written. Cached search pages may
    have shown what the entries said before: they are invalidated with it."""
    written = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for model in searched_models().values():
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            index(model, pks)
            written += len(pks)
        invalidate_all_pages()
    return written
