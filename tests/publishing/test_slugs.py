"""Slugs are found whatever their case, through the index of their unique constraint."""

import pytest
from django.db import connection

from blog.models import Post
from people.models import Person
from talks.models import Talk
from tests.factories import PersonFactory, PostFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "model"), [(PostFactory, Post), (TalkFactory, Talk), (PersonFactory, Person)]
)
def test_slug_is_found_whatever_its_case(factory, model):
    item = factory(slug="Ember.js-in-2021---a-beacon")

    assert model.objects.get(slug__ci="ember.JS-in-2021---A-BEACON") == item
    assert model.objects.with_slug("EMBER.js-in-2021---a-beacon").get() == item
    assert not model.objects.filter(slug__ci="ember.js-in-2021").exists()


@pytest.mark.parametrize("model", [Post, Talk, Person])
def test_slug_lookup_uses_the_case_insensitive_index(model):
    # Without ordering, as get() (which the detail views use) asks for it.
    query = model.objects.filter(slug__ci="Some-Slug").order_by().query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An empty table is scanned whatever its indexes; ask whether one can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN {sql}" if connection.vendor == "postgresql" else f"EXPLAIN QUERY PLAN {sql}",
            params,
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "slug_ci_unique" in plan, plan
