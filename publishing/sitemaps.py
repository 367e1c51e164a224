"""What the sitemaps share: the index pages' section and the base of the items' sections.

The sitemap is an index (/sitemap.xml) of sections (/sitemap-<section>.xml), each split
into pages of at most `limit` URLs (?p=2...), so that no response grows with the content.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

# URLs per page of a section (search engines accept up to 50,000): a page takes about a
# quarter of a millisecond per URL to build.
SECTION_SIZE = 1000


class SectionSitemap(Sitemap):
    """The site's index pages."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "blog:post_list", "talks:list", "people:list"]

    def location(self, item):
        return reverse(item)


class ItemSitemap(Sitemap):
    """Items of one kind, newest changes visible through `lastmod` (their `updated_at`).

    Subclasses return a queryset from `items()` that loads only what `location` and
    `lastmod` read (`.only()`), in a stable order (pages are slices of it)."""

    limit = SECTION_SIZE

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """The section's lastmod in the index: the latest change, counted by the database
        (Django's default calls `lastmod` on every item)."""
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]
