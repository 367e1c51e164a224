"""People named in any script: an import gives each name a usable ASCII slug, keeps two
different names apart even when they read the same in Latin letters, and finds the same
person again on the next import."""

from pathlib import Path

import pytest

from people.models import Person
from publishing.slugs import slug_for_name, validate_url_slug
from talks.models import Talk

pytestmark = pytest.mark.django_db

# 李雷 and 黎雷 are different names that both read "Li Lei".
GUESTS = ["李雷", "黎雷", "Γιώργος", "Łukasz", "Đorđe", "Иван Петров", "محمد", "🦀", "★"]


def write_talk(root: Path, author: str, guests: list[str]) -> Path:
    lines = ["---", "title: Names", "slug: names", "date: 2024-03-01", f"author: {author}"]
    lines += ["with:", *(f'  - name: "{guest}"' for guest in guests), "---", "", "Body."]
    path = root / "speaking" / "2024-03-01_names.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("José Pérez", "jose-perez"),
        ("Łukasz Nowak", "lukasz-nowak"),
        ("Đorđe Balašević", "dorde-balasevic"),
        ("Straße", "strasse"),
        ("🦀", "crab"),
    ],
)
def test_latin_names_and_emoji_get_a_plain_transliterated_slug(name, slug):
    assert slug_for_name(name) == slug


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("李雷", "lilei-"),
        ("Γιώργος", "giorgos-"),
        ("Иван Петров", "ivan-petrov-"),
        ("★", "person-"),
    ],
)
def test_other_scripts_get_their_transliteration_and_a_suffix_from_the_name(name, start):
    slug = slug_for_name(name)

    assert slug.startswith(start)
    assert len(slug) == len(start) + 6
    assert slug.isascii()
    validate_url_slug(slug)


def test_names_that_read_the_same_in_latin_letters_get_different_slugs():
    assert slug_for_name("李雷") != slug_for_name("黎雷")
    assert slug_for_name("Γιώργος") != slug_for_name("Giorgos")


def test_the_same_name_always_gets_the_same_slug():
    assert slug_for_name("李雷") == slug_for_name(" 李雷 ") == "lilei-e9f408"
    assert slug_for_name("Ivan  Petrov") == slug_for_name("Ivan Petrov")


def test_a_very_long_name_gets_a_slug_that_fits():
    assert len(slug_for_name("Γ" * 500)) <= Person._meta.get_field("slug").max_length


def test_guests_in_any_script_import_as_distinct_people_with_usable_slugs(
    tmp_path, run_import, client
):
    write_talk(tmp_path, author="Γιώργος Παπαδόπουλος", guests=GUESTS)

    report = run_import(tmp_path)

    assert (report.created, report.failed) == (1, 0), report.errors
    talk = Talk.objects.get()
    assert talk.author.name == "Γιώργος Παπαδόπουλος"
    assert [credit.person.name for credit in talk.guest_credits.all()] == GUESTS
    slugs = [credit.person.slug for credit in talk.guest_credits.all()]
    assert len(set(slugs)) == len(GUESTS)
    for person in Person.objects.all():
        validate_url_slug(person.slug)
        assert person.slug.isascii()
        response = client.get(person.get_absolute_url())
        assert response.status_code == 200, person.slug
        assert person.name in response.content.decode()


def test_reimport_finds_the_same_people(tmp_path, run_import):
    write_talk(tmp_path, author="李雷", guests=["黎雷", "Łukasz"])
    run_import(tmp_path)
    people = {person.name: person.pk for person in Person.objects.all()}

    report = run_import(tmp_path)

    assert (report.unchanged, report.people_created) == (1, 0)
    assert {person.name: person.pk for person in Person.objects.all()} == people


def test_a_name_known_from_an_earlier_import_under_its_old_slug_is_the_same_person(
    tmp_path, run_import
):
    # Before transliteration, "Łukasz" lost its first letter: such people keep their slug
    # and are found by name.
    old = Person.objects.create(name="Łukasz", slug="ukasz")
    write_talk(tmp_path, author="Łukasz", guests=[])

    run_import(tmp_path)

    assert Talk.objects.get().author == old
    assert Person.objects.count() == 1


def test_the_same_guest_written_twice_is_still_refused(tmp_path, run_import):
    write_talk(tmp_path, author="Ada", guests=["李雷", "李雷"])

    report = run_import(tmp_path)

    assert report.failed == 1
    assert "with: the same person is listed twice" in report.errors[0]
