"""What keeps the search entries in step with the items (search.index), from anywhere.

Saves of posts, talks and people, their tag changes (taggit's `m2m_changed`), renamed and
deleted tags re-index the items concerned in the same transaction; deleted items lose their
entry. Bulk writers send `publishing.signals.content_written` instead, once per batch.

Whether an item or a person is public is read when searching (`published()`), not stored:
a person whose first post is published, or whose last one goes back to draft, is found or
not from that moment, and a scheduled post makes its author findable at its date, with no
entry written."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)
from taggit.models import Tag, TaggedItem

from publishing.signals import content_written, in_bulk_write
from search import index
from search.models import Entry


def item_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and not in_bulk_write():
        index.index(sender, [instance.pk])


def item_deleted(sender, instance, **kwargs) -> None:
    index.unindex(sender, [instance.pk])


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_") or in_bulk_write():
        return
    if not reverse:
        if index.is_searched(type(instance)):
            index.index(type(instance), [instance.pk])
    else:
        reindex_tagged(TaggedItem.objects.filter(tag=instance))


def tag_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        reindex_tagged(TaggedItem.objects.filter(tag=instance))


def tag_deleting(sender, instance, **kwargs) -> None:
    # Its tagged items are deleted with it: which items they were is known only now.
    tagged = TaggedItem.objects.filter(tag=instance)
    instance._search_items = list(tagged.values_list("content_type_id", "object_id"))


def tag_deleted(sender, instance, **kwargs) -> None:
    _reindex_pairs(getattr(instance, "_search_items", []))


def reindex_tagged(tagged) -> None:
    _reindex_pairs(tagged.values_list("content_type_id", "object_id"))


def _reindex_pairs(pairs) -> None:
    by_type: dict[int, list[int]] = {}
    for content_type_id, object_id in pairs:
        by_type.setdefault(content_type_id, []).append(object_id)
    for model in index.searched_models().values():
        pks = by_type.get(ContentType.objects.get_for_model(model).pk)
        if pks:
            index.index(model, pks)


def written_in_bulk(sender, pks, **kwargs) -> None:
    if index.is_searched(sender):
        index.index(sender, pks)


def migrated(sender, using="default", **kwargs) -> None:
    """A site whose items predate the index (or whose entries were lost), or a kind newly
    searched (people), gets its entries when `migrate` ends: once, as it finds none."""
    tables = connections[using].introspection.table_names()
    if Entry._meta.db_table in tables:
        index.index_unindexed_kinds()


def connect_signals(app_config) -> None:
    for model in index.searched_models().values():
        uid = f"search:{model._meta.label_lower}"
        post_save.connect(item_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(item_deleted, sender=model, dispatch_uid=uid)
    m2m_changed.connect(tags_changed, sender=TaggedItem, dispatch_uid="search:tags")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="search:tag")
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="search:tag")
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid="search:tag")
    content_written.connect(written_in_bulk, dispatch_uid="search:bulk")
    post_migrate.connect(migrated, sender=app_config, dispatch_uid="search:migrate")
