"""The talk page: event details, calendar link, guests, and players that load on request.

Basics (title, event link, guests' order, previews) are in test_views.py; "also given at"
in test_grouping.py; the JSON-LD in test_json_ld.py.
"""

import re
from pathlib import Path

import html5lib
import pytest
from django.conf import settings

from talks.embeds import video_embed_url, video_provider
from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory


def page(client, talk) -> str:
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return html


def facades(content: str) -> list[str]:
    return re.findall(r'<div class="embed-facade".*?</div>\s*</div>', content, re.S)


# --- Video embed URL ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=90vV327JHho",
            "https://www.youtube-nocookie.com/embed/90vV327JHho",
        ),
        (
            "https://youtube.com/watch?feature=share&v=-Tmbr7u3aFA",
            "https://www.youtube-nocookie.com/embed/-Tmbr7u3aFA",
        ),
        (
            "https://m.youtube.com/watch?v=VkFBZCippOk&list=PL123",
            "https://www.youtube-nocookie.com/embed/VkFBZCippOk",
        ),
        ("https://youtu.be/FuqLMqGcEE4", "https://www.youtube-nocookie.com/embed/FuqLMqGcEE4"),
        (
            "https://youtu.be/K9b3Hf6w004?t=3156",
            "https://www.youtube-nocookie.com/embed/K9b3Hf6w004?start=3156",
        ),
        (
            "https://www.youtube.com/watch?v=K9b3Hf6w004&t=1h2m3s",
            "https://www.youtube-nocookie.com/embed/K9b3Hf6w004?start=3723",
        ),
        (
            "https://www.youtube.com/embed/oCjps_uv7P4",
            "https://www.youtube-nocookie.com/embed/oCjps_uv7P4",
        ),
        (
            "https://www.youtube-nocookie.com/embed/oCjps_uv7P4",
            "https://www.youtube-nocookie.com/embed/oCjps_uv7P4",
        ),
        (
            "https://www.youtube.com/shorts/urCY_2-n2r0",
            "https://www.youtube-nocookie.com/embed/urCY_2-n2r0",
        ),
        (
            "https://www.youtube.com/live/1atZzA3e3Kg?t=972",
            "https://www.youtube-nocookie.com/embed/1atZzA3e3Kg?start=972",
        ),
        ("  https://youtu.be/FuqLMqGcEE4  ", "https://www.youtube-nocookie.com/embed/FuqLMqGcEE4"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/76979871/a1b2c3d4e5",
            "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&dnt=1",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        # Not a recognisable video: no embed, the plain link stays.
        ("https://www.youtube.com/channel/UC123", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://www.youtube.com/watch?v=90vV327JHho%22onload", None),
        ("https://vimeo.com/about", None),
        ("https://evilyoutube.com/watch?v=90vV327JHho", None),
        ("https://youtube.com.evil.example/watch?v=90vV327JHho", None),
        ("https://anchor.fm/noobdevtalks/episodes/Episode-11", None),
        # Not http(s): nothing at all.
        ("ttps://www.youtube.com/watch?v=90vV327JHho", None),
        ("javascript:alert(1)//youtu.be/FuqLMqGcEE4", None),
        ("//youtu.be/FuqLMqGcEE4", None),
        ("ftp://youtu.be/FuqLMqGcEE4", None),
        ("", None),
        (None, None),
    ],
)
def test_video_embed_url_is_the_privacy_friendly_player_of_the_video(link, expected):
    assert video_embed_url(link) == expected
    assert TalkFactory.build(video_link=link).video_embed_url == expected


@pytest.mark.parametrize(
    ("link", "provider"),
    [
        ("https://youtu.be/FuqLMqGcEE4", "YouTube"),
        ("https://vimeo.com/76979871", "Vimeo"),
        ("https://example.com/video", None),
    ],
)
def test_video_provider_is_named_for_the_link_to_the_original(link, provider):
    assert video_provider(link) == provider


# --- Players load on request ----------------------------------------------------------


@pytest.mark.django_db
def test_video_is_a_click_to_load_box_with_a_link_to_the_original(client):
    talk = TalkFactory(video_link="https://www.youtube.com/watch?v=90vV327JHho")
    content = page(client, talk)
    [facade] = facades(content)
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/90vV327JHho"' in facade
    assert f'data-embed-title="Video: {talk.title}"' in facade
    assert (
        '<a class="embed-link" href="https://www.youtube.com/watch?v=90vV327JHho" '
        'rel="noopener">Watch on YouTube</a>'
    ) in facade
    # The button needs the script; without it the link is all there is.
    assert '<div class="embed-load" hidden>' in facade
    assert "<button type=" in facade
    assert "<iframe" not in content


@pytest.mark.django_db
def test_vimeo_video_plays_from_the_do_not_track_player(client):
    talk = TalkFactory(video_link="https://vimeo.com/76979871")
    [facade] = facades(page(client, talk))
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"' in facade
    assert "Watch on Vimeo</a>" in facade


@pytest.mark.django_db
def test_talk_page_makes_no_request_to_another_site_before_a_click(client):
    guest = PersonFactory(avatar_url="https://avatars.example.com/ada.png")
    talk = TalkFactory(
        video_link="https://youtu.be/FuqLMqGcEE4",
        embed_slides="https://slides.com/someone/deck/embed",
        podcast_embed="https://anchor.fm/show/embed/episodes/one",
        podcast_link="https://anchor.fm/show/episodes/one",
    )
    TalkGuestFactory(talk=talk, person=guest)
    content = page(client, talk)
    assert len(facades(content)) == 3
    assert "<iframe" not in content
    for tag in re.findall(r"<(?:script|link|img|source|iframe|video|audio)\b[^>]*>", content):
        if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
            continue
        for url in re.findall(r'(?:src|href|srcset)="([^"]*)"', tag):
            assert not url.startswith(("http:", "https:", "//")) or url.startswith(
                settings.SITE_URL
            ), tag
    # A remote-only avatar is not fetched: the guest gets their initial instead.
    assert "avatars.example.com" not in content
    assert re.search(r"<span class=\"avatar avatar-initial\"[^>]*aria-hidden=\"true\">", content)


@pytest.mark.django_db
def test_players_only_come_from_allowlisted_hosts(client):
    talk = TalkFactory(
        video_link="https://evil.example/watch?v=90vV327JHho",
        embed_slides="https://evil.example/deck/embed",
        podcast_embed="javascript:alert(1)",
    )
    content = page(client, talk)
    assert facades(content) == []
    assert "data-embed-src" not in content
    assert '<a href="https://evil.example/watch?v=90vV327JHho">Watch the video</a>' in content


@pytest.mark.django_db
def test_slides_and_podcast_players_link_to_their_originals(client):
    talk = TalkFactory(
        slides_link="https://loige.link/streams",
        embed_slides="https://slides.com/someone/deck/embed",
        podcast_link="https://anchor.fm/show/episodes/one",
        podcast_embed="https://anchor.fm/show/embed/episodes/one",
    )
    slides, podcast = facades(page(client, talk))
    assert 'data-embed-src="https://slides.com/someone/deck/embed"' in slides
    assert 'href="https://loige.link/streams" rel="noopener">Open the slides</a>' in slides
    assert "loads a player from slides.com" in slides
    assert 'data-embed-src="https://anchor.fm/show/embed/episodes/one"' in podcast
    assert "Listen to the episode</a>" in podcast


@pytest.mark.django_db
def test_talk_page_loads_the_player_script_deferred(client):
    # Players in talk fields and in bodies share it; it is small and never blocks the page.
    with_video = TalkFactory(video_link="https://youtu.be/FuqLMqGcEE4")
    assert '<script src="/static/js/embeds.js" defer></script>' in page(client, with_video)


def test_player_script_swaps_the_box_for_an_https_iframe_on_click():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "embeds.js").read_text()
    assert "data-embed-src" in script
    assert 'createElement("iframe")' in script
    assert "/^https:\\/\\//i.test(src)" in script  # refuses anything but https
    assert 'addEventListener("click"' in script


# --- Event details --------------------------------------------------------------------


@pytest.mark.django_db
def test_talk_page_shows_venue_city_days_and_a_map_link(client):
    talk = TalkFactory(
        event_location="Workday, Kings Building",
        event_city="Dublin, Ireland",
        event_days="March 05 2019",
        latitude=53.3478343,
        longitude=-6.2776726,
    )
    content = page(client, talk)
    assert "Workday, Kings Building — Dublin, Ireland" in content
    assert ' title="March 05 2019">5 March 2019</time>' in content
    assert (
        '(<a href="https://www.openstreetmap.org/?mlat=53.3478343&amp;mlon=-6.2776726'
        '#map=15/53.3478343/-6.2776726">map</a>)'
    ) in content


@pytest.mark.django_db
def test_remote_talk_page_says_remote_and_has_no_map(client):
    talk = TalkFactory(event_location="", event_city="remote", latitude=None, longitude=None)
    content = page(client, talk)
    assert "<dt>Where</dt><dd>Remote</dd>" in content
    assert "openstreetmap" not in content


@pytest.mark.django_db
def test_talk_page_offers_the_talk_for_the_calendar(client):
    talk = TalkFactory(slug="streams-dublin")
    content = page(client, talk)
    assert (
        '<a class="calendar-link" href="/speaking/streams-dublin.ics">Add to calendar' in content
    )
    assert client.get("/speaking/streams-dublin.ics")["Content-Type"].startswith("text/calendar")


@pytest.mark.django_db
def test_draft_preview_has_no_calendar_link(editor_client):
    talk = TalkFactory(status="draft")
    assert "Add to calendar" not in page(editor_client, talk)


@pytest.mark.django_db
def test_talk_page_shows_guests_in_order_with_avatar_and_link(client, settings):
    talk = TalkFactory()
    TalkGuestFactory(
        talk=talk, person=PersonFactory(name="Bea", slug="bea"), position=2, link="https://b.ee"
    )
    first = PersonFactory(name="Ada", slug="ada")
    first.avatar.save("ada.png", _png(), save=True)
    TalkGuestFactory(talk=talk, person=first, position=1)
    content = page(client, talk)
    guests = content[content.index('id="guests"') :]
    assert guests.index('href="/people/ada/"') < guests.index('href="/people/bea/"')
    # A square crop of the uploaded avatar, served by the site itself.
    avatar = re.search(r'<img src="(/media/renditions/[^"]+)"[^>]*class="avatar"', guests)
    assert avatar is not None
    assert 'alt=""' in avatar.group(0)
    assert '<a class="external" href="https://b.ee" rel="noopener">profile</a>' in guests


def _png():
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


@pytest.mark.django_db
def test_workshop_badge_and_body_are_shown(client):
    talk = TalkFactory(title="Hands-on streams", is_workshop=True, body="All about *pipes*.")
    content = page(client, talk)
    assert '<h1>Hands-on streams <span class="badge">Workshop</span></h1>' in content
    assert "All about <em>pipes</em>." in content
