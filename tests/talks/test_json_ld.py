"""The talk page's JSON-LD: a schema.org Event, read back from the page as search engines do."""

import datetime
import json
import re

import pytest

from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory

pytestmark = pytest.mark.django_db


def json_ld(client, talk) -> dict:
    content = client.get(talk.get_absolute_url()).content.decode()
    head = content[: content.index("</head>")]
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    return json.loads(script)


def test_talk_is_an_event_with_name_date_url_description_and_image(client, settings):
    talk = TalkFactory(
        title="Streams & <backpressure>",
        date=datetime.datetime(2019, 3, 5, 19, 30, tzinfo=datetime.UTC),
        meta_description="Streams, explained.",
        presentation_language="it_IT",
    )
    data = json_ld(client, talk)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Streams & <backpressure>"
    assert data["startDate"] == "2019-03-05T19:30:00+00:00"
    assert data["url"] == settings.SITE_URL + talk.get_absolute_url()
    assert data["description"] == "Streams, explained."
    assert data["image"] == talk.social_card_url
    assert data["inLanguage"] == "it-IT"


def test_talk_known_only_by_its_day_starts_on_that_day(client):
    talk = TalkFactory(date=datetime.datetime(2017, 1, 26, tzinfo=datetime.UTC))
    assert json_ld(client, talk)["startDate"] == "2017-01-26"


def test_json_ld_cannot_close_its_script_element(client):
    talk = TalkFactory(title="</script><script>alert(1)</script>")
    content = client.get(talk.get_absolute_url()).content.decode()
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert "<" not in script
    assert json.loads(script)["name"] == "</script><script>alert(1)</script>"


def test_remote_talk_happens_at_a_virtual_location_with_the_event_link(client):
    talk = TalkFactory(
        event_city="remote", event_link="https://events.example/online", latitude=None
    )
    data = json_ld(client, talk)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://events.example/online",
    }


def test_remote_talk_without_an_event_link_points_at_its_own_page(client):
    talk = TalkFactory(event_city="Online", event_link="ttps://typo.example")
    assert json_ld(client, talk)["location"]["url"] == talk.site_url


def test_talk_in_person_happens_at_a_place_with_coordinates(client):
    talk = TalkFactory(
        event_location="Workday, Kings Building",
        event_city="Dublin, Ireland",
        latitude=53.3478343,
        longitude=-6.2776726,
    )
    data = json_ld(client, talk)
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Workday, Kings Building",
        "address": "Dublin, Ireland",
        "geo": {"@type": "GeoCoordinates", "latitude": 53.3478343, "longitude": -6.2776726},
    }


def test_place_without_coordinates_has_no_geo(client):
    talk = TalkFactory(event_city="Milan, Italy", event_location="", latitude=None)
    location = json_ld(client, talk)["location"]
    assert location == {"@type": "Place", "name": "Milan, Italy", "address": "Milan, Italy"}


def test_speaker_and_guests_are_performers_in_order(client, settings):
    speaker = PersonFactory(name="Ada", slug="ada", link="https://ada.example")
    talk = TalkFactory(author=speaker)
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Cleo", slug="cleo"), position=2)
    TalkGuestFactory(
        talk=talk,
        person=PersonFactory(name="Bea", slug="bea"),
        position=1,
        link="https://bea.example",
    )
    performers = json_ld(client, talk)["performer"]
    assert performers == [
        {
            "@type": "Person",
            "name": "Ada",
            "url": f"{settings.SITE_URL}/people/ada/",
            "sameAs": "https://ada.example",
        },
        {
            "@type": "Person",
            "name": "Bea",
            "url": f"{settings.SITE_URL}/people/bea/",
            "sameAs": "https://bea.example",
        },
        {"@type": "Person", "name": "Cleo", "url": f"{settings.SITE_URL}/people/cleo/"},
    ]


def test_the_conference_is_the_super_event_on_its_days(client):
    talk = TalkFactory(
        event_name="NodeConf EU",
        event_link="https://www.nodeconf.eu/",
        event_days="Sep 30 - Oct 2, 2024",
    )
    assert json_ld(client, talk)["superEvent"] == {
        "@type": "Event",
        "name": "NodeConf EU",
        "url": "https://www.nodeconf.eu/",
        "startDate": "2024-09-30",
        "endDate": "2024-10-02",
    }


def test_the_super_event_has_no_days_when_they_cannot_be_read(client):
    talk = TalkFactory(event_name="NodeConf EU", event_days="Autumn 2024")
    assert json_ld(client, talk)["superEvent"] == {"@type": "Event", "name": "NodeConf EU"}


def test_talk_without_event_author_or_place_leaves_those_out(client):
    talk = TalkFactory(author=None, event_name="", event_city="", event_location="", latitude=None)
    data = json_ld(client, talk)
    assert "performer" not in data
    assert "superEvent" not in data
    assert "location" not in data


def test_talk_page_renders_one_json_ld_script(client):
    content = client.get(TalkFactory().get_absolute_url()).content.decode()
    assert content.count('<script type="application/ld+json">') == 1
