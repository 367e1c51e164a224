"""What the site's RSS and Atom feeds share."""

from django.contrib.syndication.views import Feed

from publishing.site_url import absolute_url
from publishing.text import without_control_characters


class CleanTextFeed(Feed):
    """A feed that one control character in one row cannot take down.

    Django's XML writer raises on the characters XML 1.0 cannot hold (publishing.text).
    Input paths strip them, but a row may have been written another way (a bulk update,
    the shell, an older version): every value of the feed is cleaned once it is built,
    titles, bodies, names and categories alike.

    Links are full URLs on the site's address (publishing.site_url): Django would otherwise
    complete a path with the sites framework's stored domain. Each feed's `link` and
    `feed_url` return them through `absolute_url()`.
    """

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = without_control_characters(feed.feed)
        feed.items = without_control_characters(feed.items)
        return feed
