"""The talks feed: the newest talks (upcoming ones first), a bounded number of them in
full, in the same few queries however many talks there are and whatever their bodies
show."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talks.feeds import FEED_SIZE
from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory
from tests.images.builders import stored_image

pytestmark = pytest.mark.django_db


def feed_items(client) -> list[ET.Element]:
    response = client.get("/speaking/feed/")
    assert response.status_code == 200
    return ET.fromstring(response.content).find("channel").findall("item")


def talk_with_a_body_image(**fields):
    """A talk whose body shows a stored image, as an import leaves it."""
    talk = TalkFactory(body="Slides:\n\n![the first slide](slide.jpg)", **fields)
    talk.attachments.create(reference="slide.jpg", file=stored_image())
    talk.save()
    return talk


def test_feed_size_keeps_the_feed_small():
    assert 5 <= FEED_SIZE <= 20


def test_feed_carries_only_the_newest_talks_upcoming_first(client, now):
    for days in range(FEED_SIZE + 3):
        TalkFactory(title=f"Given {days} days ago", date=now - datetime.timedelta(days=days + 1))
    TalkFactory(title="Announced", date=now + datetime.timedelta(days=20))
    TalkFactory(title="Hidden", date=now + datetime.timedelta(days=30), status="draft")

    titles = [item.findtext("title").split(" (")[0] for item in feed_items(client)]

    expected = ["Announced"] + [f"Given {days} days ago" for days in range(FEED_SIZE - 1)]
    assert titles == expected


def test_feed_items_keep_their_full_description_and_absolute_links(client, now, settings):
    talk = TalkFactory(body="A talk about *streams*, in full.")
    item = feed_items(client)[0]
    assert "<em>streams</em>, in full." in item.findtext("description")
    assert item.findtext("link") == settings.SITE_URL + talk.get_absolute_url()


def test_body_images_are_shown_through_renditions(client, now, media_root):
    talk_with_a_body_image()
    description = feed_items(client)[0].findtext("description")
    assert "<picture>" in description
    assert "/media/renditions/" in description


@pytest.mark.usefixtures("no_page_cache")
def test_feed_runs_the_same_few_queries_for_5_and_50_talks(client, now, media_root):
    def add(count: int) -> None:
        for _ in range(count):
            talk = talk_with_a_body_image(author=PersonFactory(), tags=["python", "streams"])
            TalkGuestFactory(talk=talk)

    def queries() -> int:
        feed_items(client)  # renditions are made by the first view of a picture
        with CaptureQueriesContext(connection) as captured:
            feed_items(client)
        return len(captured)

    add(5)
    with_5 = queries()
    add(45)
    assert len(feed_items(client)) == FEED_SIZE
    assert queries() == with_5
    assert 0 < with_5 <= 8
