"""Posts in a series: each post shows the series and its place in it, and the series has a
page listing its public posts in reading order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Series
from tests.factories import PostFactory, days_ago, make_editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def series():
    series = Series.objects.create(title="Rust from scratch", slug="rust-from-scratch")
    # Parts numbered out of date order, one without a number, a draft and a scheduled one.
    PostFactory(title="Ownership", series=series, series_part=2, date=days_ago(30))
    PostFactory(title="Setting up", series=series, series_part=1, date=days_ago(10))
    PostFactory(title="Afterword", series=series, date=days_ago(5))
    PostFactory(title="Unfinished", series=series, series_part=3, status="draft")
    PostFactory(title="Next week", series=series, series_part=4, date=days_ago(-7))
    return series


def test_series_page_lists_public_posts_by_part_then_date(client, series):
    response = client.get("/blog/series/rust-from-scratch/")

    assert response.status_code == 200
    assert [post.title for post in response.context["posts"]] == [
        "Setting up",
        "Ownership",
        "Afterword",
    ]
    content = response.content.decode()
    assert "Rust from scratch" in content
    assert "Unfinished" not in content and "Next week" not in content


def test_post_shows_its_place_in_the_series_and_links_the_other_parts(client, series):
    ownership = series.posts.get(title="Ownership")

    content = client.get(ownership.get_absolute_url()).content.decode()

    assert "Part 2 of 3 in" in content
    assert f'<a href="{series.get_absolute_url()}">Rust from scratch</a>' in content
    assert '<span aria-current="page">Ownership</span>' in content
    setting_up = series.posts.get(title="Setting up")
    assert f'<a href="{setting_up.get_absolute_url()}">Setting up</a>' in content
    assert "Unfinished" not in content


def test_editor_preview_of_a_draft_part_shows_it_in_its_place(client, series):
    client.force_login(make_editor())
    draft = series.posts.get(title="Unfinished")

    content = client.get(draft.get_absolute_url()).content.decode()

    assert "Part 3 of 4 in" in content
    assert '<span aria-current="page">Unfinished</span>' in content


def test_a_series_without_public_posts_has_no_page(client):
    series = Series.objects.create(title="Secret plans", slug="secret-plans")
    PostFactory(series=series, status="draft")

    assert client.get(series.get_absolute_url()).status_code == 404


def test_a_post_outside_any_series_shows_no_series_box(client):
    post = PostFactory()

    assert "series-box" not in client.get(post.get_absolute_url()).content.decode()


def test_post_page_queries_do_not_grow_with_its_series(client, series):
    post = series.posts.get(title="Ownership")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        PostFactory(series=series, series_part=10 + n)
    assert queries() == few


def test_editors_manage_series_and_see_their_post_counts(client, series):
    client.force_login(make_editor())

    listing = client.get("/admin/blog/series/")
    form = client.get(f"/admin/blog/post/{series.posts.first().pk}/change/")

    assert listing.status_code == 200
    assert listing.context["cl"].result_list[0].post_count == 5
    assert 'name="series"' in form.content.decode()
    assert 'name="series_part"' in form.content.decode()
