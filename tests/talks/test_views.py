import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def in_order(content: str, *fragments: str) -> bool:
    positions = [content.index(fragment) for fragment in fragments]
    return positions == sorted(positions)


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 18, tzinfo=datetime.UTC)


# --- Speaking list --------------------------------------------------------------------


def test_speaking_list_shows_upcoming_talks_soonest_first(client, now):
    TalkFactory(title="Later talk", date=now + datetime.timedelta(days=60))
    TalkFactory(title="Sooner talk", date=now + datetime.timedelta(days=5))
    response = client.get("/speaking/")
    assert response.status_code == 200
    content = response.content.decode()
    upcoming = content[content.index('id="upcoming"') : content.index('id="past"')]
    assert in_order(upcoming, "Sooner talk", "Later talk")


def test_speaking_list_groups_past_talks_by_year_newest_first(client, now):
    TalkFactory(title="Talk of 2022", date=at(2022, 5, 1))
    TalkFactory(title="Early 2024 talk", date=at(2024, 1, 10))
    TalkFactory(title="Spring 2024 talk", date=at(2024, 4, 10))
    content = client.get("/speaking/").content.decode()
    past = content[content.index('id="past"') :]
    assert in_order(
        past,
        '<h3 class="year">2024</h3>',
        "Spring 2024 talk",
        "Early 2024 talk",
        '<h3 class="year">2022</h3>',
        "Talk of 2022",
    )
    assert past.count('<h3 class="year">') == 2
    assert "No upcoming talks announced." in content


def test_past_talks_are_grouped_by_their_year_in_the_site_time_zone(client, now, settings):
    settings.TIME_ZONE = "Europe/Rome"
    # New Year's Eve at 23:30 UTC is already 1 January 2024 in Rome.
    TalkFactory(
        title="New Year talk",
        event_days="",
        date=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )
    content = client.get("/speaking/").content.decode()
    past = content[content.index('id="past"') :]
    assert "1 January 2024" in past
    assert '<h3 class="year">2024</h3>' in past
    assert '<h3 class="year">2023</h3>' not in past


def test_speaking_list_leaves_out_draft_talks(client, now):
    TalkFactory(title="Public talk")
    TalkFactory(title="Draft past talk", status="draft")
    TalkFactory(title="Draft upcoming talk", status="draft", date=now + datetime.timedelta(days=3))
    content = client.get("/speaking/").content.decode()
    assert "Public talk" in content
    assert "Draft past talk" not in content
    assert "Draft upcoming talk" not in content


def test_empty_speaking_list_says_there_are_no_talks(client):
    response = client.get("/speaking/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No upcoming talks announced." in content
    assert "No past talks yet." in content


def test_speaking_list_marks_workshops(client):
    TalkFactory(title="Hands-on streams", is_workshop=True)
    content = client.get("/speaking/").content.decode()
    assert 'Hands-on streams</a> <span class="badge">Workshop</span>' in content


def test_speaking_list_query_count_does_not_grow_with_talks(client, now):
    def queries_for_speaking_list() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/speaking/").status_code == 200
        return len(context)

    def add_talks(count: int) -> None:
        for index in range(count):
            talk = TalkFactory(
                date=now + datetime.timedelta(days=index - count // 2), tags=["node", "aws"]
            )
            TalkGuestFactory(talk=talk)

    add_talks(5)
    with_5 = queries_for_speaking_list()
    add_talks(20)
    with_25 = queries_for_speaking_list()
    assert with_5 == with_25
    assert with_25 <= 8


# --- Talk detail ----------------------------------------------------------------------


def test_talk_page_shows_the_talk(client):
    speaker = PersonFactory(name="Ada Lovelace", slug="ada")
    talk = TalkFactory(
        title="Streams in practice",
        author=speaker,
        body="All about *streams*.",
        event_days="March 8-9 2024",
    )
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Streams in practice</h1>" in content
    assert '<a href="/people/ada/">Ada Lovelace</a>' in content
    assert "All about <em>streams</em>." in content
    assert "March 8-9 2024" in content
    assert "Preview — not published" not in content


def test_talk_page_links_the_event_when_its_link_is_https(client):
    talk = TalkFactory(event_name="NodeConf EU", event_link="https://www.nodeconf.eu/")
    content = client.get(talk.get_absolute_url()).content.decode()
    assert '<a href="https://www.nodeconf.eu/">NodeConf EU</a>' in content


@pytest.mark.parametrize("link", ["ttps://www.nodeconf.eu/", "javascript:alert(1)", ""])
def test_talk_page_does_not_link_the_event_when_its_link_is_broken(client, link):
    talk = TalkFactory(event_name="NodeConf EU", event_link=link)
    content = client.get(talk.get_absolute_url()).content.decode()
    assert "<dd>NodeConf EU</dd>" in content
    if link:
        assert link not in content


def test_talk_page_lists_guests_in_order_with_links(client):
    talk = TalkFactory()
    TalkGuestFactory(
        talk=talk,
        person=PersonFactory(name="Ada", slug="ada"),
        position=1,
        link="https://ada.example",
    )
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Cleo", slug="cleo"), position=0)
    content = client.get(talk.get_absolute_url()).content.decode()
    assert in_order(content, '<a href="/people/cleo/">Cleo</a>', '<a href="/people/ada/">Ada</a>')
    assert 'href="https://ada.example"' in content


def test_talk_page_embeds_slides_from_an_allowlisted_host_on_request(client):
    talk = TalkFactory(embed_slides="https://slides.com/someone/deck/embed")
    content = client.get(talk.get_absolute_url()).content.decode()
    # A click-to-load box: the frame's URL waits in a data attribute (see test_talk_page.py).
    assert 'data-embed-src="https://slides.com/someone/deck/embed"' in content
    assert "<iframe" not in content


def test_talk_page_does_not_embed_slides_from_other_hosts(client):
    talk = TalkFactory(embed_slides="https://evil.example/deck/embed")
    content = client.get(talk.get_absolute_url()).content.decode()
    assert "<iframe" not in content
    assert "evil.example" not in content


def test_talk_page_links_slides_and_video_only_when_they_are_http_urls(client):
    good = TalkFactory(slides_link="https://example.com/slides", video_link="https://y.example/v")
    bad = TalkFactory(slides_link="ttps://example.com/slides", video_link="javascript:alert(1)")
    good_content = client.get(good.get_absolute_url()).content.decode()
    bad_content = client.get(bad.get_absolute_url()).content.decode()
    assert '<a href="https://example.com/slides">Open the slides</a>' in good_content
    assert '<a href="https://y.example/v">Watch the video</a>' in good_content
    assert "Open the slides" not in bad_content
    assert "Watch the video" not in bad_content


def test_talk_page_marks_workshops(client):
    talk = TalkFactory(title="Hands-on streams", is_workshop=True)
    content = client.get(talk.get_absolute_url()).content.decode()
    assert '<h1>Hands-on streams <span class="badge">Workshop</span></h1>' in content


def test_talk_page_links_to_the_map(client):
    talk = TalkFactory(gps="53.349137,-6.24775")
    content = client.get(talk.get_absolute_url()).content.decode()
    assert 'href="https://www.openstreetmap.org/?mlat=53.349137&amp;mlon=-6.24775' in content


def test_upcoming_talk_page_is_public_and_marked_upcoming(client, now):
    talk = TalkFactory(date=now + datetime.timedelta(days=10))
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    assert '<span class="badge">Upcoming</span>' in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("slug", ["Ember.js-in-2021---a-beacon-of-productivity", "algo_luca"])
def test_talk_with_slug_of_a_migrated_site_is_served(client, slug):
    talk = TalkFactory(slug=slug)
    assert client.get(talk.get_absolute_url()).status_code == 200


def test_lower_cased_link_to_a_capitalised_talk_slug_is_served(client):
    talk = TalkFactory(slug="Node.js-Streams")
    response = client.get("/speaking/node.js-streams/")
    assert response.status_code == 200
    assert response.context["talk"] == talk


def test_draft_talk_is_not_found_for_visitors(client):
    talk = TalkFactory(status="draft")
    assert client.get(talk.get_absolute_url()).status_code == 404


def test_editor_previews_draft_talk_uncached(editor_client):
    talk = TalkFactory(title="Talk in the making", status="draft")
    response = editor_client.get(talk.get_absolute_url())
    assert response.status_code == 200
    assert "Preview — not published" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_unknown_talk_is_not_found(client):
    assert client.get("/speaking/no-such-talk/").status_code == 404
