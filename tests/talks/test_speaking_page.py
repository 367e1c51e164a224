"""The speaking page: summary, histogram, filters, drafts, empty state and query count.

The order of the lists (upcoming soonest first, past grouped by year) is in test_views.py;
the world map in test_map.py.
"""

import datetime
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talks.models import Talk
from talks.stats import SpeakingSummary, TalkCounts
from talks.views import TalkListView
from tests.factories import TalkFactory, TalkGuestFactory

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

SVG = "{http://www.w3.org/2000/svg}"


def at(year: int, month: int = 6, day: int = 1) -> datetime.datetime:
    return datetime.datetime(year, month, day, 18, tzinfo=datetime.UTC)


def page(client, query: str = "") -> str:
    response = client.get(f"/speaking/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return html


def summary(content: str) -> str:
    return re.search(r'<p class="speaking-summary">(.*?)</p>', content).group(1)


def histogram(content: str) -> ET.Element:
    [svg] = re.findall(r'<svg class="chart histogram".*?</svg>', content, re.S)
    return ET.fromstring(svg)


def bars(content: str) -> dict[tuple[int, str], ET.Element]:
    """(year, "past" or "upcoming") -> the bar's <rect>."""
    return {
        (int(rect.get("data-year")), rect.get("class").split("-")[-1]): rect
        for rect in histogram(content).iter(f"{SVG}rect")
    }


def listed_titles(content: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="/speaking/[^"]+/">([^<]+)</a>', content)


@pytest.fixture
def known_talks(now):
    """Nine published talks in three countries (two spellings of each) and three remote."""
    for city, date in [
        ("Dublin, Ireland", at(2019)),
        ("Cork,  IRELAND ", at(2019, 9)),
        ("Milan, Italy", at(2021)),
        ("Verona, italy", at(2022)),
        ("Berlin, Germany", now + datetime.timedelta(days=90)),
        ("remote", at(2020)),
        ("Remote", at(2020, 10)),
        ("Online", at(2022, 3)),
        ("", at(2023)),  # no place given: counted, but neither a country nor remote
    ]:
        TalkFactory(event_city=city, date=date)
    TalkFactory(event_city="Paris, France", status="draft", date=at(2015))


# --- Summary --------------------------------------------------------------------------


def test_summary_counts_talks_first_year_countries_and_remote_apart(client, known_talks):
    assert summary(page(client)) == "9 talks since 2019 in 3 countries and 3 remote."


@pytest.mark.parametrize(
    ("numbers", "sentence"),
    [
        ((1, 2024, 1, 0), "1 talk since 2024 in 1 country."),
        ((4, 2020, 0, 4), "4 talks since 2020, all remote."),
        ((5, 2020, 0, 3), "5 talks since 2020, 3 remote."),
        ((2, 2018, 0, 0), "2 talks since 2018."),
        ((0, None, 0, 0), "No talks yet."),
    ],
)
def test_summary_sentence_reads_well_for_every_count(numbers, sentence):
    assert SpeakingSummary(*numbers).sentence == sentence


def test_summary_country_is_the_last_part_of_the_city_without_case_or_spaces():
    talks = [
        TalkFactory(event_city="Dublin, Ireland"),
        TalkFactory(event_city="  Galway ,  ireland  "),
        TalkFactory(event_city="Belfast, Northern   Ireland"),
    ]
    assert [talk.country for talk in talks] == ["ireland", "ireland", "northern ireland"]
    assert SpeakingSummary.of(TalkCounts.of(Talk.objects.published())).countries == 2


# --- Histogram ------------------------------------------------------------------------


def test_histogram_has_a_bar_per_year_stacking_past_and_upcoming(client, known_talks, now):
    TalkFactory(date=now + datetime.timedelta(days=10))  # upcoming, in 2024
    TalkFactory(date=at(2024, 1, 10))  # past, in 2024
    found = bars(page(client))
    assert {key: int(rect.get("data-count")) for key, rect in found.items()} == {
        (2019, "past"): 2,
        (2020, "past"): 2,
        (2021, "past"): 1,
        (2022, "past"): 2,
        (2023, "past"): 1,
        (2024, "past"): 1,
        (2024, "upcoming"): 2,  # June and September 2024 (Berlin)
    }
    # Heights are proportional to the counts; the upcoming part sits on the past part.
    unit = float(found[(2021, "past")].get("height"))
    assert float(found[(2019, "past")].get("height")) == pytest.approx(2 * unit)
    assert float(found[(2024, "upcoming")].get("height")) == pytest.approx(2 * unit)
    past_2024, upcoming_2024 = found[(2024, "past")], found[(2024, "upcoming")]
    assert float(upcoming_2024.get("y")) + float(upcoming_2024.get("height")) == pytest.approx(
        float(past_2024.get("y"))
    )


def test_histogram_keeps_years_without_talks_as_empty_slots(client):
    TalkFactory(date=at(2018))
    TalkFactory(date=at(2021))
    svg = histogram(page(client))
    years = [group.get("data-year") for group in svg.iter(f"{SVG}g")]
    assert years == ["2018", "2019", "2020", "2021"]
    assert [(group.get("data-past"), group.get("data-upcoming")) for group in svg.iter(f"{SVG}g")][
        1:3
    ] == [("0", "0"), ("0", "0")]


def test_histogram_is_an_image_with_a_name_a_legend_and_a_table(client, now):
    TalkFactory(date=at(2023))
    TalkFactory(date=at(2023, 8))
    TalkFactory(date=now + datetime.timedelta(days=30))
    content = page(client)
    svg = histogram(content)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "histogram-title histogram-desc"
    assert svg.find(f"{SVG}title").text == "Talks per year"
    assert "busiest year is 2023 with 2" in svg.find(f"{SVG}desc").text
    assert "Past talks</li>" in content and "Upcoming talks</li>" in content
    table = content[content.index("<table>") : content.index("</table>")]
    assert '<th scope="row">2023</th><td>2</td><td>0</td><td>2</td>' in table
    assert '<th scope="row">2024</th><td>0</td><td>1</td><td>1</td>' in table


# --- Filters --------------------------------------------------------------------------


@pytest.fixture
def mixed_talks(now):
    TalkFactory(title="English talk 2022", date=at(2022), presentation_language="en_US")
    TalkFactory(
        title="Italian workshop 2022",
        date=at(2022, 9),
        presentation_language="it_IT",
        is_workshop=True,
        event_city="Milan, Italy",
    )
    # No presentation language: the content's language says what it was given in.
    TalkFactory(
        title="Italian talk 2023",
        date=at(2023),
        presentation_language="",
        language="it_IT",
        event_city="remote",
    )
    TalkFactory(title="English workshop 2023", date=at(2023, 5), is_workshop=True)


def test_filters_are_a_get_form_with_labels_and_a_submit_button(client, mixed_talks):
    content = page(client)
    form = content[content.index('<form class="talk-filters"') : content.index("</form>")]
    assert 'method="get"' in form
    assert '<label for="id_year">Year</label>' in form
    assert '<label for="id_language">Language</label>' in form
    assert '<label for="id_workshops">Workshops only</label>' in form
    assert '<button type="submit">Filter</button>' in form
    assert '<option value="2023">2023</option>' in form
    assert '<option value="it">Italian</option>' in form
    assert '<option value="en">English</option>' in form


def test_year_filter_lists_that_years_talks_and_sums_them_up(client, mixed_talks):
    content = page(client, "?year=2022")
    assert sorted(listed_titles(content)) == ["English talk 2022", "Italian workshop 2022"]
    assert summary(content) == "2 talks since 2022 in 2 countries."
    assert set(bars(content)) == {(2022, "past")}
    assert '<option value="2022" selected>2022</option>' in content
    assert 'href="/speaking/">Show all talks</a>' in content


def test_workshop_filter_lists_only_workshops(client, mixed_talks):
    content = page(client, "?workshops=on")
    assert sorted(listed_titles(content)) == ["English workshop 2023", "Italian workshop 2022"]
    assert summary(content).startswith("2 talks since 2022")


def test_language_filter_uses_the_presentation_language_then_the_language(client, mixed_talks):
    content = page(client, "?language=it")
    assert sorted(listed_titles(content)) == ["Italian talk 2023", "Italian workshop 2022"]
    assert summary(content) == "2 talks since 2022 in 1 country and 1 remote."
    english = page(client, "?language=en")
    assert sorted(listed_titles(english)) == ["English talk 2022", "English workshop 2023"]


def test_filters_combine(client, mixed_talks):
    content = page(client, "?year=2023&language=en&workshops=on")
    assert listed_titles(content) == ["English workshop 2023"]
    assert summary(content) == "1 talk since 2023 in 1 country."


def test_filters_keep_their_choices_when_they_match_nothing(client, mixed_talks):
    content = page(client, "?year=2023&workshops=on&language=it")
    assert listed_titles(content) == []
    assert summary(content) == "No talks yet."
    assert "<svg" not in content
    assert '<option value="2022">2022</option>' in content  # every year stays offered


@pytest.mark.parametrize("query", ["?year=abc", "?year=1999", "?language=<b>", "?language=fr"])
def test_unknown_filter_values_are_ignored_and_the_page_stays_valid(client, mixed_talks, query):
    content = page(client, query)
    assert len(listed_titles(content)) == 4
    assert "Some filters were not understood and are ignored." in content
    assert "<b>" not in content


def test_filter_choices_come_from_published_talks_only(client, mixed_talks):
    TalkFactory(status="draft", date=at(2010), presentation_language="fr_FR")
    content = page(client)
    assert '<option value="2010">' not in content
    assert "French" not in content


# --- Drafts and the empty state -------------------------------------------------------


def test_drafts_appear_nowhere_on_the_speaking_page(client, now):
    TalkFactory(title="Public talk", date=at(2022), event_city="Dublin, Ireland")
    TalkFactory(
        title="Draft talk",
        status="draft",
        date=at(2019),
        event_name="Secret Conf",
        event_city="Paris, France",
        latitude=48.85,
        longitude=2.35,
    )
    TalkFactory(title="Draft upcoming", status="draft", date=now + datetime.timedelta(days=9))
    content = page(client)
    assert "Draft" not in content and "Secret Conf" not in content
    assert summary(content) == "1 talk since 2022 in 1 country."
    assert set(bars(content)) == {(2022, "past")}
    assert "<circle" not in content


def test_empty_speaking_page_renders_without_charts(client):
    content = page(client)
    assert summary(content) == "No talks yet."
    assert "<svg" not in content
    assert "No upcoming talks announced." in content
    assert "No past talks yet." in content


def test_speaking_page_loads_its_stylesheet_and_no_script(client, mixed_talks):
    content = page(client)
    assert '<link rel="stylesheet" href="/static/css/speaking.css">' in content
    assert "<script" not in content.split("</head>")[1]


# --- Pages ----------------------------------------------------------------------------


@pytest.fixture
def many_talks(now):
    """Three upcoming talks and 120 past ones, a day apart: "Past 1" is the latest."""
    for days in range(1, 4):
        TalkFactory(title=f"Upcoming {days}", date=now + datetime.timedelta(days=days))
    for days in range(1, 121):
        TalkFactory(
            title=f"Past {days}",
            date=now - datetime.timedelta(days=days),
            event_city="remote" if days % 2 else "Milan, Italy",
            latitude=None if days % 2 else 45.46,
            longitude=None if days % 2 else 9.19,
        )


def test_first_page_lists_every_upcoming_talk_then_the_latest_past_talks(client, many_talks):
    content = page(client)
    titles = listed_titles(content)
    assert titles == [
        "Upcoming 1",
        "Upcoming 2",
        "Upcoming 3",
        *(f"Past {days}" for days in range(1, TalkListView.paginate_by + 1)),
    ]
    assert 'rel="next" href="?page=2"' in content
    assert "Page 1 of 3" in content


def test_later_pages_list_older_talks_without_the_upcoming_ones(client, many_talks):
    content = page(client, "?page=3")
    assert listed_titles(content) == [f"Past {days}" for days in range(101, 121)]
    assert 'id="upcoming"' not in content
    assert 'rel="prev" href="?page=2"' in content and 'rel="next"' not in content
    assert "<title>Speaking · page 3 · " in content


def test_every_page_sums_up_and_charts_all_the_talks(client, many_talks, now):
    for query in ("", "?page=2"):
        content = page(client, query)
        assert summary(content) == "123 talks since 2024 in 2 countries and 60 remote."
        assert sum(int(rect.get("data-count")) for rect in bars(content).values()) == 123


def test_map_shows_the_talks_listed_on_the_page(client, many_talks):
    content = page(client, "?page=2")
    markers = re.findall(r'<circle class="marker', content)
    assert len(markers) == TalkListView.paginate_by // 2
    assert "The talks listed on this page." in content


def test_pages_keep_the_filters(client, many_talks):
    content = page(client, "?language=en&page=2")
    assert 'href="?language=en&amp;page=1"' in content
    assert 'href="?language=en&amp;page=3"' in content


@pytest.mark.parametrize("query", ["?page=4", "?page=0", "?page=abc", "?page=-1", "?page=9" * 30])
def test_pages_that_do_not_exist_are_not_found(client, many_talks, query):
    assert client.get(f"/speaking/{query}").status_code == 404


def test_upcoming_talks_are_listed_even_when_there_are_no_past_talks(client, now):
    TalkFactory(title="Soon", date=now + datetime.timedelta(days=2))
    content = page(client)
    assert listed_titles(content) == ["Soon"]
    assert "No past talks yet." in content


# --- Query count ----------------------------------------------------------------------


def add_talks(count: int, now: datetime.datetime) -> None:
    for index in range(count):
        talk = TalkFactory(
            date=now + datetime.timedelta(days=40 * (index - count // 2)),
            tags=["node", "aws"],
            latitude=index % 80,
            longitude=index % 170,
            event_city=["Dublin, Ireland", "remote", "Milan, Italy"][index % 3],
            is_workshop=index % 4 == 0,
            presentation_language=["en_US", "it_IT", ""][index % 3],
        )
        TalkGuestFactory(talk=talk)


@pytest.mark.parametrize("query", ["", "?year=2024&language=en&workshops=on", "?page=2"])
def test_speaking_page_runs_the_same_few_queries_for_5_and_50_talks(
    client, now, django_assert_max_num_queries, query, monkeypatch
):
    # Pages of one talk, so that even 5 talks have a second page.
    monkeypatch.setattr(TalkListView, "paginate_by", 1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/speaking/{query}").status_code == 200
        return len(captured)

    add_talks(5, now)
    with django_assert_max_num_queries(8):
        with_5 = queries()
    add_talks(45, now)
    with django_assert_max_num_queries(8):
        with_50 = queries()
    assert with_5 == with_50
