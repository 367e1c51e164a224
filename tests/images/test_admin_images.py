"""The admin as editors see images: refusals with their message, thumbnails in change lists,
previews of the header (with its focal point), the social card and the avatar."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from images.og import card_for
from images.validation import ACCEPTED_EXTENSIONS
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.images.builders import (
    HTML,
    SVG,
    animation,
    huge_png,
    image_bytes,
    media_files,
    noisy_image,
    stored_image,
    truncated,
    upload,
)

pytestmark = pytest.mark.django_db

FACTORIES = {"post": PostFactory, "talk": TalkFactory}
ADMIN = {"post": "blog_post", "talk": "talks_talk"}


# --- Refusals ---------------------------------------------------------------------------------


BAD_UPLOADS = [
    pytest.param(
        "drawing.jpg",
        lambda: SVG,
        {},
        "SVG and other drawings are not accepted.",
        id="svg-renamed-jpg",
    ),
    pytest.param(
        "page.jpg",
        lambda: HTML,
        {},
        "This file is not an image (or not one that can be read)",
        id="html-renamed-jpg",
    ),
    pytest.param(
        "notes.txt",
        image_bytes,
        {},
        "“notes.txt” is not a supported image type",
        id="txt-extension",
    ),
    pytest.param(
        "photo.jpg",
        lambda: truncated(noisy_image()),
        {},
        "This image is truncated or corrupt and cannot be used.",
        id="truncated-jpeg",
    ),
    pytest.param(
        "animation.gif",
        lambda: truncated(animation(frames=4), keep=0.8),
        {},
        "This image is truncated or corrupt and cannot be used.",
        id="animated-gif-cut-in-a-later-frame",
    ),
    pytest.param(
        "photo.jpg",
        image_bytes,
        {"IMAGE_MAX_UPLOAD_BYTES": 100},
        "images may be at most 100\xa0bytes.",
        id="over-the-size-limit",
    ),
    pytest.param(
        "photo.jpg",
        image_bytes,
        {"IMAGE_MAX_PIXELS": 100},
        "This image has too many pixels (32×24); at most 0.0001 megapixels are accepted.",
        id="over-the-pixel-limit",
    ),
    pytest.param(
        "bomb.png",
        lambda: huge_png(20_000, 20_000),
        {},
        "This image has too many pixels; at most 50 megapixels are accepted.",
        id="decompression-bomb-20000x20000",
    ),
]


@pytest.mark.parametrize("field", ["header_image", "og_image"])
@pytest.mark.parametrize(("name", "data", "limits", "message"), BAD_UPLOADS)
def test_bad_upload_is_refused_with_its_message_and_changes_nothing(
    settings, media_root, editor_client, change_post, field, name, data, limits, message
):
    header = stored_image()
    post = PostFactory(title="Before", header_image=header)
    change_form(editor_client, post)  # the form's header preview makes its renditions
    stored_before = media_files(media_root)
    for setting, value in limits.items():
        setattr(settings, setting, value)

    response = change_post(post, title="After", **{field: upload(name, data())})

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert media_files(media_root) == stored_before
    post.refresh_from_db()
    assert (post.title, post.header_image.name, post.og_image.name) == ("Before", header, "")


# --- Change lists -----------------------------------------------------------------------------


THUMBNAIL = re.compile(
    r'<img src="/media/renditions/[0-9a-f]{2}/[0-9a-f]{64}\.\w+" alt="([^"]*)" width="64" '
    r'height="36" loading="lazy" class="admin-thumb">'
)


@pytest.mark.parametrize("kind", FACTORIES)
def test_changelist_shows_a_thumbnail_of_the_header_image(editor_client, kind):
    FACTORIES[kind](header_image=stored_image(640, 360), header_image_alt="A harbour")
    response = editor_client.get(reverse(f"admin:{ADMIN[kind]}_changelist"))
    assert THUMBNAIL.findall(response.content.decode()) == ["A harbour"]


def test_changelist_shows_a_dash_for_an_item_without_header(editor_client):
    PostFactory()
    content = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert 'class="admin-thumb"' not in content
    assert '<td class="field-thumbnail">—</td>' in content


def test_changelist_query_count_does_not_grow_with_thumbnails(editor_client):
    url = reverse("admin:blog_post_changelist")

    def queries_on_a_warm_cache() -> int:
        editor_client.get(url)  # makes the thumbnails of new posts
        with CaptureQueriesContext(connection) as context:
            response = editor_client.get(url)
        assert response.status_code == 200
        return len(context), len(THUMBNAIL.findall(response.content.decode()))

    colors = ["red", "green", "blue", "navy", "olive", "teal", "gray", "pink", "gold", "plum"]
    for color in colors[:2]:
        PostFactory(header_image=stored_image(160, 90, color=color))
    with_2, thumbnails_2 = queries_on_a_warm_cache()
    for color in colors[2:]:
        PostFactory(header_image=stored_image(160, 90, color=color))
    with_10, thumbnails_10 = queries_on_a_warm_cache()
    assert (thumbnails_2, thumbnails_10) == (2, 10)
    assert with_2 == with_10


def test_person_changelist_shows_the_avatar(editor_client):
    person = PersonFactory(name="Grace Example", avatar=stored_image(64, 64))
    content = editor_client.get(reverse("admin:people_person_changelist")).content.decode()
    assert re.search(r'<img src="/media/renditions/[^"]+" alt="Grace Example"', content)
    assert f"/media/{person.avatar.name}" not in content


# --- Change form previews ---------------------------------------------------------------------


def change_form(client, item) -> str:
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


ALT_WARNING = "This image has no alt text"


@pytest.mark.parametrize("kind", FACTORIES)
def test_change_form_previews_the_header_as_visitors_see_it(editor_client, kind):
    item = FACTORIES[kind](
        header_image=stored_image(640, 360), header_image_alt="A harbour", focal_x=0.25
    )
    content = change_form(editor_client, item)
    preview = re.search(r'<div class="focal-preview"([^>]*)>\s*<img ([^>]*)>', content)
    assert preview, "no focal-point preview"
    assert 'data-focal-x="0.25" data-focal-y="0.5"' in preview.group(1)
    assert re.search(r'src="/media/renditions/[0-9a-f]{2}/[0-9a-f]{64}\.jpg"', preview.group(2))
    assert 'alt="A harbour"' in preview.group(2)
    assert 'class="focal-marker"' in content


@pytest.mark.parametrize("alt", ["", "   "], ids=["empty", "blank"])
def test_change_form_warns_when_the_header_has_no_alt_text(editor_client, alt):
    post = PostFactory(header_image=stored_image(), header_image_alt=alt)
    content = change_form(editor_client, post)
    assert 'class="alt-warning" role="alert"' in content
    assert ALT_WARNING in content


def test_change_form_does_not_warn_when_the_header_has_alt_text(editor_client):
    post = PostFactory(header_image=stored_image(), header_image_alt="A harbour at dusk")
    assert ALT_WARNING not in change_form(editor_client, post)


def test_change_form_of_an_item_without_header_says_so(editor_client):
    content = change_form(editor_client, PostFactory())
    assert "No header image yet." in content
    assert ALT_WARNING not in content


def test_change_form_says_when_the_header_file_cannot_be_read(editor_client):
    post = PostFactory(header_image="images/00/" + "0" * 64 + ".jpg")
    assert "The header image file cannot be read." in change_form(editor_client, post)


def test_saving_a_header_without_alt_text_warns_the_editor(editor_client, change_post):
    post = PostFactory(header_image=stored_image())
    response = change_post(post, header_image_alt="")
    assert response.status_code == 302
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("has a header image without alt text" in message for message in messages)


@pytest.mark.parametrize("kind", FACTORIES)
def test_change_form_previews_the_social_card(editor_client, kind):
    item = FACTORIES[kind](slug="lean-npm-packages")
    content = change_form(editor_client, item)
    preview = re.search(r'<img class="social-card-preview" src="([^"]+)"', content)
    assert preview, "no social card preview"
    assert preview.group(1) == f"/og/{kind}/lean-npm-packages.jpg?v={card_for(item).key[:12]}"
    assert editor_client.get(preview.group(1)).status_code == 200


def test_add_form_explains_the_social_card_comes_after_saving(editor_client):
    content = editor_client.get(reverse("admin:blog_post_add")).content.decode()
    assert "Shown once the item is saved." in content


def test_person_change_form_previews_the_avatar(editor_client):
    person = PersonFactory(name="Grace Example", avatar=stored_image(64, 64))
    content = change_form(editor_client, person)
    assert re.search(
        r'<img src="/media/renditions/[^"]+" alt="Picture of Grace Example" width="120" '
        'height="120"',
        content,
    )


def test_person_change_form_without_avatar_says_so(editor_client):
    assert "No picture yet." in change_form(editor_client, PersonFactory())


@pytest.mark.parametrize(
    "make",
    [
        lambda: PostFactory(
            header_image=stored_image(), og_image=stored_image(300, 200, color="red")
        ),
        lambda: TalkFactory(header_image=stored_image()),
        lambda: PersonFactory(avatar=stored_image(120, 120)),
    ],
    ids=["post", "talk", "person"],
)
def test_change_forms_name_stored_images_without_linking_the_originals(editor_client, make):
    item = make()
    content = change_form(editor_client, item)

    # The original may be an import kept byte for byte for export: never linked.
    assert not re.search(r'(href|src)="/media/images/', content)
    names = re.findall(r'<span class="stored-image-name">(images/[^<]+)</span>', content)
    assert names and all(name in content for name in names)
    inputs = re.findall(r'<input type="file"[^>]*>', content)
    accept = f'accept="{",".join(sorted(ACCEPTED_EXTENSIONS))}"'
    assert inputs and all(accept in file_input for file_input in inputs)
