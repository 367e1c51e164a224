"""Tags across every publishable kind: the tag index with each kind's count, and the items
of one tag, posts and talks mixed, newest first.

Both work through the kinds registry (publishing.kinds), so a new kind of content shows on
the tag pages without a change here, in a number of queries that does not grow with the
tags or the items."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, QuerySet, Value
from taggit.models import Tag, TaggedItem

from publishing.kinds import publishable_kinds


def tags_with_counts() -> list[Tag]:
    """Every tag a published item uses, by name, each with `counts`: its number of
    published items of each kind in words, kinds in the registry's order ([(3, "posts"),
    (1, "talk")]). A grouped count over the tagged items per kind, then the tags: a
    query per kind and one more, however many tags."""
    per_kind = []
    for kind in publishable_kinds():
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(kind.model),
            object_id__in=kind.model.objects.published().values("pk"),
        )
        counts = dict(
            tagged.order_by().values("tag").annotate(n=Count("pk")).values_list("tag", "n")
        )
        per_kind.append((kind.model._meta, counts))
    used = set().union(*(counts for _, counts in per_kind))
    tags = list(Tag.objects.filter(pk__in=used).order_by("name", "pk"))
    for tag in tags:
        tag.counts = [
            (count, meta.verbose_name if count == 1 else meta.verbose_name_plural)
            for meta, counts in per_kind
            if (count := counts.get(tag.pk))
        ]
    return tags


def public_tags() -> QuerySet[Tag]:
    """The tags at least one published item of any kind uses."""
    return Tag.objects.filter(
        reduce(
            operator.or_,
            (
                Exists(kind.model.objects.published().filter(tags=OuterRef("pk")))
                for kind in publishable_kinds()
            ),
        )
    )


@dataclass(frozen=True)
class Entry:
    """One item of a mixed list: its kind's name and the item."""

    kind: str
    item: object

    @property
    def label(self) -> str:
        """ "Post", "Talk": what the item is, for mixed lists."""
        return str(self.item._meta.verbose_name).capitalize()


def tagged_entries(tag: Tag) -> QuerySet:
    """The published items of every kind with that tag, newest first, as rows of
    (kind name, pk, date): one query to count and one to slice, for a paginator."""
    parts = [
        kind.model.objects.published()
        .filter(tags=tag)
        .order_by()
        .annotate(kind=Value(kind.name))
        .values_list("kind", "pk", "date")
        for kind in publishable_kinds()
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-date", "kind", "-pk")


def load_entries(rows, loaders: dict[str, QuerySet]) -> list[Entry]:
    """The items of (kind, pk, …) rows, in the rows' order, each kind fetched in one query
    from its loader (a queryset of what its card shows)."""
    wanted: dict[str, list] = {}
    for kind, pk, *_ in rows:
        wanted.setdefault(kind, []).append(pk)
    found = {kind: loaders[kind].in_bulk(pks) for kind, pks in wanted.items()}
    return [Entry(kind, found[kind][pk]) for kind, pk, *_ in rows if pk in found.get(kind, {})]
