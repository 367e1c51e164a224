"""Search over published posts and talks.

On PostgreSQL: full-text search (`django.contrib.postgres.search`), weighted title >
description, event, city and tags > body, ranked with SearchRank. Elsewhere (SQLite):
every word must appear in one of those fields, ranked by where it appears. Both give the
same result shape, with a snippet where the words are marked.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from blog.models import Post
from publishing.markdown import plain_text
from talks.models import Talk

MAX_QUERY_LENGTH = 200
# Every word is one more pass over every body (SQLite) or one more clause (PostgreSQL): a
# query of 60 short words cost 20 times one of a word. Later words are left out.
MAX_TERMS = 10
SNIPPET_WORDS = 40
# Characters of a body's HTML a snippet is taken from: taking the tags out of a whole
# 2,000-word body for ten results cost more than the rest of the page.
SNIPPET_HTML = 3000
WEIGHTS = {
    "title": 8,
    "tags": 4,
    "description": 3,
    "subtitle": 3,
    "event_name": 3,
    "event_city": 2,
    "body": 1,
}


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
    """Items with every term in one of their fields, ranked in SQL by where the terms are:
    each (term, field) pair found adds the field's weight."""
    queryset = model.objects.published().annotate(tag_text=_tag_names(model))
    rank = Value(0.0, output_field=FloatField())
    for term in terms:
        matches = Q(tag_text__icontains=term)
        rank = rank + Case(
            When(tag_text__icontains=term, then=Value(float(WEIGHTS["tags"]))),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for name in _fields(model):
            matches |= Q(**{f"{name}__icontains": term})
            rank = rank + Case(
                When(**{f"{name}__icontains": term}, then=Value(float(WEIGHTS[name]))),
                default=Value(0.0),
                output_field=FloatField(),
            )
        queryset = queryset.filter(matches)
    return queryset.annotate(rank=rank)


def _plain_text_around(html: str, terms: list[str]) -> tuple[str, bool]:
    """The text of `html` from a little before its first match: a long body is cut to a
    window of SNIPPET_HTML characters, without a tag cut in two, before its tags are taken
    out (the sanitizer wrote it: entities and quotes escaped). Also whether text was left
    out before the window."""
    if len(html) <= SNIPPET_HTML:
        return plain_text(html), False
    lowered = html.lower()
    found = [position for position in map(lowered.find, terms) if position >= 0]
    start = max(0, min(found, default=0) - SNIPPET_HTML // 4)
    window = html[start : start + SNIPPET_HTML]
    opening, closing = window.find("<"), window.find(">")
    if start and closing != -1 and (opening == -1 or closing < opening):
        window = window[closing + 1 :]  # it began inside a tag
    if window.rfind("<") > window.rfind(">"):
        window = window[: window.rfind("<")]  # it ends inside a tag
    return plain_text(window), start > 0


def snippet(item, terms: list[str]) -> str:
    """Escaped text around the first matching words, with them in <mark>."""
    description = plain_text(getattr(item, "description", "") or "")
    body, cut_before = _plain_text_around(item.body_html or "", terms)
    if cut_before and description and any(term in description.lower() for term in terms):
        body, cut_before = _plain_text_around(item.body_html[:SNIPPET_HTML], terms)
    words = (description + " " + body).split()
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
    prefix = "… " if start or cut_before else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + " ".join(marked) + suffix


@dataclass(frozen=True)
class Hit:
    kind: str
    pk: int
    rank: float
    date: datetime.datetime


class Matches(Sequence):
    """The published posts and talks matching a query, best first: their number and
    ranks come from one query per model; the items of a slice (a page) are loaded
    when asked for, with their snippets. Django's Paginator pages it."""

    def __init__(self, hits: list[Hit], terms: list[str]):
        self.hits = hits
        self.terms = terms

    def __len__(self) -> int:
        return len(self.hits)

    def count(self) -> int:
        return len(self.hits)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        hits = self.hits[index]
        loaded = {}
        for kind, model in KINDS.items():
            # A query per kind even when the page has none of it (no id matches 0): the
            # page's query count does not depend on what matched.
            wanted = [hit.pk for hit in hits if hit.kind == kind] or [0]
            items = model.objects.filter(pk__in=wanted).defer(*LEFT_OUT)
            loaded |= {(kind, item.pk): item for item in items}
        results = []
        for hit in hits:
            item = loaded.get((hit.kind, hit.pk))
            if item is not None:  # unless deleted since the count
                results.append(Result(item, hit.kind, hit.rank, snippet(item, self.terms)))
        return results

    def __iter__(self):
        return iter(self[:])


# What a result never shows: the Markdown sources (snippets come from the rendered HTML).
LEFT_OUT = ("body", "source_front_matter", "source_extra")
KINDS = {"post": Post, "talk": Talk}


def search(query: str) -> Matches:
    """Published posts and talks matching `query`, best first, newest first among equals."""
    terms = terms_of(query)
    hits: list[Hit] = []
    if terms:
        for kind, model in KINDS.items():
            if connection.vendor == "postgresql":
                queryset = _postgres(model, " ".join(terms))
            else:
                queryset = _fallback(model, terms)
            rows = queryset.order_by().values_list("pk", "rank", "date")
            hits += [Hit(kind, pk, float(rank), date) for pk, rank, date in rows]
    hits.sort(key=lambda hit: (-hit.rank, -hit.date.timestamp()))
    return Matches(hits, terms)
