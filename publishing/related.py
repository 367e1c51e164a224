"""Related content: the published posts and talks that share most with an item.

An item is related to another when they share a tag or a credited person (a co-author or
guest of one who is the author, co-author or guest of the other). Its score is two points
per shared tag and one per shared person, the same author included; newer items first
among equals.

Every kind is ranked in one query whatever the item's tags and people: a UNION ALL of one
part per kind, each keeping the items that share something (through the tag and credit
indexes, against subqueries of the item's own tags and people) and scoring those with
correlated counts. The parts are SQL written here from the models' tables and columns,
because building them with the ORM cost five times the query itself on every page view;
what is public still comes from each kind's `published()`, compiled into each part."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from taggit.models import TaggedItem

from publishing.kinds import Kind, kind_of, publishable_kinds
from publishing.tags import Entry, load_entries

RELATED_LIMIT = 4
TAG_POINTS = 2
PERSON_POINTS = 1
_NAME_RE = re.compile(r"[a-z_]+\Z")


@dataclass(frozen=True)
class _Credits:
    table: str
    item: str  # the column of the credited item
    person: str


def _credits_of(kind: Kind) -> _Credits | None:
    if kind.credit_model is None:
        return None
    opts = kind.credit_model._meta
    return _Credits(
        opts.db_table,
        opts.get_field(kind.credit_item_field).column,
        opts.get_field("person").column,
    )


def _ranked_part(candidate: Kind, item: models.Model, kind: Kind, quote) -> tuple[str, list]:
    """One kind's part of the ranking: its SQL and the values of its placeholders."""
    if not _NAME_RE.match(candidate.name):
        raise ValueError(f"kind name {candidate.name!r} cannot be a SQL literal")
    # The columns of the public items' subquery (`published` below), as values() names them.
    pk, date, author = quote("pk"), quote("date"), quote("author")
    tagged = TaggedItem._meta
    tags_table = quote(tagged.db_table)
    tag, ct = quote(tagged.get_field("tag").column), quote(tagged.get_field("content_type").column)
    obj = quote(tagged.get_field("object_id").column)
    own_type = ContentType.objects.get_for_model(kind.model).pk
    their_type = ContentType.objects.get_for_model(candidate.model).pk
    author_id = getattr(item, "author_id", None)

    # Each fragment with the values of its placeholders.
    own = _credits_of(kind)
    if own:
        credited = (
            f"SELECT {quote(own.person)} FROM {quote(own.table)} WHERE {quote(own.item)} = %s",
            [item.pk],
        )
    else:
        credited = ("SELECT CAST(NULL AS INTEGER) WHERE 1 = 0", [])
    its_tags = (
        f"SELECT {tag} FROM {tags_table} WHERE {ct} = %s AND {obj} = %s",
        [own_type, item.pk],
    )
    shared_tags = (
        f"SELECT COUNT(*) FROM {tags_table} t WHERE t.{ct} = %s AND t.{obj} = c.{pk} "
        f"AND t.{tag} IN ({its_tags[0]})",
        [their_type, *its_tags[1]],
    )
    theirs = _credits_of(candidate)
    if theirs:
        person, credit_item = quote(theirs.person), quote(theirs.item)
        sharing = (
            f"FROM {quote(theirs.table)} cr WHERE (cr.{person} IN ({credited[0]}) "
            f"OR cr.{person} = %s)",
            [*credited[1], author_id],
        )
        shared_people = (f"SELECT COUNT(*) {sharing[0]} AND cr.{credit_item} = c.{pk}", sharing[1])
        with_shared_people = (f"OR c.{pk} IN (SELECT cr.{credit_item} {sharing[0]})", sharing[1])
    else:
        shared_people, with_shared_people = ("SELECT 0", []), ("", [])
    # The public items as the table read, from what their index holds.
    published = candidate.model.objects.published().order_by().values("pk", "date", "author")
    published_sql, published_params = published.query.sql_with_params()
    not_itself = (f"AND c.{pk} <> %s", [item.pk]) if candidate is kind else ("", [])

    fragments = [
        (
            f"SELECT '{candidate.name}' AS kind, c.{pk} AS pk, c.{date} AS date, {TAG_POINTS} * (",
            [],
        ),
        shared_tags,
        (f") + {PERSON_POINTS} * (", []),
        shared_people,
        (f") + {PERSON_POINTS} * (CASE WHEN c.{author} IN (", []),
        credited,
        (f") OR c.{author} = %s THEN 1 ELSE 0 END) AS score ", [author_id]),
        (f"FROM ({published_sql}) c WHERE 1 = 1 ", list(published_params)),
        not_itself,
        (
            f" AND (c.{pk} IN (SELECT {obj} FROM {tags_table} WHERE {ct} = %s AND {tag} IN (",
            [their_type],
        ),
        its_tags,
        (")) ", []),
        with_shared_people,
        (f" OR c.{author} IN (", []),
        credited,
        ("))", []),
    ]
    return "".join(sql for sql, _ in fragments), [v for _, values in fragments for v in values]


def related_rows(item: models.Model, limit: int = RELATED_LIMIT) -> list[tuple]:
    """(kind name, pk, date, score) of the items most related to `item` that share
    something with it, best first, newer first among equals: one query."""
    kind = kind_of(type(item))
    connection = connections[router.db_for_read(kind.model)]
    quote = connection.ops.quote_name
    parts = [_ranked_part(candidate, item, kind, quote) for candidate in publishable_kinds()]
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) p{n}" for n, (part, _) in enumerate(parts))
    params = [value for _, part_params in parts for value in part_params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) related ORDER BY score DESC, date DESC LIMIT %s",
            [*params, limit],
        )
        return cursor.fetchall()


def related_entries(item: models.Model, limit: int = RELATED_LIMIT) -> list[Entry]:
    """The related items themselves, ready for display (one more query per kind shown)."""
    rows = related_rows(item, limit)
    loaders = {kind.name: kind.model.objects.without_texts() for kind in publishable_kinds()}
    return load_entries(rows, loaders)
