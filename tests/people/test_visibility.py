"""People the public may see are those credited on something public: a person credited only
on drafts or scheduled items is not listed, has no page and is not in the sitemap, until
one of their items is public. Editors who may change people still preview them."""

import datetime

import pytest
from django.core.cache import cache
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
from tests.publishing.builders import sitemap_entries

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=3)


def credit_on_draft_post(person, now):
    PostFactory(author=person, status="draft")


def credit_on_scheduled_post(person, now):
    PostFactory(author=person, date=now + LATER)


def co_author_of_draft_post(person, now):
    PostCoAuthorFactory(person=person, post=PostFactory(status="draft"))


def co_author_of_scheduled_post(person, now):
    PostCoAuthorFactory(person=person, post=PostFactory(date=now + LATER))


def speaker_of_draft_talk(person, now):
    TalkFactory(author=person, status="draft")


def guest_on_draft_talk(person, now):
    TalkGuestFactory(person=person, talk=TalkFactory(status="draft"))


HIDDEN_CREDITS = [
    credit_on_draft_post,
    credit_on_scheduled_post,
    co_author_of_draft_post,
    co_author_of_scheduled_post,
    speaker_of_draft_talk,
    guest_on_draft_talk,
]


def sitemap_locations(client) -> list[str]:
    return list(sitemap_entries(client))


@pytest.fixture
def public_person(now):
    """Someone credited on a public post, who must stay visible whatever else happens."""
    person = PersonFactory(name="Grace Public", slug="grace-public")
    PostFactory(author=person)
    return person


@pytest.mark.parametrize("credit", HIDDEN_CREDITS)
def test_person_credited_only_on_unpublished_items_is_not_listed(
    client, now, public_person, credit
):
    secret = PersonFactory(name="Sam Secret", slug="sam-secret")
    credit(secret, now)

    content = client.get("/people/").content.decode()

    assert "Sam Secret" not in content
    assert "/people/sam-secret/" not in content
    assert '<a href="/people/grace-public/">Grace Public</a>' in content


@pytest.mark.parametrize("credit", HIDDEN_CREDITS)
def test_person_credited_only_on_unpublished_items_has_no_page(client, now, public_person, credit):
    secret = PersonFactory(name="Sam Secret", slug="sam-secret", link="https://sam.example")
    credit(secret, now)

    response = client.get("/people/sam-secret/")

    assert response.status_code == 404
    assert "sam.example" not in response.content.decode()
    assert client.get(public_person.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("credit", HIDDEN_CREDITS)
def test_person_credited_only_on_unpublished_items_is_not_in_the_sitemap(
    client, now, public_person, credit
):
    secret = PersonFactory(slug="sam-secret")
    credit(secret, now)

    locations = sitemap_locations(client)

    assert not any(location.endswith("/people/sam-secret/") for location in locations)
    assert any(location.endswith("/people/grace-public/") for location in locations)


def test_person_credited_on_nothing_has_no_page(client):
    PersonFactory(slug="nobody-yet")
    assert client.get("/people/nobody-yet/").status_code == 404
    assert "nobody-yet" not in client.get("/people/").content.decode()


@pytest.mark.parametrize(
    "credit",
    [
        lambda person, now: TalkFactory(author=person, date=now + LATER),
        lambda person, now: TalkGuestFactory(person=person, talk=TalkFactory(date=now + LATER)),
    ],
    ids=["speaker", "guest"],
)
def test_person_on_an_announced_upcoming_talk_is_public(client, now, credit):
    # A talk's date is the day of the event: published upcoming talks are public, and so
    # are their speakers and guests.
    person = PersonFactory(slug="speaker")
    credit(person, now)

    assert client.get("/people/speaker/").status_code == 200
    assert "/people/speaker/" in client.get("/people/").content.decode()


def test_person_becomes_public_when_their_scheduled_post_comes(client, now, time_machine):
    person = PersonFactory(slug="soon")
    PostCoAuthorFactory(person=person, post=PostFactory(date=now + LATER))
    assert client.get("/people/soon/").status_code == 404

    time_machine.shift(LATER + datetime.timedelta(seconds=1))

    assert client.get("/people/soon/").status_code == 200
    assert any(location.endswith("/people/soon/") for location in sitemap_locations(client))


def test_published_queryset_has_each_public_person_once(now):
    # Credited many times, in every role: still one row (no join multiplies people).
    person = PersonFactory()
    for _ in range(3):
        PostFactory(author=person)
        PostCoAuthorFactory(person=person)
        TalkFactory(author=person)
        TalkGuestFactory(person=person)

    assert list(Person.objects.published().filter(pk=person.pk)) == [person]


@pytest.mark.parametrize("credit", HIDDEN_CREDITS)
def test_editor_previews_a_person_credited_only_on_unpublished_items_uncached(
    editor_client, now, credit
):
    secret = PersonFactory(name="Sam Secret", slug="sam-secret")
    credit(secret, now)

    response = editor_client.get("/people/sam-secret/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Sam Secret</h1>" in content
    assert "Preview — not published" in content
    assert "Nothing published yet." in content
    for directive in ("no-cache", "no-store", "max-age=0"):
        assert directive in response["Cache-Control"]


def test_editor_sees_a_public_person_without_preview_banner(editor_client, public_person):
    response = editor_client.get(public_person.get_absolute_url())
    assert "Preview — not published" not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


def test_editor_sees_only_public_people_in_the_people_index(editor_client, now, public_person):
    credit_on_draft_post(PersonFactory(name="Sam Secret"), now)
    content = editor_client.get("/people/").content.decode()
    assert "Grace Public" in content
    assert "Sam Secret" not in content


def test_staff_without_change_permission_gets_no_preview(client, django_user_model, now):
    client.force_login(django_user_model.objects.create_user("viewer", is_staff=True))
    credit_on_draft_post(PersonFactory(slug="sam-secret"), now)
    assert client.get("/people/sam-secret/").status_code == 404


def test_people_index_query_count_does_not_grow_with_people_or_credits(client, now):
    def queries_for_people_index() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/people/").status_code == 200
        return len(context)

    def add_people(count: int) -> None:
        for _ in range(count):
            PostCoAuthorFactory(post=PostFactory())
            TalkGuestFactory(talk=TalkFactory(status="draft"))

    add_people(2)
    with_2 = queries_for_people_index()
    add_people(8)
    with_10 = queries_for_people_index()
    assert with_2 == with_10


@pytest.mark.usefixtures("no_page_cache")
def test_sitemap_query_count_does_not_grow_with_people(client, now):
    def queries_for_sitemap() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get("/sitemap.xml").status_code == 200
        return len(context)

    for _ in range(2):
        PostCoAuthorFactory(post=PostFactory())
    queries_for_sitemap()  # the current Site is looked up once, then kept
    with_2 = queries_for_sitemap()
    for _ in range(8):
        PostCoAuthorFactory(post=PostFactory())
    assert queries_for_sitemap() == with_2
