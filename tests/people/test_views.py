import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


# --- People index ---------------------------------------------------------------------


def test_people_index_lists_everyone_credited_on_a_public_item_by_name(client):
    PostFactory(author=PersonFactory(name="Cleo", slug="cleo", job_title="Designer"))
    TalkFactory(author=PersonFactory(name="Ada", slug="ada"))
    response = client.get("/people/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index('<a href="/people/ada/">Ada</a>') < content.index(
        '<a href="/people/cleo/">Cleo</a>'
    )
    assert "Designer" in content


def test_empty_people_index_says_nobody_is_here(client):
    response = client.get("/people/")
    assert response.status_code == 200
    assert "Nobody here yet." in response.content.decode()


# --- Person page ----------------------------------------------------------------------


def test_person_page_shows_profile(client):
    person = PersonFactory(
        name="Ada Lovelace",
        job_title="Analyst",
        bio="Writes about <em>engines</em>.",
        link="https://ada.example",
        github="ada",
    )
    PostFactory(author=person)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Ada Lovelace</h1>" in content
    assert "Writes about <em>engines</em>." in content
    assert '<a href="https://ada.example">Website</a>' in content
    assert '<a href="https://github.com/ada">GitHub</a>' in content
    assert "Preview — not published" not in content


def test_person_page_lists_posts_written_and_co_written(client):
    person = PersonFactory()
    PostFactory(title="Written alone", author=person)
    PostCoAuthorFactory(person=person, post=PostFactory(title="Written together"))
    content = client.get(person.get_absolute_url()).content.decode()
    assert "Written alone" in content
    assert "Written together" in content


def test_person_page_lists_talks_given_and_joined_as_guest(client):
    person = PersonFactory()
    TalkFactory(title="Talk given", author=person)
    TalkGuestFactory(person=person, talk=TalkFactory(title="Talk joined"))
    content = client.get(person.get_absolute_url()).content.decode()
    assert "Talk given" in content
    assert content.index("Joined as a guest") < content.index("Talk joined")


def test_person_page_leaves_out_drafts_and_scheduled_posts(client, now):
    person = PersonFactory()
    PostFactory(title="Public post", author=person)
    PostFactory(title="Draft post", author=person, status="draft")
    PostFactory(title="Scheduled post", author=person, date=now + datetime.timedelta(days=1))
    PostCoAuthorFactory(person=person, post=PostFactory(title="Draft co-post", status="draft"))
    TalkFactory(title="Draft talk", author=person, status="draft")
    TalkGuestFactory(person=person, talk=TalkFactory(title="Draft guest talk", status="draft"))
    content = client.get(person.get_absolute_url()).content.decode()
    for title in ("Draft post", "Scheduled post", "Draft co-post", "Draft talk", "Draft guest"):
        assert title not in content
    assert "Public post" in content


def test_person_page_lists_upcoming_talks(client, now):
    person = PersonFactory()
    TalkFactory(title="Next month's talk", author=person, date=now + datetime.timedelta(days=30))
    content = client.get(person.get_absolute_url()).content.decode()
    assert "Next month&#x27;s talk" in content


def test_person_with_underscore_slug_is_served(client):
    person = PersonFactory(slug="algo_luca")
    PostFactory(author=person)
    assert client.get("/people/algo_luca/").status_code == 200
    assert person.get_absolute_url() == "/people/algo_luca/"


def test_lower_cased_link_to_a_capitalised_person_slug_is_served(client):
    person = PersonFactory(slug="Luciano.Mammino")
    PostFactory(author=person)
    response = client.get("/people/luciano.mammino/")
    assert response.status_code == 200
    assert response.context["person"] == person


def test_unknown_person_is_not_found(client):
    assert client.get("/people/nobody/").status_code == 404


def test_person_page_query_count_does_not_grow_with_content(client):
    person = PersonFactory()

    def queries_for_person_page() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(person.get_absolute_url()).status_code == 200
        return len(context)

    def add_content(count: int) -> None:
        for _ in range(count):
            PostFactory(author=person, tags=["python"])
            PostCoAuthorFactory(person=person, post=PostFactory(tags=["node"]))
            TalkFactory(author=person, tags=["aws"])
            TalkGuestFactory(person=person)

    add_content(2)
    with_2 = queries_for_person_page()
    add_content(8)
    with_10 = queries_for_person_page()
    assert with_2 == with_10
