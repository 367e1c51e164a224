"""Search over published posts, talks and people, through the search index (search.index).

On PostgreSQL: full-text search (`django.contrib.postgres.search`) over the entries'
stored, GIN-indexed tsvectors, weighted title > tags, description, event and city > body,
ranked with SearchRank. On SQLite: the entries' FTS5 table (words, with Porter stemming),
ranked with BM25 weighted the same way. Either way every word must match, the hits are
joined to `published()` (no draft or scheduled item is ever found, nor a person credited
only on those), and the result has the same shape: a count, and pages of items with a
snippet where the words are marked.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.db import connection
from django.db.models import ExpressionWrapper, F
from django.db.models.expressions import RawSQL

from publishing import kinds
from publishing.markdown import plain_text, text_of_rendered
from search.index import CONFIG
from search.models import Entry

MAX_QUERY_LENGTH = 200
# Later words are left out: a long query is one more clause per word.
MAX_TERMS = 10
SNIPPET_WORDS = 40
# Characters of a body's HTML a snippet is taken from: taking the tags out of a whole
# 2,000-word body for ten results cost more than the rest of the page.
SNIPPET_HTML = 3000
# BM25 weights of the FTS5 columns (SQLite), in their order: title, tags, other, body.
BM25_WEIGHTS = (8.0, 4.0, 3.0, 1.0)


@dataclass
class Result:
    item: object  # a post, talk or person
    kind: str
    rank: float
    snippet: str  # HTML: escaped text with <mark>ed words


def terms_of(query: str) -> list[str]:
    """The distinct words of a query that are searched for, at most MAX_TERMS of them."""
    words = re.findall(r"\w[\w'.+#-]*", query[:MAX_QUERY_LENGTH].lower())
    terms = dict.fromkeys(word.strip(".'-") for word in words if word.strip(".'-"))
    return list(terms)[:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 query matching entries with every term: each term a quoted string (FTS5's
    operators and syntax mean nothing inside one), joined by FTS5's implicit AND."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


class _SQLiteIndex:
    def __init__(self, terms: list[str]):
        self.match = fts5_query(terms)

    def ranks(self) -> dict[tuple[str, int], float]:
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT entry.kind, entry.object_id, -bm25(search_entry_fts, " + weights + ") "
                "FROM search_entry_fts JOIN search_entry AS entry "
                "ON entry.id = search_entry_fts.rowid WHERE search_entry_fts MATCH %s",
                [self.match],
            )
            return {(kind, pk): rank for kind, pk, rank in cursor.fetchall()}

    def entries(self):
        matching = "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s"
        return Entry.objects.filter(id__in=RawSQL(matching, [self.match]))


class _PostgresIndex:
    def __init__(self, terms: list[str]):
        from django.contrib.postgres.search import SearchQuery

        self.query = SearchQuery(" ".join(terms), search_type="websearch", config=CONFIG)

    def _matching(self):
        from django.contrib.postgres.search import SearchVectorField

        # The stored column itself, as a tsvector: the GIN index serves the match.
        vector = ExpressionWrapper(F("document"), output_field=SearchVectorField())
        return Entry.objects.alias(vector=vector).filter(vector=self.query)

    def ranks(self) -> dict[tuple[str, int], float]:
        from django.contrib.postgres.search import SearchRank

        rows = self._matching().annotate(rank=SearchRank(F("vector"), self.query))
        return {
            (kind, pk): rank for kind, pk, rank in rows.values_list("kind", "object_id", "rank")
        }

    def entries(self):
        return self._matching()


def _plain_text_around(html: str, terms: list[str]) -> tuple[str, bool]:
    """The text of `html` from a little before its first match: a long body is cut to a
    window of SNIPPET_HTML characters, without a tag cut in two, before its tags are taken
    out (the sanitizer wrote it: entities and quotes escaped). Also whether text was left
    out before the window."""
    if len(html) <= SNIPPET_HTML:
        return text_of_rendered(html), False
    lowered = html.lower()
    found = [position for position in map(lowered.find, terms) if position >= 0]
    start = max(0, min(found, default=0) - SNIPPET_HTML // 4)
    window = html[start : start + SNIPPET_HTML]
    opening, closing = window.find("<"), window.find(">")
    if start and closing != -1 and (opening == -1 or closing < opening):
        window = window[closing + 1 :]  # it began inside a tag
    if window.rfind("<") > window.rfind(">"):
        window = window[: window.rfind("<")]  # it ends inside a tag
    return text_of_rendered(window), start > 0


def snippet(item, terms: list[str]) -> str:
    """Escaped text around the first matching words, with them in <mark>."""
    kind = kinds.kind_of(type(item))
    lead = getattr(item, kind.search_lead, "") or ""
    description = (
        text_of_rendered(lead) if kind.search_lead.endswith("_html") else plain_text(lead)
    )
    body_html = "\n".join(getattr(item, field) or "" for field in kind.search_body)
    body, cut_before = _plain_text_around(body_html, terms)
    if cut_before and description and any(term in description.lower() for term in terms):
        body, cut_before = _plain_text_around(body_html[:SNIPPET_HTML], terms)
    text = " ".join((description + " " + body).split())
    if not text:
        return ""
    words = text.split(" ")
    # The first match's word: the number of spaces before it (words are one space apart).
    lowered = text.lower()
    first = min((position for position in map(lowered.find, terms) if position >= 0), default=0)
    start = max(0, lowered.count(" ", 0, first) - 8)
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
    """The published posts, talks and people matching a query, best first: their number and
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
        for kind in kinds.searchable_kinds():
            # A query per kind even when the page has none of it (no id matches 0): the
            # page's query count does not depend on what matched.
            wanted = [hit.pk for hit in hits if hit.kind == kind.name] or [0]
            items = kind.model.objects.filter(pk__in=wanted).defer(*left_out(kind.model))
            loaded |= {(kind.name, item.pk): item for item in items}
        results = []
        for hit in hits:
            item = loaded.get((hit.kind, hit.pk))
            if item is not None:  # unless deleted since the count
                results.append(Result(item, hit.kind, hit.rank, snippet(item, self.terms)))
        return results

    def __iter__(self):
        return iter(self[:])


# What a result never shows: the Markdown sources (snippets come from the rendered HTML).
LEFT_OUT = ("body", "long_bio", "source_front_matter", "source_extra")
# The date of a hit that has none (a person): after dated items that rank the same.
UNDATED = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def left_out(model) -> list[str]:
    fields = {field.name for field in model._meta.concrete_fields}
    return [name for name in LEFT_OUT if name in fields]


def search(query: str) -> Matches:
    """Published posts, talks and people matching `query`, best first, newest first among
    equals."""
    terms = terms_of(query)
    hits: list[Hit] = []
    if terms:
        found = (_PostgresIndex if connection.vendor == "postgresql" else _SQLiteIndex)(terms)
        ranks = found.ranks()
        matched_kinds = {name for name, _ in ranks}
        for kind in kinds.searchable_kinds():
            if kind.name not in matched_kinds:
                continue  # nothing of this kind matched: no need to ask what is public
            # What the public may see of the matches, in the same query's terms.
            matching = found.entries().filter(kind=kind.name).values("object_id")
            public = kind.model.objects.published().filter(pk__in=matching)
            if kind.publishable:
                rows = public.values_list("pk", "date")
            else:
                rows = ((pk, UNDATED) for pk in public.values_list("pk", flat=True))
            hits += [
                Hit(kind.name, pk, float(ranks.get((kind.name, pk), 0.0)), date)
                for pk, date in rows
            ]
    hits.sort(key=lambda hit: (-hit.rank, -hit.date.timestamp()))
    return Matches(hits, terms)
