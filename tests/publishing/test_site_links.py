"""Every page links to the site's sections and feeds in its header, footer and <head>; the
addresses follow the script prefix the site is served under."""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import set_script_prefix

from tests.services import keeping_test_connection

pytestmark = pytest.mark.django_db


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', html))


@pytest.fixture
def section_links():
    from django.urls import reverse

    names = [
        "home",
        "blog:post_list",
        "blog:feed",
        "blog:atom",
        "talks:list",
        "talks:feed",
        "talks:calendar",
        "people:list",
        "search:results",
    ]
    return [reverse(name) for name in names]


def test_pages_link_to_every_section_and_feed(client, section_links):
    html = client.get("/blog/").content.decode()

    assert set(section_links) <= hrefs(html)


def test_section_links_carry_the_script_prefix_of_the_request(client, section_links):
    client.get("/blog/")  # the addresses without a prefix are worked out first

    # Through the WSGI handler, which takes the script prefix from SCRIPT_NAME.
    environ = RequestFactory()._base_environ(PATH_INFO="/blog/", SCRIPT_NAME="/site")
    try:
        with keeping_test_connection():
            body = b"".join(WSGIHandler()(environ, lambda status, headers: None))
    finally:
        set_script_prefix("/")
    html = body.decode()

    assert {"/site" + link for link in section_links} <= hrefs(html)
    assert not set(section_links) & hrefs(html)
