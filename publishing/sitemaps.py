import dataclasses
from urllib.parse import urlsplit

from django.contrib import sitemaps
from django.contrib.sitemaps import views
from django.urls import reverse

from publishing.site_url import site_scheme_and_host, site_url


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


class SectionSitemap(Sitemap):
    """The site's index pages."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "blog:post_list", "talks:list", "people:list"]

    def location(self, item):
        return reverse(item)
