"""The tag index lists every public tag with its count of posts and of talks; a tag's page
mixes its posts and talks, newest first; talk pages link their tags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PostFactory, TalkFactory, days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def tagged_site():
    PostFactory(title="Streams in Node", tags=["node", "streams"], date=days_ago(1))
    PostFactory(title="Older Node post", tags=["node"], date=days_ago(40))
    TalkFactory(title="Node at scale", tags=["node"], date=days_ago(10))
    TalkFactory(title="Rust talk", tags=["rust"], date=days_ago(5))
    PostFactory(title="Draft about Go", tags=["go", "node"], status="draft")
    PostFactory(title="Scheduled Elm", tags=["elm"], date=days_ago(-3))


def test_tag_index_counts_published_posts_and_talks_per_tag(client, tagged_site):
    response = client.get("/blog/tags/")

    assert response.status_code == 200
    counts = {tag.name: tag.counts for tag in response.context["tags"]}
    assert counts == {
        "node": [(2, "posts"), (1, "talk")],
        "rust": [(1, "talk")],
        "streams": [(1, "post")],
    }
    content = response.content.decode()
    assert '<a href="/blog/tags/node/">node</a> <span class="meta">2 posts · 1 talk</span>' in (
        content
    )


def test_tag_index_leaves_out_tags_only_drafts_and_scheduled_items_use(client, tagged_site):
    content = client.get("/blog/tags/").content.decode()

    assert "/blog/tags/go/" not in content
    assert "/blog/tags/elm/" not in content


def test_tag_index_runs_the_same_queries_however_many_tags(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/blog/tags/").status_code == 200
        return len(captured)

    PostFactory(tags=["a"])
    TalkFactory(tags=["b"])
    few = queries()
    for n in range(10):
        PostFactory(tags=[f"post-tag-{n}", "a"])
        TalkFactory(tags=[f"talk-tag-{n}", "b"])
    assert queries() == few


def test_tag_page_mixes_posts_and_talks_newest_first(client, tagged_site):
    response = client.get("/blog/tags/node/")

    titles = [entry.item.title for entry in response.context["entries"]]
    assert titles == ["Streams in Node", "Node at scale", "Older Node post"]
    assert [entry.label for entry in response.context["entries"]] == ["Post", "Talk", "Post"]
    assert "Posts and talks with this tag: 3" in response.content.decode()


def test_tag_page_is_paginated_across_kinds(client):
    for n in range(15):
        PostFactory(title=f"Post {n:02d}", tags=["many"], date=days_ago(2 * n + 1))
        TalkFactory(title=f"Talk {n:02d}", tags=["many"], date=days_ago(2 * n + 2))

    pages = [client.get("/blog/tags/many/", {"page": page}) for page in (1, 2, 3)]

    assert pages[0].context["paginator"].count == 30
    shown = [entry.item.title for page in pages for entry in page.context["entries"]]
    assert shown == [f"{kind} {n:02d}" for n in range(15) for kind in ("Post", "Talk")]
    assert [len(page.context["entries"]) for page in pages] == [10, 10, 10]
    assert client.get("/blog/tags/many/", {"page": 4}).status_code == 404


def test_tag_page_queries_do_not_grow_with_its_items(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/blog/tags/x/").status_code == 200
        return len(captured)

    PostFactory(tags=["x"])
    TalkFactory(tags=["x"])
    few = queries()
    for _ in range(8):
        PostFactory(tags=["x", "y"])
        TalkFactory(tags=["x", "y"])
    assert queries() == few


def test_tag_used_only_by_a_draft_has_no_page(client, tagged_site):
    assert client.get("/blog/tags/go/").status_code == 404


def test_talk_page_links_its_tags(client):
    talk = TalkFactory(tags=["node"])

    content = client.get(talk.get_absolute_url()).content.decode()

    assert f'<a href="{reverse("blog:tag", args=["node"])}">node</a>' in content
