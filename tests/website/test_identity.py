"""The site's identity comes from settings: an accent colour that stays readable in light
and dark, and a logo from this site."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from website.context_processors import theme_url
from website.theme import DARK_BACKGROUND, LIGHT_BACKGROUND, contrast, dark_shade

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_theme_url():
    theme_url.cache_clear()
    yield
    theme_url.cache_clear()


def test_without_an_accent_pages_link_no_theme_stylesheet(client, settings):
    settings.SITE_ACCENT = ""

    assert "/theme.css" not in client.get("/").content.decode()
    assert client.get("/theme.css").status_code == 404


def test_an_accent_reaches_every_page_through_a_versioned_stylesheet(client, settings):
    settings.SITE_ACCENT = "#8B1E3F"

    page = client.get("/").content.decode()
    response = client.get("/theme.css")

    assert '<link rel="stylesheet" href="/theme.css?v=' in page
    assert response["Content-Type"] == "text/css"
    assert "immutable" in response["Cache-Control"]
    css = response.content.decode()
    assert ":root { --accent: #8b1e3f;" in css
    assert f"--accent: {dark_shade('#8b1e3f')};" in css


@pytest.mark.parametrize("accent", ["#0b5cad", "#8b1e3f", "#006400", "#000000", "#5a2ca0"])
def test_the_dark_shade_of_an_accent_reads_at_aa_contrast(accent):
    assert contrast(accent, LIGHT_BACKGROUND) >= 4.5
    assert contrast(dark_shade(accent), DARK_BACKGROUND) >= 4.5


@pytest.mark.parametrize(
    ("accent", "message"),
    [
        ("red", "SITE_ACCENT must be a colour like #0b5cad, not 'red'."),
        ("#ffd700", "SITE_ACCENT #ffd700 has a contrast of 1.4:1 on the page background"),
        ("#12345", "SITE_ACCENT must be a colour like #0b5cad"),
    ],
)
def test_an_unreadable_or_malformed_accent_stops_the_checks(settings, accent, message):
    settings.SITE_ACCENT = accent

    with pytest.raises(SystemCheckError, match=message.replace("(", r"\(")):
        call_command("check")


def test_the_logo_shows_beside_the_site_name(client, settings):
    settings.SITE_LOGO = "/static/logo.svg"

    content = client.get("/").content.decode()

    assert '<img class="site-logo" src="/static/logo.svg" alt="" width="32" height="32">' in (
        content
    )


@pytest.mark.parametrize("logo", ["https://cdn.example.org/logo.png", "//evil.example/x.svg"])
def test_a_logo_from_another_site_stops_the_checks(settings, logo):
    settings.SITE_LOGO = logo

    with pytest.raises(SystemCheckError, match="SITE_LOGO must be a path on this site"):
        call_command("check")


@pytest.mark.parametrize("accent", ["blue", "#abc", "#0b5cad; } body { display: none"])
def test_an_unusable_accent_leaves_pages_in_the_default_theme(client, settings, accent):
    settings.SITE_ACCENT = accent

    response = client.get("/")

    assert response.status_code == 200
    assert "/theme.css" not in response.content.decode()
    assert client.get("/theme.css").status_code == 404
