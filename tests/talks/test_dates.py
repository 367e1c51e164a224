"""A talk's event days: read from the free text of `event_days` when it names days
unambiguously (talks.dates), shown in the format of posts' dates everywhere, the text as
written kept in a tooltip, and shown as written when it cannot be read."""

import datetime
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from images.og import card_for
from talks.dates import DayRange, format_day_range, parse_event_days
from talks.models import Talk
from tests.factories import TalkFactory

day = datetime.date

# One example of each shape of `event_days` in /work/shared/FORMATS.md and the corpus it
# describes, then the shapes a range may take that the corpus has no example of.
READ = [
    # Month first, with or without a comma, a leading zero, a short or long name.
    ("April 9 2019", day(2019, 4, 9), day(2019, 4, 9)),
    ("April 09 2019", day(2019, 4, 9), day(2019, 4, 9)),
    ("April 9, 2019", day(2019, 4, 9), day(2019, 4, 9)),
    ("Apr 9, 2019", day(2019, 4, 9), day(2019, 4, 9)),
    ("Sep 05, 2022", day(2022, 9, 5), day(2022, 9, 5)),
    ("Sept 5, 2022", day(2022, 9, 5), day(2022, 9, 5)),
    # Day first, the comma before the year.
    ("5 Sep, 2022", day(2022, 9, 5), day(2022, 9, 5)),
    ("5 September, 2022", day(2022, 9, 5), day(2022, 9, 5)),
    ("5 September 2022", day(2022, 9, 5), day(2022, 9, 5)),
    # Days of one month.
    ("November 3-5 2016", day(2016, 11, 3), day(2016, 11, 5)),
    ("June 02-03 2018", day(2018, 6, 2), day(2018, 6, 3)),
    ("Oct 3-4, 2022", day(2022, 10, 3), day(2022, 10, 4)),
    ("3-4 October, 2022", day(2022, 10, 3), day(2022, 10, 4)),
    # Across months.
    ("September 30 - October 2 2024", day(2024, 9, 30), day(2024, 10, 2)),
    ("30 September - 2 October 2024", day(2024, 9, 30), day(2024, 10, 2)),
    # Across years: the first day takes the year before the last day's.
    ("30 December 2024 - 2 January 2025", day(2024, 12, 30), day(2025, 1, 2)),
    ("Dec 30 - Jan 2, 2025", day(2024, 12, 30), day(2025, 1, 2)),
    # Other dashes, words and spellings of the same shapes.
    ("Oct 3–4, 2022", day(2022, 10, 3), day(2022, 10, 4)),
    ("3 to 4 October 2022", day(2022, 10, 3), day(2022, 10, 4)),
    ("Oct. 3, 2022", day(2022, 10, 3), day(2022, 10, 3)),
    ("3rd October 2022", day(2022, 10, 3), day(2022, 10, 3)),
    ("October 1st, 2022", day(2022, 10, 1), day(2022, 10, 1)),
    ("  october 3 2022 ", day(2022, 10, 3), day(2022, 10, 3)),
    ("2022-10-03", day(2022, 10, 3), day(2022, 10, 3)),
]


@pytest.mark.parametrize(("text", "start", "end"), READ)
def test_event_days_are_read_in_every_shape(text, start, end):
    assert parse_event_days(text, near=day(2020, 6, 1)) == DayRange(start, end)


@pytest.mark.parametrize(
    ("text", "near", "start", "end"),
    [
        ("March 8", day(2024, 3, 8), day(2024, 3, 8), day(2024, 3, 8)),
        ("8-9 March", day(2024, 3, 9), day(2024, 3, 8), day(2024, 3, 9)),
        # A talk dated on either side of the new year: the same event.
        ("Dec 30 - Jan 2", day(2024, 12, 31), day(2024, 12, 30), day(2025, 1, 2)),
        ("Dec 30 - Jan 2", day(2025, 1, 2), day(2024, 12, 30), day(2025, 1, 2)),
        # A talk dated in January of a text in late December: the December before.
        ("December 30", day(2025, 1, 3), day(2024, 12, 30), day(2024, 12, 30)),
        # The talk's date a few days off still finds the year.
        ("March 8", day(2024, 3, 20), day(2024, 3, 8), day(2024, 3, 8)),
        ("February 29", day(2024, 2, 28), day(2024, 2, 29), day(2024, 2, 29)),
    ],
)
def test_event_days_without_a_year_take_the_year_nearest_the_talk(text, near, start, end):
    assert parse_event_days(text, near=near) == DayRange(start, end)


def test_event_days_without_a_year_are_not_read_without_the_talk_date():
    assert parse_event_days("March 8-9") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "TBD",
        "Autumn 2022",
        # A month or a year is not a day.
        "October 2022",
        "2022",
        # Lists of days: a range would claim the days between.
        "October 3, 5 2022",
        "3 & 5 October 2022",
        "October 3 and 5, 2022",
        "Oct 3 - 4 - 5, 2022",
        # Numbers only: day or month first depends on the country.
        "03/10/2022",
        "3.10.2022",
        "2022-13-01",
        # Days that do not exist, or not in that order.
        "October 32 2022",
        "February 29 2023",
        "October 5-3 2022",
        "2 January 2025 - 30 December 2024",
        # Longer than an event, more likely a typo in a month or year.
        "October 1 - December 1 2022",
        "30 December 2024 - 2 January 2026",
        # Outside the years the site accepts (publishing.dates).
        "March 3 1850",
        "March 3 22022",
        # Other words, weekdays included: they are not checked against the day.
        "Monday, October 3 2022",
        "Octobre 3 2022",
        "October 3 2022 at 18:00",
        "October 3 '22",
        "3th2 October 2022",
    ],
)
def test_text_that_does_not_name_days_unambiguously_is_not_read(text):
    assert parse_event_days(text, near=day(2022, 10, 3)) is None


@given(st.text(max_size=40))
def test_reading_any_text_never_raises(text):
    days = parse_event_days(text, near=day(2024, 3, 8))
    assert days is None or days.start <= days.end


# --- One format, posts' format -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (day(2025, 6, 25), day(2025, 6, 25), "25 June 2025"),
        (day(2024, 3, 19), day(2024, 3, 20), "19–20 March 2024"),
        (day(2024, 9, 30), day(2024, 10, 2), "30 September – 2 October 2024"),
        (day(2024, 12, 30), day(2025, 1, 2), "30 December 2024 – 2 January 2025"),
    ],
)
def test_days_are_shown_as_posts_dates_are(start, end, shown):
    assert format_day_range(DayRange(start, end)) == shown


def test_days_are_shown_in_the_active_language():
    with translation.override("it"):
        shown = format_day_range(DayRange(day(2024, 3, 19), day(2024, 3, 20)))
    assert shown.casefold() == "19–20 marzo 2024"


# --- On the talk -------------------------------------------------------------------------


def march_talk(event_days: str, *, save: bool = False, **fields) -> Talk:
    """A talk on 19 March 2024 at 18:00 UTC."""
    date = datetime.datetime(2024, 3, 19, 18, tzinfo=datetime.UTC)
    make = TalkFactory.create if save else TalkFactory.build
    return make(date=date, event_days=event_days, **fields)


@pytest.mark.parametrize(
    ("written", "when", "as_written"),
    [
        ("19-20 March, 2024", "19–20 March 2024", "19-20 March, 2024"),
        ("March 19-20", "19–20 March 2024", "March 19-20"),
        # Written as the site shows it: nothing to keep in a tooltip.
        ("19 March 2024", "19 March 2024", ""),
        # Not read: shown as written, once.
        ("Spring 2024", "Spring 2024", ""),
        # None written: the talk's own day.
        ("", "19 March 2024", ""),
    ],
)
def test_talk_shows_its_days_and_keeps_the_text_as_written(written, when, as_written):
    talk = march_talk(written)
    assert (talk.when, talk.when_as_written) == (when, as_written)


def test_social_card_shows_the_days_as_the_pages_do():
    talk = march_talk("19-20 March, 2024", event_name="NodeConf")
    assert card_for(talk).footer_right == "NodeConf · 19–20 March 2024"


@pytest.mark.django_db
def test_talk_page_says_when_in_a_time_element_with_the_text_as_written(client):
    talk = march_talk("Mar 19-20, 2024", save=True)
    html = client.get(talk.get_absolute_url()).content.decode()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    assert (
        '<dt>When</dt><dd><time datetime="2024-03-19T18:00:00+00:00" title="Mar 19-20, 2024">'
        "19–20 March 2024</time>"
    ) in html


@pytest.mark.django_db
def test_talk_page_shows_days_it_cannot_read_as_written(client):
    talk = march_talk("Spring <2024>", save=True)
    html = client.get(talk.get_absolute_url()).content.decode()
    assert '<time datetime="2024-03-19T18:00:00+00:00">Spring &lt;2024&gt;</time>' in html


@pytest.mark.django_db
def test_talk_card_shows_the_days_with_the_text_as_written(client):
    march_talk('March 19-20 "2024"', save=True)  # not read: shown as written
    march_talk("March 19-20 2024", save=True)
    html = client.get("/speaking/").content.decode()
    cards = re.findall(r"<time [^>]*>[^<]*</time>", html)
    assert (
        '<time datetime="2024-03-19T18:00:00+00:00">March 19-20 &quot;2024&quot;</time>' in cards
    )
    assert (
        '<time datetime="2024-03-19T18:00:00+00:00" title="March 19-20 2024">'
        "19–20 March 2024</time>"
    ) in cards


@pytest.mark.django_db
def test_other_editions_show_their_days(client):
    talk = march_talk("March 19 2024", title="Streams", save=True)
    march_talk("Oct 3-4, 2023", title="Streams", save=True)
    html = client.get(talk.get_absolute_url()).content.decode()
    assert 'title="Oct 3-4, 2023">3–4 October 2023</time>' in html


@pytest.mark.django_db
def test_feed_describes_the_talk_with_its_days(client, now):
    TalkFactory(event_name="NodeConf", event_days="Oct 3-4, 2023", event_city="Kilkenny")
    item = ET.fromstring(client.get("/speaking/feed/").content).find("channel/item")
    assert "<p>NodeConf · 3–4 October 2023 · Kilkenny</p>" in item.findtext("description")


# --- The real sites ----------------------------------------------------------------------

# `event_days` of the corpus deliberately left as text (none: every one reads).
LEFT_AS_WRITTEN: set[str] = set()


@pytest.mark.django_db
def test_every_event_days_of_the_real_sites_is_read_and_agrees_with_the_talk_date(
    corpus, run_import
):
    for site in ("loige-2021", "loige-2025"):
        assert not run_import(corpus / site).failed
    talks = list(Talk.objects.exclude(event_days=""))
    assert len(talks) >= 30
    for talk in talks:
        days = talk.event_dates
        if talk.event_days in LEFT_AS_WRITTEN:
            assert days is None, talk.event_days
            continue
        assert days is not None, f"{talk.slug}: {talk.event_days!r} is not read"
        # A talk's timestamp is in UTC, its days are the event's, somewhere on Earth:
        # one day either side (one real talk on 1 December is dated 30 November 15:00 UTC).
        one_day = datetime.timedelta(days=1)
        assert days.start - one_day <= talk.local_day <= days.end + one_day, (
            f"{talk.slug}: {talk.event_days!r} is {days}, the talk is on {talk.local_day}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "shown"),
    [("March 19-20", "19–20 March 2024"), ("Spring 2024", "Spring 2024 (shown as written)")],
)
def test_editor_sees_how_the_days_are_shown(editor_client, written, shown):
    talk = march_talk(written, save=True)
    response = editor_client.get(f"/admin/talks/talk/{talk.pk}/change/")
    assert f'<div class="readonly">{shown}</div>' in response.content.decode()
