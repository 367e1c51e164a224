from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from images.og import CARD_CONTENT_TYPE
from images.views import site_card_content
from publishing.addresses import reversing_context
from publishing.site_url import site_url
from website.theme import accent_problem, theme_version

# The addresses every page links to in its header, footer and <head> (templates/base.html),
# by the name the template knows them by.
SITE_LINKS = {
    "home": "home",
    "blog": "blog:post_list",
    "blog_feed": "blog:feed",
    "blog_atom": "blog:atom",
    "talks": "talks:list",
    "talks_feed": "talks:feed",
    "talks_calendar": "talks:calendar",
    "people": "people:list",
    "search": "search:results",
}


def site(request):
    """Site name, URL, description, default social card (and the type of every card) and
    the addresses of the site's sections for every template."""
    origin = site_url()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": origin,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_CARD_URL": site_card_url(origin, settings.SITE_NAME, settings.SITE_DESCRIPTION),
        "SOCIAL_CARD_TYPE": CARD_CONTENT_TYPE,
        "SITE_LINKS": site_links(*reversing_context()),
        "SITE_LOGO": settings.SITE_LOGO,
        "SITE_THEME_URL": theme_url(settings.SITE_ACCENT, *reversing_context()),
    }


@lru_cache(maxsize=8)
def site_card_url(origin: str, name: str, description: str) -> str:
    """The default social card's address: the same for every request of a site (its
    version digests the name and description), so worked out once per setting."""
    return f"{origin}{reverse('images:og_site_card')}?v={site_card_content().key[:12]}"


@lru_cache(maxsize=8)
def site_links(script_prefix: str, urlconf: str) -> dict[str, str]:
    """The sections' addresses: the same for every request served under one script
    prefix and URLconf, so reversed once rather than about a dozen times a page."""
    return {key: reverse(name) for key, name in SITE_LINKS.items()}


@lru_cache(maxsize=8)
def theme_url(accent: str, script_prefix: str, urlconf: str) -> str:
    """The accent's stylesheet address, versioned by its content; empty without a usable
    accent (`manage.py check` says what is wrong with one that is not)."""
    if not accent or accent_problem(accent):
        return ""
    return f"{reverse('theme')}?v={theme_version(accent)}"
