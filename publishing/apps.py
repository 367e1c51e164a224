from django.apps import AppConfig
from django.db.models.signals import pre_save


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from taggit.models import Tag

        from publishing import checks  # noqa: F401  (registers the system checks)
        from publishing.slugs import give_tag_a_usable_slug

        pre_save.connect(give_tag_a_usable_slug, sender=Tag)
