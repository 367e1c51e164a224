"""Checks an uploaded image must pass before it is decoded, stored or shown.

Each check has its own message, and the limits come from settings (with defaults), in
the manner of Wagtail's image field: extension, real format, size in bytes, then every
frame in turn against the pixel, frame and duration limits before it is decoded, so a
truncated file is refused rather than stored and the work done on a hostile file is
bounded by the limits, not by the file.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile, ImageSequence, features

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_FRAMES = 1000
DEFAULT_MAX_ANIMATION_SECONDS = 600
# Decoding and re-encoding a frame costs about as much as 128x128 pixels before a single
# pixel is decoded (measured on GIFs of 1x1 frames: some 0.9 ms a frame, 55 ns a pixel);
# without this floor, hundreds of thousands of tiny frames fit under the pixel limit.
MIN_FRAME_PIXELS = 128 * 128

# Pillow format name -> the extension stored files get.
FORMAT_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
if features.check("avif"):
    FORMAT_EXTENSIONS["AVIF"] = ".avif"
ACCEPTED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"} | (
    {".avif"} if "AVIF" in FORMAT_EXTENSIONS else set()
)
# Formats whose later frames are not part of the picture, and what the first one is: a
# phone's MPO is a JPEG photo followed by a depth map or a preview.
PRIMARY_IMAGE_FORMATS = {"MPO": "JPEG"}


def max_upload_bytes() -> int:
    return getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_pixels() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_frames() -> int:
    return getattr(settings, "IMAGE_MAX_FRAMES", DEFAULT_MAX_FRAMES)


def max_animation_seconds() -> float:
    return getattr(settings, "IMAGE_MAX_ANIMATION_SECONDS", DEFAULT_MAX_ANIMATION_SECONDS)


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int
    height: int
    # How long each frame shows, in milliseconds, as the file says (one entry per frame).
    durations: tuple[float, ...] = (0,)

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS[self.format]

    @property
    def is_animated(self) -> bool:
        return len(self.durations) > 1


def check_image(name: str, data: bytes, size: int | None = None) -> CheckedImage:
    """Refuse anything that is not a sound JPEG, PNG, GIF or WebP (or AVIF) within limits.

    `size` is the file's real size when `data` is only its beginning (see `read_upload`).
    Raises ValidationError with one message naming what is wrong.
    """
    extension = os.path.splitext(name)[1].lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            f"“{os.path.basename(name)}” is not a supported image type; use {_accepted()}.",
            code="invalid_extension",
        )
    size = max(size or 0, len(data))
    if size > max_upload_bytes():
        raise ValidationError(
            f"This file is {filesizeformat(size)}; images may be at most "
            f"{filesizeformat(max_upload_bytes())}.",
            code="file_too_large",
        )
    with _opened(data) as image:
        image_format = PRIMARY_IMAGE_FORMATS.get(image.format, image.format)
        if image_format not in FORMAT_EXTENSIONS:
            raise ValidationError(
                f"This is a {image.format} image; use {_accepted()}.",
                code="unsupported_format",
            )
        width, height = image.size
        durations = _decode_within_limits(image)
    return CheckedImage(
        data=data, format=image_format, width=width, height=height, durations=durations
    )


def check_upload(file: File) -> CheckedImage:
    """`check_image` for an uploaded file, reading no more of it than the size limit allows."""
    return check_image(file.name or "", read_upload(file), size=file.size)


def _decode_within_limits(image: Image.Image) -> tuple[float, ...]:
    """Decode every frame, each only once the frames so far are known to be within the
    limits; return how long each frame shows.

    Frames are counted as they come (Pillow's `n_frames` reads a GIF to its end first), a
    GIF frame may enlarge the canvas, and storing an upload re-encodes every frame: so
    each frame's real size is checked just before it is decoded.
    """
    durations: list[float] = []
    pixels = 0
    try:
        for frame in _frames(image):
            if len(durations) == max_frames():
                raise ValidationError(
                    f"This animation has more than {max_frames()} frames; at most "
                    f"{max_frames()} are accepted.",
                    code="too_many_frames",
                )
            width, height = frame.size
            if not durations and width * height > max_pixels():
                raise _too_many_pixels(f" ({width}×{height})")
            pixels += max(width * height, MIN_FRAME_PIXELS)
            if durations and pixels > max_pixels():
                raise ValidationError(
                    f"This animation has too many pixels: its first {len(durations) + 1} "
                    f"frames add up to more than {max_pixels() / 1_000_000:g} megapixels (a "
                    f"frame counts as at least {MIN_FRAME_PIXELS:,} pixels).",
                    code="too_many_pixels",
                )
            frame.load()
            # WebP tells how long a frame shows only once it is decoded.
            durations.append(float(frame.info.get("duration") or 0))
            if len(durations) > 1 and sum(durations) > max_animation_seconds() * 1000:
                raise ValidationError(
                    f"This animation lasts more than {max_animation_seconds():g} seconds; at "
                    f"most {max_animation_seconds():g} are accepted.",
                    code="animation_too_long",
                )
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:
        # Pillow's decoders raise many kinds on hostile files (OSError, SyntaxError,
        # struct.error, IndexError...): whatever it is, this file cannot be used.
        raise ValidationError(
            "This image is truncated or corrupt and cannot be used.", code="corrupt_image"
        ) from None
    return tuple(durations)


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    if image.format in PRIMARY_IMAGE_FORMATS:
        return iter([image])
    return ImageSequence.Iterator(image)


@contextlib.contextmanager
def _opened(data: bytes) -> Iterator[Image.Image]:
    """The image, its header read (format and size known, nothing decoded yet)."""
    try:
        with _quiet_bomb_warnings():
            image = Image.open(BytesIO(data))
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:  # UnidentifiedImageError, or any of the kinds named below
        raise ValidationError(
            "This file is not an image (or not one that can be read): use "
            f"{_accepted()}. SVG and other drawings are not accepted.",
            code="not_an_image",
        ) from None
    with _quiet_bomb_warnings(), image:
        yield image


def _accepted() -> str:
    return ", ".join(sorted(ext.lstrip(".").upper() for ext in ACCEPTED_EXTENSIONS))


@contextlib.contextmanager
def _quiet_bomb_warnings():
    """Pillow warns past its own limit; ours is checked right after, with a clear error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _too_many_pixels(size: str = "") -> ValidationError:
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
