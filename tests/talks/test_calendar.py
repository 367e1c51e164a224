"""The calendars: talks.ics holds upcoming talks and those of the last year, talks-all.ics
every talk; drafts are in neither."""

import datetime

import pytest
from icalendar import Calendar

from talks.calendar import CALENDAR_WINDOW, DESCRIPTION_LENGTH
from tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return [str(event.get("summary")).split(" (")[0] for event in events]


@pytest.fixture
def talks_around_the_window(now):
    TalkFactory(title="Just inside the window", date=now - CALENDAR_WINDOW + MINUTE)
    TalkFactory(title="At the window's edge", date=now - CALENDAR_WINDOW)
    TalkFactory(title="Just outside the window", date=now - CALENDAR_WINDOW - MINUTE)
    TalkFactory(title="Years ago", date=now - 10 * CALENDAR_WINDOW)
    TalkFactory(title="Yesterday", date=now - datetime.timedelta(days=1))
    TalkFactory(title="Next month", date=now + datetime.timedelta(days=30))
    TalkFactory(title="In two years", date=now + 2 * CALENDAR_WINDOW)
    TalkFactory(title="Draft of last week", status="draft", date=now - datetime.timedelta(days=7))
    TalkFactory(title="Old draft", status="draft", date=now - 3 * CALENDAR_WINDOW)
    TalkFactory(title="Draft to come", status="draft", date=now + datetime.timedelta(days=9))


def test_talks_calendar_holds_upcoming_talks_and_those_of_the_last_year_oldest_first(
    client, talks_around_the_window
):
    assert titles(client, "/speaking/talks.ics") == [
        "At the window's edge",
        "Just inside the window",
        "Yesterday",
        "Next month",
        "In two years",
    ]


def test_full_calendar_holds_every_published_talk_oldest_first(client, talks_around_the_window):
    assert titles(client, "/speaking/talks-all.ics") == [
        "Years ago",
        "Just outside the window",
        "At the window's edge",
        "Just inside the window",
        "Yesterday",
        "Next month",
        "In two years",
    ]


@pytest.mark.parametrize("url", ["/speaking/talks.ics", "/speaking/talks-all.ics"])
def test_no_calendar_lists_a_draft(client, talks_around_the_window, url):
    content = client.get(url).content.decode()
    assert "Draft" not in content


def test_a_talk_leaves_the_window_calendar_a_year_after_it_was_given(client, now, time_machine):
    TalkFactory(title="Streams", date=now)
    assert titles(client, "/speaking/talks.ics") == ["Streams"]
    time_machine.move_to(now + CALENDAR_WINDOW + MINUTE, tick=False)
    assert titles(client, "/speaking/talks.ics") == []
    assert titles(client, "/speaking/talks-all.ics") == ["Streams"]


def test_calendars_are_named_for_what_they_hold(client, now):
    assert 'filename="talks.ics"' in client.get("/speaking/talks.ics")["Content-Disposition"]
    full = client.get("/speaking/talks-all.ics")
    assert 'filename="talks-all.ics"' in full["Content-Disposition"]


def test_speaking_page_links_both_calendars(client, now):
    content = client.get("/speaking/").content.decode()
    assert 'href="/speaking/talks.ics"' in content
    assert 'href="/speaking/talks-all.ics"' in content


@pytest.mark.parametrize("url", ["/speaking/talks.ics", "/speaking/talks-all.ics"])
def test_calendars_query_count_does_not_grow_with_talks(
    client, now, url, django_assert_max_num_queries, no_page_cache
):
    def add(count: int) -> None:
        for index in range(count):
            TalkFactory(date=now - datetime.timedelta(days=index), tags=["node"])

    add(5)
    with django_assert_max_num_queries(2):
        client.get(url)
    add(45)
    with django_assert_max_num_queries(2):
        client.get(url)


def test_event_description_is_the_days_a_short_summary_and_the_link(client, now, settings):
    talk = TalkFactory(event_days="March 8-9 2024", meta_description="Streams. " * 100)
    [event] = Calendar.from_ical(client.get("/speaking/talks.ics").content).walk("VEVENT")
    days, summary, link = str(event.get("description")).split("\n\n")
    assert days == "8–9 March 2024"
    assert summary.startswith("Streams. Streams.") and summary.endswith("…")
    assert len(summary) <= DESCRIPTION_LENGTH
    assert link == settings.SITE_URL + talk.get_absolute_url()
