"""What the forms give editors before they type: the author, and who may link accounts."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_post_starts_with_its_editor_as_the_author_when_they_are_a_person(
    editor_client, editor
):
    ada = PersonFactory(name="Ada Brennan", user=editor)

    form = editor_client.get(reverse("admin:blog_post_add")).context["adminform"].form

    assert form.initial["author"] == ada.pk


def test_only_who_manages_accounts_links_a_person_to_one(editor_client, admin_client):
    person = PersonFactory()
    change = reverse("admin:people_person_change", args=[person.pk])
    editor_form = editor_client.get(change).context["adminform"].form
    admin_form = admin_client.get(change).context["adminform"].form
    assert "user" not in editor_form.fields
    assert "user" in admin_form.fields


def test_tag_suggestions_start_with_what_is_typed_then_contain_it(editor_client):
    for name in ["python", "Pythonista", "cpython", "django", *[f"py{n:02d}" for n in range(12)]]:
        Tag.objects.create(name=name)
    url = reverse("admin_tag_suggestions")

    found = editor_client.get(url, {"q": "pyth"}).json()["tags"]
    assert found == ["python", "Pythonista", "cpython"]
    assert len(editor_client.get(url, {"q": "py"}).json()["tags"]) == 10
    assert editor_client.get(url, {"q": "  "}).json() == {"tags": []}


def test_tag_suggestions_are_for_editors_only(client, db):
    Tag.objects.create(name="secret-project")
    response = client.get(reverse("admin_tag_suggestions"), {"q": "secret"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
