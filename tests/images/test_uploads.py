"""Uploads are stored cleaned: upright, without metadata but with their colour profile,
under content-hash names, through the storage API."""

import hashlib
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, PngImagePlugin, features

from blog.models import Post
from tests.factories import PersonFactory, PostFactory
from tests.images.builders import (
    SVG,
    camera_exif,
    image_bytes,
    image_file,
    media_files,
    open_stored,
    srgb_profile,
    upload,
)

pytestmark = pytest.mark.django_db

AVIF = pytest.mark.skipif(not features.check("avif"), reason="Pillow has no AVIF support")
# Formats whose files carry EXIF (GIF has none).
EXIF_FORMATS = ["JPEG", "PNG", "WEBP", pytest.param("AVIF", marks=AVIF)]
STORED_NAME = re.compile(r"images/(?P<prefix>[0-9a-f]{2})/(?P<digest>[0-9a-f]{64})\.(?P<ext>\w+)")


def phone_photo(image_format: str = "JPEG", **options) -> bytes:
    """A 40×20 picture a phone took held sideways: EXIF says rotate (6), with GPS."""
    return image_bytes(40, 20, image_format, exif=camera_exif(orientation=6), **options)


def saved_post(name: str, data: bytes) -> Post:
    post = PostFactory(header_image=upload(name, data))
    post.refresh_from_db()
    return post


# --- Orientation and metadata -----------------------------------------------------------------


@pytest.mark.parametrize("image_format", EXIF_FORMATS)
def test_upload_is_stored_upright_as_its_exif_orientation_says(media_root, image_format):
    post = saved_post(f"photo.{image_format.lower()}", phone_photo(image_format))
    assert open_stored(media_root, post.header_image.name).size == (20, 40)


@pytest.mark.parametrize("image_format", EXIF_FORMATS)
def test_stored_upload_has_no_exif_and_so_no_gps_position(media_root, image_format):
    post = saved_post(f"photo.{image_format.lower()}", phone_photo(image_format))
    stored = open_stored(media_root, post.header_image.name)
    assert stored.getexif().get_ifd(0x8825) == {}
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("photo.jpg", lambda: image_bytes(comment=b"Taken at 12 Home Street"), "comment"),
        ("photo.jpg", lambda: image_bytes(xmp=b"<x:xmpmeta>GPS 53N</x:xmpmeta>"), "xmp"),
        (
            "anim.gif",
            lambda: image_bytes(image_format="GIF", comment=b"Taken at 12 Home Street"),
            "comment",
        ),
        (
            "diagram.png",
            lambda: image_bytes(image_format="PNG", pnginfo=png_text("Taken at 12 Home Street")),
            "Comment",
        ),
        (
            "photo.webp",
            lambda: image_bytes(image_format="WEBP", xmp=b"<x:xmpmeta>GPS 53N</x:xmpmeta>"),
            "xmp",
        ),
    ],
    ids=["jpeg-comment", "jpeg-xmp", "gif-comment", "png-text", "webp-xmp"],
)
def test_stored_upload_has_no_comments_or_xmp(media_root, name, data, key):
    post = saved_post(name, data())
    assert key not in open_stored(media_root, post.header_image.name).info


def png_text(text: str) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return info


@pytest.mark.parametrize("image_format", EXIF_FORMATS)
def test_stored_upload_keeps_its_icc_colour_profile(media_root, image_format):
    profile = srgb_profile()
    post = saved_post(
        f"photo.{image_format.lower()}", phone_photo(image_format, icc_profile=profile)
    )
    assert open_stored(media_root, post.header_image.name).info.get("icc_profile") == profile


def test_stored_upload_without_a_profile_gets_none(media_root):
    post = saved_post("diagram.png", image_bytes(image_format="PNG"))
    assert not open_stored(media_root, post.header_image.name).info.get("icc_profile")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_bytes_hidden_after_the_image_are_not_stored(media_root, image_format):
    data = image_bytes(image_format=image_format) + b"<html><script>alert(1)</script></html>"
    post = saved_post(f"photo.{image_format.lower()}", data)
    assert b"<script>" not in (media_root / post.header_image.name).read_bytes()


def test_animated_gif_keeps_its_frames(media_root):
    frames = [Image.new("RGB", (20, 10), color) for color in ("red", "blue", "green")]
    output = BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    post = saved_post("anim.gif", output.getvalue())
    stored = Image.open(media_root / post.header_image.name)
    assert (stored.format, stored.n_frames) == ("GIF", 3)


# --- Names and storage ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "extension"),
    [
        ("JPEG", "jpg"),
        ("PNG", "png"),
        ("WEBP", "webp"),
        ("GIF", "gif"),
        pytest.param("AVIF", "avif", marks=AVIF),
    ],
)
def test_stored_name_is_the_hash_of_the_stored_bytes(media_root, image_format, extension):
    post = saved_post("My Holiday Photo.jpeg", image_bytes(image_format=image_format))
    match = STORED_NAME.fullmatch(post.header_image.name)
    assert match, post.header_image.name
    stored = (media_root / post.header_image.name).read_bytes()
    assert match["digest"] == hashlib.sha256(stored).hexdigest()
    assert match["prefix"] == match["digest"][:2]
    assert match["ext"] == extension


@pytest.mark.parametrize("name", ["../../../etc/cron.d/evil.png", "/tmp/evil.png", "evil.png"])
def test_uploaded_file_name_never_chooses_the_stored_path(media_root, name):
    post = saved_post(name, image_bytes(image_format="PNG"))
    assert STORED_NAME.fullmatch(post.header_image.name)
    assert media_files(media_root) == {post.header_image.name}


def test_same_image_uploaded_twice_is_stored_once(media_root):
    data = image_bytes(image_format="PNG")
    first = saved_post("first.png", data)
    second = saved_post("second.png", data)
    assert first.header_image.name == second.header_image.name
    assert media_files(media_root) == {first.header_image.name}


def test_same_jpeg_uploaded_twice_is_stored_once(media_root):
    data = phone_photo()
    first = saved_post("first.jpg", data)
    second = saved_post("second.jpg", data)
    assert first.header_image.name == second.header_image.name
    assert media_files(media_root) == {first.header_image.name}


def test_avatar_upload_is_cleaned_too(media_root):
    person = PersonFactory(avatar=upload("me.png", phone_photo("PNG")))
    person.refresh_from_db()
    stored = open_stored(media_root, person.avatar.name)
    assert stored.size == (20, 40)
    assert dict(stored.getexif()) == {}
    assert STORED_NAME.fullmatch(person.avatar.name)


def test_bad_file_saved_without_a_form_is_refused_and_not_stored(media_root):
    with pytest.raises(ValidationError):
        PostFactory(header_image=upload("drawing.jpg", SVG))
    assert media_files(media_root) == set()


# --- Through the admin ------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_editor_upload_is_stored_upright_and_without_metadata(
    media_root, change_post, image_format
):
    post = PostFactory()
    extension = {"JPEG": "jpg", "PNG": "png"}[image_format]
    response = change_post(
        post,
        header_image=upload(f"IMG_0001.{extension}", phone_photo(image_format)),
        header_image_alt="A harbour at dusk",
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert STORED_NAME.fullmatch(post.header_image.name)
    stored = open_stored(media_root, post.header_image.name)
    assert stored.size == (20, 40)
    assert dict(stored.getexif()) == {}


def test_editor_upload_of_a_good_file_is_not_refused(change_post):
    post = PostFactory()
    response = change_post(post, og_image=image_file("card.png", image_format="PNG"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.og_image.name.endswith(".png")
