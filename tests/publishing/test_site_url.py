"""Absolute URLs name the address the site is served on, decided at request time: SITE_URL
when it is set, else the request's own scheme and host. Served on another port, canonical
links, social metadata, feeds, the sitemap, calendars and "View on site" follow."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps.views import sitemap
from django.contrib.sites.models import Site
from django.urls import path, reverse
from icalendar import Calendar

from config.urls import sitemaps
from config.urls import urlpatterns as site_urlpatterns
from publishing.sitemaps import index
from tests.factories import PersonFactory, PostFactory, TalkFactory, days_ago

pytestmark = pytest.mark.django_db

HOST = "localhost:8123"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(params=["from the request", "from SITE_URL"])
def origin(request, settings) -> str:
    """Where absolute URLs must point, for a site served at http://localhost:8123."""
    if request.param == "from SITE_URL":
        settings.SITE_URL = "https://www.example.org"
        return "https://www.example.org"
    settings.SITE_URL = ""
    return f"http://{HOST}"


@pytest.fixture
def content(now):
    author = PersonFactory(name="Ada", slug="ada")
    return {
        "post": PostFactory(title="Streams", slug="streams", author=author),
        "talk": TalkFactory(title="Live", slug="live", author=author, date=days_ago(3)),
        "person": author,
    }


def get(client, path: str):
    response = client.get(path, headers={"Host": HOST})
    assert response.status_code == 200, path
    return response


def meta(content: str, attribute: str, name: str) -> str:
    return re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', content)[1]


def canonical(content: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)"', content)[1]


def json_ld(content: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content)[1])


def test_pages_name_the_origin_in_canonical_open_graph_and_json_ld(client, content, origin):
    post_url = origin + content["post"].get_absolute_url()
    page = get(client, content["post"].get_absolute_url()).content.decode()

    assert canonical(page) == post_url
    assert meta(page, "property", "og:url") == post_url
    assert meta(page, "property", "og:image").startswith(f"{origin}/og/post/")
    data = json_ld(page)
    assert data["url"] == post_url
    assert data["author"][0]["url"] == origin + "/people/ada/"

    home = get(client, "/").content.decode()
    assert canonical(home) == origin + "/"
    person = get(client, content["person"].get_absolute_url()).content.decode()
    assert canonical(person) == origin + content["person"].get_absolute_url()


def test_feeds_link_to_the_origin(client, content, origin):
    channel = ET.fromstring(get(client, "/blog/feed/").content).find("channel")
    assert channel.findtext("link") == origin + reverse("blog:post_list")
    assert channel.find(f"{ATOM}link").get("href") == origin + reverse("blog:feed")
    assert [item.findtext("link") for item in channel.findall("item")] == [
        origin + content["post"].get_absolute_url()
    ]

    atom = ET.fromstring(get(client, "/blog/atom/").content)
    hrefs = [link.get("href") for link in atom.iter(f"{ATOM}link")]
    assert hrefs and all(href.startswith(origin + "/") for href in hrefs)

    talks = ET.fromstring(get(client, "/speaking/feed/").content).find("channel")
    assert talks.findtext("link") == origin + reverse("talks:list")
    assert [item.findtext("link") for item in talks.findall("item")] == [
        origin + content["talk"].get_absolute_url()
    ]


def test_the_sitemap_and_robots_txt_name_the_origin(client, content, origin):
    sitemap = ET.fromstring(get(client, "/sitemap.xml").content)
    sections = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert f"{origin}/sitemap-posts.xml" in sections
    posts = ET.fromstring(get(client, "/sitemap-posts.xml").content)
    locations = [*sections, *(loc.text for loc in posts.iter(f"{SITEMAP}loc"))]
    assert origin + content["post"].get_absolute_url() in locations
    assert all(location.startswith(origin + "/") for location in locations)

    robots = get(client, "/robots.txt").content.decode()
    assert f"Sitemap: {origin}/sitemap.xml" in robots


# The site's URLs with a sitemap index in front of per-section sitemaps.
urlpatterns = [
    path(
        "sitemap-index.xml",
        index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap-section"),
    *site_urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_sitemap_index_names_its_sections_on_the_origin(client, content, origin):
    sitemap_index = ET.fromstring(get(client, "/sitemap-index.xml").content)
    locations = [loc.text for loc in sitemap_index.iter(f"{SITEMAP}loc")]
    assert f"{origin}/sitemap-posts.xml" in locations
    assert all(location.startswith(origin + "/sitemap-") for location in locations)

    section = ET.fromstring(get(client, "/sitemap-posts.xml").content)
    assert [loc.text for loc in section.iter(f"{SITEMAP}loc")] == [
        origin + content["post"].get_absolute_url()
    ]


def test_calendar_events_are_on_the_origin(client, content, origin):
    calendar = Calendar.from_ical(get(client, "/speaking/talks.ics").content)
    [event] = calendar.walk("VEVENT")
    assert str(event["url"]) == origin + content["talk"].get_absolute_url()
    assert str(event["uid"]).endswith("@" + origin.split("://")[1])


def test_view_on_site_goes_to_the_origin(admin_client, content, origin):
    post = content["post"]
    change = admin_client.get(
        reverse("admin:blog_post_change", args=[post.pk]), headers={"Host": HOST}
    ).content.decode()
    link = re.search(r'href="([^"]+)" class="viewsitelink"', change)[1]
    assert link == origin + post.get_absolute_url()


def test_a_host_not_allowed_gets_a_400_and_no_page(client, settings, content):
    settings.SITE_URL = ""
    response = client.get(content["post"].get_absolute_url(), headers={"Host": "evil.test"})
    assert response.status_code == 400
    assert b"evil.test" not in response.content


def test_the_sites_framework_row_is_not_rewritten_from_the_settings(settings):
    # It only keys redirects now: migrate leaves Django's default domain alone.
    assert Site.objects.get(pk=settings.SITE_ID).domain == "example.com"
