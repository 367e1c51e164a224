"""Search finds published posts and talks by title, description, body, event, city and tag;
the same tests run on SQLite (FTS5) and PostgreSQL (full-text search)."""

import pytest

from search.engine import search, snippet, terms_of
from tests.factories import PostFactory, TalkFactory

pytestmark = pytest.mark.django_db


def titles(results):
    return [result.item.title for result in results]


@pytest.fixture
def library(now):
    return {
        "title": PostFactory(title="Understanding backpressure", body="Streams, slowly."),
        "description": PostFactory(title="A post", description="All about backpressure here."),
        "body": PostFactory(title="Another post", body="Somewhere deep: backpressure."),
        "tag": PostFactory(title="Tagged post", body="Nothing", tags=["backpressure"]),
        "event": TalkFactory(title="A talk", event_name="Backpressure Conf", body="x"),
        "city": TalkFactory(title="Lisbon talk", event_city="Lisbon, Portugal", body="x"),
        "draft": PostFactory(title="Draft about backpressure", status="draft"),
        "unrelated": PostFactory(title="Cooking pasta", body="Boil water."),
    }


def test_search_matches_title_description_body_event_and_tags(library):
    found = titles(search("backpressure"))
    assert set(found) == {
        "Understanding backpressure",
        "A post",
        "Another post",
        "Tagged post",
        "A talk",
    }


def test_search_ranks_a_title_match_above_a_body_match(library):
    found = titles(search("backpressure"))
    assert found.index("Understanding backpressure") < found.index("Another post")


def test_search_matches_the_city_of_a_talk(library):
    assert titles(search("lisbon")) == ["Lisbon talk"]


def test_search_never_finds_drafts_or_scheduled_items(library, now):
    import datetime

    PostFactory(title="Future backpressure", date=now + datetime.timedelta(days=3))
    found = titles(search("backpressure"))
    assert "Draft about backpressure" not in found
    assert "Future backpressure" not in found


def test_every_word_must_match(library):
    assert titles(search("backpressure streams")) == ["Understanding backpressure"]


def test_search_page_highlights_the_match(client, library):
    page = client.get("/search/", {"q": "backpressure"}).content.decode()
    assert "<mark>backpressure</mark>" in page.lower() or "<mark>backpressure." in page.lower()
    assert "5 results" in page


def test_search_page_without_a_query_invites_one(client, library):
    page = client.get("/search/").content.decode()
    assert "Type a few words" in page
    assert "result" not in page.split("<main")[1].split("Type a few words")[0]


def test_search_page_with_no_result_says_so(client, library):
    page = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "Nothing matches “zebra”" in page


def test_hostile_queries_are_escaped_and_harmless(client, library):
    response = client.get("/search/", {"q": '<script>alert(1)</script> " OR 1=1 --'})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_snippet_is_plain_escaped_text_with_the_match_marked(now):
    post = PostFactory(description="Use <b>bold</b> & backpressure <wisely>", body="")
    assert snippet(post, ["backpressure"]) == "Use bold &amp; <mark>backpressure</mark>"


def test_query_words_are_normalised(now):
    assert terms_of("  Node.js  STREAMS, streams!  ") == ["node.js", "streams"]


def test_a_query_of_many_words_searches_only_the_first_ten(client, now):
    # Each word costs a pass over every body: the eleventh and later are left out.
    words = [f"word{number}" for number in range(1, 31)]
    PostFactory(title="Ten words", body=" ".join(words[:10]))
    assert terms_of(" ".join(words)) == words[:10]

    response = client.get("/search/", {"q": " ".join(words)})

    assert titles(response.context["results"]) == ["Ten words"]
    assert "the first 10 words were searched" in response.content.decode()


def test_a_query_of_ten_words_or_fewer_says_nothing_of_words_left_out(client, library):
    response = client.get("/search/", {"q": "backpressure streams"})
    assert "words were searched" not in response.content.decode()
