"""Pictures of people in the admin: uploaded avatars through renditions, remote ones as a
placeholder and a link, so an editor's browser never asks another host for anything."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)
from tests.images.builders import stored_image

pytestmark = pytest.mark.django_db

TRACKER = "https://tracker.example/pixel.png?editor=1"
RENDITION = r"/media/renditions/[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png|webp)"
CHANGELIST = reverse("admin:people_person_changelist")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def image_sources(content: str) -> list[str]:
    """Every address the page makes the browser fetch as an image."""
    return re.findall(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", content) + re.findall(
        r"\bsrcset=\"([^\"]*)\"", content
    )


def person_change(person) -> str:
    return reverse("admin:people_person_change", args=[person.pk])


# --- Uploaded avatars -------------------------------------------------------------------------


def test_changelist_shows_an_uploaded_avatar_as_a_rendition(editor_client):
    person = PersonFactory(name="Grace Example", avatar=stored_image(64, 64))
    content = page(editor_client, CHANGELIST)
    assert re.search(
        rf'<img src="{RENDITION}" alt="Grace Example" width="36" height="36"', content
    )
    assert f"/media/{person.avatar.name}" not in content  # the original keeps its metadata


def test_change_form_previews_an_uploaded_avatar_as_a_rendition(editor_client):
    person = PersonFactory(name="Grace Example", avatar=stored_image(300, 200))
    content = page(editor_client, person_change(person))
    assert re.search(
        rf'<img src="{RENDITION}" alt="Picture of Grace Example" width="120" height="120"',
        content,
    )


def test_change_form_says_when_the_avatar_file_cannot_be_read(editor_client):
    person = PersonFactory(avatar="images/00/" + "0" * 64 + ".jpg")
    assert "The picture file cannot be read." in page(editor_client, person_change(person))


def test_changelist_query_count_does_not_grow_with_avatars(editor_client):
    def queries_on_a_warm_cache() -> int:
        editor_client.get(CHANGELIST)  # makes the renditions of new avatars
        with CaptureQueriesContext(connection) as context:
            content = page(editor_client, CHANGELIST)
        assert content.count('class="admin-thumb"') == people
        return len(context)

    colors = ["red", "green", "blue", "navy", "olive", "teal", "gray", "pink", "gold", "plum"]
    for people, color in enumerate(colors, start=1):
        PersonFactory(avatar=stored_image(48, 48, color=color))
        if people == 2:
            with_2 = queries_on_a_warm_cache()
    assert queries_on_a_warm_cache() == with_2


# --- Remote pictures --------------------------------------------------------------------------


def test_changelist_shows_a_remote_avatar_as_an_initial_and_a_link(editor_client):
    PersonFactory(name="grace Example", avatar_url=TRACKER)
    content = page(editor_client, CHANGELIST)
    assert "tracker.example" not in " ".join(image_sources(content))
    assert '<span class="admin-avatar-initial" aria-hidden="true">G</span>' in content
    assert (
        '<a href="https://tracker.example/pixel.png?editor=1" class="admin-avatar-remote" '
        'rel="noopener noreferrer" target="_blank">remote picture</a>'
    ) in content


def test_change_form_shows_a_remote_avatar_as_its_address(editor_client):
    person = PersonFactory(name="Grace", avatar_url=TRACKER)
    content = page(editor_client, person_change(person))
    assert "tracker.example" not in " ".join(image_sources(content))
    assert (
        '<a href="https://tracker.example/pixel.png?editor=1" class="admin-avatar-remote" '
        'rel="noopener noreferrer" target="_blank">'
        "https://tracker.example/pixel.png?editor=1</a>"
    ) in content


def test_uploaded_avatar_wins_over_a_remote_one(editor_client):
    PersonFactory(name="Grace", avatar=stored_image(64, 64), avatar_url=TRACKER)
    content = page(editor_client, CHANGELIST)
    assert re.search(rf'<img src="{RENDITION}" alt="Grace"', content)
    assert "tracker.example" not in content


@pytest.mark.parametrize(
    "avatar_url",
    ["javascript:alert(1)", "ttps://typo.example/me.png", "//tracker.example/me.png"],
)
def test_avatar_address_that_is_not_http_is_neither_shown_nor_linked(editor_client, avatar_url):
    person = PersonFactory(name="Grace", avatar_url=avatar_url)
    changelist = page(editor_client, CHANGELIST)
    assert 'class="admin-avatar-remote"' not in changelist
    assert '<span class="admin-avatar-initial" aria-hidden="true">G</span>' in changelist
    assert "No picture yet." in page(editor_client, person_change(person))


def test_person_without_a_picture_gets_an_initial_and_no_preview(editor_client):
    person = PersonFactory(name="  ada")
    assert '<span class="admin-avatar-initial" aria-hidden="true">A</span>' in page(
        editor_client, CHANGELIST
    )
    assert "No picture yet." in page(editor_client, person_change(person))


# --- The rest of the admin ----------------------------------------------------------------------


def test_no_admin_page_makes_the_browser_fetch_an_image_from_another_host(editor_client):
    guest = PersonFactory(avatar_url=TRACKER)
    post = PostFactory(header_image=stored_image(640, 360))
    PostCoAuthorFactory(post=post, person=guest, image_url=TRACKER)
    talk = TalkFactory(header_image=stored_image(640, 360))
    TalkGuestFactory(talk=talk, person=guest, image_url=TRACKER)
    urls = [
        CHANGELIST,
        person_change(guest),
        reverse("admin:people_person_add"),
        reverse("admin:blog_post_changelist"),
        reverse("admin:blog_post_change", args=[post.pk]),
        reverse("admin:talks_talk_changelist"),
        reverse("admin:talks_talk_change", args=[talk.pk]),
    ]
    for url in urls:
        sources = image_sources(page(editor_client, url))
        remote = [
            source
            for source in sources
            for address in source.split(",")
            if not address.strip().startswith("/") or address.strip().startswith("//")
        ]
        assert remote == [], url
