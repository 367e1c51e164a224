"""Descriptions taken from rendered HTML are plain text, escaped once where they are shown:
"&", "<", ">" and quotes of a body reach meta tags, Open Graph and JSON-LD as themselves,
not as "&amp;amp;" or "&lt;div&gt;"."""

import json
import re
from html import unescape

import pytest

from tests.factories import PersonFactory, PostFactory, TalkFactory

pytestmark = pytest.mark.django_db

BODY = 'Fish & chips for <em>"everyone"</em>: use `<div class="x">` & `a < b > c`.\n\nMore.\n'
TEXT = 'Fish & chips for "everyone": use <div class="x"> & a < b > c.'


def page(client, item) -> str:
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def meta(content: str, attribute: str, name: str) -> str:
    [value] = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', content)
    return value


def json_ld(content: str) -> dict:
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(script)


@pytest.mark.parametrize(
    "make",
    [
        lambda: PostFactory(body=BODY, description=""),
        lambda: TalkFactory(body=BODY),
    ],
    ids=["post", "talk"],
)
def test_description_from_the_body_is_escaped_once_everywhere(client, make):
    item = make()

    content = page(client, item)

    for attribute, name in [
        ("name", "description"),
        ("property", "og:description"),
        ("name", "twitter:description"),
    ]:
        value = meta(content, attribute, name)
        assert "&amp;amp;" not in value and "&amp;lt;" not in value, name
        assert unescape(value) == TEXT, name
    assert json_ld(content)["description"] == TEXT


def test_summary_is_the_plain_text_of_the_excerpt():
    post = PostFactory(body=BODY, description="")
    assert post.summary == TEXT


def test_a_written_description_is_kept_as_written(client):
    post = PostFactory(description="Tips & tricks <for> you", body=BODY)

    content = page(client, post)

    assert meta(content, "name", "description") == "Tips &amp; tricks &lt;for&gt; you"
    assert json_ld(content)["description"] == "Tips & tricks <for> you"


def test_person_page_description_is_escaped_once(client):
    person = PersonFactory(bio="Builds *fast* things & <b>writes</b> about `<div>`s")
    PostFactory(author=person)  # people have a public page once credited on a public item

    content = page(client, person)

    value = meta(content, "name", "description")
    assert value == "Builds fast things &amp; writes about &lt;div&gt;s"
