"""What pages need to show images: renditions, their srcset and the <picture> markup, for
header images, thumbnails and the images of bodies.

A visitor never gets an image's stored file, only renditions (re-encoded, so without the
camera's metadata): the stored file is the original, kept for export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape

from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from PIL import Image

from images.models import Rendition, Spec, make_rendition, responsive_specs, source_format
from images.processing import open_image

THUMBNAIL_SIZES = ((320, 180), (640, 360))
AVATAR_SIZES = (96, 192)
# The width of the text column (.prose in static/css/site.css).
COLUMN_SIZES = "(max-width: 46rem) 100vw, 46rem"
COLUMN_PIXELS = 736
# Header pictures taller than 3:4 of their width are shown as a 2:1 banner, in these sizes.
TALLEST_HEADER = 3 / 4
BANNER_SIZES = ((COLUMN_PIXELS, COLUMN_PIXELS // 2), (COLUMN_PIXELS * 2, COLUMN_PIXELS))


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


def prefetch_page_renditions(item, field: str = "header_image") -> None:
    """Load the renditions of an item's image and of the images of its body in one query
    (for its detail page: `header_image` and `body_html` then make none of their own)."""
    file = getattr(item, field)
    names = stored_image_names(item.body_html) | ({file.name} if file else set())
    loaded: dict[str, dict[str, Rendition]] = {name: {} for name in names}
    for (source, spec), rendition in Rendition.objects.for_sources(names).items():
        loaded[source][spec] = rendition
    item.__dict__.setdefault("_renditions", {}).update(loaded)


def prefetch_body_renditions(items: Iterable, field: str = "header_image") -> None:
    """`prefetch_page_renditions` for a list of items shown whole (feeds): the renditions
    of their images and of the images of their bodies, in one query."""
    items = list(items)
    names = [
        stored_image_names(item.body_html)
        | ({file.name} if (file := getattr(item, field)) else set())
        for item in items
    ]
    found: dict[str, dict[str, Rendition]] = {}
    for (source, spec), rendition in Rendition.objects.for_sources(set().union(*names)).items():
        found.setdefault(source, {})[spec] = rendition
    for item, own in zip(items, names, strict=True):
        cache = item.__dict__.setdefault("_renditions", {})
        cache.update({name: found.get(name, {}) for name in own})


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


def width_picture(name: str, known: dict[str, Rendition]) -> Picture | None:
    """Width renditions (WebP and the original format, never enlarged) of the stored image
    `name`, made now if it has none yet; `known` holds its renditions already loaded and
    gets the new ones. None when the stored file cannot be read."""
    if not any(spec.startswith("width-") for spec in known):
        image = _open(name)
        if image is None:
            return None
        for spec in responsive_specs(image.width, source_format(name)):
            known[spec.key] = make_rendition(name, spec, image=image)
    return _picture([r for spec, r in known.items() if spec.startswith("width-")])


def header_picture(item, field: str = "header_image") -> Picture | None:
    """Width renditions (WebP and the original format), never enlarged; a banner crop
    around the focal point for a picture taller than `TALLEST_HEADER` (a portrait above the
    title would push the title off the screen)."""
    file = getattr(item, field)
    if not file:
        return None
    picture = width_picture(file.name, _known(item, file.name))
    if picture is not None and picture.height > picture.width * TALLEST_HEADER:
        return fill_picture(item, BANNER_SIZES, field)
    return picture


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


# --- Markup -------------------------------------------------------------------------------


def picture_html(
    picture: Picture,
    *,
    alt: str,
    sizes: str,
    css_class: str = "",
    loading: str = "lazy",
    width: int | None = None,
    height: int | None = None,
    attributes: Iterable[tuple[str, str]] = (),
) -> SafeString:
    """A <picture>: the WebP renditions as a <source>, the others in its <img>.

    `loading` is "eager" for the first picture of a page, which also gets high fetch
    priority (it is what a visitor sees first), "lazy" for every other. `width`/`height`
    default to the largest rendition's; `attributes` are more (name, value) pairs for the
    <img>."""
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{} '
        'loading="{}" decoding="async"{}></picture>',
        picture.webp_srcset,
        sizes,
        picture.src,
        picture.srcset,
        sizes,
        width or picture.width,
        height or picture.height,
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
        format_html_join("", ' {}="{}"', attributes),
        loading,
        mark_safe(' fetchpriority="high"') if loading == "eager" else "",
    )


# --- Images of bodies ----------------------------------------------------------------------

# Stored HTML names an image attachment by this pseudo-URL instead of a URL: the image is
# only ever shown through renditions, made the first time a page shows it (as header
# images are), and HTML shown without `body_with_pictures` has a missing image, never a
# link to the original. The sanitizer drops any URL with this scheme from Markdown, so
# only `Publishable.render` writes it.
STORED_IMAGE_SCHEME = "stored-image:"

# Rendered HTML has been through the sanitizer: double-quoted, escaped attribute values.
_STORED_IMAGE_RE = re.compile(r' (src|href|poster)="stored-image:([^"]*)"')
_IMG_RE = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE_RE = re.compile(r'([a-z-]+)="([^"]*)"')
# What an <img> of a body keeps besides its picture (publishing.markdown's allowlist).
_KEPT_IMG_ATTRIBUTES = ("title", "lang", "dir")


def stored_image_url(name: str) -> str:
    """The pseudo-URL stored HTML uses for the stored image `name`."""
    return STORED_IMAGE_SCHEME + name


def _pixels(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 100_000 else None


def _body_picture(picture: Picture, attributes: dict[str, str], loading: str) -> str:
    """The <picture> for a body's <img>, with the author's alt text, class, title and
    size: a width or height given alone keeps the image's aspect ratio."""
    width, height = _pixels(attributes.get("width")), _pixels(attributes.get("height"))
    if width and not height:
        height = max(1, round(width * picture.height / picture.width))
    elif height and not width:
        width = max(1, round(height * picture.width / picture.height))
    shown = width or picture.width
    sizes = COLUMN_SIZES if shown >= COLUMN_PIXELS else f"(max-width: {shown}px) 100vw, {shown}px"
    return picture_html(
        picture,
        alt=unescape(attributes.get("alt", "")),
        sizes=sizes,
        css_class=unescape(attributes.get("class", "")),
        loading=loading,
        width=width,
        height=height,
        attributes=[
            (name, unescape(attributes[name]))
            for name in _KEPT_IMG_ATTRIBUTES
            if name in attributes
        ],
    )


def stored_image_names(html: str) -> set[str]:
    """The stored images rendered HTML shows."""
    return {unescape(name) for _, name in _STORED_IMAGE_RE.findall(html)}


def body_with_pictures(
    html: str,
    *,
    first_loading: str = "lazy",
    known: dict[str, dict[str, Rendition]] | None = None,
) -> str:
    """Rendered HTML with each stored image shown through its renditions.

    An <img> becomes a <picture> (WebP and the original format, srcset, width and height;
    lazy, but `first_loading` for the first one); a link or video poster to a stored image
    points at its largest rendition. Renditions are loaded in one query and made for
    images that have none yet (`known`: renditions already loaded, by source, as
    `prefetch_page_renditions` leaves them). An image whose file cannot be read is left
    out, with its alt text in its place.
    """
    names = stored_image_names(html)
    if not names:
        return html
    known = known or {}
    if names <= known.keys():
        loaded = {name: known[name] for name in names}
    else:
        loaded = {name: {} for name in names}
        for (source, spec), rendition in Rendition.objects.for_sources(names).items():
            loaded[source][spec] = rendition
    pictures = {name: width_picture(name, known) for name, known in loaded.items()}
    loading = first_loading

    def picture_for_img(match: re.Match[str]) -> str:
        nonlocal loading
        attributes = dict(_ATTRIBUTE_RE.findall(match.group(1)))
        src = attributes.get("src", "")
        if not src.startswith(STORED_IMAGE_SCHEME):
            return match.group(0)
        picture = pictures[unescape(src.removeprefix(STORED_IMAGE_SCHEME))]
        if picture is None:
            return attributes.get("alt", "")  # still escaped, as the sanitizer wrote it
        html, loading = _body_picture(picture, attributes, loading), "lazy"
        return html

    def largest_rendition(match: re.Match[str]) -> str:
        picture = pictures[unescape(match.group(2))]
        if picture is None:
            return ""  # an attribute without a usable value goes
        return format_html(' {}="{}"', match.group(1), picture.src)

    html = _IMG_RE.sub(picture_for_img, html)
    return _STORED_IMAGE_RE.sub(largest_rendition, html)
