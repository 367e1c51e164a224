"""Tags across every publishable kind: the tag index with each kind's count, and the items
of one tag, posts and talks mixed, newest first.

Both work through the kinds registry (publishing.kinds), so a new kind of content shows on
the tag pages without a change here, and each is one query however many tags or items
there are."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from publishing.kinds import Kind, publishable_kinds


def count_name(kind: Kind) -> str:
    """The annotation holding a tag's count of published items of that kind."""
    return f"{kind.name}_count"


def tags_with_counts() -> QuerySet[Tag]:
    """Every tag a published item uses, by name, each annotated with its count of published
    items of each kind (`post_count`, `talk_count`) and their `total`."""
    counts = {}
    for kind in publishable_kinds():
        items = TaggedItem.objects.filter(
            tag=OuterRef("pk"),
            content_type=ContentType.objects.get_for_model(kind.model),
            object_id__in=kind.model.objects.published().values("pk"),
        )
        per_tag = items.order_by().values("tag").annotate(n=Count("pk")).values("n")
        counts[count_name(kind)] = Coalesce(
            Subquery(per_tag, output_field=IntegerField()), Value(0)
        )
    total = sum((F(name) for name in counts), Value(0))
    return (
        Tag.objects.annotate(**counts)
        .annotate(total=total)
        .filter(total__gt=0)
        .order_by("name", "pk")
    )


def counts_of(tag: Tag) -> list[tuple[int, str]]:
    """A tag of `tags_with_counts()`'s counts in words, kinds in the registry's order:
    [(3, "posts"), (1, "talk")]."""
    counts = []
    for kind in publishable_kinds():
        count = getattr(tag, count_name(kind))
        if count:
            meta = kind.model._meta
            counts.append((count, meta.verbose_name if count == 1 else meta.verbose_name_plural))
    return counts


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
