"""What the sitemaps share: their base, the index view and the base of the items'
sections (the index pages' section is website.sitemaps).

The sitemap is an index (/sitemap.xml) of sections (/sitemap-<section>.xml), each split
into pages of at most `limit` URLs (?p=2...), so that no response grows with the content.
"""

import dataclasses
from urllib.parse import urlsplit

from django.contrib import sitemaps
from django.contrib.sitemaps import views
from django.db.models import Count, Max
from django.utils.functional import cached_property

from publishing.site_url import site_scheme_and_host, site_url

# URLs per page of a section (search engines accept up to 50,000): a page takes about a
# quarter of a millisecond per URL to build.
SECTION_SIZE = 1000


class Sitemap(sitemaps.Sitemap):
    """A sitemap whose <loc>s are on the site's address (publishing.site_url), not on the
    sites framework's stored domain."""

    def get_protocol(self, protocol=None):
        return site_scheme_and_host()[0]

    def get_domain(self, site=None):
        return site_scheme_and_host()[1]


def index(request, sitemaps, **kwargs):
    """Django's sitemap index view with each section's URL on the site's address: Django
    builds them on the sites framework's stored domain."""
    response = views.index(request, sitemaps, **kwargs)
    origin = site_url()
    response.context_data["sitemaps"] = [
        dataclasses.replace(
            entry,
            location=origin + urlsplit(entry.location)._replace(scheme="", netloc="").geturl(),
        )
        for entry in response.context_data["sitemaps"]
    ]
    return response


class ItemSitemap(Sitemap):
    """Items of one kind, newest changes visible through `lastmod` (their `updated_at`).

    Subclasses return a queryset from `items()` that loads only what `location` and
    `lastmod` read (`.only()`), in a stable order (pages are slices of it)."""

    limit = SECTION_SIZE

    def lastmod(self, item):
        return item.updated_at

    @cached_property
    def paginator(self):
        """One paginator, and one queryset, per request: Django builds them anew at each
        use, and building `Person.published()` costs more than running it."""
        return super().paginator

    def get_latest_lastmod(self):
        """The section's lastmod in the index: the latest change, found by the database
        (Django's default calls `lastmod` on every item), in the same query as the count
        of items the index needs for the section's pages."""
        totals = self.paginator.object_list.order_by().aggregate(
            latest=Max("updated_at"), count=Count("pk")
        )
        self.paginator.count = totals["count"]
        return totals["latest"]
