"""Pillow work on images: cleaning uploads, resizing and cropping around a focal point."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageSequence, JpegImagePlugin

from images.validation import CheckedImage

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

    Returns the new bytes and their extension. Pillow's writers fail on some files its
    readers accept (a GIF whose identical frames together last longer than a GIF frame
    can): callers run this while the upload can still be refused (see `images.fields`).
    """
    with Image.open(BytesIO(checked.data)) as image:
        icc_profile = image.info.get("icc_profile")
        if checked.is_animated:
            data = _clean_animation(image, checked, icc_profile)
        else:
            data = _clean_still(image, checked.format, icc_profile)
    return data, checked.extension


# What a frame's info holds that draws it; the rest (comments, EXIF, XMP) is metadata,
# and writers copy it from the first frame unless it is gone.
FRAME_DRAWING_INFO = ("transparency", "background")


def _clean_animation(image: Image.Image, checked: CheckedImage, icc_profile) -> bytes:
    """Every frame re-saved as Pillow drew it, each shown as long as the file said."""
    frames = []
    for frame in ImageSequence.Iterator(image):
        copy = frame.copy()
        copy.info = {key: frame.info[key] for key in FRAME_DRAWING_INFO if key in frame.info}
        frames.append(copy)
    options: dict = {}
    if icc_profile and checked.format != "GIF":
        options["icc_profile"] = icc_profile
    output = BytesIO()
    frames[0].save(
        output,
        format=checked.format,
        save_all=True,
        append_images=frames[1:],
        loop=image.info.get("loop", 0),
        duration=list(checked.durations),
        **options,
    )
    return output.getvalue()


def _clean_still(image: Image.Image, image_format: str, icc_profile) -> bytes:
    sampling = JpegImagePlugin.get_sampling(image) if image_format == "JPEG" else -1
    picture = upright(image)
    # Writers fall back to info (JPEG and GIF comments); what we keep is passed below.
    picture.info = {}
    output = BytesIO()
    options: dict = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        options.update(quality=92, optimize=True)
        if sampling != -1:
            options["subsampling"] = sampling
        if picture.mode not in {"RGB", "L", "CMYK"}:
            picture = picture.convert("RGB")
    elif image_format == "PNG":
        options["optimize"] = True
    elif image_format == "WEBP":
        options.update(quality=90)
    # A fresh save writes no EXIF, XMP or comments unless asked to.
    picture.save(output, format=image_format, **options)
    return output.getvalue()


_TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image) -> Image.Image:
    """A copy of the image turned as its EXIF orientation says, as Pillow's
    `ImageOps.exif_transpose` does but without writing the EXIF back (which fails on
    blocks Pillow can read but not write); EXIF that cannot be read at all turns nothing:
    the metadata is broken, not the picture."""
    image.load()
    method = _TRANSPOSITIONS.get(_exif_orientation(image))
    return image.transpose(method) if method else image.copy()


def _exif_orientation(image: Image.Image) -> int:
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # a bad EXIF block makes Pillow raise any of a dozen kinds
        return 1
    return orientation if isinstance(orientation, int) else 1


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
    if want and image.format in {"JPEG", "MPO"}:
        image.draft("RGB", want)
    image = upright(image)
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


# The largest side WebP can encode; renditions are made in WebP.
WEBP_MAX_SIDE = 16383


def resize_to_width(image: Image.Image, width: int) -> Image.Image:
    """Scale down to `width` keeping the aspect ratio; never scale up. A very tall image
    comes out narrower, so that no side is longer than WebP can encode."""
    width = min(
        width, image.width, WEBP_MAX_SIDE, max(1, image.width * WEBP_MAX_SIDE // image.height)
    )
    if width == image.width and image.height <= WEBP_MAX_SIDE:
        return image.copy()
    height = min(WEBP_MAX_SIDE, max(1, round(image.height * width / image.width)))
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
