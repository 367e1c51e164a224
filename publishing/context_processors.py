from django.conf import settings
from django.urls import reverse


def site(request):
    """Site name, URL, description and default social card for every template."""
    from images.views import site_card_content

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_CARD_URL": f"{settings.SITE_URL}{reverse('images:og_site_card')}"
        f"?v={site_card_content().key[:12]}",
    }
