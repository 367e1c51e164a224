"""Control characters: XML 1.0 cannot hold them, and one in one title used to take the feeds
down. Import strips them with a warning, admin forms strip them, and every feed, calendar,
sitemap and JSON-LD block stays valid even for rows written past both."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from taggit.models import Tag

from blog.models import Post
from people.models import Person
from publishing.text import control_characters, strip_control_characters
from talks.models import Talk
from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)
from tests.publishing.builders import (
    GOOD_TALK_SLUG,
    line_of,
    management_form,
    markdown_files,
    person_form,
    post_form,
    talk_form,
    talk_text,
    write_file,
    write_good_talk,
)

pytestmark = pytest.mark.django_db


TALK = "speaking/2024-03-01_streams-without-tears.md"
# Every character XML 1.0 refuses that a file or a form can bring.
REFUSED_BY_XML = [chr(code) for code in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
# What a pasted paragraph may carry: vertical tab, form feed, escape, unit separator.
HOSTILE = "\x0b\x0c\x1b\x1f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Streams\x0bwithout tears", "Streamswithout tears"),
        ("".join(REFUSED_BY_XML), ""),
        ("nul\x00byte", "nulbyte"),
        ("not characters \ufffe\uffff", "not characters "),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("tab\tline\nreturn\r\n", "tab\tline\nreturn\r\n"),
        (
            "ünïcödé, 日本語, emoji 🦀, DEL \x7f, NEL \x85",
            "ünïcödé, 日本語, emoji 🦀, DEL \x7f, NEL \x85",
        ),
    ],
)
def test_strip_control_characters_keeps_everything_xml_can_hold(text, expected):
    assert strip_control_characters(text) == expected


def test_control_characters_names_each_code_point_once_in_nested_values():
    value = {"with": [{"name": "Grace\x0b"}, {"name": "Ada\x0b\x1b"}], "ke\x0cy": 1}
    assert control_characters(value) == ["U+000B", "U+001B", "U+000C"]


# --- Import -------------------------------------------------------------------------------


def warnings_of(report, relpath: str) -> list[str]:
    return [warning for warning in report.warnings if warning.startswith(f"{relpath}: ")]


def test_raw_control_characters_in_the_body_are_stripped_with_a_warning_naming_the_line(
    site, run_import
):
    write_good_talk(site)
    text = talk_text(body=f"First{HOSTILE} line.\n\nSecond\x0b line.\n")
    write_file(site, TALK, text)
    # Lines as editors count them: str.splitlines() would also break at \v and \f.
    body_line = text.split("\n").index(f"First{HOSTILE} line.") + 1

    report = run_import(site)

    assert (report.created, report.failed) == (2, 0), report.errors
    talk = Talk.objects.get(slug="streams-without-tears-node-lisbon")
    assert talk.body == "\nFirst line.\n\nSecond line.\n"  # the blank line after the head
    assert not control_characters(talk.body_html)
    assert warnings_of(report, TALK) == [
        f"{TALK}: body: lines {body_line}, {body_line + 2}: removed control characters "
        "U+000B, U+000C, U+001B, U+001F"
    ]
    assert Talk.objects.get(slug=GOOD_TALK_SLUG).title == "A good talk"


def test_raw_control_character_in_front_matter_is_stripped_instead_of_failing_the_yaml(
    site, run_import
):
    text = talk_text(event_city="Lisbon,\x0c Portugal")
    write_file(site, TALK, text)

    report = run_import(site)

    assert report.failed == 0, report.errors
    assert Talk.objects.get().event_city == "Lisbon, Portugal"
    assert warnings_of(report, TALK) == [
        f"{TALK}: front matter: line {line_of(text, 'event_city')}: removed control character "
        "U+000C"
    ]


@pytest.mark.parametrize(
    ("overrides", "key", "check"),
    [
        ({"title": '"Streams\\vwithout tears"'}, "title", lambda t: t.title),
        ({"event_name": '"Node\\x1b.js Lisbon"'}, "event_name", lambda t: t.event_name),
        (
            {"with": '\n  - name: "Grace\\u000bExample"\n    link: "https://a\\fb.example"'},
            "with",
            lambda t: [(c.person.name, c.link) for c in t.guest_credits.all()],
        ),
        ({"tags": '["rust\\v", "\\f"]'}, "tags", lambda t: sorted(t.tags.names())),
        ({"notes": '"kept\\vfor export"'}, "notes", lambda t: t.source_extra),
    ],
    ids=["title", "event-name", "guest", "tags", "unmapped-key"],
)
def test_escaped_control_characters_in_front_matter_values_are_stripped_naming_the_key(
    site, run_import, overrides, key, check
):
    write_file(site, TALK, talk_text(**overrides))

    report = run_import(site)

    assert report.failed == 0, report.errors
    assert any(
        warning.startswith(f"{TALK}: {key}: removed control character")
        for warning in report.warnings
    ), report.warnings
    talk = Talk.objects.get()
    assert not control_characters(check(talk))
    assert not control_characters([talk.title, talk.event_name, talk.source_extra])
    assert not control_characters([person.name for person in Person.objects.all()])
    assert not control_characters([tag.name for tag in Tag.objects.all()])
    assert "" not in [tag.name for tag in Tag.objects.all()]


def test_many_control_characters_make_one_short_warning(site, run_import):
    write_file(site, TALK, talk_text(body="word\x0b\n" * 5000))

    report = run_import(site)

    [warning] = warnings_of(report, TALK)
    assert warning.endswith("and 4995 more: removed control character U+000B")
    assert Talk.objects.get().body == "\n" + "word\n" * 5000


def test_file_with_control_characters_exports_as_imported_without_them(
    site, run_import, run_export
):
    text = talk_text(body=f"Body{HOSTILE}.\n", event_days="March\x0b 1 2024")
    write_file(site, TALK, text)
    run_import(site)

    exported = markdown_files(run_export())

    assert exported == {TALK: strip_control_characters(text).encode()}


def test_clean_file_still_exports_byte_identical(site, run_import, run_export):
    text = talk_text()
    write_file(site, TALK, text)

    report = run_import(site)

    assert report.warnings == []
    assert markdown_files(run_export()) == {TALK: text.encode()}


# --- Admin forms --------------------------------------------------------------------------


def test_post_form_strips_control_characters_from_every_text_field(editor_client):
    co_author = PersonFactory(name="Cleo")
    data = post_form(
        title="Hello\x0b world",
        subtitle="Sub\x1btitle",
        slug="hello-world",
        status="published",
        date_0="2024-06-01",
        date_1="10:00:00",
        author_bio="Engi\x0cneer",
        tags="rust\x0b, \x0b, node",
        description="One\x1f line.",
        tagline="Lead\x08 paragraph.",
        body="Some\x0b **text**.",
        meta_title="SEO\x0b",
        meta_description="Desc\x0b",
        header_image_alt="Alt\x0b",
        **management_form("co_author_credits", total=1),
        **{
            "co_author_credits-0-position": "0",
            "co_author_credits-0-person": str(co_author.pk),
            "co_author_credits-0-link": "https://cleo\x0b.example",
            "co_author_credits-0-image_url": "https://cleo.example/\x1ba.png",
        },
    )

    response = editor_client.post(reverse("admin:blog_post_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert (post.title, post.subtitle, post.author_bio) == ("Hello world", "Subtitle", "Engineer")
    assert (post.description, post.tagline, post.body) == ("One line.", "Lead paragraph.",
                                                            "Some **text**.")  # fmt: skip
    assert (post.meta_title, post.meta_description, post.header_image_alt) == (
        "SEO",
        "Desc",
        "Alt",
    )
    assert sorted(post.tags.names()) == ["node", "rust"]
    credit = post.co_author_credits.get()
    assert (credit.link, credit.image_url) == (
        "https://cleo.example",
        "https://cleo.example/a.png",
    )
    assert "<strong>text</strong>" in post.body_html


def test_talk_form_strips_control_characters_from_event_fields_and_guests(editor_client):
    guest = PersonFactory(name="Grace")
    data = talk_form(
        title="Streams\x0b",
        slug="streams",
        status="published",
        event_name="Node\x0bConf",
        event_city="Dublin,\x0c Ireland",
        event_location="Venue\x1b",
        event_days="June\x0b 20",
        talk_group="streams\x0b",
        body="Text\x0b.",
        **management_form("guest_credits", total=1),
        **{
            "guest_credits-0-position": "0",
            "guest_credits-0-person": str(guest.pk),
            "guest_credits-0-link": "https://grace\x0b.example",
        },
    )

    response = editor_client.post(reverse("admin:talks_talk_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    talk = Talk.objects.get()
    assert (talk.title, talk.event_name, talk.event_city) == ("Streams", "NodeConf",
                                                              "Dublin, Ireland")  # fmt: skip
    assert (talk.event_location, talk.event_days, talk.talk_group, talk.body) == (
        "Venue",
        "June 20",
        "streams",
        "Text.",
    )
    assert talk.guest_credits.get().link == "https://grace.example"


def test_person_form_strips_control_characters(editor_client):
    data = person_form(
        name="Ada\x0b Lovelace",
        slug="ada",
        job_title="Engi\x0cneer",
        bio="Writes\x1b.",
        long_bio="Long\x0b.",
        body="Page\x0b.",
        link="https://ada\x0b.example",
        github="ada\x0b",
    )

    response = editor_client.post(reverse("admin:people_person_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get()
    assert (person.name, person.job_title, person.bio) == ("Ada Lovelace", "Engineer", "Writes.")
    assert (person.long_bio, person.body, person.link, person.github) == (
        "Long.",
        "Page.",
        "https://ada.example",
        "ada",
    )


def test_tag_form_strips_control_characters_from_the_name(editor_client):
    tag = Tag.objects.create(name="rust", slug="rust")
    data = {"name": "rust\x0blang", "slug": "rust", **management_form("taggit_taggeditem_items")}
    data["_save"] = "Save"

    response = editor_client.post(reverse("admin:taggit_tag_change", args=[tag.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    tag.refresh_from_db()
    assert tag.name == "rustlang"


# --- Output, whatever is in the database ----------------------------------------------------


@pytest.fixture
def written_past_the_forms(now):
    """A post, a talk, their people and a tag with control characters in every text, as a
    bulk update or the shell could write them."""
    post = PostFactory(slug="hostile-post", tags=["rust"])
    talk = TalkFactory(slug="hostile-talk", tags=["rust"])
    PostCoAuthorFactory(post=post)
    TalkGuestFactory(talk=talk)
    Post.objects.update(
        title=f"Hello{HOSTILE} world",
        subtitle="Sub\x0b",
        description=f"Desc{HOSTILE}",
        meta_description="Meta\x0b",
        body_html=f"<p>Body{HOSTILE}</p>",
        excerpt_html="<p>Ex\x0bcerpt</p>",
        tagline_html="<p>Tag\x0bline</p>",
    )
    Talk.objects.update(
        title=f"Streams{HOSTILE}",
        event_name="Node\x0bConf",
        event_city="Dublin\x0b",
        event_location="Venue\x1b",
        event_days="June\x0c 20",
        meta_description="Meta\x0b",
        body_html=f"<p>Talk{HOSTILE}</p>",
    )
    Person.objects.update(name=f"Ada{HOSTILE}")
    Tag.objects.update(name="rust\x0b")
    return post, talk


@pytest.mark.parametrize(
    "url",
    [
        "/blog/feed/",
        "/blog/atom/",
        "/blog/tags/rust/feed/",
        "/speaking/feed/",
        "/sitemap.xml",
        "/sitemap-posts.xml",
        "/sitemap-talks.xml",
    ],
)
def test_feeds_and_sitemap_stay_valid_xml_with_control_characters_in_the_database(
    client, written_past_the_forms, url
):
    response = client.get(url)

    assert response.status_code == 200
    assert not control_characters(response.content.decode())
    ET.fromstring(response.content)  # well-formed XML 1.0
    if "sitemap" not in url:
        text = response.content.decode()
        assert "Hello world" in text or "Streams" in text
        assert "rust" in text


def test_blog_feed_keeps_the_text_around_the_control_characters(client, written_past_the_forms):
    feed = ET.fromstring(client.get("/blog/feed/").content)

    item = feed.find("channel/item")
    assert item.findtext("title") == "Hello world"
    assert "<p>Body</p>" in item.findtext("description")
    assert item.findtext("category") == "rust"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ada"


@pytest.mark.parametrize(
    "url", ["/speaking/talks.ics", "/speaking/talks-all.ics", "/speaking/hostile-talk.ics"]
)
def test_calendars_carry_no_control_characters(client, written_past_the_forms, url):
    response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert not control_characters(text)
    assert "SUMMARY:Streams (NodeConf)" in text
    assert "LOCATION:Venue\\, Dublin" in text


@pytest.mark.parametrize("kind", ["post", "talk"])
def test_json_ld_stays_valid_json_with_control_characters_in_the_database(
    client, written_past_the_forms, kind
):
    post, talk = written_past_the_forms
    item = post if kind == "post" else talk
    response = client.get(item.get_absolute_url())

    assert response.status_code == 200
    head = response.content.decode().split("</head>")[0]
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert not control_characters(script)
    data = json.loads(script)
    assert (data.get("headline") or data.get("name")) in {
        f"Hello{HOSTILE} world",
        f"Streams{HOSTILE}",
    }
