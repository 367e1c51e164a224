"""Slugs are found whatever their case, through the index of their unique constraint; a
slug another route answers or another item has is refused where the editor can mend it."""

import datetime
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from blog.models import Post
from people.models import Person
from publishing.slugs import SLUG_ROUTES, route_taking
from talks.models import Talk
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.publishing.builders import person_form, post_form, talk_form

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


# --- Slugs that routes would shadow ---------------------------------------------------------
#
# A talk called "feed" would live at /speaking/feed/, which is the talk feed; one called
# "talks" would have its calendar at /speaking/talks.ics, which is the calendar of all talks.


def url_patterns(patterns=None, regex="", route="", namespace=""):
    """(name, full regex, full route or None when it takes arguments) of every URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        full_regex = regex + pattern.pattern.regex.pattern.lstrip("^")
        static = isinstance(pattern.pattern, RoutePattern) and not pattern.pattern.converters
        full_route = route + str(pattern.pattern) if route is not None and static else None
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, full_regex, full_route, inner)
        else:
            yield f"{namespace}{pattern.name}", full_regex, full_route


def test_every_url_with_a_slug_is_declared_for_the_slug_check():
    declared = {name for routes in SLUG_ROUTES.values() for name, _ in routes}
    with_slug = {name for name, regex, _ in url_patterns() if "(?P<slug>" in regex}
    assert with_slug == declared


def shadowed_slugs() -> list[tuple[str, str, str]]:
    """(kind, slug, address) for every static address of the site that the pattern of one
    of an item's URLs also matches: the slug whose address it would take."""
    static = [route for _, _, route in url_patterns() if route is not None]
    patterns = {name: regex for name, regex, _ in url_patterns()}
    return [
        (kind, match["slug"], f"/{route}")
        for kind, routes in SLUG_ROUTES.items()
        for url_name, _ in routes
        for route in static
        if (match := re.fullmatch(patterns[url_name].removesuffix(r"\Z"), route))
    ]


def test_the_site_has_addresses_talk_slugs_would_shadow():
    assert {(kind, slug) for kind, slug, _ in shadowed_slugs()} >= {
        ("talk", "feed"),
        ("talk", "talks"),
    }


@pytest.mark.parametrize(("kind", "slug", "address"), shadowed_slugs())
def test_every_slug_a_static_address_shadows_is_refused(kind, slug, address):
    assert route_taking(kind, slug) == address


@pytest.mark.parametrize("slug", ["streams", "Feed", "feed-2024", "talks.ics", "talk"])
def test_slugs_beside_the_shadowed_ones_are_accepted(slug):
    assert route_taking("talk", slug) is None


@pytest.mark.parametrize(
    ("slug", "address"), [("feed", "/speaking/feed/"), ("talks", "/speaking/talks.ics")]
)
def test_model_refuses_a_talk_slug_a_route_shadows_on_the_slug_field(slug, address):
    talk = TalkFactory.build(slug=slug, author=None)
    with pytest.raises(ValidationError) as raised:
        talk.full_clean()
    assert raised.value.message_dict["slug"] == [
        f"“{slug}” cannot be used: {address} is the address of another page; choose another."
    ]
    assert NON_FIELD_ERRORS not in raised.value.message_dict


@pytest.mark.parametrize(
    ("slug", "address"), [("feed", "/speaking/feed/"), ("talks", "/speaking/talks.ics")]
)
def test_admin_refuses_a_talk_slug_a_route_shadows_on_the_slug_field(editor_client, slug, address):
    response = editor_client.post(reverse("admin:talks_talk_add"), talk_form(slug=slug))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["slug"] == [
        f"“{slug}” cannot be used: {address} is the address of another page; choose another."
    ]
    assert form.non_field_errors() == []
    assert not Talk.objects.exists()


@pytest.mark.parametrize(
    ("slug", "address"), [("feed", "/speaking/feed/"), ("talks", "/speaking/talks.ics")]
)
def test_import_refuses_a_talk_slug_a_route_shadows_with_one_line(
    tmp_path, run_import, slug, address
):
    site = tmp_path / "site"
    (site / "speaking").mkdir(parents=True)
    good = "---\ntitle: A good talk\nslug: good-talk\ndate: 2024-02-01\nevent_name: Conf\n---\n"
    bad = f"---\ntitle: Shadowed\nslug: {slug}\ndate: 2024-03-01\nevent_name: Conf\n---\n"
    (site / "speaking/2024-02-01_good-talk.md").write_text(good)
    (site / "speaking/2024-03-01_shadowed.md").write_text(bad)

    report = run_import(site)

    assert report.errors == [
        f"speaking/2024-03-01_shadowed.md:3: slug: “{slug}” cannot be used: {address} is the "
        "address of another page; choose another."
    ]
    assert list(Talk.objects.values_list("slug", flat=True)) == ["good-talk"]


# --- A slug another item has -------------------------------------------------------------


DUPLICATES = [
    pytest.param(
        "blog_post",
        lambda: PostFactory(title="First post", slug="Same-Slug", date=FIRST_DATE),
        post_form,
        "A post with this address already exists: “First post” (/blog/2024/01/02/Same-Slug/).",
        id="post",
    ),
    pytest.param(
        "talks_talk",
        lambda: TalkFactory(title="First talk", slug="Same-Slug"),
        talk_form,
        "A talk with this address already exists: “First talk” (/speaking/Same-Slug/).",
        id="talk",
    ),
    pytest.param(
        "people_person",
        lambda: PersonFactory(name="First person", slug="Same-Slug"),
        person_form,
        "A person with this address already exists: “First person” (/people/Same-Slug/).",
        id="person",
    ),
]
FIRST_DATE = datetime.datetime(2024, 1, 2, 9, tzinfo=datetime.UTC)


@pytest.mark.parametrize("slug", ["Same-Slug", "same-slug"])
@pytest.mark.parametrize(("model", "first", "form", "message"), DUPLICATES)
def test_admin_says_a_duplicate_slug_is_taken_on_the_slug_field(
    editor_client, model, first, form, message, slug
):
    first()

    response = editor_client.post(reverse(f"admin:{model}_add"), form(slug=slug))

    assert response.status_code == 200
    admin_form = response.context["adminform"].form
    assert admin_form.errors["slug"] == [message]
    assert admin_form.non_field_errors() == []
    content = response.content.decode()
    assert "slug_ci_unique" not in content
    assert "Constraint" not in content


@pytest.mark.parametrize(("model", "first", "form", "message"), DUPLICATES)
def test_admin_keeps_an_items_own_slug_when_it_is_saved_again(
    editor_client, model, first, form, message
):
    item = first()
    values = form(slug="same-slug")  # its own slug, in another case
    if model != "people_person":
        values.update(title=item.title, date_0="2024-01-02", date_1="09:00:00")

    response = editor_client.post(reverse(f"admin:{model}_change", args=[item.pk]), values)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    item.refresh_from_db()
    assert item.slug == "same-slug"
