from django.db.models import Max, Q

from blog.models import Post, Series
from publishing.sitemaps import SECTION_SIZE, ItemSitemap, Sitemap


class PostSitemap(ItemSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Post.objects.published().only("slug", "date", "updated_at").order_by("-date", "-pk")


class SeriesSitemap(Sitemap):
    """The series with a public post, changed when their latest public post changed."""

    changefreq = "monthly"
    priority = 0.5
    limit = SECTION_SIZE

    def items(self):
        public = Post.objects.published().values("pk")
        latest = Max("posts__updated_at", filter=Q(posts__pk__in=public))
        return (
            Series.objects.annotate(latest=latest)
            .filter(latest__isnull=False)
            .only("slug")
            .order_by("title", "pk")
        )

    def lastmod(self, series):
        return series.latest
