from blog.models import Post
from publishing.sitemaps import ItemSitemap


class PostSitemap(ItemSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Post.objects.published().only("slug", "date", "updated_at").order_by("-date", "-pk")
