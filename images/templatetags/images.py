"""Template tags for responsive pictures: header images, list thumbnails, avatars and the
images of bodies."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.responsive import (
    COLUMN_SIZES,
    THUMBNAIL_SIZES,
    body_with_pictures,
    fill_picture,
    header_picture,
    picture_html,
)

register = template.Library()


def _picture_html(picture, alt: str, sizes: str, css_class: str, loading: str = "lazy") -> str:
    if picture is None:
        return ""
    return picture_html(picture, alt=alt, sizes=sizes, css_class=css_class, loading=loading)


@register.simple_tag
def header_image(item, sizes=COLUMN_SIZES, css_class="header-image"):
    """The item's header image in every width it has, WebP first, with its alt text.

    Loaded eagerly: it is the first and largest thing a visitor sees on the page."""
    picture = header_picture(item)
    return _picture_html(picture, item.header_image_alt, sizes, css_class, loading="eager")


@register.simple_tag
def body_html(item):
    """The item's rendered body, its images shown through renditions. The first of them
    is loaded eagerly when there is no header image above it (`header_image`)."""
    first_loading = "lazy" if item.header_image else "eager"
    known = item.__dict__.get("_renditions")
    return mark_safe(body_with_pictures(item.body_html, first_loading=first_loading, known=known))


@register.simple_tag
def thumbnail(item, sizes="160px", css_class="card-thumb"):
    """A 16:9 crop of the item's header image around its focal point."""
    picture = fill_picture(item, THUMBNAIL_SIZES)
    return _picture_html(picture, item.header_image_alt, sizes, css_class)


@register.simple_tag
def avatar(person, size=48, css_class="avatar"):
    """A person's uploaded picture, cropped square; else their initial. Remote pictures
    (imported avatar URLs) are not shown: a page never asks another site for anything.

    The initial comes in the sizes static/css/site.css knows (40, 48 and 120 px)."""
    picture = fill_picture(person, ((size, size), (size * 2, size * 2)), field="avatar")
    if picture is None:
        initial = (person.name.strip()[:1] or "?").upper()
        # Sized by the stylesheet from data-size: pages allow no inline style (CSP).
        return format_html(
            '<span class="{} avatar-initial" data-size="{}" aria-hidden="true">{}</span>',
            css_class,
            size,
            initial,
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}px">'
        '<img src="{}" srcset="{}" sizes="{}px" width="{}" height="{}" alt="" class="{}" '
        'loading="lazy" decoding="async"></picture>',
        picture.webp_srcset,
        size,
        picture.src,
        picture.srcset,
        size,
        size,
        size,
        css_class,
    )
