from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


def sync_site(sender, using="default", **kwargs):
    """Keep the sites framework's Site (used by redirects and sitemaps) in line with the
    SITE_URL and SITE_NAME settings."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from taggit.models import Tag

        from publishing.slugs import give_tag_a_usable_slug

        post_migrate.connect(sync_site, sender=self)
        pre_save.connect(give_tag_a_usable_slug, sender=Tag)
