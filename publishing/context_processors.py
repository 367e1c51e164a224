from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from publishing.site_url import site_url


def site(request):
    """Site name, URL, description and default social card for every template."""
    origin = site_url()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": origin,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_CARD_URL": site_card_url(origin, settings.SITE_NAME, settings.SITE_DESCRIPTION),
    }


@lru_cache(maxsize=8)
def site_card_url(origin: str, name: str, description: str) -> str:
    """The default social card's address: the same for every request of a site (its
    version digests the name and description), so worked out once per setting."""
    from images.views import site_card_content

    return f"{origin}{reverse('images:og_site_card')}?v={site_card_content().key[:12]}"
