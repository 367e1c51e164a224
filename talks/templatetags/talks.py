"""The talk card of lists (speaking archive, home, person pages), rendered in Python: the
speaking archive shows fifty and more, and as an included template each card cost more
than the rest of the page. Values are escaped with `html.escape`, as in
blog/templatetags/posts.py."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag
def talk_card(talk, level: int = 3) -> SafeString:
    """A talk's card: linked title (a heading of that level: the speaking archive lists
    talks under each year's heading), workshop badge, date (`Talk.when`, the days as
    written in its tooltip when they differ), event and city."""
    date = template_localtime(talk.date)
    badge = ' <span class="badge">Workshop</span>' if talk.is_workshop else ""
    event = f" · {escape(talk.event_name)}" if talk.event_name else ""
    city = f" · {escape(talk.event_city)}" if talk.event_city else ""
    written = talk.when_as_written
    title = f' title="{escape(written)}"' if written else ""
    return mark_safe(
        '<article class="card talk-card">\n  <div>\n'
        f'    <h{level} class="card-title"><a href="{escape(talk.get_absolute_url())}">'
        f"{escape(talk.title)}</a>{badge}</h{level}>\n"
        '    <p class="meta">\n'
        f'      <time datetime="{date.isoformat()}"{title}>{escape(talk.when)}</time>\n'
        f"      {event}\n"
        f"      {city}\n"
        "    </p>\n  </div>\n</article>\n"
    )
