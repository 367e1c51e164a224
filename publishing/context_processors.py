from django.conf import settings
from django.urls import reverse

from publishing.site_url import site_url


def site(request):
    """Site name, URL, description and default social card for every template."""
    from images.views import site_card_content

    origin = site_url()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": origin,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_CARD_URL": f"{origin}{reverse('images:og_site_card')}"
        f"?v={site_card_content().key[:12]}",
    }
