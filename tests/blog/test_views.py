import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, days_ago

pytestmark = pytest.mark.django_db

CARD = '<article class="card">'


def titles_in_order(content: str, *titles: str) -> bool:
    positions = [content.index(title) for title in titles]
    return positions == sorted(positions)


# --- Blog list ------------------------------------------------------------------------


def test_blog_list_shows_published_posts_newest_first(client, now):
    PostFactory(title="Oldest", date=days_ago(30))
    PostFactory(title="Newest", date=days_ago(1))
    PostFactory(title="Middle", date=days_ago(10))
    response = client.get("/blog/")
    assert response.status_code == 200
    assert titles_in_order(response.content.decode(), "Newest", "Middle", "Oldest")


def test_blog_list_leaves_out_drafts_and_scheduled_posts(client, now):
    PostFactory(title="Visible post")
    PostFactory(title="Draft post", status="draft")
    PostFactory(title="Scheduled post", date=now + datetime.timedelta(days=1))
    content = client.get("/blog/").content.decode()
    assert "Visible post" in content
    assert "Draft post" not in content
    assert "Scheduled post" not in content


def test_blog_list_shows_ten_posts_per_page(client, now):
    for day in range(1, 13):
        PostFactory(title=f"Post of day {day:02d}", date=days_ago(day))
    content = client.get("/blog/").content.decode()
    assert content.count(CARD) == 10
    assert "Post of day 01" in content
    assert "Post of day 11" not in content
    assert '<link rel="next" href="?page=2">' in content
    assert 'rel="prev"' not in content


def test_blog_list_second_page_has_the_older_posts(client, now):
    for day in range(1, 13):
        PostFactory(title=f"Post of day {day:02d}", date=days_ago(day))
    response = client.get("/blog/?page=2")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(CARD) == 2
    assert titles_in_order(content, "Post of day 11", "Post of day 12")
    assert '<link rel="prev" href="?page=1">' in content
    assert 'rel="next"' not in content
    assert "Page 2 of 2" in content


def test_blog_list_page_past_the_end_is_not_found(client):
    PostFactory()
    assert client.get("/blog/?page=2").status_code == 404


def test_empty_blog_list_says_there_are_no_posts(client):
    response = client.get("/blog/")
    assert response.status_code == 200
    assert "No posts yet." in response.content.decode()
    assert 'class="pagination"' not in response.content.decode()


def test_blog_list_query_count_does_not_grow_with_posts(client, now):
    def queries_for_blog_list() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/blog/").status_code == 200
        return len(context)

    for _ in range(5):
        PostFactory(tags=["python", "django"])
    with_5 = queries_for_blog_list()
    for _ in range(20):
        PostFactory(tags=["python", "node"])
    with_25 = queries_for_blog_list()
    assert with_5 == with_25
    assert with_25 <= 8


# --- Post detail ----------------------------------------------------------------------


def test_post_page_shows_title_author_and_rendered_body(client):
    author = PersonFactory(name="Ada Lovelace", slug="ada")
    post = PostFactory(title="On engines", author=author, body="The **analytical** engine.")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>On engines</h1>" in content
    assert '<a href="/people/ada/">Ada Lovelace</a>' in content
    assert "The <strong>analytical</strong> engine." in content
    assert "Preview — not published" not in content


def test_post_page_credits_co_authors_in_order(client):
    post = PostFactory()
    PostCoAuthorFactory(post=post, person=PersonFactory(name="Ada"), position=1)
    PostCoAuthorFactory(post=post, person=PersonFactory(name="Cleo"), position=0)
    content = client.get(post.get_absolute_url()).content.decode()
    assert titles_in_order(content, ">Cleo</a>", ">Ada</a>")


def test_post_page_structured_data_credits_co_authors_in_order(client):
    post = PostFactory(author=PersonFactory(name="Bea"))
    PostCoAuthorFactory(post=post, person=PersonFactory(name="Ada"), position=1)
    PostCoAuthorFactory(post=post, person=PersonFactory(name="Cleo"), position=0)
    content = client.get(post.get_absolute_url()).content.decode()
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert [author["name"] for author in json.loads(script)["author"]] == ["Bea", "Cleo", "Ada"]


@pytest.mark.usefixtures("no_page_cache")
def test_post_page_runs_six_queries_whatever_its_co_authors(client):
    # The post, its tags, its credits, its previous and next posts, and the ranking of
    # related items (none here).
    post = PostFactory(author=PersonFactory(), tags=["node"])

    def queries_for_post_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(captured)

    PostCoAuthorFactory(post=post, person=PersonFactory())
    assert queries_for_post_page() == 6
    for _ in range(3):
        PostCoAuthorFactory(post=post, person=PersonFactory())
    assert queries_for_post_page() == 6


@pytest.mark.parametrize(
    "slug", ["Ember.js-in-2021---a-beacon-of-productivity", "algo_luca", "v1.2~beta"]
)
def test_post_with_slug_of_a_migrated_site_is_served(client, slug):
    post = PostFactory(slug=slug)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_lower_cased_link_to_a_capitalised_slug_is_served(client):
    post = PostFactory(
        title="Ember.js in 2021",
        slug="Ember.js-in-2021---a-beacon-of-productivity",
        date=datetime.datetime(2021, 1, 5, 9, tzinfo=datetime.UTC),
    )
    response = client.get("/blog/2021/01/05/ember.js-in-2021---a-beacon-of-productivity/")
    assert response.status_code == 200
    assert response.context["post"] == post


@pytest.mark.parametrize(
    "path",
    [
        "/blog/2024/03/08/streams/",  # the day after
        "/blog/2023/03/07/streams/",  # another year
        "/blog/2024/13/07/streams/",  # no such month
        "/blog/2024/3/7/streams/",  # not zero padded
        "/blog/9999/12/31/streams/",  # the last day a date can hold: no day after it
        "/blog/0/01/01/streams/",  # no year 0
    ],
)
def test_post_with_wrong_date_in_url_is_not_found(client, path):
    PostFactory(slug="streams", date=datetime.datetime(2024, 3, 7, 10, tzinfo=datetime.UTC))
    assert client.get(path).status_code == 404


def test_post_is_served_at_its_date_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Rome"
    PostFactory(slug="late", date=datetime.datetime(2024, 3, 7, 23, 30, tzinfo=datetime.UTC))
    assert client.get("/blog/2024/03/08/late/").status_code == 200


def test_draft_post_is_not_found_for_visitors(client):
    post = PostFactory(status="draft")
    assert client.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_is_not_found_for_visitors(client, now):
    post = PostFactory(date=now + datetime.timedelta(days=2))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_is_served_once_its_date_passes(client, now, time_machine):
    post = PostFactory(date=now + datetime.timedelta(days=2))
    time_machine.shift(datetime.timedelta(days=2, seconds=1))
    assert client.get(post.get_absolute_url()).status_code == 200


def test_draft_post_is_not_found_for_staff_without_change_permission(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(user)
    post = PostFactory(status="draft")
    assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_editor_previews_unpublished_post_uncached(editor_client, now, status):
    if status == "draft":
        post = PostFactory(title="Work in progress", status="draft")
    else:
        post = PostFactory(title="Work in progress", date=now + datetime.timedelta(days=2))
    response = editor_client.get(post.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Work in progress" in content
    assert "Preview — not published" in content
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "max-age=0"):
        assert directive in cache_control


def test_editor_sees_published_post_without_preview_banner(editor_client):
    post = PostFactory()
    response = editor_client.get(post.get_absolute_url())
    assert "Preview — not published" not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


def test_editor_sees_only_published_posts_in_the_blog_list(editor_client, now):
    PostFactory(title="Out in the open")
    PostFactory(title="Still a draft", status="draft")
    content = editor_client.get("/blog/").content.decode()
    assert "Out in the open" in content
    assert "Still a draft" not in content
