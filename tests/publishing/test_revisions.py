"""Revisions: kept for every admin save, import and bulk action, shown with what changed,
and restored through the item's own form."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from reversion.models import Revision, Version

from blog.models import Post
from publishing import revisions
from talks.models import Talk
from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, TalkFactory
from tests.images.builders import image_bytes, upload
from tests.publishing.builders import form_as_shown, post_change_form, write_file

pytestmark = pytest.mark.django_db


def versions_of(item) -> list[Version]:
    versions = Version.objects.get_for_object(item).select_related("revision__user")
    return list(versions.order_by("pk"))


def history_url(item) -> str:
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[item.pk])


def test_an_admin_save_keeps_a_revision_with_its_editor_and_what_changed(editor_client, editor):
    post = PostFactory(title="First title")

    response = editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, title="Second title"),
    )

    assert response.status_code == 302
    [version] = versions_of(post)
    assert version.revision.user == editor
    assert "Title" in version.revision.get_comment()
    assert version.field_dict["title"] == "Second title"


def write_hello(site, title: str) -> None:
    front_matter = f"title: {title}\nslug: hello\ndate: 2024-01-02T10:00:00.000Z"
    write_file(site, "posts/2024-01-02_hello/index.md", f"---\n{front_matter}\n---\nHello.\n")


def test_an_import_that_changes_an_item_keeps_a_revision_and_an_unchanged_one_none(
    tmp_path, run_import
):
    site = tmp_path / "site"
    write_hello(site, "Hello")
    run_import(site)
    post = Post.objects.get(slug="hello")
    assert [v.revision.get_comment() for v in versions_of(post)] == [f"Imported from {site}."]

    run_import(site)  # nothing changed: nothing kept
    assert len(versions_of(post)) == 1

    write_hello(site, "Hello again")
    run_import(site)
    assert [v.field_dict["title"] for v in versions_of(post)] == ["Hello", "Hello again"]


def test_a_bulk_action_keeps_one_revision_of_every_item_it_changed(editor_client, editor):
    talks = [TalkFactory(status="draft") for _ in range(3)]

    editor_client.post(
        reverse("admin:talks_talk_changelist"),
        {"action": "publish", "_selected_action": [talk.pk for talk in talks]},
    )

    [revision] = Revision.objects.all()
    assert revision.user == editor
    assert revision.get_comment() == "Published via the list action."
    versions = revision.version_set.filter(content_type__model="talk")
    assert sorted(int(v.object_id) for v in versions) == sorted(t.pk for t in talks)
    assert {v.field_dict["status"] for v in versions} == {"published"}


def test_what_changed_shows_each_changed_field_and_the_body_as_a_line_diff(editor_client):
    post = PostFactory(title="Old title", body="One.\n\nTwo.\n\nThree.\n")
    change = reverse("admin:blog_post_change", args=[post.pk])
    editor_client.post(change, post_change_form(post))
    post.refresh_from_db()
    editor_client.post(
        change, post_change_form(post, title="New title", body="One.\n\nTwo, edited.\n\nThree.\n")
    )
    latest = versions_of(post)[-1]

    page = editor_client.get(
        reverse("admin:blog_post_revision_changes", args=[post.pk, latest.pk])
    ).content.decode()

    assert "Old title" in page and "New title" in page
    assert '<span class="removed">-Two.</span>' in page
    assert '<span class="added">+Two, edited.</span>' in page
    assert "Description" not in page  # unchanged fields are left out
    history = editor_client.get(history_url(post)).content.decode()
    assert history.count(">What changed</a>") == 2


def test_restoring_an_older_revision_brings_back_its_title_tags_and_co_authors(
    editor_client, client
):
    ada, tomas, mei = (PersonFactory(name=name) for name in ("Ada", "Tomás", "Mei"))
    post = PostFactory(title="As first written", tags=["python", "django"])
    PostCoAuthorFactory(post=post, person=ada, position=0)
    PostCoAuthorFactory(post=post, person=tomas, position=1)
    change = reverse("admin:blog_post_change", args=[post.pk])
    first = editor_client.get(change).content.decode()
    editor_client.post(change, form_as_shown(first, "post_form"))  # revision 1
    older = versions_of(post)[-1]

    # Edited since: another title, one tag gone, one co-author replaced.
    edited = form_as_shown(editor_client.get(change).content.decode(), "post_form")
    edited.update({"title": "Rewritten", "tags": "python", "co_author_credits-1-person": mei.pk})
    assert editor_client.post(change, edited).status_code == 302
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Rewritten" in page and "Mei" in page and "Tomás" not in page

    restore = reverse("admin:blog_post_revision", args=[post.pk, older.pk])
    shown = editor_client.get(restore).content.decode()
    assert "As first written" in shown
    post.refresh_from_db()
    assert post.title == "Rewritten"  # looking at a revision changes nothing
    assert editor_client.post(restore, form_as_shown(shown, "post_form")).status_code == 302

    post.refresh_from_db()
    assert post.title == "As first written"
    assert sorted(post.tags.names()) == ["django", "python"]
    assert [person.name for person in post.ordered_co_authors()] == ["Ada", "Tomás"]
    page = client.get(post.get_absolute_url()).content.decode()
    assert "As first written" in page and "Tomás" in page and "Mei" not in page
    assert versions_of(post)[-1].revision.get_comment().startswith("Reverted to previous version")


def test_an_editor_of_posts_cannot_read_the_revisions_of_talks_through_a_post_address(
    editor_client,
):
    talk = TalkFactory()
    editor_client.post(
        reverse("admin:talks_talk_changelist"),
        {"action": "unpublish", "_selected_action": [talk.pk]},
    )
    [version] = versions_of(talk)
    post = PostFactory()

    response = editor_client.get(
        reverse("admin:blog_post_revision_changes", args=[post.pk, version.pk])
    )

    assert response.status_code == 404
    assert Talk.objects.get(pk=talk.pk).status == "draft"


def test_a_replaced_header_kept_by_a_revision_stays_stored_and_comes_back_on_restore(
    editor_client, django_capture_on_commit_callbacks, media_root
):
    post = PostFactory()
    change = reverse("admin:blog_post_change", args=[post.pk])

    def save(**fields):
        post.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(change, post_change_form(post, **fields))
        assert response.status_code == 302

    save(header_image=upload("first.png", image_bytes(color="red", image_format="PNG")))
    post.refresh_from_db()
    first = post.header_image.name
    first_version = versions_of(post)[-1]
    save(header_image=upload("second.png", image_bytes(color="blue", image_format="PNG")))

    assert default_storage.exists(first)  # the first revision still refers to it
    restore = reverse("admin:blog_post_revision", args=[post.pk, first_version.pk])
    shown = editor_client.get(restore).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(restore, form_as_shown(shown, "post_form")).status_code == 302

    post.refresh_from_db()
    assert post.header_image.name == first
    assert default_storage.exists(first)


def test_an_import_keeps_the_tags_and_credits_in_the_revision_and_skips_failed_files(
    tmp_path, run_import
):
    site = tmp_path / "site"
    write_file(
        site,
        "posts/2024-01-02_tagged/index.md",
        "---\ntitle: Tagged\nslug: tagged\ndate: 2024-01-02T10:00:00.000Z\n"
        "tags: [python, django]\nwritten_with:\n  - name: Ada Brennan\n---\nBody.\n",
    )
    # Another file claiming the slug fails while it is saved.
    write_file(
        site,
        "posts/2024-01-03_clash/index.md",
        "---\ntitle: Bad\nslug: tagged\ndate: 2024-01-03T10:00:00.000Z\n---\nBody.\n",
    )

    report = run_import(site)

    assert (report.created, report.failed) == (1, 1)
    [revision] = Revision.objects.all()
    kept = revisions.snapshot(revision.version_set.get(content_type__model="post"))
    assert kept["tags"] == "django, python"
    assert kept["co-authors"] == "Ada Brennan"
    assert not Version.objects.filter(object_repr="Bad").exists()
