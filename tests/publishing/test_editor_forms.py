"""What the forms give editors before they type: the author, and who may link accounts."""

import pytest
from django.urls import reverse

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
