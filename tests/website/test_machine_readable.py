"""Feeds, sitemap, robots.txt and calendars: parsed, absolute, and never leaking drafts."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from tests.factories import PostFactory, TalkFactory, days_ago
from tests.publishing.builders import sitemap_entries

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def content(now):
    return {
        "post": PostFactory(title="Streams in depth", body="Read **all** of it.", tags=["node"]),
        "draft": PostFactory(title="Secret draft", status="draft", tags=["node"]),
        "scheduled": PostFactory(title="Next week", date=now + datetime.timedelta(days=7)),
        "talk": TalkFactory(title="Streams live", latitude=53.35, longitude=-6.26),
        "upcoming": TalkFactory(title="Coming soon", date=now + datetime.timedelta(days=30)),
        "draft_talk": TalkFactory(title="Unannounced", status="draft"),
    }


def test_rss_feed_has_full_content_absolute_links_and_no_drafts(client, content, settings):
    response = client.get("/blog/feed/")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert [item.findtext("title") for item in items] == ["Streams in depth"]
    [item] = items
    assert item.findtext("link") == settings.SITE_URL + content["post"].get_absolute_url()
    assert "<strong>all</strong>" in item.findtext("description")
    assert [category.text for category in item.findall("category")] == ["node"]


def test_atom_feed_is_valid_atom_with_full_content(client, content, settings):
    root = ET.fromstring(client.get("/blog/atom/").content)

    assert root.tag == f"{ATOM}feed"
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Streams in depth"
    assert entry.find(f"{ATOM}link").get("href").startswith(settings.SITE_URL)
    assert "<strong>all</strong>" in entry.findtext(f"{ATOM}summary")


def test_tag_feed_lists_only_that_tags_published_posts(client, content):
    PostFactory(title="Other topic", tags=["rust"])
    channel = ET.fromstring(client.get("/blog/tags/node/feed/").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Streams in depth"]
    assert client.get("/blog/tags/unknown/feed/").status_code == 404


def test_feed_body_images_get_absolute_urls(client, now, settings):
    PostFactory(body='<img src="/media/images/x.png" alt="x"> and [a link](/speaking/)')
    description = (
        ET.fromstring(client.get("/blog/feed/").content)
        .find("channel/item")
        .findtext("description")
    )
    assert f'src="{settings.SITE_URL}/media/images/x.png"' in description
    assert f'href="{settings.SITE_URL}/speaking/"' in description


def test_talk_feed_lists_published_talks_upcoming_included(client, content):
    channel = ET.fromstring(client.get("/speaking/feed/").content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles[0].startswith("Coming soon")
    assert any(title.startswith("Streams live") for title in titles)
    assert not any(title.startswith("Unannounced") for title in titles)


def test_pages_advertise_their_feeds(client, content):
    page = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in page and 'href="/blog/feed/"' in page
    assert 'type="application/atom+xml"' in page and 'href="/speaking/feed/"' in page


def test_sitemap_lists_published_pages_with_lastmod_and_no_drafts(client, content, settings):
    urls = sitemap_entries(client)

    post_url = settings.SITE_URL.split("://")[1]
    assert any(loc.endswith(content["post"].get_absolute_url()) for loc in urls)
    assert any(loc.endswith(content["talk"].get_absolute_url()) for loc in urls)
    assert any(loc.endswith(content["upcoming"].get_absolute_url()) for loc in urls)
    for hidden in ("draft", "scheduled", "draft_talk"):
        assert not any(loc.endswith(content[hidden].get_absolute_url()) for loc in urls)
    post_path = content["post"].get_absolute_url()
    entry = next(url for loc, url in urls.items() if loc.endswith(post_path))
    assert entry.findtext(f"{SITEMAP}lastmod")
    assert all(post_url in loc for loc in urls)


def test_robots_txt_points_at_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    # The index, which lists every section of the sitemap.
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()


def test_talks_calendar_has_stable_uids_geo_and_urls(client, content, settings):
    calendar = Calendar.from_ical(client.get("/speaking/talks.ics").content)
    events = {event.get("summary").split(" (")[0]: event for event in calendar.walk("VEVENT")}

    assert set(events) == {"Streams live", "Coming soon"}
    streams = events["Streams live"]
    assert str(streams.get("uid")).startswith(str(content["talk"].uuid))
    assert streams.get("geo").latitude == pytest.approx(53.35)
    assert str(streams.get("url")) == settings.SITE_URL + content["talk"].get_absolute_url()
    assert "Dublin" in str(streams.get("location"))
    again = Calendar.from_ical(client.get("/speaking/talks.ics").content)
    assert [str(e.get("uid")) for e in again.walk("VEVENT")] == [
        str(e.get("uid")) for e in calendar.walk("VEVENT")
    ]


def test_a_talk_known_only_by_its_day_is_an_all_day_event(client, now):
    talk = TalkFactory(date=datetime.datetime(2023, 3, 16, tzinfo=datetime.UTC))
    [event] = Calendar.from_ical(client.get(f"/speaking/{talk.slug}.ics").content).walk("VEVENT")
    assert event.get("dtstart").dt == datetime.date(2023, 3, 16)
    assert event.get("dtend").dt == datetime.date(2023, 3, 17)


def test_a_timed_talk_is_a_timed_event(client, now):
    start = datetime.datetime(2023, 3, 16, 18, 30, tzinfo=datetime.UTC)
    talk = TalkFactory(date=start)
    [event] = Calendar.from_ical(client.get(f"/speaking/{talk.slug}.ics").content).walk("VEVENT")
    assert event.get("dtstart").dt == start


def test_the_calendar_of_a_draft_talk_is_not_found(client, content):
    assert client.get(f"/speaking/{content['draft_talk'].slug}.ics").status_code == 404


@pytest.mark.parametrize("path", ["/blog/feed/", "/blog/atom/", "/speaking/feed/", "/sitemap.xml"])
def test_feeds_and_sitemap_answer_304_when_unchanged(client, content, path):
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_detail_pages_send_last_modified_and_answer_304(client, content):
    url = content["post"].get_absolute_url()
    first = client.get(url)
    assert first["Last-Modified"] and first["ETag"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    talk = client.get(content["talk"].get_absolute_url())
    assert talk["Last-Modified"]


def test_old_talks_keep_appearing_in_order_in_the_feed(client, now):
    for days in (400, 200, 10):
        TalkFactory(title=f"Talk {days}", date=days_ago(days))
    channel = ET.fromstring(client.get("/speaking/feed/").content).find("channel")
    titles = [item.findtext("title").split(" (")[0] for item in channel.findall("item")]
    assert titles == ["Talk 10", "Talk 200", "Talk 400"]
