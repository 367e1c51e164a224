"""Search results come ten a page, best first, and say how many there are."""

import datetime

import pytest

from search.engine import search
from tests.factories import PostFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_matches(now):
    for n in range(14):
        PostFactory(
            title=f"Post {n:02d}", body="About lambdas.", date=now - datetime.timedelta(days=n)
        )
    TalkFactory(title="Lambdas everywhere", body="x")
    PostFactory(title="Unrelated", body="Nothing here.")


def titles(content_results):
    return [result.item.title for result in content_results]


def test_search_counts_every_match_and_shows_the_best_ten(client, many_matches):
    response = client.get("/search/", {"q": "lambdas"})
    content = response.content.decode()
    assert "15 results for “lambdas”, page 1 of 2" in content
    found = titles(response.context["results"])
    assert found[0] == "Lambdas everywhere"  # a title match first
    assert found[1:] == [f"Post {n:02d}" for n in range(9)]  # then newest first
    assert 'href="?q=lambdas&amp;page=2"' in content


def test_search_second_page_has_the_rest(client, many_matches):
    response = client.get("/search/", {"q": "lambdas", "page": "2"})
    assert titles(response.context["results"]) == [f"Post {n:02d}" for n in range(9, 14)]


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1"])
def test_search_page_out_of_range_is_not_found(client, many_matches, page):
    assert client.get("/search/", {"q": "lambdas", "page": page}).status_code == 404


def test_search_result_count_is_the_number_of_matches(many_matches):
    matches = search("lambdas")
    assert len(matches) == 15
    assert len(list(matches)) == 15


def test_long_body_snippet_shows_the_words_around_a_late_match(now):
    filler = " ".join(f"filler{n}" for n in range(2000))
    PostFactory(description="", body=f"{filler}\n\nHere is the *needle* at last.\n")
    [result] = search("needle")
    assert result.snippet.startswith("… ")
    assert "<mark>needle</mark> at last." in result.snippet


@pytest.mark.parametrize("query", ["a", "λ", " x "])
def test_a_query_of_one_character_gets_a_hint_not_every_item(client, many_matches, query):
    content = client.get("/search/", {"q": query}).content.decode()

    assert "Type at least 2 characters to search." in content
    assert "search-result" not in content
    assert 'minlength="2"' in content


def test_two_characters_are_searched(client, now):
    PostFactory(title="Go in production", body="We use Go.")
    content = client.get("/search/", {"q": "go"}).content.decode()
    assert "1 result for “go”" in content
