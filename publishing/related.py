"""Related content: the published posts and talks that share most with an item.

An item's score is two points per shared tag and one per shared person (author, co-author,
guest). Every kind is ranked in one query: a union of one part per kind, each counting
its shared tags and people against subqueries of the item's own, so the query is the same
whatever the item's tags and people. The winners are then loaded per kind for display."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, ExpressionWrapper, IntegerField, Q, Value
from taggit.models import TaggedItem

from publishing.kinds import Kind, kind_of, publishable_kinds
from publishing.tags import Entry, load_entries

RELATED_LIMIT = 4
TAG_POINTS = 2
PERSON_POINTS = 1


def _people_of(item: models.Model, kind: Kind) -> models.QuerySet:
    """The ids of the item's credited people (co-authors, guests) as a subquery."""
    if kind.credit_model is None:
        return kind.model.objects.none().values("pk")
    return kind.credit_model.objects.filter(**{kind.credit_item_field: item.pk}).values(
        "person_id"
    )


def _ranked_part(candidate: Kind, item: models.Model, kind: Kind) -> models.QuerySet:
    tags = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(kind.model), object_id=item.pk
    ).values("tag_id")
    people = _people_of(item, kind)
    author_id = getattr(item, "author_id", None)
    if candidate.credit_model is not None:
        credits = candidate.credit_model._meta.get_field(
            candidate.credit_item_field
        ).remote_field.get_accessor_name()
        shared_credits = Count(
            credits,
            filter=Q(**{f"{credits}__person_id__in": people})
            | Q(**{f"{credits}__person_id": author_id}),
            distinct=True,
        )
    else:
        shared_credits = Value(0)
    same_author = Q(author_id__in=people)
    if author_id is not None:
        same_author |= Q(author_id=author_id)
    score = ExpressionWrapper(
        TAG_POINTS * Count("tagged_items", filter=Q(tagged_items__tag_id__in=tags), distinct=True)
        + PERSON_POINTS
        * (
            shared_credits + models.Case(models.When(same_author, then=Value(1)), default=Value(0))
        ),
        output_field=IntegerField(),
    )
    candidates = candidate.model.objects.published()
    if candidate.model is kind.model:
        candidates = candidates.exclude(pk=item.pk)
    return (
        candidates.order_by()
        .annotate(kind=Value(candidate.name), score=score)
        .filter(score__gt=0)
        .values_list("kind", "pk", "date", "score")
    )


def related_rows(item: models.Model, limit: int = RELATED_LIMIT) -> list[tuple]:
    """(kind name, pk, date, score) of the items most related to `item`, best first, newer
    first among equals: one query."""
    kind = kind_of(type(item))
    parts = [_ranked_part(candidate, item, kind) for candidate in publishable_kinds()]
    union = parts[0].union(*parts[1:], all=True)
    return list(union.order_by("-score", "-date")[:limit])


def related_entries(item: models.Model, limit: int = RELATED_LIMIT) -> list[Entry]:
    """The related items themselves, ready for display (one more query per kind shown)."""
    rows = related_rows(item, limit)
    loaders = {kind.name: kind.model.objects.without_texts() for kind in publishable_kinds()}
    return load_entries(rows, loaders)
