"""The post card of lists: everything a visitor or an imported file controls is escaped,
its tags come in a stable order, and its links are the addresses `reverse()` gives, under
whatever script prefix the site is served."""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from taggit.models import Tag

from blog.models import Post
from blog.templatetags.posts import post_card
from tests.factories import PersonFactory, PostFactory
from tests.services import keeping_test_connection

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&amp; "quoted" \'single\''


def card_of(post: Post) -> str:
    return str(post_card(Post.objects.for_cards().get(pk=post.pk)))


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_card_escapes_a_hostile_title_author_summary_and_tag():
    post = PostFactory(
        title=HOSTILE,
        description=HOSTILE,
        author=PersonFactory(name=HOSTILE),
        tags=[HOSTILE],
    )

    html = card_of(post)

    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;") == 4
    assert "&#x27;single&#x27;" in html


def test_card_lists_tags_oldest_tag_first_whatever_order_they_were_given():
    Tag.objects.create(name="zeta", slug="zeta")
    Tag.objects.create(name="alpha", slug="alpha")
    post = PostFactory(tags=["alpha", "zeta", "middle"])

    names = re.findall(r'/blog/tags/[^"]+/">([^<]+)<', card_of(post))

    assert names == ["zeta", "alpha", "middle"]


def test_card_without_author_summary_or_tags_leaves_them_out():
    post = PostFactory(author=None, description="", body="")

    html = card_of(post)

    assert "/people/" not in html
    assert "<p>" not in html
    assert 'class="tags"' not in html


def test_card_links_are_what_reverse_gives():
    author = PersonFactory(slug="Jane.Doe~1")
    post = PostFactory(slug="Odd.Slug_~x", author=author, tags=["日本語", "C++"])

    links = hrefs(card_of(post))
    day = timezone.localdate(post.date)

    tag_links = [reverse("blog:tag", args=[tag.slug]) for tag in post.tags.order_by("pk")]
    assert links == [
        reverse(
            "blog:post_detail",
            kwargs={
                "year": day.year,
                "month": day.month,
                "day": day.day,
                "slug": post.slug,
            },
        ),
        reverse("people:detail", args=[author.slug]),
        *tag_links,
    ]
    assert "/blog/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/" in links


def test_card_links_carry_the_script_prefix_of_the_request(client):
    post = PostFactory(tags=["python"])
    unprefixed = hrefs(card_of(post))
    client.get("/blog/")  # the addresses without a prefix are worked out first

    environ = RequestFactory()._base_environ(PATH_INFO="/blog/", SCRIPT_NAME="/site")
    try:
        with keeping_test_connection():
            body = b"".join(WSGIHandler()(environ, lambda status, headers: None))
    finally:
        set_script_prefix("/")

    assert {"/site" + link for link in unprefixed} <= set(hrefs(body.decode()))


def test_post_page_and_its_structured_data_list_tags_in_the_cards_order(client):
    Tag.objects.create(name="zeta", slug="zeta")
    post = PostFactory(tags=["alpha", "zeta"])

    html = client.get(post.get_absolute_url()).content.decode()

    assert re.findall(r'/blog/tags/[^"]+/">([^<]+)<', html) == ["zeta", "alpha"]
    assert post.json_ld()["keywords"] == ["zeta", "alpha"]
