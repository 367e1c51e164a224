from django.contrib import sitemaps
from django.urls import reverse

from publishing.site_url import site_scheme_and_host


class Sitemap(sitemaps.Sitemap):
    """A sitemap whose <loc>s are on the site's address (publishing.site_url), not on the
    sites framework's stored domain."""

    def get_protocol(self, protocol=None):
        return site_scheme_and_host()[0]

    def get_domain(self, site=None):
        return site_scheme_and_host()[1]


class SectionSitemap(Sitemap):
    """The site's index pages."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "blog:post_list", "talks:list", "people:list"]

    def location(self, item):
        return reverse(item)
