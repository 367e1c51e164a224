from blog.models import Post
from publishing.sitemaps import Sitemap


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Post.objects.published().order_by("-date")

    def lastmod(self, item):
        return item.updated_at
