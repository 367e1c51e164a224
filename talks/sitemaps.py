from publishing.sitemaps import ItemSitemap
from talks.models import Talk


class TalkSitemap(ItemSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Talk.objects.published().only("slug", "updated_at").order_by("-date", "-pk")
