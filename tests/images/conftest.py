import pytest
from django.urls import reverse

from tests.publishing.builders import post_change_form


@pytest.fixture
def change_post(editor_client, django_capture_on_commit_callbacks):
    """POST the admin change form of a post as an editor, running on-commit work."""

    def post(item, **overrides):
        url = reverse("admin:blog_post_change", args=[item.pk])
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(url, post_change_form(item, **overrides))

    return post
