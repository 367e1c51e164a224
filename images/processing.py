"""Pillow work on images: cleaning uploads, resizing and cropping around a focal point."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin

from images.validation import FORMAT_EXTENSIONS, CheckedImage

JPEG_QUALITY = 85
WEBP_QUALITY = 80


def content_name(data: bytes, extension: str, folder: str = "images") -> str:
    """Stored names are content hashes: no user-controlled paths, one copy per content."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{folder}/{digest[:2]}/{digest}{extension.lower()}"


def store(data: bytes, name: str) -> str:
    """Save `data` under `name` unless that content is already stored."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # pragma: no cover - a storage that renames on collision
            return saved
    return name


def clean_upload(checked: CheckedImage) -> tuple[bytes, str]:
    """Turn the image upright as its EXIF orientation says, then drop every piece of
    metadata (camera GPS positions must not leak) but the ICC colour profile.

    Returns the new bytes and their extension.
    """
    with Image.open(BytesIO(checked.data)) as image:
        image_format = image.format
        icc_profile = image.info.get("icc_profile")
        if getattr(image, "n_frames", 1) > 1:
            # Animated GIF/WebP: re-encoding every frame is not worth the risk; strip
            # metadata by re-saving all frames as they are.
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
            for frame in frames:
                frame.info.pop("comment", None)
            output = BytesIO()
            frames[0].save(
                output,
                format=image_format,
                save_all=True,
                append_images=frames[1:],
                loop=image.info.get("loop", 0),
                duration=image.info.get("duration"),
            )
            return output.getvalue(), FORMAT_EXTENSIONS[image_format]
        sampling = JpegImagePlugin.get_sampling(image) if image_format == "JPEG" else -1
        upright = ImageOps.exif_transpose(image)
        # Writers fall back to info (JPEG and GIF comments); what we keep is passed below.
        upright.info = {}
        output = BytesIO()
        options: dict = {}
        if icc_profile:
            options["icc_profile"] = icc_profile
        if image_format == "JPEG":
            options.update(quality=92, optimize=True)
            if sampling != -1:
                options["subsampling"] = sampling
            if upright.mode not in {"RGB", "L", "CMYK"}:
                upright = upright.convert("RGB")
        elif image_format == "PNG":
            options["optimize"] = True
        elif image_format == "WEBP":
            options.update(quality=90)
        # A fresh save writes no EXIF, XMP or comments unless asked to.
        upright.save(output, format=image_format, **options)
    return output.getvalue(), FORMAT_EXTENSIONS[image_format]


def focal_crop(
    width: int, height: int, target_width: int, target_height: int, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of the target's aspect ratio that fits the image, centred on the
    focal point as far as the image's edges allow."""
    target_ratio = target_width / target_height
    if width / height > target_ratio:
        crop_height = height
        crop_width = round(height * target_ratio)
    else:
        crop_width = width
        crop_height = round(width / target_ratio)
    centre_x = min(max(focal_x, 0.0), 1.0) * width
    centre_y = min(max(focal_y, 0.0), 1.0) * height
    left = round(min(max(centre_x - crop_width / 2, 0), width - crop_width))
    top = round(min(max(centre_y - crop_height / 2, 0), height - crop_height))
    return left, top, left + crop_width, top + crop_height


def open_image(data: bytes, want: tuple[int, int] | None = None) -> Image.Image:
    """Decode an image upright, in RGB(A); JPEGs are decoded at a reduced scale when
    only a smaller size is needed (much faster for large photos)."""
    image = Image.open(BytesIO(data))
    if want and image.format == "JPEG":
        image.draft("RGB", want)
    image = ImageOps.exif_transpose(image)
    if image.mode not in {"RGB", "RGBA"}:
        has_alpha = image.mode in {"LA", "PA"} or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return image


def encode(image: Image.Image, image_format: str) -> bytes:
    output = BytesIO()
    if image_format == "JPEG":
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image.save(output, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:  # PNG; GIF and others become a still PNG
        # zlib's fastest level: optimize=True made a social card take half a second.
        image.save(output, format="PNG", compress_level=1)
    return output.getvalue()


def resize_to_width(image: Image.Image, width: int) -> Image.Image:
    """Scale down to `width` keeping the aspect ratio; never scale up."""
    if width >= image.width:
        return image.copy()
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def fill(
    image: Image.Image,
    width: int,
    height: int,
    focal_x: float = 0.5,
    focal_y: float = 0.5,
    upscale: bool = False,
) -> Image.Image:
    """Crop to the target's aspect ratio around the focal point, then scale down to
    width×height. A smaller crop is enlarged only with `upscale` (a social card has a
    fixed size); otherwise it stays as it is, with the same aspect ratio."""
    box = focal_crop(image.width, image.height, width, height, focal_x, focal_y)
    cropped = image.crop(box)
    if cropped.width <= width and not upscale:
        return cropped
    return cropped.resize((width, height), Image.Resampling.LANCZOS)
