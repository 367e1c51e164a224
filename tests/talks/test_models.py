import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from talks.models import Talk, parse_gps
from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory, days_ago

DUBLIN = "53.349137,-6.247750999999994"


# --- Identity -------------------------------------------------------------------------


@pytest.mark.django_db
def test_talk_keeps_the_uuid_it_is_given():
    given = uuid.UUID("0b7a4c2e-9d1f-4e3a-8c5b-6f2e1d0a9b8c")
    talk = TalkFactory(uuid=given)
    talk.refresh_from_db()
    assert talk.uuid == given


@pytest.mark.django_db
def test_two_talks_may_share_a_uuid():
    shared = uuid.uuid4()
    TalkFactory(uuid=shared)
    TalkFactory(uuid=shared)
    assert Talk.objects.filter(uuid=shared).count() == 2


@pytest.mark.django_db
def test_new_talk_gets_a_uuid():
    first, second = TalkFactory(), TalkFactory()
    assert isinstance(first.uuid, uuid.UUID)
    assert first.uuid != second.uuid


# --- Slugs and URLs -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Ember.js-in-2021---a-beacon-of-productivity", "algo_luca"])
def test_talk_slug_accepts_slugs_of_migrated_sites(slug):
    TalkFactory(slug=slug).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["has space", "a/b", ".hidden"])
def test_talk_slug_rejects_unsafe_slugs(slug):
    talk = TalkFactory.build(slug=slug, author=None)
    with pytest.raises(ValidationError) as excinfo:
        talk.full_clean()
    assert "slug" in excinfo.value.error_dict


@pytest.mark.django_db
def test_talk_slug_is_unique_regardless_of_case():
    TalkFactory(slug="Foo")
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(slug="foo")


@pytest.mark.django_db
def test_talk_url_is_under_speaking():
    assert TalkFactory(slug="Node.js-streams").get_absolute_url() == "/speaking/Node.js-streams/"


# --- GPS ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (DUBLIN, (53.349137, -6.247750999999994)),
        (" 45.07 , 13.63 ", (45.07, 13.63)),
        ("-90,180", (-90.0, 180.0)),
        ("90,-180", (90.0, -180.0)),
        ("0,0", (0.0, 0.0)),
    ],
)
def test_parse_gps_reads_latitude_and_longitude(value, expected):
    assert parse_gps(value) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_gps_returns_none_for_an_empty_value(value):
    assert parse_gps(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "expected 'latitude,longitude', got 'abc'"),
        ("1,2,3", "expected 'latitude,longitude', got '1,2,3'"),
        ("north,west", "expected two numbers 'latitude,longitude', got 'north,west'"),
        ("91,0", "latitude 91.0 is outside -90..90"),
        ("-90.0001,0", "latitude -90.0001 is outside -90..90"),
        ("0,181", "longitude 181.0 is outside -180..180"),
        ("nan,0", "latitude nan is outside -90..90"),
    ],
)
def test_parse_gps_explains_what_is_wrong(value, message):
    with pytest.raises(ValueError) as excinfo:
        parse_gps(value)
    assert str(excinfo.value) == message


def test_talk_gps_setter_fills_latitude_and_longitude():
    talk = Talk()
    talk.gps = DUBLIN
    assert (talk.latitude, talk.longitude) == (53.349137, -6.247750999999994)


def test_talk_gps_getter_gives_back_the_value_it_was_set_to():
    talk = Talk()
    talk.gps = DUBLIN
    assert talk.gps == DUBLIN


@pytest.mark.parametrize("value", [None, ""])
def test_talk_gps_setter_clears_the_coordinates_for_an_empty_value(value):
    talk = Talk(latitude=1.0, longitude=2.0)
    talk.gps = value
    assert (talk.latitude, talk.longitude, talk.gps) == (None, None, None)


def test_talk_gps_setter_rejects_a_bad_value():
    talk = Talk()
    with pytest.raises(ValueError, match=r"latitude 95\.0 is outside"):
        talk.gps = "95,0"


@pytest.mark.django_db
@pytest.mark.parametrize(("latitude", "longitude"), [(95.0, 0.0), (0.0, 181.0), (-91.0, 0.0)])
def test_database_rejects_coordinates_out_of_range(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(latitude=latitude, longitude=longitude)


@pytest.mark.django_db
def test_full_clean_rejects_latitude_out_of_range():
    talk = TalkFactory.build(author=None, latitude=95.0, longitude=0.0)
    with pytest.raises(ValidationError) as excinfo:
        talk.full_clean()
    assert "latitude" in excinfo.value.error_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("latitude", "longitude"), [(53.3, None), (None, -6.2)])
def test_full_clean_rejects_only_one_coordinate(latitude, longitude):
    talk = TalkFactory.build(author=None, latitude=latitude, longitude=longitude)
    with pytest.raises(ValidationError, match="Give both latitude and longitude"):
        talk.full_clean()


@pytest.mark.django_db
def test_full_clean_accepts_both_coordinates():
    TalkFactory.build(author=None, gps=DUBLIN).full_clean()


# --- Guests ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_talk_guest_credits_keep_their_order():
    talk = TalkFactory()
    # Names sort the other way round from the positions.
    third = TalkGuestFactory(talk=talk, person=PersonFactory(name="Ada"), position=2)
    first = TalkGuestFactory(talk=talk, person=PersonFactory(name="Cleo"), position=0)
    second = TalkGuestFactory(talk=talk, person=PersonFactory(name="Bea"), position=1)
    assert list(talk.guest_credits.all()) == [first, second, third]


@pytest.mark.django_db
def test_talk_guests_relation_lists_people_in_credit_order():
    talk = TalkFactory()
    ada, bea, cleo = (PersonFactory(name=name) for name in ("Ada", "Bea", "Cleo"))
    TalkGuestFactory(talk=talk, person=ada, position=2)
    TalkGuestFactory(talk=talk, person=cleo, position=0)
    TalkGuestFactory(talk=talk, person=bea, position=1)
    assert list(talk.ordered_guests()) == [cleo, bea, ada]


@pytest.mark.django_db
def test_person_may_be_a_guest_of_many_talks():
    person = PersonFactory()
    talks = [TalkGuestFactory(person=person).talk for _ in range(3)]
    assert set(person.guest_talks.all()) == set(talks)


@pytest.mark.django_db
def test_person_cannot_be_a_guest_of_one_talk_twice():
    credit = TalkGuestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkGuestFactory(talk=credit.talk, person=credit.person)


@pytest.mark.django_db
def test_guest_credit_link_falls_back_to_the_person():
    person = PersonFactory(link="https://ada.example")
    credit = TalkGuestFactory(person=person)
    assert credit.link_url == "https://ada.example"


@pytest.mark.django_db
def test_guest_credit_link_given_on_the_talk_wins():
    person = PersonFactory(link="https://ada.example")
    credit = TalkGuestFactory(person=person, link="https://conf.example/ada")
    assert credit.link_url == "https://conf.example/ada"


# --- Visibility -----------------------------------------------------------------------


@pytest.mark.django_db
def test_published_past_talk_is_public(now):
    talk = TalkFactory(status="published", date=days_ago(30))
    assert list(Talk.objects.published()) == [talk]


@pytest.mark.django_db
def test_published_upcoming_talk_is_public(now):
    # A talk's date is the day of the event: talks are announced before they are given.
    talk = TalkFactory(status="published", date=now + datetime.timedelta(days=30))
    assert list(Talk.objects.published()) == [talk]
    assert talk.is_published


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-30, 30])
def test_draft_talk_is_not_public(now, days):
    talk = TalkFactory(status="draft", date=now + datetime.timedelta(days=days))
    assert not Talk.objects.published().exists()
    assert not talk.is_published


@pytest.mark.django_db
def test_upcoming_and_past_split_talks_at_now(now):
    past = TalkFactory(date=now - datetime.timedelta(minutes=1))
    today = TalkFactory(date=now)
    future = TalkFactory(date=now + datetime.timedelta(days=1))
    assert set(Talk.objects.upcoming()) == {today, future}
    assert list(Talk.objects.past()) == [past]
    assert today.is_upcoming
    assert not past.is_upcoming


@pytest.mark.django_db
def test_upcoming_talk_becomes_past_once_its_date_passes(now, time_machine):
    talk = TalkFactory(date=now + datetime.timedelta(hours=2))
    time_machine.shift(datetime.timedelta(hours=3))
    assert list(Talk.objects.past()) == [talk]
    assert not Talk.objects.upcoming().exists()


# --- Rendered HTML --------------------------------------------------------------------


@pytest.mark.django_db
def test_talk_body_is_rendered_to_html_on_save():
    talk = TalkFactory(body="A talk about *streams*.\n\nMore.")
    assert "<em>streams</em>" in talk.body_html
    assert talk.excerpt_html.strip() == "<p>A talk about <em>streams</em>.</p>"


@pytest.mark.django_db
def test_talk_body_html_has_no_script():
    talk = TalkFactory(body="Slides <script>alert(1)</script> below")
    assert "<script" not in talk.body_html
    assert "<script" not in talk.excerpt_html


# --- Links ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["event", "slides", "video", "podcast"])
@pytest.mark.parametrize(
    "value",
    [None, "", "ttps://docs.google.com/presentation/d/x", "javascript:alert(1)", "/relative"],
)
def test_talk_link_properties_refuse_what_is_not_an_http_url(field, value):
    talk = Talk(**{f"{field}_link": value})
    assert getattr(talk, f"{field}_url") is None


@pytest.mark.parametrize("field", ["event", "slides", "video", "podcast"])
def test_talk_link_properties_give_https_urls(field):
    talk = Talk(**{f"{field}_link": " https://example.com/x "})
    assert getattr(talk, f"{field}_url") == "https://example.com/x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://slides.com/someone/deck/embed", "https://slides.com/someone/deck/embed"),
        ("https://speakerdeck.com/player/abc", "https://speakerdeck.com/player/abc"),
        ("https://evil.example/deck/embed", None),
        ("https://docs.google.com/document/d/x", None),
        ("javascript:alert(1)", None),
        (None, None),
    ],
)
def test_talk_slides_embed_url_only_for_allowlisted_hosts(value, expected):
    assert Talk(embed_slides=value).slides_embed_url == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "https://open.spotify.com/embed/episode/xyz",
            "https://open.spotify.com/embed/episode/xyz",
        ),
        ("https://evil.example/embed", None),
    ],
)
def test_talk_podcast_embed_url_only_for_allowlisted_hosts(value, expected):
    assert Talk(podcast_embed=value).podcast_embed_url == expected


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Remote", True),
        ("remote", True),
        (" Online ", True),
        ("virtual", True),
        ("Dublin, Ireland", False),
        ("", False),
    ],
)
def test_talk_is_remote_from_its_city(city, expected):
    assert Talk(event_city=city).is_remote is expected


def test_talk_map_url_points_at_openstreetmap():
    talk = Talk()
    talk.gps = "53.349137,-6.24775"
    assert talk.map_url == (
        "https://www.openstreetmap.org/?mlat=53.349137&mlon=-6.24775#map=15/53.349137/-6.24775"
    )


def test_talk_without_coordinates_has_no_map_url():
    assert Talk().map_url is None


def test_when_is_the_event_days_read_else_as_written_else_the_local_day(settings):
    settings.TIME_ZONE = "Europe/Rome"
    late = datetime.datetime(2024, 3, 9, 23, 30, tzinfo=datetime.UTC)  # 10 March in Rome
    assert TalkFactory.build(date=late, event_days="").when == "10 March 2024"
    assert TalkFactory.build(date=late, event_days="9-10 March, 2024").when == "9–10 March 2024"
    assert TalkFactory.build(date=late, event_days="Spring 2024").when == "Spring 2024"


def test_social_card_shows_the_talk_date_as_the_pages_do(settings):
    from images.og import card_for

    settings.TIME_ZONE = "Europe/Rome"
    late = datetime.datetime(2024, 3, 9, 23, 30, tzinfo=datetime.UTC)
    talk = TalkFactory.build(date=late, event_days="", event_name="NodeConf")
    assert card_for(talk).footer_right == "NodeConf · 10 March 2024"
