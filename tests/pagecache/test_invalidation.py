"""An edit is visible on the next request of every page it shows on, however it is made:
admin, shell (the ORM), import, bulk commands, migrations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from blog.models import Post
from pagecache.invalidation import invalidation_deferred
from pagecache.models import current_version
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.pagecache.builders import get, text
from tests.publishing.builders import post_change_form, write_post

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """A page, an edit, and the text the page shows once the edit is made."""

    url: Callable[[dict], str]
    edit: Callable[[dict], None]
    shows: str


def content() -> dict:
    person = PersonFactory(name="Ada Brennan", slug="ada")
    post = PostFactory(title="Pinned toolchains", author=person, tags=["tooling"])
    talk = TalkFactory(title="Streams in practice", author=person)
    return {"person": person, "post": post, "talk": talk}


def rename(key: str, title: str) -> Callable[[dict], None]:
    def edit(items: dict) -> None:
        item = items[key]
        item.title = title
        item.save()

    return edit


def rename_person(items: dict) -> None:
    items["person"].name = "Ada Lovelace-Brennan"
    items["person"].save()


def tag_another_post(items: dict) -> None:
    PostFactory(title="Lockfiles, again").tags.add("tooling")


def publish_a_post(items: dict) -> None:
    PostFactory(title="A brand new post")


def add_a_guest(items: dict) -> None:
    items["talk"].guests.add(PersonFactory(name="Tomás Reyes"))


def add_a_co_author(items: dict) -> None:
    PostFactory(title="Written together").co_authors.add(items["person"])


CASES = {
    "post": Case(
        lambda i: i["post"].get_absolute_url(), rename("post", "Pinned, again"), "Pinned, again"
    ),
    "talk": Case(
        lambda i: i["talk"].get_absolute_url(),
        rename("talk", "Streams revisited"),
        "Streams revisited",
    ),
    "talk guests": Case(lambda i: i["talk"].get_absolute_url(), add_a_guest, "Tomás Reyes"),
    "person": Case(
        lambda i: i["person"].get_absolute_url(), rename_person, "Ada Lovelace-Brennan"
    ),
    "person co-authored": Case(
        lambda i: i["person"].get_absolute_url(), add_a_co_author, "Written together"
    ),
    "tag": Case(
        lambda i: reverse("blog:tag", kwargs={"tag": "tooling"}),
        tag_another_post,
        "Lockfiles, again",
    ),
    "home": Case(lambda i: reverse("home"), publish_a_post, "A brand new post"),
    "blog index": Case(lambda i: reverse("blog:post_list"), publish_a_post, "A brand new post"),
    "speaking": Case(
        lambda i: reverse("talks:list"), rename("talk", "Streams revisited"), "Streams revisited"
    ),
    "people": Case(lambda i: reverse("people:list"), rename_person, "Ada Lovelace-Brennan"),
    "RSS feed": Case(
        lambda i: reverse("blog:feed"), rename("post", "Pinned, again"), "Pinned, again"
    ),
    "Atom feed": Case(
        lambda i: reverse("blog:atom"), rename("post", "Pinned, again"), "Pinned, again"
    ),
    "talks feed": Case(
        lambda i: reverse("talks:feed"), rename("talk", "Streams revisited"), "Streams revisited"
    ),
    "calendar": Case(
        lambda i: reverse("talks:calendar"),
        rename("talk", "Streams revisited"),
        "Streams revisited",
    ),
    "talk calendar": Case(
        lambda i: reverse("talks:talk_calendar", kwargs={"slug": i["talk"].slug}),
        rename("talk", "Streams revisited"),
        "Streams revisited",
    ),
    "sitemap": Case(
        lambda i: "/sitemap-posts.xml",
        lambda i: PostFactory(slug="a-brand-new-post"),
        "/a-brand-new-post/",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_edit_is_visible_on_the_next_request_of_every_page_kind(client, case):
    items = content()
    url = case.url(items)
    before, _ = get(client, url)
    assert before.status_code == 200
    assert case.shows not in text(before)
    again, cached = get(client, url)
    assert cached, "the page was not cached in the first place"
    assert again.content == before.content

    case.edit(items)

    after, cached = get(client, url)
    assert not cached
    assert case.shows in text(after)


def test_a_deleted_post_is_gone_on_the_next_request(client):
    post = PostFactory()
    get(client, post.get_absolute_url())
    assert get(client, post.get_absolute_url())[1]

    post.delete()

    assert client.get(post.get_absolute_url()).status_code == 404


def test_the_publish_action_of_the_admin_invalidates(client, visitor, editor):
    draft = PostFactory(title="Held back", status="draft")
    assert "Held back" not in text(visitor.get("/blog/"))
    assert get(visitor, "/blog/")[1]
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    assert "Held back" in text(visitor.get("/blog/"))


def test_an_edit_in_the_admin_invalidates(client, visitor, editor):
    post = PostFactory(title="Before the edit")
    get(visitor, post.get_absolute_url())
    assert get(visitor, post.get_absolute_url())[1]
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, title="After the edit"),
    )

    assert response.status_code == 302
    assert "After the edit" in text(visitor.get(post.get_absolute_url()))


def test_a_reimport_invalidates(client, tmp_path, run_import):
    site = tmp_path / "site"
    write_post(site, "2024-02-12-why-we-pin-our-toolchains.md")
    run_import(site)
    url = Post.objects.get().get_absolute_url()
    assert "Why we pin our toolchains" in text(client.get(url))
    assert get(client, url)[1]

    write_post(site, "2024-02-12-why-we-pin-our-toolchains.md", title='"Why we pin, revised"')
    report = run_import(site)

    assert report.updated == 1
    assert "Why we pin, revised" in text(client.get(url))


def test_render_markdown_invalidates(client):
    post = PostFactory(body="The first text.")
    url = post.get_absolute_url()
    get(client, url)
    assert get(client, url)[1]
    Post.objects.filter(pk=post.pk).update(body="The second text.")  # no signal, no render

    call_command("render_markdown", stdout=None)

    assert "The second text." in text(client.get(url))


def test_migrate_invalidates_for_what_data_migrations_changed(client):
    post = PostFactory(title="Before the migration")
    url = post.get_absolute_url()
    get(client, url)
    assert get(client, url)[1]
    # What a data migration does: historical models, no signals this app listens to.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE blog_post SET title = %s", ["After the migration"])

    call_command("migrate", verbosity=0)

    assert "After the migration" in text(client.get(url))


def test_a_deferred_block_invalidates_once_at_its_end():
    version = current_version()
    with invalidation_deferred():
        PostFactory()
        TalkFactory()
        assert current_version() == version
    assert current_version() != version


def test_a_rolled_back_edit_invalidates_nothing():
    version = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        PostFactory()
        raise RuntimeError
    assert current_version() == version
