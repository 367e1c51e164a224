"""What templates need to show an item's image: renditions and their srcset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from PIL import Image

from images.models import Rendition, Spec, make_rendition, responsive_specs, source_format
from images.processing import open_image

THUMBNAIL_SIZES = ((320, 180), (640, 360))
AVATAR_SIZES = (96, 192)


@dataclass(frozen=True)
class Picture:
    """An <img> (with a WebP <source>) ready to render."""

    src: str
    srcset: str
    webp_srcset: str
    width: int
    height: int


def prefetch_renditions(items: Iterable, field: str = "header_image") -> None:
    """Load the renditions of every item's image in one query (for list pages)."""
    items = list(items)
    names = {getattr(item, field).name for item in items if getattr(item, field)}
    found = Rendition.objects.for_sources(names)
    by_source: dict[str, dict[str, Rendition]] = {}
    for (source, spec), rendition in found.items():
        by_source.setdefault(source, {})[spec] = rendition
    for item in items:
        name = getattr(item, field).name
        if name:
            item.__dict__.setdefault("_renditions", {})[name] = by_source.get(name, {})


def _known(item, name: str) -> dict[str, Rendition]:
    cache = item.__dict__.setdefault("_renditions", {})
    if name not in cache:
        cache[name] = {r.spec: r for r in Rendition.objects.filter(source=name)}
    return cache[name]


def _picture(renditions: list[Rendition]) -> Picture | None:
    if not renditions:
        return None
    webp = sorted((r for r in renditions if r.spec.endswith(".webp")), key=lambda r: r.width)
    other = sorted((r for r in renditions if not r.spec.endswith(".webp")), key=lambda r: r.width)
    fallback = other or webp
    largest = fallback[-1]
    return Picture(
        src=largest.url,
        srcset=", ".join(f"{r.url} {r.width}w" for r in fallback),
        webp_srcset=", ".join(f"{r.url} {r.width}w" for r in webp),
        width=largest.width,
        height=largest.height,
    )


def _open(name: str):
    try:
        with default_storage.open(name, "rb") as handle:
            return open_image(handle.read())
    except (OSError, Image.DecompressionBombError, ValueError):
        return None  # a missing or unreadable file shows no picture, never an error page


def header_picture(item, field: str = "header_image") -> Picture | None:
    """Width renditions (WebP and the original format), never enlarged."""
    file = getattr(item, field)
    if not file:
        return None
    name = file.name
    known = _known(item, name)
    if not any(spec.startswith("width-") for spec in known):
        image = _open(name)
        if image is None:
            return None
        for spec in responsive_specs(image.width, source_format(name)):
            known[spec.key] = make_rendition(name, spec, image=image)
    return _picture([r for spec, r in known.items() if spec.startswith("width-")])


def fill_picture(item, sizes, field: str = "header_image") -> Picture | None:
    """Crops of the given (width, height) sizes around the item's focal point."""
    file = getattr(item, field)
    if not file:
        return None
    name = file.name
    focal_x = getattr(item, "focal_x", 0.5)
    focal_y = getattr(item, "focal_y", 0.5)
    specs = [
        Spec(width, height, image_format, focal_x, focal_y)
        for width, height in sizes
        for image_format in ("WEBP", source_format(name))
    ]
    known = _known(item, name)
    missing = [spec for spec in specs if spec.key not in known]
    if missing:
        image = _open(name)
        if image is None:
            return None
        for spec in missing:
            known[spec.key] = make_rendition(name, spec, image=image)
    return _picture([known[spec.key] for spec in specs])
