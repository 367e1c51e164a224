"""Every list page of posts (and the people and search pages that list them) runs the
same few queries whatever the number of posts: no query per card, per tag, per author or
per picture."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, TalkFactory
from tests.images.builders import stored_image

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

MAX_QUERIES = 8


@pytest.fixture
def author(now):
    return PersonFactory(slug="ada", name="Ada")


@pytest.fixture
def add_posts(now, author):
    """Add `count` posts (and as many talks) by the same author, with tags, a co-author
    and one shared header image, each an hour older than the last."""
    header = stored_image()
    added = []

    def add(count: int) -> None:
        for _ in range(count):
            age = datetime.timedelta(days=3, hours=len(added))
            post = PostFactory(
                author=author,
                date=now - age,
                header_image=header,
                tags=["python", f"topic-{len(added) % 7}"],
                body="Streams and **python**, at length.",
            )
            PostCoAuthorFactory(post=post, person=PersonFactory())
            # As the post ranks (tag and body) and dated the same: search pages mix both.
            TalkFactory(author=author, date=now - age, tags=["python"], body=post.body)
            added.append(post)

    return add


def queries_for(client, path: str) -> int:
    client.get(path)  # renditions are made by the first view of a picture
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


LIST_PAGES = [
    "/",
    "/blog/",
    "/blog/tags/python/",
    "/blog/2024/",
    "/blog/feed/",
    "/blog/atom/",
    "/blog/tags/python/feed/",
    "/people/",
    "/people/ada/",
    "/search/?q=python",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_page_runs_the_same_few_queries_for_5_and_50_posts(client, add_posts, path):
    add_posts(5)
    with_5 = queries_for(client, path)
    add_posts(45)
    with_50 = queries_for(client, path)
    assert with_5 == with_50
    assert with_50 <= MAX_QUERIES


SECOND_PAGES = [
    "/blog/?page=2",
    "/blog/tags/python/?page=2",
    "/blog/2024/?page=2",
    "/people/ada/?posts=2",
    "/people/ada/?talks=2",
    "/search/?q=python&page=2",
]


@pytest.mark.parametrize("path", SECOND_PAGES)
def test_later_page_runs_the_same_few_queries_for_25_and_50_posts(client, add_posts, path):
    add_posts(25)
    with_25 = queries_for(client, path)
    add_posts(25)
    with_50 = queries_for(client, path)
    assert with_25 == with_50
    assert with_50 <= MAX_QUERIES


def test_post_page_runs_the_same_queries_however_many_posts_there_are(client, add_posts):
    add_posts(5)
    path = PostFactory(tags=["python"]).get_absolute_url()
    with_5 = queries_for(client, path)
    add_posts(45)
    assert queries_for(client, path) == with_5 <= MAX_QUERIES
