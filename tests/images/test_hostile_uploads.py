"""Hostile images against the checks, the cleaning of uploads and the renditions: frame
bombs, animations Pillow can read but not write back, canvases WebP cannot hold, broken
EXIF, phone MPO photos and over-size files. Each ends as a clear message on the form
field or the import line, or as a picture, never as a 500."""

import logging
import re
import struct
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape
from PIL import Image, ImageOps, ImageSequence

from blog.models import Post
from images.models import Rendition
from images.processing import WEBP_MAX_SIDE
from images.validation import (
    DEFAULT_MAX_ANIMATION_SECONDS,
    DEFAULT_MAX_FRAMES,
    MIN_FRAME_PIXELS,
    check_image,
    max_animation_seconds,
    max_frames,
)
from people.models import Person
from talks.models import Talk
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.images.builders import (
    camera_exif,
    gif_file,
    gif_frame,
    huge_png,
    image_bytes,
    media_files,
    mistyped_exif,
    noisy_image,
    open_stored,
    phone_mpo,
    store_bytes,
    tiny_animation,
    upload,
    write_bundle,
)

pytestmark = pytest.mark.django_db

TOO_MANY_FRAMES = "This animation has more than {limit} frames; at most {limit} are accepted."
TOO_LONG = "This animation lasts more than {limit} seconds; at most {limit} are accepted."
CANNOT_REENCODE = "This image cannot be re-encoded (which strips its metadata)"
# The longest delay a GIF frame can hold: 655.35 seconds.
LONGEST_GIF_DELAY_CS = 65535


def identical_long_frames() -> bytes:
    """Two identical frames of the longest GIF delay: Pillow reads them, and its writer
    merges them into one frame of 1,310.7 seconds, which a GIF cannot hold."""
    return gif_file([gif_frame(delay_cs=LONGEST_GIF_DELAY_CS)] * 2)


def refusal(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check_image(name, data)
    return raised.value


# --- Frame bombs ------------------------------------------------------------------------------


def test_gif_of_thousands_of_tiny_frames_is_refused_at_the_frame_limit():
    # 7x7 frames once counted 49 pixels each: 900,000 of them fitted under 50 megapixels.
    error = refusal("bomb.gif", gif_file([gif_frame()] * (DEFAULT_MAX_FRAMES + 1), 7, 7))
    assert error.code == "too_many_frames"
    assert error.messages == [TOO_MANY_FRAMES.format(limit=DEFAULT_MAX_FRAMES)]


def test_gif_of_as_many_frames_as_the_limit_is_accepted():
    data = gif_file([gif_frame()] * DEFAULT_MAX_FRAMES, 7, 7)
    assert len(check_image("many.gif", data).durations) == DEFAULT_MAX_FRAMES


def test_frames_past_the_limit_are_never_read(settings):
    # A frame cut short sits right after the limit: counting every frame first (as
    # Pillow's n_frames does) would read it; stopping at the limit never does.
    settings.IMAGE_MAX_FRAMES = 50
    data = gif_file([gif_frame()] * 51 + [gif_frame(4, 4)[:15]], end=b"")
    assert refusal("bomb.gif", data).code == "too_many_frames"
    settings.IMAGE_MAX_FRAMES = 100
    assert refusal("bomb.gif", data).code == "corrupt_image"  # the cut is really there


def test_each_tiny_frame_counts_as_a_minimum_number_of_pixels(settings):
    settings.IMAGE_MAX_PIXELS = 10 * MIN_FRAME_PIXELS
    error = refusal("bomb.gif", gif_file([gif_frame()] * 11, 7, 7))
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This animation has too many pixels: its first 11 frames add up to more than "
        "0.16384 megapixels (a frame counts as at least 16,384 pixels)."
    ]
    assert check_image("fine.gif", gif_file([gif_frame()] * 10, 7, 7)).is_animated


def test_later_frame_that_enlarges_the_canvas_counts_at_its_real_size(settings):
    # The header says 8x8; Pillow grows the canvas to fit the third frame's 300x300.
    settings.IMAGE_MAX_PIXELS = 100_000
    small = gif_file([gif_frame(8, 8)] * 3, 8, 8)
    growing = gif_file([gif_frame(8, 8)] * 2 + [gif_frame(300, 300)], 8, 8)
    assert check_image("small.gif", small).is_animated
    assert refusal("growing.gif", growing).code == "too_many_pixels"


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_webp_and_apng_animations_are_held_to_the_frame_limit(settings, image_format):
    settings.IMAGE_MAX_FRAMES = 20
    name = f"bomb.{image_format.lower()}"
    error = refusal(name, tiny_animation(21, image_format))
    assert error.messages == [TOO_MANY_FRAMES.format(limit=20)]
    assert check_image(name, tiny_animation(20, image_format)).format == image_format


def test_imported_frame_bomb_fails_its_file_with_one_line(tmp_path, media_root, run_import):
    bomb = gif_file([gif_frame()] * (DEFAULT_MAX_FRAMES + 1), 7, 7)
    site = write_bundle(tmp_path / "site", "./cover.gif", {"cover.gif": bomb})
    report = run_import(site)
    assert report.failed == 1
    assert len(report.errors) == 1
    assert report.errors[0].endswith(
        "header_img: ./cover.gif: " + TOO_MANY_FRAMES.format(limit=DEFAULT_MAX_FRAMES)
    )
    assert not Post.objects.exists()
    assert media_files(media_root) == set()


# --- Duration ---------------------------------------------------------------------------------


def test_gif_whose_frames_last_longer_than_the_limit_is_refused():
    error = refusal("long.gif", identical_long_frames())
    assert error.code == "animation_too_long"
    assert error.messages == [TOO_LONG.format(limit=DEFAULT_MAX_ANIMATION_SECONDS)]


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_webp_and_apng_animations_are_held_to_the_duration_limit(image_format):
    name = f"long.{image_format.lower()}"
    error = refusal(name, tiny_animation(2, image_format, duration=400_000))
    assert error.code == "animation_too_long"
    assert check_image(name, tiny_animation(2, image_format, duration=200_000)).is_animated


def test_still_gif_with_the_longest_delay_is_accepted_and_stored(media_root):
    # One frame is no animation, however long it says it shows.
    data = gif_file([gif_frame(delay_cs=LONGEST_GIF_DELAY_CS)])
    post = PostFactory(header_image=upload("still.gif", data))
    assert open_stored(media_root, post.header_image.name).format == "GIF"


def test_limits_on_animations_default_to_1000_frames_and_600_seconds(settings):
    del settings.IMAGE_MAX_FRAMES
    del settings.IMAGE_MAX_ANIMATION_SECONDS
    assert (max_frames(), max_animation_seconds()) == (1000, 600)


# --- Cleaning an upload is part of validating it ----------------------------------------------


class FormReader(HTMLParser):
    """The fields an admin page's form sends back as a browser would (no files)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value") or "on"
            elif kind not in {"file", "submit", "button", "reset", "image"}:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
        elif (
            tag == "option"
            and self._select
            and (self._select not in self.data or "selected" in attrs)
        ):
            self.data[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            # Browsers drop the newline that follows <textarea>.
            value = self.data[self._textarea] + data
            self.data[self._textarea] = value.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


ADMIN_FORMS = {
    "post": (Post, PostFactory, "header_image"),
    "talk": (Talk, TalkFactory, "header_image"),
    "person": (Person, PersonFactory, "avatar"),
}


def submit_admin_form(client, kind: str, item, files: dict, capture) -> tuple:
    """Open the admin add form (`item` None) or change form, and send it back with
    `files`, as an editor does."""
    model = ADMIN_FORMS[kind][0]
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    url = reverse(f"{name}_change", args=[item.pk]) if item else reverse(f"{name}_add")
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    data = {**reader.data, "_save": "Save", **files}
    if item is None:
        data.update(title="A new item", slug="a-new-item", name="A new person")
    with capture(execute=True):
        return client.post(url, data)


@pytest.mark.parametrize("action", ["add", "change"])
@pytest.mark.parametrize("kind", ADMIN_FORMS)
def test_upload_pillow_cannot_write_back_is_a_form_error_on_every_admin_form(
    settings,
    media_root,
    editor_client,
    django_capture_on_commit_callbacks,
    caplog,
    kind,
    action,
):
    # With a looser duration limit the file passes every check; re-encoding it fails
    # (Pillow: "int too big to convert"), and once did when the item was saved: a 500.
    settings.IMAGE_MAX_ANIMATION_SECONDS = 3600
    model, factory, field = ADMIN_FORMS[kind]
    item = factory() if action == "change" else None
    count, stored = model.objects.count(), media_files(media_root)

    with caplog.at_level(logging.WARNING, logger="images.fields"):
        response = submit_admin_form(
            editor_client,
            kind,
            item,
            {field: upload("long.gif", identical_long_frames())},
            django_capture_on_commit_callbacks,
        )

    assert response.status_code == 200
    assert escape(CANNOT_REENCODE) in response.content.decode()
    assert model.objects.count() == count
    assert media_files(media_root) == stored
    if item is not None:
        item.refresh_from_db()
        assert not getattr(item, field)
    assert "OverflowError" in caplog.text  # the traceback is kept for whoever runs the site


@pytest.mark.parametrize("kind", ADMIN_FORMS)
def test_good_upload_through_the_same_admin_form_is_stored(
    media_root, editor_client, django_capture_on_commit_callbacks, kind
):
    _model, factory, field = ADMIN_FORMS[kind]
    item = factory()
    response = submit_admin_form(
        editor_client,
        kind,
        item,
        {field: upload("anim.gif", gif_file([gif_frame(delay_cs=50)] * 2 + [gif_frame(color=1)]))},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert open_stored(media_root, getattr(item, field).name).n_frames == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            lambda: gif_file([gif_frame()] * (DEFAULT_MAX_FRAMES + 1), 7, 7),
            TOO_MANY_FRAMES.format(limit=DEFAULT_MAX_FRAMES),
            id="frame-bomb",
        ),
        pytest.param(
            identical_long_frames,
            TOO_LONG.format(limit=DEFAULT_MAX_ANIMATION_SECONDS),
            id="identical-frames-too-long",
        ),
    ],
)
def test_animation_over_the_limits_is_a_form_error(media_root, change_post, data, message):
    post = PostFactory(title="Before")
    response = change_post(post, title="After", header_image=upload("anim.gif", data()))
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    post.refresh_from_db()
    assert (post.title, post.header_image.name) == ("Before", "")
    assert media_files(media_root) == set()


def test_stored_animation_keeps_the_duration_of_each_frame(media_root):
    frames = [gif_frame(delay_cs=10), gif_frame(2, 1, 25, color=1), gif_frame(delay_cs=40)]
    post = PostFactory(header_image=upload("anim.gif", gif_file(frames, 2, 1)))
    stored = Image.open(media_root / post.header_image.name)
    durations = [frame.info["duration"] for frame in ImageSequence.Iterator(stored)]
    assert durations == [100, 250, 400]


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_stored_webp_and_apng_animations_keep_the_duration_of_each_frame(media_root, image_format):
    frames = [Image.new("RGB", (4, 4), color) for color in ("red", "blue", "green")]
    output = BytesIO()
    frames[0].save(
        output,
        format=image_format,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 250, 400],
    )
    post = PostFactory(header_image=upload(f"anim.{image_format.lower()}", output.getvalue()))
    stored = Image.open(media_root / post.header_image.name)
    durations = []
    for frame in ImageSequence.Iterator(stored):
        frame.load()  # WebP tells a frame's duration once it is decoded
        durations.append(frame.info["duration"])
    assert durations == [100, 250, 400]


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_stored_animation_has_no_exif_or_xmp(media_root, image_format):
    frames = [Image.new("RGB", (4, 4), color) for color in ("red", "blue")]
    output = BytesIO()
    frames[0].save(
        output,
        format=image_format,
        save_all=True,
        append_images=frames[1:],
        exif=camera_exif(),
        xmp=b"<x:xmpmeta>GPS 53N</x:xmpmeta>",
    )
    assert Image.open(BytesIO(output.getvalue())).getexif()  # the upload has them
    post = PostFactory(header_image=upload(f"anim.{image_format.lower()}", output.getvalue()))
    stored = open_stored(media_root, post.header_image.name)
    assert (stored.n_frames, dict(stored.getexif())) == (2, {})
    assert "xmp" not in stored.info


# --- Broken EXIF --------------------------------------------------------------------------------


def photo_with_mistyped_exif() -> bytes:
    """A 40×20 photo held sideways (EXIF orientation 6) whose EXIF Pillow cannot write back."""
    data = image_bytes(40, 20, exif=mistyped_exif(orientation=6))
    with pytest.raises(struct.error):
        ImageOps.exif_transpose(Image.open(BytesIO(data)))
    return data


def test_photo_with_exif_pillow_cannot_write_back_is_stored_upright_without_it(
    media_root, change_post
):
    post = PostFactory()
    response = change_post(post, header_image=upload("photo.jpg", photo_with_mistyped_exif()))
    assert response.status_code == 302
    post.refresh_from_db()
    stored = open_stored(media_root, post.header_image.name)
    assert (stored.size, dict(stored.getexif())) == ((20, 40), {})


def test_imported_photo_with_exif_pillow_cannot_write_back_is_shown_upright(client):
    post = PostFactory(header_image=store_bytes(photo_with_mistyped_exif()))
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    renditions = Rendition.objects.filter(source=post.header_image.name)
    # Upright (20 wide, 40 tall), and being a portrait, shown as a 2:1 banner cut from it.
    assert {(r.width, r.height) for r in renditions} == {(20, 40), (20, 10)}


# --- Canvases WebP cannot hold ---------------------------------------------------------------


def test_very_tall_image_gets_renditions_webp_can_encode(client, editor_client):
    # 40x20,000 is 0.8 megapixels, but its WebP rendition (at its own width, never
    # enlarged) cannot be 20,000 tall: WebP stops at 16,383 a side, and the page and the
    # change form answered 500.
    post = PostFactory(header_image=store_bytes(huge_png(40, 20_000), "PNG"))
    assert client.get(post.get_absolute_url()).status_code == 200
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert editor_client.get(change).status_code == 200
    renditions = Rendition.objects.filter(source=post.header_image.name)
    assert renditions.exists()
    assert max(max(r.width, r.height) for r in renditions) <= WEBP_MAX_SIDE


# --- The size a refusal reports -------------------------------------------------------------


def test_over_size_upload_reports_its_real_size_not_what_was_read(settings, change_post):
    data = noisy_image(96, 96)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) // 3
    post = PostFactory()
    response = change_post(post, header_image=upload("photo.jpg", data))
    assert response.status_code == 200
    message = (
        f"This file is {filesizeformat(len(data))}; images may be at most "
        f"{filesizeformat(len(data) // 3)}."
    )
    assert escape(message) in response.content.decode()


def test_over_size_file_of_25_mb_is_reported_as_25_mb():
    error = refusal_of_size("photo.jpg", image_bytes(), 25 * 1024 * 1024)
    assert error.messages == ["This file is 25.0\xa0MB; images may be at most 20.0\xa0MB."]


def refusal_of_size(name: str, data: bytes, size: int) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check_image(name, data, size=size)
    return raised.value


# --- Phone MPO photos -----------------------------------------------------------------------


def test_phone_mpo_photo_is_accepted_as_a_jpeg():
    data = phone_mpo(40, 20)
    assert Image.open(BytesIO(data)).format == "MPO"
    checked = check_image("IMG_0001.JPG", data)
    assert (checked.format, checked.extension, checked.width, checked.height) == (
        "JPEG",
        ".jpg",
        40,
        20,
    )


def test_uploaded_mpo_is_stored_as_a_stripped_jpeg_of_the_photo(media_root, change_post):
    post = PostFactory()
    data = phone_mpo(40, 20, exif=camera_exif(orientation=6))
    response = change_post(post, header_image=upload("IMG_0001.JPG", data))
    assert response.status_code == 302
    post.refresh_from_db()
    assert re.fullmatch(r"images/[0-9a-f]{2}/[0-9a-f]{64}\.jpg", post.header_image.name)
    stored = open_stored(media_root, post.header_image.name)
    assert (stored.format, getattr(stored, "n_frames", 1), stored.size) == ("JPEG", 1, (20, 40))
    assert dict(stored.getexif()) == {}
    assert "mp" not in stored.info


def test_imported_mpo_keeps_its_bytes_and_is_shown_through_renditions(
    tmp_path, media_root, client, run_import
):
    data = phone_mpo(64, 48)
    site = write_bundle(tmp_path / "site", "./cover.jpg", {"cover.jpg": data})
    report = run_import(site)
    assert (report.created, report.errors) == (1, [])
    post = Post.objects.get()
    assert post.header_image.name.endswith(".jpg")
    assert (media_root / post.header_image.name).read_bytes() == data
    assert client.get(post.get_absolute_url()).status_code == 200
    assert Rendition.objects.filter(source=post.header_image.name, spec__endswith=".jpeg")
