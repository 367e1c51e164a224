from people.models import Person
from publishing.sitemaps import ItemSitemap


class PersonSitemap(ItemSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Person.objects.published().only("slug", "updated_at").order_by("slug", "pk")
