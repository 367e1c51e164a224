"""Clean-up: a replaced or deleted image goes, with its renditions, once nothing uses it any
more, after the commit; a file another item (or an imported attachment) uses is never deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction

from blog.models import Post
from images.fields import image_fields, models_with_images
from images.models import Rendition
from images.responsive import THUMBNAIL_SIZES, fill_picture, header_picture
from people.models import Person
from publishing.models import Attachment
from talks.models import Talk
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.images.builders import image_bytes, stored_image, upload

pytestmark = pytest.mark.django_db


def with_renditions(item):
    header_picture(item)
    fill_picture(item, THUMBNAIL_SIZES)
    return item


def rendition_files(name: str) -> set[str]:
    return set(Rendition.objects.filter(source=name).values_list("file", flat=True))


def exist(names) -> dict[str, bool]:
    return {name: default_storage.exists(name) for name in names}


def all_exist(names) -> bool:
    return all(exist(names).values())


def none_exist(names) -> bool:
    return not any(exist(names).values())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as a transaction that commits (on-commit work included)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- One item ---------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [PostFactory, TalkFactory], ids=["post", "talk"])
def test_replacing_a_header_deletes_the_old_file_and_its_renditions(committed, factory):
    old = stored_image(600, 300, color="red")
    item = with_renditions(factory(header_image=old))
    old_renditions = rendition_files(old)
    assert old_renditions and all_exist([old, *old_renditions])

    new = stored_image(600, 300, color="blue")
    with committed():
        item.header_image = new
        item.save()

    assert none_exist([old, *old_renditions])
    assert not Rendition.objects.filter(source=old).exists()
    assert default_storage.exists(new)


def test_clearing_a_header_deletes_the_old_file(committed):
    old = stored_image()
    post = PostFactory(header_image=old)
    with committed():
        post.header_image = ""
        post.save()
    assert not default_storage.exists(old)


def test_old_file_stays_until_the_commit(django_capture_on_commit_callbacks):
    old = stored_image(color="red")
    post = PostFactory(header_image=old)
    with django_capture_on_commit_callbacks() as callbacks:
        post.header_image = stored_image(color="blue")
        post.save()
    assert default_storage.exists(old)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(old)


def test_rolled_back_replacement_deletes_nothing(committed):
    old = stored_image(color="red")
    post = with_renditions(PostFactory(header_image=old))
    kept = [old, *rendition_files(old)]
    with committed() as callbacks:
        try:
            with transaction.atomic():
                post.header_image = stored_image(color="blue")
                post.save()
                raise RuntimeError("the request failed after the save")
        except RuntimeError:
            pass
    assert callbacks == []
    assert all_exist(kept)


def test_saving_without_changing_images_deletes_nothing(committed):
    name = stored_image()
    post = with_renditions(PostFactory(header_image=name))
    kept = [name, *rendition_files(name)]
    with committed():
        post.title = "Another title"
        post.save()
    assert all_exist(kept)


def test_deleting_an_item_deletes_all_its_images_and_renditions(committed):
    names = {
        "header_image": stored_image(color="red"),
        "og_image": stored_image(color="green"),
        "facebook_image": stored_image(color="blue"),
        "twitter_image": stored_image(color="navy"),
    }
    post = with_renditions(PostFactory(**names))
    renditions = rendition_files(names["header_image"])
    with committed():
        post.delete()
    assert none_exist([*names.values(), *renditions])
    assert not Rendition.objects.exists()


def test_bulk_delete_deletes_the_images_too(committed):
    names = [stored_image(color=color) for color in ("red", "green")]
    for name in names:
        PostFactory(header_image=name)
    with committed():
        Post.objects.all().delete()
    assert none_exist(names)


# --- Shared files -----------------------------------------------------------------------------


def test_shared_header_survives_until_the_last_item_using_it_goes(committed):
    shared = stored_image(600, 300)
    first = with_renditions(PostFactory(header_image=shared))
    second = PostFactory(header_image=shared)
    renditions = rendition_files(shared)

    with committed():
        first.header_image = stored_image(color="red")
        first.save()
    assert all_exist([shared, *renditions])
    assert Rendition.objects.filter(source=shared).exists()

    with committed():
        second.delete()
    assert none_exist([shared, *renditions])
    assert not Rendition.objects.filter(source=shared).exists()


def test_file_used_by_a_post_and_a_talk_survives_the_post(committed):
    shared = stored_image()
    post = PostFactory(header_image=shared)
    TalkFactory(header_image=shared)
    with committed():
        post.delete()
    assert default_storage.exists(shared)


def test_file_used_as_another_field_survives(committed):
    shared = stored_image()
    post = PostFactory(header_image=shared, og_image=shared)
    with committed():
        post.header_image = ""
        post.save()
    assert default_storage.exists(shared)


def test_rendition_file_shared_with_another_source_survives(committed):
    # A red PNG and a red GIF are different sources with identical pixels: their renditions
    # have the same bytes, hence the same content-hash file.
    png = with_renditions(PostFactory(header_image=stored_image(300, 200, "PNG", "red")))
    gif = with_renditions(PostFactory(header_image=stored_image(300, 200, "GIF", "red")))
    shared = rendition_files(png.header_image.name) & rendition_files(gif.header_image.name)
    assert shared, "the two sources were meant to share rendition files"

    with committed():
        png.delete()

    assert all_exist(shared)
    assert all_exist(rendition_files(gif.header_image.name))
    assert not default_storage.exists(png.header_image.name)


def test_replacing_an_avatar_deletes_the_old_one(committed):
    old = stored_image(color="red")
    person = PersonFactory(avatar=old)
    with committed():
        person.avatar = stored_image(color="blue")
        person.save()
    assert not default_storage.exists(old)


def test_replaced_avatar_still_used_as_a_header_is_kept(committed):
    shared = stored_image()
    person = PersonFactory(avatar=shared)
    PostFactory(header_image=shared)
    with committed():
        person.avatar = stored_image(color="blue")
        person.save()
    assert default_storage.exists(shared)


def test_imported_attachment_keeps_its_file_alive(committed):
    name = stored_image()
    post = PostFactory(header_image=name)
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(post),
        object_id=post.pk,
        reference="./cover.jpg",
        file=name,
    )
    with committed():
        post.header_image = ""
        post.save()
    assert default_storage.exists(name)

    with committed():
        attachment.delete()
    assert not default_storage.exists(name)


# --- Through the admin ------------------------------------------------------------------------


def test_editor_replacing_a_header_deletes_the_old_file(change_post):
    old = stored_image(color="red")
    post = PostFactory(header_image=old)
    response = change_post(post, header_image=upload("new.png", image_bytes(image_format="PNG")))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.header_image.name != old
    assert default_storage.exists(post.header_image.name)
    assert not default_storage.exists(old)


def test_editor_uploading_the_same_image_again_keeps_the_file(change_post):
    data = image_bytes(image_format="PNG")
    post = PostFactory(header_image=upload("first.png", data))
    name = post.header_image.name
    response = change_post(post, header_image=upload("again.png", data))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.header_image.name == name
    assert default_storage.exists(name)


def test_every_stored_image_field_of_the_content_is_watched():
    assert set(models_with_images()) == {Post, Talk, Person}
    assert set(image_fields(Post)) == {
        "header_image",
        "og_image",
        "facebook_image",
        "twitter_image",
    }
    assert image_fields(Talk) == ("header_image", "og_image")
    assert image_fields(Person) == ("avatar",)
