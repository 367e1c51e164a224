from publishing.sitemaps import Sitemap
from talks.models import Talk


class TalkSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Talk.objects.published().order_by("-date")

    def lastmod(self, item):
        return item.updated_at
