"""Images in bodies: uploaded from the change form with the same checks as headers,
inserted as Markdown beside the item's file, shown through renditions, listed on the form,
exported with the item, and an image without alt text is a warning on save."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from publishing.models import Attachment
from tests.factories import PostFactory
from tests.images.builders import image_bytes, upload
from tests.publishing.builders import markdown_files, post_change_form

pytestmark = pytest.mark.django_db


def add_image(editor_client, post, name="Diagram.PNG", alt="The request path", data=None):
    return editor_client.post(
        reverse("admin:blog_post_body_image", args=[post.pk]),
        {"image": upload(name, data or image_bytes(64, 48, "PNG")), "alt": alt},
    )


def test_an_uploaded_image_is_inserted_as_markdown_beside_the_items_file(
    editor_client, client, media_root
):
    post = PostFactory(body="Before.")

    response = add_image(editor_client, post)

    assert response.status_code == 200
    assert response.json() == {"markdown": "![The request path](./diagram.png)"}
    [attachment] = Attachment.objects.filter(object_id=post.pk)
    assert attachment.reference == "./diagram.png"
    assert attachment.file.name.startswith("images/")

    post.refresh_from_db()
    editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, body="Before.\n\n![The request path](./diagram.png)\n"),
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<picture>" in page and "/media/renditions/" in page
    assert 'alt="The request path"' in page


def test_the_same_image_twice_is_one_file_and_another_of_the_same_name_gets_a_new_one(
    editor_client, media_root
):
    post = PostFactory()
    first = add_image(editor_client, post).json()["markdown"]
    again = add_image(editor_client, post).json()["markdown"]
    other = add_image(editor_client, post, data=image_bytes(64, 48, "PNG", color="red"))

    assert first == again == "![The request path](./diagram.png)"
    assert other.json()["markdown"] == "![The request path](./diagram-2.png)"


@pytest.mark.parametrize(
    ("name", "data", "alt", "message"),
    [
        ("page.png", b"<html><script>alert(1)</script></html>", "A page", "image"),
        ("big.png", image_bytes(64, 48, "PNG"), "", "alt text"),
        ("brackets.png", image_bytes(64, 48, "PNG"), "a]b[c\nd", None),
    ],
    ids=["not-an-image", "no-alt", "brackets"],
)
def test_hostile_uploads_are_refused_with_a_reason_and_alt_text_is_escaped(
    editor_client, media_root, name, data, alt, message
):
    post = PostFactory()
    response = add_image(editor_client, post, name=name, alt=alt, data=data)
    if message is None:
        assert response.json()["markdown"] == "![a\\]b\\[c d](./brackets.png)"
        return
    assert response.status_code == 400
    assert message in response.json()["error"].lower()
    assert not Attachment.objects.exists()


def test_only_people_who_may_change_the_item_upload(client, media_root):
    post = PostFactory()
    response = client.post(
        reverse("admin:blog_post_body_image", args=[post.pk]),
        {"image": upload("a.png", image_bytes(image_format="PNG")), "alt": "x"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Attachment.objects.exists()


def test_the_form_lists_the_body_images_and_saving_warns_of_one_without_alt_text(
    editor_client, media_root
):
    post = PostFactory()
    add_image(editor_client, post)
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert "<code>./diagram.png</code>" in editor_client.get(change).content.decode()

    response = editor_client.post(
        change, post_change_form(post, body="![](./diagram.png)\n\n![Described](./diagram.png)")
    )

    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [f"An image in the body of “{post.title}” has no alt text: ./diagram.png."]


def test_an_uploaded_body_image_is_exported_beside_the_items_file(
    editor_client, media_root, run_export
):
    post = PostFactory()
    add_image(editor_client, post)
    post.refresh_from_db()
    editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, body="![The request path](./diagram.png)\n"),
    )

    files = markdown_files(run_export())

    day = post.date.strftime("%Y-%m-%d")
    folder = f"posts/{day}_{post.slug}"
    assert "![The request path](./diagram.png)" in files[f"{folder}/index.md"].decode()
    assert files[f"{folder}/diagram.png"] == Attachment.objects.get().file.open("rb").read()
