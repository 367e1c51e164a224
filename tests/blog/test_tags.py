"""Every tag, whatever its name, has a slug its URL takes, so the pages that link it answer;
a tag that only unpublished posts use has no page and no feed."""

import datetime
import hashlib
import importlib
import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from frontmatter.importer import import_paths
from publishing.slugs import TAG_SLUG_PATTERN
from tests.factories import PostFactory, TalkFactory
from tests.publishing.builders import field_errors, post_form, talk_form

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

SLUG_LENGTH = Tag._meta.get_field("slug").max_length

ODD_NAMES = [
    "café",
    "Café",  # differs by case
    "CAFÉ",  # by case, outside ASCII
    "cafe",  # by accent
    "cafe\u0301",  # the same word with a combining accent: another name, the same letters
    "日本語",
    "Ελληνικά",
    "עברית",
    "🐍",  # nothing a slug keeps
    "---",
    "🎉🎉",
    "C++",  # "c", as is…
    "C#",  # …this one
    "hello world",
    "f" * SLUG_LENGTH,  # as long as a name may be
    "ﬀ" * SLUG_LENGTH,  # a ligature: its slug is twice as long, and clashes with the above
    "ﷺ" * 10,  # one character that spells out 18
]


def tag_links(html: str) -> list[str]:
    return re.findall(r'href="(/blog/tags/[^"]+/)"', html)


@pytest.fixture
def odd_post(now):
    return PostFactory(title="Odd tags", tags=ODD_NAMES, date=now - datetime.timedelta(days=1))


def test_every_odd_tag_name_gets_a_usable_unique_slug(odd_post):
    slugs = list(Tag.objects.values_list("slug", flat=True))

    assert len(slugs) == len(set(slugs))
    for slug in slugs:
        assert re.fullmatch(TAG_SLUG_PATTERN, slug), slug
        assert len(slug) <= SLUG_LENGTH, slug


def test_every_tag_url_reverses(odd_post):
    for tag in Tag.objects.all():
        assert reverse("blog:tag", kwargs={"tag": tag.slug}).startswith("/blog/tags/")
        assert reverse("blog:tag_feed", kwargs={"tag": tag.slug}).endswith("/feed/")


@pytest.mark.parametrize("page", ["post", "year", "list", "home"])
def test_pages_linking_odd_tags_answer_and_link_every_tag(client, odd_post, page):
    path = {
        "post": odd_post.get_absolute_url(),
        "year": f"/blog/{odd_post.date.year}/",
        "list": "/blog/",
        "home": "/",
    }[page]

    response = client.get(path)

    assert response.status_code == 200
    if page != "home":  # the home page lists posts without their tags
        assert len(set(tag_links(response.content.decode()))) == Tag.objects.count()


def test_every_linked_tag_page_and_feed_lists_the_post(client, odd_post):
    links = set(tag_links(client.get(odd_post.get_absolute_url()).content.decode()))
    assert links

    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert "Odd tags" in page.content.decode()
        feed = client.get(f"{link}feed/")
        assert feed.status_code == 200, link
        titles = [item.findtext("title") for item in ET.fromstring(feed.content).iter("item")]
        assert titles == ["Odd tags"]


def test_talk_page_with_odd_tags_answers(client, now):
    talk = TalkFactory(title="Odd talk", tags=ODD_NAMES)
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    assert "日本語" in response.content.decode()


def test_tags_whose_names_slugify_alike_keep_pages_of_their_own(client, now):
    PostFactory(title="About C++", tags=["C++"])
    PostFactory(title="About C#", tags=["C#"])
    cpp, csharp = Tag.objects.get(name="C++"), Tag.objects.get(name="C#")

    assert cpp.slug != csharp.slug
    cpp_page = client.get(reverse("blog:tag", args=[cpp.slug])).content.decode()
    csharp_page = client.get(reverse("blog:tag", args=[csharp.slug])).content.decode()
    assert "About C++" in cpp_page and "About C#" not in cpp_page
    assert "About C#" in csharp_page and "About C++" not in csharp_page


def test_unicode_tag_keeps_its_letters_in_its_address(client, now):
    PostFactory(title="Kanji", tags=["日本語"])
    tag = Tag.objects.get(name="日本語")

    assert tag.slug == "日本語"
    assert reverse("blog:tag", args=[tag.slug]) == "/blog/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/"
    assert "Kanji" in client.get("/blog/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/").content.decode()


@pytest.mark.parametrize("name", ["---", "🐍", "!!!"])
def test_tag_with_nothing_to_slugify_gets_a_stable_fallback(name, now):
    expected = "tag-" + hashlib.sha256(name.encode()).hexdigest()[:10]

    PostFactory(tags=[name])
    assert Tag.objects.get(name=name).slug == expected

    # The same name gets the same slug again (another site, a re-import).
    Tag.objects.all().delete()
    PostFactory(tags=[name])
    assert Tag.objects.get(name=name).slug == expected


def test_slug_an_editor_chose_is_kept():
    tag = Tag.objects.create(name="Python", slug="py")
    tag.save()
    assert Tag.objects.get(pk=tag.pk).slug == "py"


def test_migration_repairs_tags_whose_slug_cannot_be_an_address(client, now):
    post = PostFactory(title="Tagged long ago", tags=["---", "a b", "a/b", "café", "python"])
    # Slugs as earlier versions left them (a queryset update skips every save hook).
    Tag.objects.filter(name="---").update(slug="")
    Tag.objects.filter(name="a b").update(slug="a b")
    Tag.objects.filter(name="a/b").update(slug="a/b")
    migration = importlib.import_module("publishing.migrations.0003_repair_tag_slugs")

    migration.repair_tag_slugs(apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs["---"] == "tag-" + hashlib.sha256(b"---").hexdigest()[:10]
    assert slugs["a b"] == "a-b"
    assert slugs["a/b"] == "ab"
    assert (slugs["café"], slugs["python"]) == ("café", "python")  # usable: kept
    assert client.get(post.get_absolute_url()).status_code == 200
    for slug in slugs.values():
        assert client.get(reverse("blog:tag", args=[slug])).status_code == 200


# --- Tags of unpublished posts --------------------------------------------------------------


@pytest.mark.parametrize("unpublished", ["draft", "scheduled"])
def test_tag_used_only_by_unpublished_posts_has_no_page_and_no_feed(client, now, unpublished):
    if unpublished == "draft":
        PostFactory(status="draft", tags=["secret-plans"])
    else:
        PostFactory(date=now + datetime.timedelta(days=2), tags=["secret-plans"])
    PostFactory(title="Public post", tags=["open"])

    assert client.get("/blog/tags/secret-plans/").status_code == 404
    assert client.get("/blog/tags/secret-plans/feed/").status_code == 404
    assert client.get("/blog/tags/open/").status_code == 200
    assert client.get("/blog/tags/open/feed/").status_code == 200


def test_tag_used_only_by_unpublished_posts_is_hidden_from_editors_too(editor_client, now):
    PostFactory(status="draft", tags=["secret-plans"])
    assert editor_client.get("/blog/tags/secret-plans/").status_code == 404


def test_tag_page_appears_when_its_scheduled_post_comes(client, now, time_machine):
    PostFactory(title="Launch", date=now + datetime.timedelta(days=2), tags=["launch"])
    assert client.get("/blog/tags/launch/").status_code == 404

    time_machine.shift(datetime.timedelta(days=2, seconds=1))

    assert "Launch" in client.get("/blog/tags/launch/").content.decode()
    assert client.get("/blog/tags/launch/feed/").status_code == 200


def test_tag_page_query_count_does_not_grow_with_posts(client, now):
    def queries_for_tag_page() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/blog/tags/python/").status_code == 200
        return len(context)

    for _ in range(3):
        PostFactory(tags=["python", "django"])
        PostFactory(status="draft", tags=["python"])
    with_3 = queries_for_tag_page()
    for _ in range(7):
        PostFactory(tags=["python", "node"])
        PostFactory(status="draft", tags=["python"])
    assert queries_for_tag_page() == with_3


# --- Names longer than a tag holds -----------------------------------------------------------

LONG_NAME = "x" * (Tag._meta.get_field("name").max_length + 1)


@pytest.mark.parametrize("model", ["post", "talk"])
def test_admin_refuses_a_tag_name_longer_than_a_tag_holds_on_the_tags_field(editor_client, model):
    app, form = ("blog", post_form) if model == "post" else ("talks", talk_form)
    url = reverse(f"admin:{app}_{model}_add")
    data = form(
        title="Tagged",
        slug="tagged",
        date_0="2024-06-01",
        date_1="10:00:00",
        tags=f"fine, {LONG_NAME}",
    )

    response = editor_client.post(url, data)

    assert field_errors(response, "tags") == [
        f"Tag “{'x' * 40}…” is {len(LONG_NAME)} characters long; a tag has at most "
        f"{len(LONG_NAME) - 1}."
    ]
    assert not Tag.objects.exists()


def test_import_refuses_a_tag_name_longer_than_a_tag_holds_naming_the_key(tmp_path, media_root):
    (tmp_path / "2024-06-01_tagged.md").write_text(
        f"---\ntitle: Tagged\nslug: tagged\ndate: 2024-06-01\ntags: [fine, {LONG_NAME}]\n---\n"
        "Body.\n"
    )
    (tmp_path / "2024-06-02_fine.md").write_text(
        "---\ntitle: Fine\nslug: fine\ndate: 2024-06-02\ntags: [fine]\n---\nBody.\n"
    )

    report = import_paths([tmp_path])

    assert report.errors == [
        f"2024-06-01_tagged.md:5: tags: tag “{'x' * 40}…” is {len(LONG_NAME)} characters long; "
        f"a tag has at most {len(LONG_NAME) - 1}"
    ]
    assert report.created == 1
    assert list(Tag.objects.values_list("name", flat=True)) == ["fine"]
