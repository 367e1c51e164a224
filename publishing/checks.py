"""System checks for the settings a production site needs."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Production names its one public address: without it, absolute URLs (feeds, sitemaps,
    canonical links, cached pages) would follow whatever host a request came in on."""
    if settings.SITE_URL or settings.DEBUG:
        return []
    return [
        checks.Error(
            "SITE_URL is not set.",
            hint="Set SITE_URL to the site's public origin, e.g. https://www.example.org.",
            id="publishing.E001",
        )
    ]
