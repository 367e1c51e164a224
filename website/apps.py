from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The site on top of the content apps: home page, sitemap sections, the links every
    page carries."""

    name = "website"
    verbose_name = "Website"

    def ready(self):
        from website import checks  # noqa: F401  (registers the system checks)
