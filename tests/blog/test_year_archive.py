"""A year's posts come twenty a page, newest first, with their number."""

import datetime

import pytest

from blog.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts_of_2023(now):
    start = datetime.datetime(2023, 12, 31, 12, tzinfo=datetime.UTC)
    return [
        PostFactory(title=f"Post {n:02d} of 2023", date=start - datetime.timedelta(days=n))
        for n in range(25)
    ]


def test_year_archive_shows_the_first_twenty_posts_and_how_many_there_are(client, posts_of_2023):
    content = client.get("/blog/2023/").content.decode()
    assert "25 posts." in content
    assert "Post 00 of 2023" in content and "Post 19 of 2023" in content
    assert "Post 20 of 2023" not in content
    assert '<a rel="next" href="?page=2">' in content


def test_year_archive_second_page_has_the_older_posts(client, posts_of_2023):
    response = client.get("/blog/2023/?page=2")
    content = response.content.decode()
    assert [post.title for post in response.context["object_list"]] == [
        f"Post {n} of 2023" for n in range(20, 25)
    ]
    assert "Page 2 of 2" in content
    assert '<a rel="prev" href="?page=1">' in content


@pytest.mark.parametrize("page", ["3", "0", "abc"])
def test_year_archive_page_out_of_range_is_not_found(client, posts_of_2023, page):
    assert client.get(f"/blog/2023/?page={page}").status_code == 404


def test_year_without_public_posts_is_not_found(client, now):
    PostFactory(date=datetime.datetime(2021, 5, 1, tzinfo=datetime.UTC), status="draft")
    assert client.get("/blog/2021/").status_code == 404


def test_year_archive_links_every_year_with_public_posts(client, posts_of_2023):
    PostFactory(date=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))
    PostFactory(date=datetime.datetime(2017, 5, 1, tzinfo=datetime.UTC), status="draft")
    content = client.get("/blog/2023/").content.decode()
    assert '<a href="/blog/2019/">2019</a>' in content
    assert "/blog/2017/" not in content


def test_published_years_are_the_local_years_of_public_posts_only(now, settings):
    settings.TIME_ZONE = "Europe/Rome"
    utc = datetime.UTC
    PostFactory(date=datetime.datetime(2015, 3, 1, tzinfo=utc))
    PostFactory(date=datetime.datetime(2017, 3, 1, tzinfo=utc))
    PostFactory(date=datetime.datetime(2018, 3, 1, tzinfo=utc), status="draft")
    # 23:30 UTC on 31 December is already the next year in Rome.
    PostFactory(date=datetime.datetime(2019, 12, 31, 23, 30, tzinfo=utc))
    PostFactory(date=datetime.datetime(2022, 3, 1, tzinfo=utc))
    PostFactory(date=now + datetime.timedelta(days=400))  # scheduled: not public yet

    years = [day.year for day in Post.objects.published_years()]

    assert years == [2022, 2020, 2017, 2015]
