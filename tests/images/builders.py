"""Images built in memory, in the manner of Wagtail's `get_test_image_file`, and a few
helpers to store them and to see what ended up in MEDIA_ROOT."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from images import processing

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert("x")</script><rect width="10" height="10"/></svg>\n'
)
HTML = b"<!doctype html><html><body><script>alert('x')</script></body></html>\n"
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "AVIF": ".avif"}


def image_bytes(
    width: int = 32,
    height: int = 24,
    image_format: str = "JPEG",
    color: str | tuple[int, ...] = "teal",
    mode: str = "RGB",
    **options,
) -> bytes:
    """An image of one colour, encoded in `image_format` with Pillow's save `options`."""
    output = BytesIO()
    Image.new(mode, (width, height), color).save(output, format=image_format, **options)
    return output.getvalue()


def noisy_image(width: int = 64, height: int = 64, image_format: str = "JPEG") -> bytes:
    """An image whose data is spread over the whole file (a flat colour compresses to a few
    bytes after the header, so cutting it in half would cut no pixels)."""
    output = BytesIO()
    Image.effect_noise((width, height), 64).convert("RGB").save(output, format=image_format)
    return output.getvalue()


def grainy_photo(width: int = 1600, height: int = 900, image_format: str = "JPEG") -> bytes:
    """A photo as hard to compress as photos get: a gradient under strong grain in every
    colour channel (sensor noise at high ISO), saved as a camera would."""
    gradient = Image.linear_gradient("L").resize((width, height))
    channels = [Image.blend(gradient, Image.effect_noise((width, height), 60), 0.6) for _ in "RGB"]
    output = BytesIO()
    Image.merge("RGB", channels).save(output, format=image_format, quality=92)
    return output.getvalue()


def animation(width: int = 64, height: int = 64, frames: int = 4, image_format="GIF") -> bytes:
    """An animated image of noisy frames (so that every frame has data of its own)."""
    images = [Image.effect_noise((width, height), 64).convert("RGB") for _ in range(frames)]
    output = BytesIO()
    images[0].save(
        output, format=image_format, save_all=True, append_images=images[1:], duration=50, loop=0
    )
    return output.getvalue()


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first `keep` of a file, as an interrupted upload leaves it."""
    return data[: int(len(data) * keep)]


def halves(
    width: int, height: int, left: str = "red", right: str = "blue", image_format: str = "PNG"
) -> bytes:
    """An image whose left half is `left` and right half `right`: a crop shows its side."""
    image = Image.new("RGB", (width, height), left)
    image.paste(right, (width // 2, 0, width, height))
    output = BytesIO()
    image.save(output, format=image_format)
    return output.getvalue()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone writes it: an orientation, a camera model and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Phone 12"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (53.0, 20.0, 0.0), 3: "W", 4: (6.0, 15.0, 0.0)})
    return exif


def mistyped_exif(orientation: int = 6) -> bytes:
    """EXIF as a careless camera writes it: the orientation, and the camera model under a
    tag that holds numbers (BitsPerSample). Pillow reads it, but writing it back (as
    `ImageOps.exif_transpose` does after turning the picture) raises struct.error."""
    model = b"Phone 12\x00"
    entries = struct.pack(">HHII", 0x0102, 2, len(model), 8 + 2 + 2 * 12 + 4)
    entries += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return (
        b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x02" + entries + bytes(4) + model
    )


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, written chunk by chunk: all-zero rows compress to
    almost nothing, so a 20000×20000 image (400 megapixels) is about 50 kB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def image_file(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    """An uploaded image file (kwargs as for `image_bytes`)."""
    return upload(name, image_bytes(**kwargs))


def stored_image(
    width: int = 32,
    height: int = 24,
    image_format: str = "JPEG",
    color: str | tuple[int, ...] = "teal",
) -> str:
    """Store an image through the storage API as the importer does (bytes kept, content-hash
    name) and return its name: tests of renditions, cards and clean-up start from here."""
    return store_bytes(image_bytes(width, height, image_format, color), image_format)


def store_bytes(data: bytes, image_format: str = "JPEG") -> str:
    return processing.store(data, processing.content_name(data, EXTENSIONS[image_format]))


def media_files(root: Path) -> set[str]:
    """Every stored file, as a path relative to MEDIA_ROOT."""
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def open_stored(root: Path, name: str) -> Image.Image:
    image = Image.open(root / name)
    image.load()
    return image


# --- A post bundle to import ------------------------------------------------------------------

HEADER_BUNDLE = "posts/2020-05-04_reading-a-png-header"
HEADER_BUNDLE_FRONT_MATTER = """---
uuid: 9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d
layout: post
title: Reading a PNG header by hand
slug: reading-a-png-header-by-hand
date: 2020-05-04T10:00:00.000Z
author: Jane Example
author_slug: jane-example
header_img: {header}
status: published
language: en_US
---

Eight magic bytes, then chunks.
"""


def write_bundle(root: Path, header: str, files: dict[str, bytes]) -> Path:
    """A site at `root` of one post bundle whose header_img is `header`, `files` beside it."""
    folder = root / HEADER_BUNDLE
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "index.md").write_text(HEADER_BUNDLE_FRONT_MATTER.format(header=header))
    return root


# --- Animations written by hand ---------------------------------------------------------------
# Pillow's writer merges identical frames and refuses delays it cannot write, so hostile
# GIFs are put together block by block (GIF89a: header, a two-colour palette, the NETSCAPE
# loop, then for each frame a graphic control extension, an image descriptor and its LZW data).


def gif_frame(width: int = 1, height: int = 1, delay_cs: int = 1, color: int = 0) -> bytes:
    """One GIF frame of one colour (0 black, 1 white) at the top left of the canvas, shown
    `delay_cs` hundredths of a second: 23 bytes for a 1×1 frame, so a 20 MB file holds
    some 900,000 of them."""
    control = b"\x21\xf9\x04\x00" + struct.pack("<H", delay_cs) + b"\x00\x00"
    descriptor = b"\x2c" + struct.pack("<HHHH", 0, 0, width, height) + b"\x00"
    return control + descriptor + _lzw_pixels(width * height, color)


def gif_file(frames: list[bytes], width: int = 1, height: int = 1, end: bytes = b";") -> bytes:
    """A GIF of these frames (`gif_frame`) on a `width`×`height` canvas; `end` is the
    trailer (leave it out to cut the file after the last frame)."""
    header = b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00"
    palette = b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return header + palette + loop + b"".join(frames) + end


def _lzw_pixels(pixels: int, color: int) -> bytes:
    """LZW data for `pixels` pixels of `color`, as "uncompressed GIF" writers make it: a
    clear code before every two pixels keeps every code three bits wide."""
    clear, end_of_data, code_bits = 4, 5, 3
    codes = []
    for start in range(0, pixels, 2):
        codes += [clear] + [color] * min(2, pixels - start)
    codes.append(end_of_data)
    # Codes are packed least significant bit first.
    value = sum(code << (position * code_bits) for position, code in enumerate(codes))
    packed = value.to_bytes((len(codes) * code_bits + 7) // 8, "little")
    blocks = b"".join(
        bytes([len(packed[i : i + 255])]) + packed[i : i + 255] for i in range(0, len(packed), 255)
    )
    return b"\x02" + blocks + b"\x00"


def tiny_animation(frames: int, image_format: str, duration: int = 10) -> bytes:
    """An animated WebP or PNG (APNG) of `frames` 1×1 frames, each shown `duration` ms.
    Neighbouring frames differ, so Pillow's writer keeps every one."""
    images = [Image.new("RGB", (1, 1), (index % 2 * 255, 0, 0)) for index in range(frames)]
    output = BytesIO()
    images[0].save(
        output,
        format=image_format,
        save_all=True,
        append_images=images[1:],
        duration=duration,
        loop=0,
        **({"lossless": True} if image_format == "WEBP" else {}),
    )
    return output.getvalue()


def phone_mpo(width: int = 40, height: int = 20, exif: Image.Exif | None = None) -> bytes:
    """A photo as phones save it (MPO): the JPEG photo, then a smaller second picture (a
    depth map or preview) in the same file."""
    output = BytesIO()
    photo = Image.new("RGB", (width, height), "teal")
    depth_map = Image.new("RGB", (width // 2, height // 2), "gray")
    options = {"exif": exif} if exif is not None else {}
    photo.save(output, format="MPO", save_all=True, append_images=[depth_map], **options)
    return output.getvalue()
