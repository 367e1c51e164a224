"""Search finds the people the public may see (credited on a public post or talk) by name,
job title, bio and page text, links to their page, and never finds a person whose items
are all drafts or scheduled, nor anything of those drafts."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from people.models import Person
from search.engine import search
from search.models import Entry
from search.signals import migrated
from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)
from tests.publishing.builders import write_post

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [str(result.item) for result in search(query)]


@pytest.fixture
def ada(now):
    ada = PersonFactory(
        name="Ada Lovelace",
        slug="ada",
        job_title="Analyst",
        bio="Writes on *analytical engines* and Bernoulli numbers.",
        long_bio="Born in London.",
        body="Her notes on the engine include the first published algorithm.",
    )
    PostFactory(author=ada, title="Notes", body="x")
    return ada


@pytest.mark.parametrize(
    "query",
    [
        "Lovelace",
        "ada lovelace",
        "analyst",
        "bernoulli",
        "analytical engines",
        "london",
        "algorithm",
    ],
    ids=["name", "full-name", "job-title", "bio", "bio-stemmed", "long-bio", "page-text"],
)
def test_public_person_is_found_by_name_job_title_bio_and_page_text(ada, query):
    assert found(query) == ["Ada Lovelace"]


def test_name_ranks_above_a_bio_mention(now):
    named = PersonFactory(name="Grace Hopper", bio="Admiral.")
    mentioned = PersonFactory(name="Jean Sammet", bio="Worked with Grace Hopper on COBOL.")
    PostFactory(author=named)
    PostFactory(author=mentioned)
    assert found("hopper") == ["Grace Hopper", "Jean Sammet"]


@pytest.mark.parametrize(
    "credit",
    [
        lambda person: PostFactory(author=person),
        lambda person: TalkFactory(author=person),
        lambda person: PostCoAuthorFactory(person=person),
        lambda person: TalkGuestFactory(person=person),
    ],
    ids=["post-author", "talk-author", "co-author", "talk-guest"],
)
def test_person_credited_on_a_public_item_in_any_way_is_found(now, credit):
    credit(PersonFactory(name="Katherine Johnson"))
    assert found("katherine") == ["Katherine Johnson"]


@pytest.mark.parametrize(
    "fields",
    [{"status": "draft"}, {"date": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)}],
    ids=["draft", "scheduled"],
)
def test_person_with_only_unpublished_items_is_not_found_nor_are_their_drafts(now, fields):
    person = PersonFactory(name="Hedy Lamarr", bio="Inventor.")
    PostFactory(author=person, title="Secret frequency hopping plans", **fields)
    assert found("hedy") == []
    assert found("inventor") == []
    assert found("frequency hopping") == []  # the draft's words find neither it nor her


def test_person_credited_nowhere_is_not_found(now):
    PersonFactory(name="Margaret Hamilton")
    assert found("hamilton") == []


def test_person_is_found_once_their_first_post_is_published_without_reindexing(now):
    person = PersonFactory(name="Radia Perlman")
    post = PostFactory(author=person, status="draft")
    entries = list(Entry.objects.filter(kind="person").values_list("pk", "title"))
    assert found("perlman") == []

    Post.objects.filter(pk=post.pk).update(status="published")  # no signal at all

    assert found("perlman") == ["Radia Perlman"]
    assert list(Entry.objects.filter(kind="person").values_list("pk", "title")) == entries


def test_person_is_found_when_their_scheduled_post_comes_out(now, time_machine):
    person = PersonFactory(name="Frances Allen")
    PostFactory(author=person, date=now + datetime.timedelta(days=2))
    assert found("frances") == []

    time_machine.move_to(now + datetime.timedelta(days=3), tick=False)

    assert found("frances") == ["Frances Allen"]


def test_person_is_no_longer_found_when_their_only_post_goes_back_to_draft(ada):
    post = Post.objects.get(author=ada)
    post.status = "draft"
    post.save()
    assert found("lovelace") == []


def test_a_saved_person_is_found_by_their_new_words_only(ada):
    ada.name = "Augusta Ada King"
    ada.bio = "Countess of Lovelace."
    ada.save()
    assert found("augusta") == ["Augusta Ada King"]
    assert found("bernoulli") == []


def test_a_deleted_person_loses_their_entry(now):
    person = PersonFactory(name="Barbara Liskov")
    assert Entry.objects.filter(kind="person", object_id=person.pk).exists()
    person.delete()
    assert not Entry.objects.filter(kind="person", object_id=person.pk).exists()


def test_migrate_indexes_the_people_of_a_site_indexed_before_people_were(ada):
    Entry.objects.filter(kind="person").delete()
    assert found("lovelace") == []

    migrated(sender=None)

    assert found("lovelace") == ["Ada Lovelace"]
    assert Entry.objects.filter(kind="post").count() == 1


def test_people_changed_outside_the_site_are_found_after_a_rebuild(ada):
    Person.objects.filter(pk=ada.pk).update(name="Ada King")  # no signal
    call_command("rebuild_search_index", stdout=StringIO())
    assert found("king") == ["Ada King"]


# --- The results page -------------------------------------------------------------------------


def test_results_page_shows_a_person_as_a_person_with_a_link_and_their_initial(client, ada):
    content = client.get("/search/", {"q": "bernoulli"}).content.decode()
    result = re.search(
        r'<article class="card search-result search-result-person">.*?</article>', content, re.S
    )
    assert result, "no person result"
    html = result.group(0)
    assert '<p class="kind">Person</p>' in html
    assert f'<a href="{ada.get_absolute_url()}">Ada Lovelace</a>' in html
    assert '<p class="meta">Analyst</p>' in html
    assert 'class="avatar avatar-initial" data-size="48" aria-hidden="true">A</span>' in html
    assert "<mark>Bernoulli</mark>" in html
    assert "1 result for" in content


def test_results_page_escapes_what_a_person_wrote(client, now):
    person = PersonFactory(name="<b>Eve</b>", bio="Evil <img src=x onerror=alert(1)> bio")
    PostFactory(author=person)
    content = client.get("/search/", {"q": "evil"}).content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;</a>" in content
    assert "<b>Eve" not in content
    assert "onerror" not in content


def test_results_page_query_count_stays_flat_as_people_match(client, now):
    def queries(people: int) -> int:
        for n in range(people):
            PostFactory(author=PersonFactory(name=f"Flatcount {n}"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "flatcount"}).status_code == 200
        return len(captured)

    assert queries(1) == queries(6)


# --- Counting and pages -----------------------------------------------------------------------


def test_pagination_counts_people_with_posts_and_talks(client, now):
    for n in range(8):
        PostFactory(title=f"Lambdas {n}", date=now - datetime.timedelta(days=n + 1))
    TalkFactory(title="Lambdas on stage")
    for n in range(3):
        PostFactory(author=PersonFactory(name=f"Person {n}", bio="Loves lambdas."))
    hidden = PersonFactory(name="Drafty", bio="Loves lambdas too.")
    PostFactory(author=hidden, status="draft", title="Unrelated draft")

    first = client.get("/search/", {"q": "lambdas"})
    second = client.get("/search/", {"q": "lambdas", "page": "2"})

    assert "12 results for “lambdas”, page 1 of 2" in first.content.decode()
    kinds = [result.kind for result in first.context["results"]]
    kinds += [result.kind for result in second.context["results"]]
    assert len(kinds) == 12
    assert kinds.count("person") == 3
    assert "Drafty" not in first.content.decode() + second.content.decode()


def test_the_author_of_an_imported_post_is_found_by_name(tmp_path, run_import, now):
    write_post(tmp_path, "2024-05-01-pinning.md")
    report = run_import(tmp_path)
    assert report.failed == 0, report.errors
    assert found("janeexample") == ["janeexample"]  # named by its handle alone
