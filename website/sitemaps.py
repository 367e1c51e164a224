from django.urls import reverse

from publishing.sitemaps import Sitemap


class SectionSitemap(Sitemap):
    """The site's index pages."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "blog:post_list", "blog:tags", "talks:list", "people:list"]

    def location(self, item):
        return reverse(item)
