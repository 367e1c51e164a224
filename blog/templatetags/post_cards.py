"""The post card of lists (blog index, tag pages, year archives, home, person pages).

Rendered in Python: a page shows ten to twenty cards, and as a template each card cost
more in variable look-ups and `{% url %}` than the rest of the page."""

from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from images.templatetags.images import thumbnail
from publishing.addresses import slug_url

register = template.Library()

SUMMARY_WORDS = 40


@register.simple_tag
def post_card(post) -> SafeString:
    """A post's card: thumbnail, linked title, date, author, summary and tags, escaped."""
    date = template_localtime(post.date)
    author = post.author
    summary = post.summary
    tags = post.card_tags
    return format_html(
        '<article class="card">\n  {}\n  <div>\n'
        '    <h2 class="card-title"><a href="{}">{}</a></h2>\n'
        '    <p class="meta">\n'
        '      <time datetime="{}">{} {} {}</time>\n'
        "      {}\n"
        "    </p>\n"
        "    {}\n"
        "    {}\n"
        "  </div>\n"
        "</article>\n",
        thumbnail(post),
        post.get_absolute_url(),
        post.title,
        date.isoformat(),
        date.day,
        MONTHS[date.month],
        date.year,
        format_html(' · <a href="{}">{}</a>', slug_url("people:detail", author.slug), author.name)
        if author
        else "",
        format_html("<p>{}</p>", Truncator(summary).words(SUMMARY_WORDS, truncate=" …"))
        if summary
        else "",
        format_html(
            '<ul class="tags" aria-label="Tags">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((slug_url("blog:tag", tag.slug, key="tag"), tag.name) for tag in tags),
            ),
        )
        if tags
        else "",
    )
