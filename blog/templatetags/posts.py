"""The post card of lists (blog index, tag pages, year archives, home, person pages) and
the tag links of cards and post pages.

Rendered in Python: a page shows ten to twenty cards, and as a template each card cost
more in variable look-ups and `{% url %}` than the rest of the page. Every value a post,
its author or its tags bring is escaped here with `html.escape` (what Django's `escape()`
does, without its lazy-string wrapper on each call)."""

from html import escape

from django import template
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from images.templatetags.images import thumbnail
from publishing.addresses import slug_url
from publishing.templatetags.publishing import tag_links

register = template.Library()

SUMMARY_WORDS = 40


@register.simple_tag
def post_card(post, level: int = 2) -> SafeString:
    """A post's card: thumbnail, linked title (a heading of that level), date, author,
    summary and tags."""
    date = template_localtime(post.date)
    author = post.author
    summary = post.summary
    by = (
        f' · <a href="{escape(slug_url("people:detail", author.slug))}">{escape(author.name)}</a>'
        if author
        else ""
    )
    if summary:
        summary = f"<p>{escape(Truncator(summary).words(SUMMARY_WORDS, truncate=' …'))}</p>"
    return mark_safe(
        f'<article class="card">\n  {thumbnail(post)}\n  <div>\n'
        f'    <h{level} class="card-title"><a href="{escape(post.get_absolute_url())}">'
        f"{escape(post.title)}</a></h{level}>\n"
        '    <p class="meta">\n'
        f'      <time datetime="{date.isoformat()}">{date.day} {MONTHS[date.month]} {date.year}'
        "</time>\n"
        f"      {by}\n"
        "    </p>\n"
        f"    {summary}\n"
        f"    {tag_links(post.tag_list)}\n"
        "  </div>\n"
        "</article>\n"
    )
