"""Every kind of public page, on imported content, passes axe-core with no violations in
the light and the dark scheme; a screenshot of each at 1280 and 375 pixels is kept under
tests/artifacts/pages/ for review."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from blog.models import Post, Series
from talks.models import Talk
from tests.browser.builders import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(settings.BASE_DIR) / "demo"
PAGES = ARTIFACTS / "pages"
WIDTHS = (1280, 375)
SCHEMES = ("light", "dark")


@pytest.fixture
def demo_site(media_root):
    """The demo sites imported as a person migrating would, a series and tagged talks."""
    call_command("import_markdown", str(DEMO / "mainmatter"), assets_root=str(DEMO / "mainmatter"))
    call_command("import_markdown", str(DEMO / "loige"), default_author="ada_brennan")
    series = Series.objects.create(
        title="Django in production", slug="django-in-production", description="Two parts."
    )
    published = Post.objects.published().order_by("date")
    for part, post in enumerate(published.filter(tags__name="python")[:2], start=1):
        post.series, post.series_part = series, part
        post.save()
    for talk in Talk.objects.published():
        talk.tags.add("python")
    return series


def page_addresses(series) -> dict[str, str]:
    posts = Post.objects.published()
    long_post = max(posts, key=lambda post: post.body.count("\n## "))
    talk = Talk.objects.published().exclude(guests=None).first()
    return {
        "home": "/",
        "blog": "/blog/",
        "post": long_post.get_absolute_url(),
        "series": series.get_absolute_url(),
        "tags": "/blog/tags/",
        "tag": "/blog/tags/python/",
        "speaking": "/speaking/",
        "talk": talk.get_absolute_url(),
        "people": "/people/",
        "person": long_post.author.get_absolute_url(),
        "search": "/search/?q=django",
    }


def violations_of(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_kind_has_no_accessibility_violations(browser, live_server, demo_site, scheme):
    PAGES.mkdir(parents=True, exist_ok=True)
    found = {}
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, address in page_addresses(demo_site).items():
            response = page.goto(live_server.url + address)
            assert response.status == 200, address
            # Every picture loaded (lazy ones too), so that the screenshot and the contrast
            # checks see the whole page.
            page.evaluate(
                "() => { for (const image of document.images) image.loading = 'eager'; }"
            )
            page.wait_for_function("() => [...document.images].every(image => image.complete)")
            page.screenshot(path=str(PAGES / f"{name}-{width}-{scheme}.png"), full_page=True)
            if violations := violations_of(page):
                found[f"{name} at {width}px"] = violations
        context.close()
    assert found == {}
