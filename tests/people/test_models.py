import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Person
from tests.factories import PersonFactory

# --- Slugs and URLs -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["algo_luca", "Luciano.Mammino", "the---one"])
def test_person_slug_accepts_handles_of_migrated_sites(slug):
    PersonFactory(slug=slug).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["has space", "a/b", ".hidden"])
def test_person_slug_rejects_unsafe_slugs(slug):
    with pytest.raises(ValidationError) as excinfo:
        PersonFactory.build(slug=slug).full_clean()
    assert "slug" in excinfo.value.error_dict


@pytest.mark.django_db
def test_person_slug_is_unique_regardless_of_case():
    PersonFactory(slug="Foo")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(slug="foo")


def test_person_url_is_under_people():
    assert Person(slug="algo_luca").get_absolute_url() == "/people/algo_luca/"


# --- Rendered HTML --------------------------------------------------------------------


@pytest.mark.django_db
def test_person_bios_are_rendered_to_html_on_save():
    person = PersonFactory(bio="Writes about <em>software</em>.", long_bio="## About\n\n**Hi**")
    assert person.bio_html.strip() == "<p>Writes about <em>software</em>.</p>"
    assert '<h2 id="about">About</h2>' in person.long_bio_html
    assert "<strong>Hi</strong>" in person.long_bio_html


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["bio", "long_bio"])
def test_person_bio_html_has_no_script(field):
    person = PersonFactory(**{field: "Hi <script>alert(1)</script><img src=x onerror=alert(2)>"})
    html = person.bio_html + person.long_bio_html
    assert "<script" not in html
    assert "onerror" not in html
    assert "alert" not in html


# --- Links and pictures ---------------------------------------------------------------


def test_person_social_links_for_every_profile_given():
    person = Person(
        github="lmammino",
        twitter="@loige",
        mastodon="@loige@fosstodon.org",
        linkedin="lucianomammino",
        bluesky="loige.co",
    )
    assert person.social_links == [
        ("GitHub", "https://github.com/lmammino"),
        ("Twitter", "https://twitter.com/loige"),
        ("Mastodon", "https://fosstodon.org/@loige"),
        ("LinkedIn", "https://www.linkedin.com/in/lucianomammino"),
        ("Bluesky", "https://bsky.app/profile/loige.co"),
    ]


def test_person_without_profiles_has_no_social_links():
    assert Person().social_links == []


def test_person_mastodon_handle_without_server_gives_no_link():
    assert Person(mastodon="loige").social_links == []


def test_person_link_url_only_for_http_links():
    assert Person(link="https://loige.co").link_url == "https://loige.co"
    assert Person(link="loige.co").link_url is None


def test_person_remote_avatar_url_is_the_http_address_to_fetch():
    person = Person(avatar="images/ada.png", avatar_url=" https://example.com/ada.png")
    assert person.remote_avatar_url == "https://example.com/ada.png"


@pytest.mark.parametrize("value", ["", "javascript:alert(1)", "ftp://example.com/a.png", "a.png"])
def test_person_non_http_avatar_url_is_nothing_to_fetch(value):
    assert Person(avatar_url=value).remote_avatar_url is None
