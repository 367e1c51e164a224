""" "Also given at": the same talk at other events, by normalised title or the editor's group."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from talks.models import Talk, edition_key_of, normalise_title
from tests.factories import TalkFactory
from tests.publishing.builders import write_talk


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("It’s about time to embrace Streams", "its about time to embrace streams"),
        ("It's about time to embrace streams!", "its about time to embrace streams"),
        ("  IT'S   ABOUT TIME to embrace streams  ", "its about time to embrace streams"),
        ("Node.js streams (workshop)", "node js streams"),
        ("Node.js Streams – Workshop", "node js streams"),
        ("Node.js streams - workshop", "node js streams"),
        ("Node.js streams: Interview", "node js streams"),
        ("Node.js streams [live] (interview)", "node js streams"),
        ("Écrire du code lisible", "ecrire du code lisible"),
        ("Ecrire du code lisible", "ecrire du code lisible"),
        ("Rust su AWS “for fun and profit”", "rust su aws for fun and profit"),
        ("AWS re:Invent re:Cap (panel)", "aws re invent re cap"),
        # Only formats are dropped after a dash: a subtitle is part of the title.
        ("Serverless - the battle of the giants", "serverless the battle of the giants"),
        ("Workshops that work", "workshops that work"),
        ("Streams hands-on-workshop", "streams hands on workshop"),
        # A title that is nothing but a note keeps it.
        ("(Interview)", "interview"),
        ("", ""),
    ],
)  # fmt: skip
def test_normalised_title_ignores_case_accents_punctuation_and_format_notes(title, normalised):
    assert normalise_title(title) == normalised


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Serverless: The Battle of the Giants", "Serverless"),
        ("Happy days with Node.js streams", "It's about time to embrace streams"),
        ("Node.js streams (part 1)", "Node.js streams part 2"),
    ],
)
def test_different_talks_stay_apart(first, second):
    assert normalise_title(first) != normalise_title(second)


def at(year: int, month: int = 6) -> datetime.datetime:
    return datetime.datetime(year, month, 1, 18, tzinfo=datetime.UTC)


def also_given_at(client, talk: Talk) -> str:
    content = client.get(talk.get_absolute_url()).content.decode()
    if 'id="also-given-at"' not in content:
        return ""
    section = content[content.index('id="also-given-at"') :]
    return section[: section.index("</section>")]


@pytest.mark.django_db
def test_talk_lists_its_other_editions_grouped_by_normalised_title(client, now):
    dublin = TalkFactory(
        title="It’s about time to embrace Streams", event_name="Dublin JS", date=at(2019, 3)
    )
    devit = TalkFactory(
        title="It's about time to embrace streams (workshop)",
        event_name="DevIT",
        event_city="Thessaloniki, Greece",
        event_days="June 09-10 2019",
        is_workshop=True,
        date=at(2019, 6),
    )
    TalkFactory(title="Happy days with Node.js streams", event_name="CityJS")
    assert dublin.other_editions() == [devit]
    assert devit.other_editions() == [dublin]
    section = also_given_at(client, dublin)
    assert f'<a href="{devit.get_absolute_url()}">DevIT</a>' in section
    assert '<span class="badge">Workshop</span>' in section
    assert "June 09-10 2019" in section and "Thessaloniki, Greece" in section
    assert "CityJS" not in section


@pytest.mark.django_db
def test_other_editions_are_newest_first(now):
    first = TalkFactory(title="Streams", date=at(2018))
    second = TalkFactory(title="Streams", date=at(2020))
    third = TalkFactory(title="Streams", date=now + datetime.timedelta(days=30))
    assert first.other_editions() == [third, second]


@pytest.mark.django_db
def test_editor_group_joins_talks_with_different_titles(client):
    old = TalkFactory(title="Streams for beginners", talk_group="streams")
    renamed = TalkFactory(title="Happy days with Node.js streams", talk_group=" Streams ")
    TalkFactory(title="Streams for beginners")  # same title, but the editor grouped it apart
    assert old.other_editions() == [renamed]
    assert renamed.get_absolute_url() in also_given_at(client, old)


@pytest.mark.django_db
def test_editor_group_keeps_apart_talks_with_the_same_title():
    first = TalkFactory(title="Ask me anything", talk_group="ama-packt")
    second = TalkFactory(title="Ask me anything", talk_group="ama-gitbar")
    assert first.other_editions() == []
    assert second.other_editions() == []


@pytest.mark.django_db
def test_drafts_are_never_listed_as_other_editions(client, now):
    public = TalkFactory(title="Streams")
    TalkFactory(title="Streams", status="draft", event_name="Secret Conf")
    TalkFactory(title="Streams", status="draft", date=now + datetime.timedelta(days=5))
    assert public.other_editions() == []
    assert also_given_at(client, public) == ""


@pytest.mark.django_db
def test_talk_given_once_has_no_also_given_at_section(client):
    assert also_given_at(client, TalkFactory(title="Only once")) == ""


@pytest.mark.django_db
def test_editor_sets_the_talk_group_in_the_admin(editor_client):
    talk = TalkFactory(title="Streams")
    response = editor_client.get(f"/admin/talks/talk/{talk.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="talk_group"' in content
    assert "talks with the same value are the same talk" in content
    content_fieldset = response.context["adminform"].fieldsets[0]
    assert "talk_group" in content_fieldset[1]["fields"]


@pytest.mark.django_db
def test_admin_filters_and_searches_by_talk_group(editor_client):
    TalkFactory(title="Grouped one", talk_group="streams-talk")
    TalkFactory(title="Loner")
    listing = editor_client.get("/admin/talks/talk/?q=streams-talk").content.decode()
    assert "Grouped one" in listing and "Loner" not in listing
    filtered = editor_client.get("/admin/talks/talk/?talk_group=streams-talk").content.decode()
    assert "Grouped one" in filtered and "Loner" not in filtered


# --- The stored edition key -------------------------------------------------------------


@pytest.mark.django_db
def test_other_editions_are_found_by_the_stored_key_in_one_query(now, django_assert_num_queries):
    first = TalkFactory(title="Node.js streams (workshop)")
    second = TalkFactory(title="Node.js Streams")
    for number in range(20):
        TalkFactory(title=f"Another talk {number}")
    assert first.edition_key == second.edition_key == edition_key_of("Node.js streams", "")
    with django_assert_num_queries(1) as captured:
        assert first.other_editions() == [second]
    assert "edition_key" in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_talk_without_a_title_to_group_by_has_no_key_and_no_other_editions(
    now, django_assert_num_queries
):
    talk = TalkFactory(title="!!!")
    TalkFactory(title="???")
    assert talk.edition_key == ""
    with django_assert_num_queries(0):
        assert talk.other_editions() == []


@pytest.mark.django_db
def test_editions_follow_edits_of_the_title_and_the_group(now):
    first = TalkFactory(title="Streams")
    second = TalkFactory(title="Streams")
    second.title = "Happy days with Node.js streams"
    second.save()
    assert first.other_editions() == []
    second.talk_group = "streams"
    second.save(update_fields=["talk_group"])
    first.talk_group = "Streams"
    first.save(update_fields=["talk_group", "status"])
    assert first.other_editions() == [second]
    assert Talk.objects.get(pk=second.pk).edition_key == first.edition_key


@pytest.mark.django_db
def test_imported_talks_are_grouped_and_regrouped_when_a_title_changes(run_import, tmp_path):
    source = tmp_path / "site"
    write_talk(source, "2024-03-01_lisbon.md", title="Streams without tears", slug="lisbon")
    write_talk(
        source, "2024-05-01_milan.md", title="'Streams without tears (workshop)'", slug="milan"
    )
    assert run_import(source).created == 2
    lisbon, milan = Talk.objects.get(slug="lisbon"), Talk.objects.get(slug="milan")
    assert lisbon.other_editions() == [milan]

    write_talk(source, "2024-05-01_milan.md", title="Something else", slug="milan")
    report = run_import(source)
    assert (report.updated, report.failed) == (1, 0)
    assert lisbon.other_editions() == []


@pytest.mark.django_db
def test_migration_gives_existing_talks_their_key(now):
    fill = importlib.import_module("talks.migrations.0007_fill_edition_keys").fill_edition_keys
    first = TalkFactory(title="Streams")
    second = TalkFactory(title="STREAMS!", talk_group="")
    grouped = TalkFactory(title="Other", talk_group="streams-group")
    Talk.objects.update(edition_key="")
    fill(django_apps, None)
    assert Talk.objects.get(pk=first.pk).edition_key == edition_key_of("Streams", "")
    assert Talk.objects.get(pk=second.pk).edition_key == edition_key_of("Streams", "")
    assert Talk.objects.get(pk=grouped.pk).edition_key == edition_key_of("", "streams-group")
    assert Talk.objects.get(pk=first.pk).other_editions() == [second]
