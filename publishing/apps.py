from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from taggit.models import Tag

        from publishing import checks  # noqa: F401  (registers the system checks)
        from publishing.redirects import redirect_old_address, remember_public_address
        from publishing.slugs import give_tag_a_usable_slug

        pre_save.connect(give_tag_a_usable_slug, sender=Tag)
        # Any item whose address is its slug (posts, talks, people): senders are checked
        # in the receivers, as the kinds register after this app.
        pre_save.connect(remember_public_address, dispatch_uid="publishing:old-address")
        post_save.connect(redirect_old_address, dispatch_uid="publishing:old-address")
