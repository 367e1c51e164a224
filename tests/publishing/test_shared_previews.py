"""Shared previews: a signed link shows a draft to someone logged out, read-only, marked as a
preview, never cached or indexed; it expires, and an editor can revoke it."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from blog.models import Post
from publishing import previews
from tests.factories import PostFactory, TalkFactory
from tests.publishing.builders import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    """Someone not logged in (the `client` fixture is the editor's own, once logged in)."""
    return Client()


def path_of(url: str) -> str:
    return urlsplit(url).path


def share_link(editor_client, item) -> str:
    opts = item._meta
    page = editor_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_share_preview", args=[item.pk])
    ).content.decode()
    return path_of(re.search(r'id="preview-link"[^>]* value="([^"]+)"', page)[1])


def test_a_shared_link_shows_a_draft_to_someone_logged_out(editor_client, visitor):
    draft = PostFactory(title="Not out yet", status="draft", body="The **draft** text.")
    assert visitor.get(draft.get_absolute_url()).status_code == 404

    response = visitor.get(share_link(editor_client, draft))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not out yet" in page and "<strong>draft</strong>" in page
    assert "Shared preview — not published" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_shared_preview_is_never_cached_and_shows_each_saved_edit(editor_client, visitor):
    draft = PostFactory(title="First draft", status="draft")
    link = share_link(editor_client, draft)
    assert "First draft" in visitor.get(link).content.decode()

    Post.objects.filter(pk=draft.pk).update(title="Second draft")

    assert "Second draft" in visitor.get(link).content.decode()


def test_a_talk_can_be_shared_too(editor_client, visitor, now):
    talk = TalkFactory(title="Announced later", status="draft")
    assert "Announced later" in visitor.get(share_link(editor_client, talk)).content.decode()


def test_a_link_expires_after_the_configured_days(
    editor_client, visitor, now, time_machine, settings
):
    settings.PREVIEW_LINK_DAYS = 2
    link = share_link(editor_client, PostFactory(status="draft"))
    time_machine.shift(datetime.timedelta(days=1, hours=23))
    assert visitor.get(link).status_code == 200

    time_machine.shift(datetime.timedelta(hours=2))
    response = visitor.get(link)

    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_revoking_stops_every_link_shared_so_far(editor_client, visitor):
    draft = PostFactory(status="draft")
    first, second = share_link(editor_client, draft), share_link(editor_client, draft)
    opts = draft._meta
    editor_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_share_preview", args=[draft.pk])
    )

    assert visitor.get(first).status_code == 404
    assert visitor.get(second).status_code == 404
    assert visitor.get(share_link(editor_client, draft)).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link.replace("/preview/", "/preview/x"),
        lambda link: link[:-3] + "AA/",
        lambda link: "/preview/" + "A" * 40 + "/",
    ],
    ids=["prefix", "signature", "made-up"],
)
def test_a_tampered_or_made_up_link_finds_nothing(editor_client, visitor, tamper):
    link = share_link(editor_client, PostFactory(status="draft"))
    assert visitor.get(tamper(link)).status_code == 404


def test_a_signed_link_to_another_item_kind_or_number_finds_nothing(visitor):
    draft = PostFactory(status="draft")
    payload = ["talk", draft.pk, draft.preview_token]
    forged = previews.signing.dumps(payload, salt=previews.SALT, compress=True)
    assert visitor.get(f"/preview/{forged}/").status_code == 404


def test_only_editors_who_may_change_the_item_get_links(visitor, db):
    draft = PostFactory(status="draft")
    url = reverse("admin:blog_post_share_preview", args=[draft.pk])
    response = visitor.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_restoring_an_older_revision_does_not_bring_back_revoked_links(editor_client, visitor):
    draft = PostFactory(status="draft", title="Before")
    change = reverse("admin:blog_post_change", args=[draft.pk])
    editor_client.post(
        change, form_as_shown(editor_client.get(change).content.decode(), "post_form")
    )
    older = Version.objects.get_for_object(draft).first()
    link = share_link(editor_client, draft)
    editor_client.post(reverse("admin:blog_post_share_preview", args=[draft.pk]))  # revoke
    assert visitor.get(link).status_code == 404

    restore = reverse("admin:blog_post_revision", args=[draft.pk, older.pk])
    shown = editor_client.get(restore).content.decode()
    assert editor_client.post(restore, form_as_shown(shown, "post_form")).status_code == 302

    assert visitor.get(link).status_code == 404
    assert "preview_token" not in older.serialized_data
