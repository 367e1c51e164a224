"""Items not edited since their import are written back from their source, without
reading its YAML again; any edit sends them through the full export."""

import pytest

from blog.models import Post
from frontmatter import exporter
from frontmatter.exporter import ItemWriter, export_items
from people.models import Person
from talks.models import Talk
from tests.publishing.builders import markdown_files, write_site

pytestmark = pytest.mark.django_db


def writer_of(instance) -> ItemWriter:
    kind = {Post: "post", Talk: "talk", Person: "person"}[type(instance)]
    return ItemWriter(instance, kind, exporter.target_format(instance, kind, None))


def test_unedited_items_are_written_without_reading_their_front_matter(
    tmp_path, run_import, monkeypatch
):
    site = write_site(tmp_path / "site")
    run_import(site)

    def refuse(*args):
        raise AssertionError("front matter parsed for an unedited item")

    monkeypatch.setattr(exporter, "parse_front_matter", refuse)
    report = export_items(tmp_path / "out")

    assert report.ok and report.items == 10
    written = markdown_files(tmp_path / "out")
    for name, data in markdown_files(site).items():
        assert written[name] == data, name


@pytest.mark.parametrize(
    "edit",
    [
        lambda talk: setattr(talk, "event_city", "Cork"),
        lambda talk: setattr(talk, "focal_x", 0.25),
        lambda talk: talk.tags.add("new-tag"),
        lambda talk: (
            talk.guest_credits.first()
            .person.__class__.objects.filter(pk=talk.guest_credits.first().person_id)
            .update(name="Renamed Guest")
        ),
        lambda talk: talk.guest_credits.last().delete(),
    ],
    ids=["field", "focal-point", "tag", "guest-renamed", "guest-removed"],
)
def test_any_edit_sends_an_item_through_the_full_export(tmp_path, run_import, edit):
    run_import(write_site(tmp_path / "site"))
    talk = Talk.objects.get(slug="talk-1")
    assert writer_of(talk).pristine

    edit(talk)
    talk.save()

    assert not writer_of(Talk.objects.get(pk=talk.pk)).pristine


def test_edited_author_profile_is_no_longer_written_from_its_source(tmp_path, run_import):
    run_import(write_site(tmp_path / "site"))
    person = Person.objects.get(slug="janeexample")
    assert writer_of(person).pristine

    person.name = "Jane Q. Example"
    person.save()

    writer = writer_of(Person.objects.get(pk=person.pk))
    assert not writer.pristine
    assert "name: Jane Q. Example" in writer.text()


def test_reimport_gives_an_item_without_a_digest_one_and_calls_it_unchanged(tmp_path, run_import):
    site = write_site(tmp_path / "site")
    run_import(site)
    Talk.objects.update(source_fingerprint="")
    Post.objects.update(source_fingerprint="")

    report = run_import(site)

    assert report.unchanged == 10
    assert not Talk.objects.filter(source_fingerprint="").exists()
    assert all(writer_of(talk).pristine for talk in Talk.objects.all())
