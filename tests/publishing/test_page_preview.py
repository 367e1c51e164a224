"""“See the page as it would be”: the public page as the unsaved form would make it; nothing
is kept."""

import pytest
from django.urls import reverse

from blog.models import Post
from tests.factories import PersonFactory, PostFactory
from tests.publishing.builders import management_form, post_change_form, post_form

pytestmark = pytest.mark.django_db


def test_the_preview_shows_unsaved_changes_tags_and_co_authors_and_keeps_none(editor_client):
    post = PostFactory(title="As saved", tags=["python"])
    mei = PersonFactory(name="Mei Lin Okafor")
    data = post_change_form(
        post,
        title="As it would be",
        body="A **bold** claim.",
        tags="caching, http",
        **management_form("co_author_credits", total=1),
        **{"co_author_credits-0-person": mei.pk, "co_author_credits-0-position": "0"},
    )

    response = editor_client.post(reverse("admin:blog_post_preview_page") + f"?id={post.pk}", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "As it would be" in page and "<strong>bold</strong>" in page
    assert "Mei Lin Okafor" in page and "caching" in page
    assert "Preview of unsaved changes" in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    post.refresh_from_db()
    assert post.title == "As saved"
    assert list(post.tags.names()) == ["python"]
    assert not post.co_author_credits.exists()


def test_a_new_item_can_be_previewed_before_it_exists(editor_client):
    response = editor_client.post(
        reverse("admin:blog_post_preview_page"), post_form(title="Not yet saved", slug="nys")
    )
    assert response.status_code == 200
    assert "Not yet saved" in response.content.decode()
    assert not Post.objects.exists()


def test_a_form_that_cannot_be_saved_says_what_to_mend(editor_client):
    post = PostFactory()
    response = editor_client.post(
        reverse("admin:blog_post_preview_page") + f"?id={post.pk}",
        post_change_form(post, slug="has spaces"),
    )
    assert response.status_code == 400
    assert "slug" in response.content.decode()


def test_only_editors_preview(client):
    response = client.post(reverse("admin:blog_post_preview_page"), post_form())
    assert response.status_code == 302
    assert not Post.objects.exists()
