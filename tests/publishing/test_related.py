"""Under each post and talk: the published posts and talks sharing most tags and people
with it, ranked in one query whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing.related import related_entries
from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
    days_ago,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def titles(item) -> list[str]:
    return [entry.item.title for entry in related_entries(item)]


def test_items_sharing_more_tags_come_first_posts_and_talks_alike():
    post = PostFactory(tags=["rust", "lambda", "aws"])
    PostFactory(title="One tag", tags=["rust"], date=days_ago(1))
    TalkFactory(title="Three tags", tags=["rust", "lambda", "aws", "other"])
    PostFactory(title="Two tags", tags=["lambda", "aws"], date=days_ago(50))
    PostFactory(title="Nothing shared", tags=["elm"])

    assert titles(post) == ["Three tags", "Two tags", "One tag"]


def test_shared_people_relate_items_without_shared_tags():
    guest = PersonFactory()
    talk = TalkFactory(tags=["go"])
    TalkGuestFactory(talk=talk, person=guest)
    written = PostFactory(title="Written by the guest", author=guest)
    co_written = PostFactory(title="Co-written by the guest")
    PostCoAuthorFactory(post=co_written, person=guest)
    PostFactory(title="Someone else's")

    assert set(titles(talk)) == {"Written by the guest", "Co-written by the guest"}
    assert "Written by the guest" in titles(co_written)
    assert titles(written) == ["Co-written by the guest", talk.title]  # newer first


def test_the_same_author_adds_to_a_shared_tag_but_alone_relates_nothing():
    author = PersonFactory()
    post = PostFactory(author=author, tags=["rust", "go"])
    PostFactory(title="Same author, same tag", author=author, tags=["go"], date=days_ago(90))
    TalkFactory(title="Same tag", tags=["rust"], date=days_ago(1))
    PostFactory(title="Same author only", author=author, date=days_ago(1))

    assert titles(post) == ["Same author, same tag", "Same tag"]


def test_drafts_scheduled_items_and_the_item_itself_are_never_related():
    post = PostFactory(tags=["rust"])
    PostFactory(title="Draft", tags=["rust"], status="draft")
    PostFactory(title="Scheduled", tags=["rust"], date=days_ago(-2))
    TalkFactory(title="Draft talk", tags=["rust"], status="draft")

    assert titles(post) == []


def test_at_most_four_related_items():
    post = PostFactory(tags=["rust"])
    for _ in range(6):
        PostFactory(tags=["rust"])

    assert len(titles(post)) == 4


def test_related_items_cost_the_same_queries_however_many_tags_and_items():
    author = PersonFactory()
    post = PostFactory(author=author, tags=["a"])
    PostFactory(tags=["a"])
    TalkFactory(tags=["a"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert related_entries(post)
        return len(captured)

    few = queries()
    post.tags.add(*[f"tag-{n}" for n in range(12)])
    for n in range(12):
        PostFactory(tags=[f"tag-{n}"], author=author)
        talk = TalkFactory(tags=[f"tag-{n}", "a"])
        TalkGuestFactory(talk=talk, person=author)
    everything = ["a", *(f"tag-{n}" for n in range(12))]
    PostFactory(tags=everything)
    TalkFactory(tags=everything)
    assert queries() == few == 3  # the ranking, then the posts and the talks shown


def test_post_and_talk_pages_show_their_related_items(client):
    post = PostFactory(tags=["rust"])
    talk = TalkFactory(title="Rust in production", tags=["rust"])

    post_page = client.get(post.get_absolute_url()).content.decode()
    talk_page = client.get(talk.get_absolute_url()).content.decode()

    assert 'aria-labelledby="related-heading"' in post_page
    assert f'<a href="{talk.get_absolute_url()}">Rust in production</a>' in post_page
    assert f'<a href="{post.get_absolute_url()}">{post.title}</a>' in talk_page
