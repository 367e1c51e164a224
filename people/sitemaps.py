from people.models import Person
from publishing.sitemaps import Sitemap


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Person.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at
