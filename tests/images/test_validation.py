"""What `check_image` accepts and refuses, each refusal with its own message and code."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import features

from images.checks import check_pillow_formats
from images.validation import (
    DEFAULT_MAX_PIXELS,
    DEFAULT_MAX_UPLOAD_BYTES,
    check_image,
    max_pixels,
    max_upload_bytes,
    read_upload,
)
from tests.images.builders import (
    HTML,
    SVG,
    animation,
    huge_png,
    image_bytes,
    noisy_image,
    truncated,
)

AVIF = pytest.mark.skipif(not features.check("avif"), reason="Pillow has no AVIF support")


# --- Accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "image_format", "extension"),
    [
        ("photo.jpg", "JPEG", ".jpg"),
        ("photo.JPEG", "JPEG", ".jpg"),
        ("diagram.png", "PNG", ".png"),
        ("photo.webp", "WEBP", ".webp"),
        ("animation.gif", "GIF", ".gif"),
        pytest.param("photo.avif", "AVIF", ".avif", marks=AVIF),
    ],
)
def test_supported_formats_are_accepted(name, image_format, extension):
    checked = check_image(name, image_bytes(40, 30, image_format))
    assert (checked.format, checked.width, checked.height) == (image_format, 40, 30)
    assert checked.extension == extension


def test_real_format_decides_the_extension_not_the_name():
    checked = check_image("photo.jpg", image_bytes(image_format="PNG"))
    assert (checked.format, checked.extension) == ("PNG", ".png")


# --- Refused, each with its message ---------------------------------------------------------

NOT_AN_IMAGE = "This file is not an image (or not one that can be read)"
CORRUPT = "This image is truncated or corrupt and cannot be used."
TOO_MANY_PIXELS = "This image has too many pixels"


REFUSALS = [
    pytest.param(
        "drawing.jpg",
        lambda: SVG,
        {},
        "not_an_image",
        "SVG and other drawings are not accepted",
        id="svg-renamed-jpg",
    ),
    pytest.param(
        "page.jpg", lambda: HTML, {}, "not_an_image", NOT_AN_IMAGE, id="html-renamed-jpg"
    ),
    pytest.param(
        "notes.txt",
        image_bytes,
        {},
        "invalid_extension",
        "“notes.txt” is not a supported image type; use",
        id="txt-extension",
    ),
    pytest.param(
        "drawing.svg",
        lambda: SVG,
        {},
        "invalid_extension",
        "“drawing.svg” is not a supported image type",
        id="svg-extension",
    ),
    pytest.param(
        "photo", image_bytes, {}, "invalid_extension", "is not a supported image type", id="none"
    ),
    pytest.param(
        "photo.jpg",
        lambda: truncated(noisy_image()),
        {},
        "corrupt_image",
        CORRUPT,
        id="truncated-jpeg",
    ),
    pytest.param(
        "diagram.png",
        lambda: truncated(noisy_image(image_format="PNG")),
        {},
        "corrupt_image",
        CORRUPT,
        id="truncated-png",
    ),
    pytest.param(
        "scan.png",
        lambda: image_bytes(image_format="BMP"),
        {},
        "unsupported_format",
        "This is a BMP image; use",
        id="bmp-renamed-png",
    ),
    pytest.param(
        "photo.jpg",
        image_bytes,
        {"IMAGE_MAX_UPLOAD_BYTES": 100},
        "file_too_large",
        "images may be at most 100\xa0bytes.",
        id="over-the-size-limit",
    ),
    pytest.param(
        "photo.jpg",
        image_bytes,
        {"IMAGE_MAX_PIXELS": 100},
        "too_many_pixels",
        "This image has too many pixels (32×24); at most 0.0001 megapixels are accepted.",
        id="over-the-pixel-limit",
    ),
    pytest.param(
        "bomb.png",
        lambda: huge_png(20_000, 20_000),
        {},
        "too_many_pixels",
        "at most 50 megapixels are accepted.",
        id="decompression-bomb-20000x20000",
    ),
]


@pytest.mark.parametrize(("name", "data", "limits", "code", "message"), REFUSALS)
def test_bad_file_is_refused_with_its_message(settings, name, data, limits, code, message):
    for setting, value in limits.items():
        setattr(settings, setting, value)
    with pytest.raises(ValidationError) as refusal:
        check_image(name, data())
    assert refusal.value.code == code
    assert message in refusal.value.messages[0]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_the_truncated_files_were_sound_before_the_cut(image_format):
    assert check_image("image.jpg", noisy_image(image_format=image_format)).format == image_format


def test_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = huge_png(20_000, 20_000)
    assert len(bomb) < 100_000  # tiny on disk, 400 megapixels once decoded
    with pytest.raises(ValidationError) as refusal:
        check_image("bomb.png", bomb)
    assert TOO_MANY_PIXELS in refusal.value.messages[0]


def test_image_past_pillows_own_warning_threshold_is_refused_as_too_many_pixels():
    # 100 megapixels: over our 50 MP limit and over Pillow's 89 MP warning threshold (but
    # under its 179 MP error threshold). Pillow then warns with DecompressionBombWarning, a
    # RuntimeWarning; the refusal must not depend on how warnings are filtered (this suite
    # turns RuntimeWarnings into errors, as `python -W error` would in production).
    with pytest.raises(ValidationError) as refusal:
        check_image("big.png", huge_png(10_000, 10_000))
    assert refusal.value.code == "too_many_pixels"


def test_animation_cut_in_a_later_frame_is_refused_as_corrupt():
    # The first frame is whole, so decoding only the first frame does not notice; storing
    # the upload re-encodes every frame and would then fail with an error page.
    data = animation(frames=4)
    with pytest.raises(ValidationError) as refusal:
        check_image("animation.gif", truncated(data, keep=0.8))
    assert refusal.value.code == "corrupt_image"


def test_animation_whose_frames_add_up_past_the_pixel_limit_is_refused(settings):
    # Every frame is decoded when the upload is stored: 10 frames of 64 by 64 are 40,960
    # pixels. A few megabytes of GIF can hold thousands of large frames.
    settings.IMAGE_MAX_PIXELS = 20_000
    with pytest.raises(ValidationError) as refusal:
        check_image("animation.gif", animation(64, 64, frames=10))
    assert refusal.value.code == "too_many_pixels"


def test_animation_within_the_limits_is_accepted(settings):
    # Frames as large as the least a frame counts for: the limit is exactly their sum.
    settings.IMAGE_MAX_PIXELS = 128 * 128 * 4
    assert check_image("animation.gif", animation(128, 128, frames=4)).format == "GIF"


# --- Limits -----------------------------------------------------------------------------------


def test_limits_default_to_20_mb_and_50_megapixels(settings):
    del settings.IMAGE_MAX_UPLOAD_BYTES
    del settings.IMAGE_MAX_PIXELS
    assert max_upload_bytes() == DEFAULT_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert max_pixels() == DEFAULT_MAX_PIXELS == 50_000_000


def test_file_exactly_at_the_size_limit_is_accepted(settings):
    data = image_bytes()
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)
    assert check_image("photo.jpg", data).format == "JPEG"


def test_image_exactly_at_the_pixel_limit_is_accepted(settings):
    settings.IMAGE_MAX_PIXELS = 32 * 24
    assert check_image("photo.jpg", image_bytes(32, 24)).width == 32


def test_reading_an_upload_stops_one_byte_past_the_limit(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 10
    upload = BytesIO(b"x" * 1000)
    assert read_upload(upload) == b"x" * 11
    assert upload.tell() == 0  # rewound for whoever reads it next


def test_pillow_supports_every_format_we_promise():
    assert check_pillow_formats(None) == []
