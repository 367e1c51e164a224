"""A public item's old address keeps working when its slug or date changes: it answers 301
to the new one, without chains or loops; editors see and mend redirects in the admin."""

import datetime

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, TalkFactory
from tests.publishing.builders import post_change_form

pytestmark = pytest.mark.django_db


def redirects() -> dict[str, str]:
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def test_renaming_a_published_post_in_the_admin_keeps_its_old_address(editor_client, client):
    post = PostFactory(slug="first-name")
    old = post.get_absolute_url()

    response = editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_change_form(post, slug="second-name"),
    )

    assert response.status_code == 302
    post.refresh_from_db()
    answer = client.get(old)
    assert (answer.status_code, answer["Location"]) == (301, post.get_absolute_url())
    assert client.get(post.get_absolute_url()).status_code == 200


def test_a_new_date_moves_a_post_and_keeps_its_old_address(client):
    post = PostFactory()
    old = post.get_absolute_url()

    post.date -= datetime.timedelta(days=40)
    post.save()

    assert redirects() == {old: post.get_absolute_url()}
    assert client.get(old)["Location"] == post.get_absolute_url()


def test_renames_leave_no_chain_and_renaming_back_leaves_no_loop():
    talk = TalkFactory(slug="a")
    first = talk.get_absolute_url()
    talk.slug = "b"
    talk.save()
    second = talk.get_absolute_url()
    talk.slug = "c"
    talk.save()
    third = talk.get_absolute_url()
    assert redirects() == {first: third, second: third}

    talk.slug = "a"
    talk.save()
    assert redirects() == {second: first, third: first}


def test_a_person_renamed_keeps_their_page_address(client):
    person = PersonFactory(slug="old-handle")
    PostCoAuthorFactory(post=PostFactory(), person=person)  # credited: a public page
    old = person.get_absolute_url()

    person.slug = "new-handle"
    person.save()

    assert client.get(old)["Location"] == person.get_absolute_url()


def test_renaming_a_draft_keeps_no_address_it_never_had():
    post = PostFactory(status="draft", slug="draft-one")
    post.slug = "draft-two"
    post.save()
    assert redirects() == {}


def test_editors_see_the_redirects_and_mend_one(editor_client):
    Redirect.objects.create(site_id=1, old_path="/2019/old/", new_path="/blog/")
    listing = editor_client.get(reverse("admin:redirects_redirect_changelist"))
    assert listing.status_code == 200 and "/2019/old/" in listing.content.decode()

    redirect = Redirect.objects.get(old_path="/2019/old/")
    response = editor_client.post(
        reverse("admin:redirects_redirect_change", args=[redirect.pk]),
        {"old_path": "/2019/old/", "new_path": "/speaking/"},
    )
    assert response.status_code == 302
    assert redirects()["/2019/old/"] == "/speaking/"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("new_path", "javascript:alert(1)"),
        ("new_path", "//evil.example/"),
        ("new_path", "ftp://files.example/"),
        ("old_path", "https://elsewhere.example/x"),
        ("old_path", "no-slash"),
        ("old_path", "/with space/"),
    ],
)
def test_a_redirect_that_would_break_an_address_is_refused_on_its_field(
    editor_client, field, value
):
    data = {"old_path": "/old/", "new_path": "/blog/", field: value}
    response = editor_client.post(reverse("admin:redirects_redirect_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not Redirect.objects.exists()
