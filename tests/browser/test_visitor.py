"""A visitor browses the site in a real browser."""

import datetime

import pytest

from tests.browser.builders import ARTIFACTS
from tests.factories import PersonFactory, PostFactory, TalkFactory, TalkGuestFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talks_site():
    ada = PersonFactory(name="Ada Brennan", slug="ada_brennan", bio="Speaks about streams.")
    now = datetime.datetime.now(datetime.UTC)
    past = TalkFactory(
        title="Streams without tears",
        slug="streams-without-tears",
        author=ada,
        date=now - datetime.timedelta(days=400),
        event_name="Liffey Python",
        event_city="Dublin, Ireland",
        latitude=53.34,
        longitude=-6.26,
        body="A talk about **backpressure**.\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="The recording">'
        "</iframe>",
    )
    TalkGuestFactory(talk=past, person=PersonFactory(name="Bea Guest"), position=0)
    TalkFactory(
        title="Query plans for humans",
        author=ada,
        date=now + datetime.timedelta(days=60),
        event_name="Istria Dev Camp",
        event_city="Rovinj, Croatia",
        latitude=45.07,
        longitude=13.63,
        is_workshop=True,
    )
    TalkFactory(
        title="Remote panel",
        author=ada,
        date=now - datetime.timedelta(days=30),
        event_city="remote",
        event_location="Remote",
    )
    PostFactory(title="Hello streams", author=ada, date=now - datetime.timedelta(days=2))
    return ada


def test_visitor_goes_from_home_to_speaking_to_a_talk_to_its_speaker(
    page, live_server, talks_site, screenshot
):
    page.goto(live_server.url + "/")
    assert "Query plans for humans" in page.inner_text("main")
    screenshot("home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Speaking").click()
    page.wait_for_url("**/speaking/")
    screenshot("speaking")

    page.get_by_role("link", name="Streams without tears").first.click()
    page.wait_for_url("**/speaking/streams-without-tears/")
    assert page.get_by_role("heading", level=1).inner_text() == "Streams without tears"
    assert "Bea Guest" in page.inner_text("main")
    screenshot("talk")

    page.get_by_role("link", name="Ada Brennan").first.click()
    page.wait_for_url("**/people/ada_brennan/")
    assert "Streams without tears" in page.inner_text("main")
    screenshot("person")
    assert page.outside_requests == []


def test_speaking_page_draws_the_histogram_and_the_map(page, live_server, talks_site):
    page.goto(live_server.url + "/speaking/")
    charts = page.locator("main svg[role='img']")
    assert charts.count() >= 2
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40
    markers = page.locator("main svg[role='img'] title")
    texts = [markers.nth(i).text_content() for i in range(markers.count())]
    assert any("Streams without tears" in text for text in texts)
    assert any("Istria Dev Camp" in text for text in texts)


def test_search_finds_a_talk(page, live_server, talks_site, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search posts, talks and people").fill("backpressure")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=backpressure")
    result = page.get_by_role("link", name="Streams without tears")
    assert result.count() == 1
    assert page.locator("mark").first.inner_text().lower().startswith("backpressure")
    screenshot("search")
    result.click()
    page.wait_for_url("**/speaking/streams-without-tears/")


def test_pages_fit_a_320_pixel_screen_and_have_a_dark_scheme(browser, live_server, talks_site):
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme="dark")
    page = context.new_page()
    try:
        for path in ("/", "/speaking/", "/speaking/streams-without-tears/", "/blog/"):
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(253, 253, 252)"  # the light scheme's background
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "blog-320-dark.png"), full_page=True)
    finally:
        context.close()


def test_keyboard_users_can_skip_to_the_content(page, live_server, talks_site):
    page.goto(live_server.url + "/blog/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_an_embedded_player_loads_only_when_the_visitor_asks(page, live_server, talks_site):
    page.goto(live_server.url + "/speaking/streams-without-tears/")
    assert page.locator("iframe").count() == 0
    assert page.outside_requests == []

    page.get_by_role("button", name="Load the player here").click()

    frame = page.locator("main iframe")
    assert frame.count() == 1
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/abc123")
