"""Browser tests: Playwright driving Debian's Chromium against a live server.

Skipped, with the reason, on a machine without /usr/bin/chromium (CI installs it).
Screenshots of the main pages are saved under tests/artifacts/ for review.
"""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User

from publishing.editors import ensure_editors_group
from tests.browser.builders import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
# Chromium must not try the network on its own (this machine has none but loopback).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.outside_requests = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else page.outside_requests.append(request.url)
        ),
    )
    yield page
    context.close()


@pytest.fixture
def editor_login(live_server):
    """The username and password of a staff user in the Editors group."""
    # Transactional tests empty the tables, the Editors group of the migration included.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    group = ensure_editors_group(Group, Permission)
    user = User.objects.create_user("ed", password="a long editor password", is_staff=True)
    user.groups.add(group)
    return "ed", "a long editor password"


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
