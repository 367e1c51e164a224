"""Editors read an item's state in words: Draft, Scheduled (with its moment) or Published."""

import datetime

import pytest
from django.urls import reverse
from reversion.models import Revision

from tests.factories import PostFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_each_state_reads_as_a_word(now):
    assert PostFactory(status="draft").publication_state == "Draft"
    assert PostFactory().publication_state == "Published"
    later = now + datetime.timedelta(days=2)
    assert PostFactory(date=later).publication_state == "Scheduled"
    # An upcoming talk is announced: the public sees it before its date.
    assert TalkFactory(date=later).publication_state == "Published"


def test_the_post_list_says_scheduled_and_when(editor_client, now):
    PostFactory(title="Later", date=now + datetime.timedelta(days=2))
    PostFactory(title="Kept back", status="draft")

    page = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()

    assert '<span class="state scheduled">Scheduled for ' in page
    assert '<span class="state draft">Draft</span>' in page
    assert "icon-no.svg" not in page  # no red cross for a scheduled post


def test_publishing_a_future_post_says_it_is_scheduled(editor_client, now):
    posts = [
        PostFactory(status="draft"),
        PostFactory(status="draft", date=now + datetime.timedelta(days=3)),
    ]

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish", "_selected_action": [post.pk for post in posts]},
        follow=True,
    )

    assert "2 items published. 1 of them is scheduled: it goes public at its date." in (
        response.content.decode()
    )


def test_the_schedule_action_asks_when_then_publishes_the_posts_at_that_moment(editor_client, now):
    posts = [PostFactory(status="draft"), PostFactory(status="draft")]
    selected = {"action": "schedule", "_selected_action": [post.pk for post in posts]}
    changelist = reverse("admin:blog_post_changelist")

    asked = editor_client.post(changelist, selected)
    assert asked.status_code == 200 and 'type="datetime-local"' in asked.content.decode()

    moment = (now + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = editor_client.post(changelist, {**selected, "apply": "1", "moment": moment})

    assert response.status_code == 302
    for post in posts:
        post.refresh_from_db()
        assert post.publication_state == "Scheduled"
        assert post.date == (now + datetime.timedelta(days=5)).replace(second=0, microsecond=0)
    assert Revision.objects.get().get_comment().startswith("Scheduled for ")


def test_a_moment_already_past_is_refused_and_nothing_changes(editor_client, now):
    post = PostFactory(status="draft")
    moment = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "schedule", "_selected_action": [post.pk], "apply": "1", "moment": moment},
    )

    assert "Choose a moment to come" in response.content.decode()
    post.refresh_from_db()
    assert post.status == "draft"
