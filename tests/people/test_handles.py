"""Names, not handles: a person is shown by name wherever a name is known; someone known
only by the handle files credit them by keeps it, shown as a handle rather than as a name."""

import pytest

from people.models import Person
from tests.factories import PersonFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

POST = """---
title: "{title}"
authorHandle: {handle}
description: "A post."
---

Body.
"""
PROFILE = """---
name: "{name}"
bio: "Engineer"
---
"""


def write_site(root, posts: dict[str, str], profiles: dict[str, str]) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "authors").mkdir()
    for number, (slug, handle) in enumerate(posts.items(), start=1):
        path = root / "posts" / f"2024-01-{number:02d}-{slug}.md"
        path.write_text(POST.format(title=slug.title(), handle=handle))
    for handle, name in profiles.items():
        (root / "authors" / f"{handle}.md").write_text(PROFILE.format(name=name))


def test_imported_handles_with_a_profile_show_the_profiles_name(tmp_path, run_import, client):
    write_site(
        tmp_path,
        posts={"first": "ada_l", "second": "real_bea"},
        profiles={"ada_l": "Ada Lovelace"},
    )

    report = run_import(tmp_path)

    assert report.failed == 0, report.errors
    ada = Person.objects.get(slug="ada_l")
    assert (ada.name, ada.name_is_handle) == ("Ada Lovelace", False)
    index = client.get("/people/").content.decode()
    assert '<a href="/people/ada_l/">Ada Lovelace</a>' in index
    assert ">ada_l<" not in index
    page = client.get("/people/ada_l/").content.decode()
    assert "<h1>Ada Lovelace</h1>" in page
    assert "<title>Ada Lovelace" in page
    post = client.get(ada.posts.get().get_absolute_url()).content.decode()
    assert ">Ada Lovelace</a>" in post
    assert ">ada_l</a>" not in post


def test_a_handle_without_a_profile_is_shown_as_a_handle(tmp_path, run_import, client):
    write_site(tmp_path, posts={"first": "real_bea"}, profiles={})
    run_import(tmp_path)

    bea = Person.objects.get(slug="real_bea")

    assert bea.name_is_handle
    index = client.get("/people/").content.decode()
    assert '<a href="/people/real_bea/" class="handle">real_bea</a>' in index
    page = client.get("/people/real_bea/").content.decode()
    assert '<h1 class="handle">real_bea</h1>' in page
    assert "Known here only by this handle" in page


def test_a_name_that_reads_like_its_slug_is_still_a_name(client):
    ada = PersonFactory(name="Ada", slug="ada")
    PostFactory(author=ada)

    assert not ada.name_is_handle
    assert "<h1>Ada</h1>" in client.get("/people/ada/").content.decode()
