"""Who is public is found from the indexes of public items: neither the people pages nor
the sitemap index read a post's or a talk's row to tell (a row holds the whole bodies, so
reading every credited item's row made those pages the slowest of the site)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN"),
]

# Rows a query may read by primary key: people (the answer) and the current site.
READ_BY_KEY = ("people_person", "django_site")


def plan_of(sql: str, params=()) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[3] for row in cursor.fetchall()]


def rows_read(plan: list[str]) -> list[str]:
    """The steps of a plan that read a table's rows rather than an index alone."""
    return [
        step
        for step in plan
        if step.startswith(("SCAN", "SEARCH"))
        and "COVERING INDEX" not in step
        and step.split()[1] not in READ_BY_KEY
    ]


@pytest.fixture
def credits(now):
    """People credited every way, on public and unpublished items."""
    author = PersonFactory()
    PostFactory(author=author)
    PostFactory(author=author, status="draft")
    PostCoAuthorFactory(post=PostFactory(author=author))
    TalkFactory(author=author)
    TalkGuestFactory(talk=TalkFactory(author=author, status="draft"))


def test_public_people_are_found_without_reading_any_item(credits):
    sql, params = Person.objects.published().query.sql_with_params()
    plan = plan_of(sql, params)
    assert rows_read(plan) == []
    assert not [step for step in plan if "CORRELATED" in step]


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("path", ["/sitemap.xml", "/people/"])
def test_sitemap_index_and_people_list_read_only_indexes_of_items(client, credits, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert captured.captured_queries
    for query in captured.captured_queries:
        plan = plan_of(query["sql"])
        assert rows_read(plan) == [], query["sql"]
