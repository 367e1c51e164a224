import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from blog.models import Post
from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, days_ago

pytestmark = pytest.mark.django_db

VALID_SLUGS = [
    "Ember.js-in-2021---a-beacon-of-productivity",
    "algo_luca",
    "node-js-streams",
    "v1.2~beta",
]
INVALID_SLUGS = ["has space", "a/b", ".hidden", "", "café?"]


# --- Identity -------------------------------------------------------------------------


def test_post_keeps_the_uuid_it_is_given():
    given = uuid.UUID("5f1c3a8e-2b7d-4c7a-9f64-0d3a1e2b4c5d")
    post = PostFactory(uuid=given)
    post.refresh_from_db()
    assert post.uuid == given


def test_two_posts_may_share_a_uuid():
    shared = uuid.uuid4()
    PostFactory(uuid=shared)
    PostFactory(uuid=shared)
    assert Post.objects.filter(uuid=shared).count() == 2


def test_new_post_gets_a_uuid():
    first, second = PostFactory(), PostFactory()
    assert isinstance(first.uuid, uuid.UUID)
    assert first.uuid != second.uuid


# --- Slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", VALID_SLUGS)
def test_post_slug_accepts_slugs_of_migrated_sites(slug):
    PostFactory(slug=slug).full_clean()


@pytest.mark.parametrize("slug", INVALID_SLUGS)
def test_post_slug_rejects_unsafe_slugs(slug):
    post = PostFactory.build(slug=slug, author=None)
    with pytest.raises(ValidationError) as excinfo:
        post.full_clean()
    assert "slug" in excinfo.value.error_dict


def test_post_slug_is_unique_regardless_of_case():
    PostFactory(slug="Foo")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(slug="foo")


def test_post_full_clean_reports_a_slug_taken_in_another_case():
    PostFactory(slug="Foo")
    with pytest.raises(ValidationError):
        PostFactory.build(slug="foo", author=None).full_clean()


# --- URLs -----------------------------------------------------------------------------


def test_post_url_is_dated_and_zero_padded():
    post = PostFactory(slug="streams", date=datetime.datetime(2024, 3, 7, 10, tzinfo=datetime.UTC))
    assert post.get_absolute_url() == "/blog/2024/03/07/streams/"


def test_post_url_keeps_the_slug_as_written():
    post = PostFactory(
        slug="Ember.js-in-2021---a-beacon-of-productivity",
        date=datetime.datetime(2021, 1, 5, 9, tzinfo=datetime.UTC),
    )
    assert (
        post.get_absolute_url() == "/blog/2021/01/05/Ember.js-in-2021---a-beacon-of-productivity/"
    )


def test_post_url_uses_the_date_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Rome"
    post = PostFactory(
        slug="late", date=datetime.datetime(2024, 3, 7, 23, 30, tzinfo=datetime.UTC)
    )
    assert post.get_absolute_url() == "/blog/2024/03/08/late/"


# --- Visibility -----------------------------------------------------------------------


def test_published_post_dated_in_the_past_is_public(now):
    post = PostFactory(status="published", date=days_ago(1))
    assert list(Post.objects.published()) == [post]
    assert post.is_published


def test_draft_post_is_not_public(now):
    post = PostFactory(status="draft", date=days_ago(1))
    assert not Post.objects.published().exists()
    assert not post.is_published


def test_scheduled_post_is_not_public_before_its_date(now):
    post = PostFactory(status="published", date=now + datetime.timedelta(hours=1))
    assert not Post.objects.published().exists()
    assert not post.is_published


def test_scheduled_post_becomes_public_once_its_date_passes(now, time_machine):
    post = PostFactory(status="published", date=now + datetime.timedelta(hours=1))
    time_machine.shift(datetime.timedelta(hours=1, seconds=1))
    assert list(Post.objects.published()) == [post]
    assert post.is_published


def test_published_posts_are_newest_first(now):
    old = PostFactory(date=days_ago(10))
    new = PostFactory(date=days_ago(1))
    middle = PostFactory(date=days_ago(5))
    assert list(Post.objects.published()) == [new, middle, old]


# --- Rendered HTML --------------------------------------------------------------------


def test_post_body_is_rendered_to_html_on_save():
    post = PostFactory(body="# Streams\n\nHello **world**.")
    assert '<h2 id="streams">Streams</h2>' in post.body_html
    assert "<strong>world</strong>" in post.body_html


def test_post_excerpt_is_the_first_paragraph_rendered():
    post = PostFactory(body="First *paragraph*.\n\nSecond paragraph.")
    assert post.excerpt_html.strip() == "<p>First <em>paragraph</em>.</p>"


def test_post_tagline_is_rendered_to_html_on_save():
    post = PostFactory(tagline="A *lead* paragraph.")
    assert post.tagline_html.strip() == "<p>A <em>lead</em> paragraph.</p>"


def test_post_html_is_rendered_again_when_the_body_changes():
    post = PostFactory(body="old")
    post.body = "new **text**"
    post.save()
    post.refresh_from_db()
    assert "<strong>text</strong>" in post.body_html
    assert "old" not in post.body_html


@pytest.mark.parametrize("field", ["body", "tagline"])
def test_post_html_has_no_script(field):
    post = PostFactory(**{field: "Hi <script>alert('x')</script> there"})
    html = post.body_html + post.excerpt_html + post.tagline_html
    assert "<script" not in html
    assert "alert" not in html


def test_post_html_drops_javascript_links():
    post = PostFactory(body="[click](javascript:alert(1)) <a href='javascript:alert(2)'>me</a>")
    assert "javascript:" not in post.body_html
    assert "click" in post.body_html


# --- Co-authors -----------------------------------------------------------------------


def test_post_co_authors_keep_their_order():
    post = PostFactory()
    # Names sort the other way round from the positions.
    third = PostCoAuthorFactory(post=post, person=PersonFactory(name="Ada"), position=2)
    first = PostCoAuthorFactory(post=post, person=PersonFactory(name="Cleo"), position=0)
    second = PostCoAuthorFactory(post=post, person=PersonFactory(name="Bea"), position=1)
    assert list(post.co_author_credits.all()) == [first, second, third]


def test_post_co_authors_relation_lists_people_in_credit_order():
    post = PostFactory()
    ada, bea, cleo = (PersonFactory(name=name) for name in ("Ada", "Bea", "Cleo"))
    PostCoAuthorFactory(post=post, person=ada, position=2)
    PostCoAuthorFactory(post=post, person=cleo, position=0)
    PostCoAuthorFactory(post=post, person=bea, position=1)
    assert list(post.ordered_co_authors()) == [cleo, bea, ada]


def test_person_may_co_author_many_posts():
    person = PersonFactory()
    posts = [PostCoAuthorFactory(person=person).post for _ in range(2)]
    assert set(person.co_authored_posts.all()) == set(posts)


def test_person_cannot_co_author_one_post_twice():
    credit = PostCoAuthorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PostCoAuthorFactory(post=credit.post, person=credit.person)
