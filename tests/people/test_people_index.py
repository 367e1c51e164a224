"""The people index: each person credited on a public item, with their stored avatar (or
initial) and what they did there, counted from public items only, in a constant number
of queries."""

import datetime

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
from tests.images.builders import stored_image

# Counted queries are the view's own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def entry(content: str, person: Person) -> str:
    """The index's <li> for `person`."""
    start = content.rindex("<li", 0, content.index(f'href="{person.get_absolute_url()}"'))
    return content[start : content.index("</li>", start)]


def test_an_author_is_listed_as_author_of_their_posts_written_and_co_written(client):
    ada = PersonFactory(name="Ada")
    PostFactory.create_batch(2, author=ada)
    PostCoAuthorFactory(person=ada)

    content = client.get("/people/").content.decode()

    assert "Author of 3 posts" in entry(content, ada)


def test_a_post_its_author_is_also_credited_on_counts_once(client):
    ada = PersonFactory(name="Ada")
    post = PostFactory(author=ada)
    PostCoAuthorFactory(post=post, person=ada)
    PostCoAuthorFactory(person=ada)

    assert "Author of 2 posts" in entry(client.get("/people/").content.decode(), ada)


def test_a_speaker_and_guest_gets_each_role_with_its_count(client):
    ada = PersonFactory(name="Ada")
    TalkFactory(author=ada)
    TalkGuestFactory.create_batch(2, person=ada)
    PostFactory(author=ada)

    assert ada.roles == ["Author of 1 post", "Speaker at 1 talk", "Guest in 2 talks"]
    content = client.get("/people/").content.decode()
    assert "Author of 1 post · Speaker at 1 talk · Guest in 2 talks" in entry(content, ada)


def test_a_guest_only_is_listed_as_guest(client):
    guest = PersonFactory(name="Bea")
    TalkGuestFactory(person=guest)

    content = client.get("/people/").content.decode()

    assert '<p class="person-roles">Guest in 1 talk</p>' in entry(content, guest)


def test_drafts_and_scheduled_items_neither_list_a_person_nor_count(client, now):
    ada = PersonFactory(name="Ada")
    PostFactory(author=ada)
    PostFactory(author=ada, status="draft")
    PostFactory(author=ada, date=now + datetime.timedelta(days=1))
    PostCoAuthorFactory(person=ada, post=PostFactory(status="draft"))
    TalkGuestFactory(person=ada, talk=TalkFactory(status="draft"))
    hidden = PersonFactory(name="Hidden")
    PostFactory(author=hidden, status="draft")
    TalkGuestFactory(person=hidden, talk=TalkFactory(status="draft"))

    content = client.get("/people/").content.decode()

    assert '<p class="person-roles">Author of 1 post</p>' in entry(content, ada)
    assert "Hidden" not in content
    assert "talk" not in entry(content, ada)


def test_a_stored_avatar_is_shown_and_a_remote_one_never_is(client):
    pictured = PersonFactory(name="Ada", avatar=stored_image(96, 96))
    remote = PersonFactory(name="Bea", avatar_url="https://avatars.example.com/bea.png")
    PostFactory(author=pictured)
    PostFactory(author=remote)

    content = client.get("/people/").content.decode()

    assert "<img " in entry(content, pictured)
    assert "avatar-initial" in entry(content, remote)
    assert "avatars.example.com" not in content
    assert "/media/images/" not in content  # renditions only, never the stored original


def test_the_index_query_count_stays_flat_as_people_and_items_grow(client):
    def add_people(count: int) -> None:
        for _ in range(count):
            person = PersonFactory(avatar=stored_image(64, 64, color=(count, 0, 0)))
            PostFactory(author=person)
            PostCoAuthorFactory(person=person)
            TalkFactory(author=person)
            TalkGuestFactory(person=person)

    def queries_for_index() -> int:
        client.get("/people/")  # makes the avatars' renditions: a warm cache is counted
        with CaptureQueriesContext(connection) as context:
            assert client.get("/people/").status_code == 200
        return len(context)

    add_people(2)
    with_2 = queries_for_index()
    add_people(6)
    with_8 = queries_for_index()

    assert with_2 == with_8
    assert len(Person.objects.published()) > 8  # the items' own authors are listed too


def test_roles_of_one_person_are_counted_in_the_lists_few_queries(django_assert_num_queries):
    ada = PersonFactory()
    PostFactory(author=ada)
    ada = Person.objects.get(pk=ada.pk)

    # Posts: written, credited, and both (counted once); talks: spoken, joined as a guest.
    with django_assert_num_queries(5):
        assert ada.roles == ["Author of 1 post"]
