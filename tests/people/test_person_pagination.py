"""A person's posts and talks come twenty a page each, with their number."""

import datetime

import pytest

from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prolific(now):
    person = PersonFactory(slug="prolific")
    for n in range(23):
        PostFactory(title=f"Post {n:02d}", author=person, date=now - datetime.timedelta(days=n))
    PostCoAuthorFactory(
        person=person, post=PostFactory(title="Co-written", date=now - datetime.timedelta(days=99))
    )
    for n in range(3):
        TalkFactory(title=f"Talk {n}", author=person, date=now - datetime.timedelta(days=n))
    return person


def test_person_page_shows_twenty_posts_and_how_many_there_are(client, prolific):
    content = client.get("/people/prolific/").content.decode()
    assert 'Posts <span class="meta">(24)</span>' in content
    assert 'Talks <span class="meta">(3)</span>' in content
    assert "Post 19" in content and "Post 20" not in content
    assert '<a rel="next" href="?posts=2#posts">' in content
    assert "?talks=2" not in content


def test_person_page_second_page_of_posts_has_the_older_ones_and_the_co_written(client, prolific):
    content = client.get("/people/prolific/?posts=2").content.decode()
    assert "Post 20" in content and "Post 22" in content and "Co-written" in content
    assert "Post 19" not in content
    assert "Talk 0" in content  # the talks stay on their first page


@pytest.mark.parametrize("query", ["posts=3", "posts=0", "posts=x", "talks=2"])
def test_person_page_out_of_range_is_not_found(client, prolific, query):
    assert client.get(f"/people/prolific/?{query}").status_code == 404
