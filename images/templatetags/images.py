"""Template tags for responsive pictures: header images, list thumbnails and avatars."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.responsive import THUMBNAIL_SIZES, fill_picture, header_picture

register = template.Library()


def _picture_html(picture, alt: str, sizes: str, css_class: str, loading: str = "lazy") -> str:
    if picture is None:
        return ""
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" '
        'loading="{}" decoding="async"{}></picture>',
        picture.webp_srcset,
        sizes,
        picture.src,
        picture.srcset,
        sizes,
        picture.width,
        picture.height,
        alt,
        css_class,
        loading,
        mark_safe(' fetchpriority="high"') if loading == "eager" else "",
    )


@register.simple_tag
def header_image(item, sizes="(max-width: 46rem) 100vw, 46rem", css_class="header-image"):
    """The item's header image in every width it has, WebP first, with its alt text.

    Loaded eagerly: it is the first and largest thing a visitor sees on the page."""
    picture = header_picture(item)
    return _picture_html(picture, item.header_image_alt, sizes, css_class, loading="eager")


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
