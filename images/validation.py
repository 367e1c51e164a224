"""Checks an uploaded image must pass before it is decoded, stored or shown.

Each check has its own message, and the limits come from settings (with defaults), in
the manner of Wagtail's image field: extension, real format, size in bytes, pixel count,
and finally a full decode, so a truncated file is refused rather than stored.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile, ImageSequence, UnidentifiedImageError, features

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000

# Pillow format name -> the extension stored files get.
FORMAT_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
if features.check("avif"):
    FORMAT_EXTENSIONS["AVIF"] = ".avif"
ACCEPTED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"} | (
    {".avif"} if "AVIF" in FORMAT_EXTENSIONS else set()
)


def max_upload_bytes() -> int:
    return getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_pixels() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS[self.format]


def check_image(name: str, data: bytes) -> CheckedImage:
    """Refuse anything that is not a sound JPEG, PNG, GIF or WebP (or AVIF) within limits.

    Raises ValidationError with one message naming what is wrong.
    """
    extension = os.path.splitext(name)[1].lower()
    accepted = ", ".join(sorted(ext.lstrip(".").upper() for ext in ACCEPTED_EXTENSIONS))
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            f"“{os.path.basename(name)}” is not a supported image type; use {accepted}.",
            code="invalid_extension",
        )
    if len(data) > max_upload_bytes():
        raise ValidationError(
            f"This file is {filesizeformat(len(data))}; images may be at most "
            f"{filesizeformat(max_upload_bytes())}.",
            code="file_too_large",
        )
    try:
        # Opening reads the header only: the format and size are known before decoding.
        with _quiet_bomb_warnings(), Image.open(BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not an image (or not one that can be read): use "
            f"{accepted}. SVG and other drawings are not accepted.",
            code="not_an_image",
        ) from None
    if image_format not in FORMAT_EXTENSIONS:
        raise ValidationError(
            f"This is a {image_format} image; use {accepted}.", code="unsupported_format"
        )
    # Every frame of an animation is decoded when it is stored: they all count.
    if width * height * frames > max_pixels():
        raise _too_many_pixels(width, height, frames)
    try:
        with _quiet_bomb_warnings(), Image.open(BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(width, height) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This image is truncated or corrupt and cannot be used.", code="corrupt_image"
        ) from None
    return CheckedImage(data=data, format=image_format, width=width, height=height)


@contextlib.contextmanager
def _quiet_bomb_warnings():
    """Pillow warns past its own limit; ours is checked right after, with a clear error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _too_many_pixels(
    width: int | None = None, height: int | None = None, frames: int = 1
) -> ValidationError:
    size = f" ({width}×{height}{f' × {frames} frames' if frames > 1 else ''})" if width else ""
    return ValidationError(
        f"This image has too many pixels{size}; at most {max_pixels() / 1_000_000:g} "
        "megapixels are accepted.",
        code="too_many_pixels",
    )


def read_upload(file: IO[bytes]) -> bytes:
    """Read an uploaded file, refusing to read more than the size limit allows."""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_upload_bytes() + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data


# A truncated file must fail validation, never half-decode.
ImageFile.LOAD_TRUNCATED_IMAGES = False
