import pytest
from django.urls import reverse


def post_change_data(post, **overrides) -> dict:
    """What the post change form sends back for `post` unchanged, with `overrides`."""
    data = {
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "date_0": post.date.strftime("%Y-%m-%d"),
        "date_1": post.date.strftime("%H:%M:%S"),
        "author": str(post.author.pk) if post.author else "",
        "tags": "",
        "description": post.description,
        "body": post.body,
        "header_image_alt": post.header_image_alt,
        "uuid": str(post.uuid),
        "language": post.language,
        "focal_x": str(post.focal_x),
        "focal_y": str(post.focal_y),
        "co_author_credits-TOTAL_FORMS": "0",
        "co_author_credits-INITIAL_FORMS": "0",
        "co_author_credits-MIN_NUM_FORMS": "0",
        "co_author_credits-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def change_post(editor_client, django_capture_on_commit_callbacks):
    """POST the admin change form of a post as an editor, running on-commit work."""

    def post(item, **overrides):
        url = reverse("admin:blog_post_change", args=[item.pk])
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(url, post_change_data(item, **overrides))

    return post
