"""Template helpers shared by the site's pages and feeds."""

import json
from html import escape

from django import template
from django.utils.html import mark_safe
from django.utils.safestring import SafeString

from publishing.addresses import slug_url
from publishing.kinds import kind_of
from publishing.markdown import TOC_MIN_HEADINGS, sections, with_heading_anchors
from publishing.markdown import absolute_urls as make_absolute
from publishing.markdown import plain_text as text_of
from publishing.related import related_entries
from publishing.site_url import site_url

register = template.Library()


@register.filter
def absolute_urls(html: str) -> str:
    """Rendered HTML (already sanitized by the pipeline) with site-absolute URLs."""
    return mark_safe(make_absolute(str(html), site_url()))


@register.filter
def plain_text(html: str) -> str:
    """The text of rendered HTML, entities decoded: the template escapes it once."""
    return text_of(str(html))


@register.filter
def json_ld(data: dict) -> str:
    """A JSON-LD <script> for structured data, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def heading_anchors(html: str) -> str:
    """Rendered HTML (already sanitized) with a link on each section heading."""
    return mark_safe(with_heading_anchors(str(html)))


@register.inclusion_tag("includes/table_of_contents.html")
def table_of_contents(item):
    """The item's sections, when it has enough of them to need a table of contents."""
    found = sections(item.body_html)
    if len(found) < TOC_MIN_HEADINGS:
        return {"sections": []}
    # Each h3 under the h2 before it (an h3 before any h2 stands on its own).
    outline: list[tuple] = []
    for section in found:
        if section.level == 3 and outline:
            outline[-1][1].append(section)
        else:
            outline.append((section, []))
    return {"sections": outline}


@register.simple_tag
def tag_links(tags) -> SafeString:
    """A list of links to the tags' pages; nothing without tags."""
    if not tags:
        return mark_safe("")
    links = "".join(
        f'<li><a href="{escape(slug_url("blog:tag", tag.slug, key="tag"))}">'
        f"{escape(tag.name)}</a></li>"
        for tag in tags
    )
    return mark_safe(f'<ul class="tags" aria-label="Tags">{links}</ul>')


@register.simple_tag
def card(item, level: int = 2) -> SafeString:
    """The item's card, whatever its kind (`Kind.card`), its title a heading of `level`."""
    return kind_of(type(item)).card(item, level=level)


@register.inclusion_tag("includes/related.html")
def related(item):
    """The published posts and talks that share most tags and people with the item."""
    return {"entries": related_entries(item)}
