"""Search over published posts and talks.

On PostgreSQL: full-text search (`django.contrib.postgres.search`), weighted title >
description, event, city and tags > body, ranked with SearchRank. Elsewhere (SQLite):
every word must appear in one of those fields, ranked by where it appears. Both give the
same result shape, with a snippet where the words are marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from blog.models import Post
from publishing.markdown import plain_text
from talks.models import Talk

MAX_QUERY_LENGTH = 200
# Every word is one more pass over every body (SQLite) or one more clause (PostgreSQL): a
# query of 60 short words cost 20 times one of a word. Later words are left out.
MAX_TERMS = 10
MAX_RESULTS = 50
SNIPPET_WORDS = 40
WEIGHTS = {"title": 8, "tags": 4, "description": 3, "event_name": 3, "event_city": 2, "body": 1}


@dataclass
class Result:
    item: Post | Talk
    kind: str
    rank: float
    snippet: str  # HTML: escaped text with <mark>ed words


def terms_of(query: str) -> list[str]:
    """The distinct words of a query that are searched for, at most MAX_TERMS of them."""
    words = re.findall(r"\w[\w'.+#-]*", query[:MAX_QUERY_LENGTH].lower())
    terms = dict.fromkeys(word.strip(".'-") for word in words if word.strip(".'-"))
    return list(terms)[:MAX_TERMS]


def _tag_names(model):
    content_type = ContentType.objects.get_for_model(model)
    names = (
        TaggedItem.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg

        names = names.annotate(names=StringAgg("tag__name", " ")).values("names")
    else:
        from django.db.models import Aggregate, CharField

        class GroupConcat(Aggregate):
            function = "GROUP_CONCAT"
            output_field = CharField()

        names = names.annotate(names=GroupConcat("tag__name")).values("names")
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def _fields(model) -> list[str]:
    fields = ["title", "body"]
    if model is Post:
        fields += ["description", "subtitle"]
    else:
        fields += ["event_name", "event_city"]
    return fields


def _postgres(model, query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    weights = {"title": "A", "description": "B", "subtitle": "B", "event_name": "B",
               "event_city": "B", "body": "C"}  # fmt: skip
    vector = SearchVector("tag_text", weight="B")
    for name in _fields(model):
        text = Coalesce(F(name), Value(""), output_field=TextField())
        vector = vector + SearchVector(text, weight=weights[name])
    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        model.objects.published()
        .annotate(tag_text=_tag_names(model))
        .annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "-date")
    )


def _fallback(model, terms: list[str]):
    queryset = model.objects.published().annotate(tag_text=_tag_names(model))
    for term in terms:
        matches = Q(tag_text__icontains=term)
        for name in _fields(model):
            matches |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(matches)
    return queryset.order_by("-date")


def _score(item, terms: list[str]) -> float:
    score = 0.0
    tags = " ".join(tag.name for tag in item.tags.all()).lower()
    for term in terms:
        for name, weight in WEIGHTS.items():
            text = tags if name == "tags" else (getattr(item, name, "") or "").lower()
            if term in text:
                score += weight * (2 if re.search(rf"\b{re.escape(term)}\b", text) else 1)
    return score


def snippet(item, terms: list[str]) -> str:
    """Escaped text around the first matching words, with them in <mark>."""
    text = " ".join(
        plain_text(part)
        for part in (getattr(item, "description", "") or "", item.body_html)
        if part
    )
    words = text.split()
    if not words:
        return ""
    lowered = [word.lower() for word in words]
    start = next(
        (index for index, word in enumerate(lowered) if any(term in word for term in terms)), 0
    )
    start = max(0, start - 8)
    chosen = words[start : start + SNIPPET_WORDS]
    marked = []
    for word in chosen:
        escaped = escape(word)
        if any(term in word.lower() for term in terms):
            escaped = f"<mark>{escaped}</mark>"
        marked.append(escaped)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + " ".join(marked) + suffix


def search(query: str) -> list[Result]:
    """Published posts and talks matching `query`, best first."""
    terms = terms_of(query)
    if not terms:
        return []
    results: list[Result] = []
    for kind, model in (("post", Post), ("talk", Talk)):
        if connection.vendor == "postgresql":
            queryset = _postgres(model, " ".join(terms))
        else:
            queryset = _fallback(model, terms)
        items = list(queryset.select_related("author").prefetch_related("tags")[:MAX_RESULTS])
        for item in items:
            rank = (
                float(getattr(item, "rank", 0.0))
                if connection.vendor == "postgresql"
                else (_score(item, terms))
            )
            results.append(Result(item, kind, rank, snippet(item, terms)))
    results.sort(key=lambda result: (-result.rank, -result.item.date.timestamp()))
    return results[:MAX_RESULTS]
