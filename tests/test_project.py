"""The site as a whole: home page, error pages, migrations and system checks."""

import ast
import datetime
import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.html import escape

from tests.factories import PostFactory, TalkFactory


@pytest.mark.django_db
def test_home_page_lists_latest_posts_and_upcoming_talks(client, now):
    PostFactory(title="Published post")
    PostFactory(title="Draft post", status="draft")
    PostFactory(title="Scheduled post", date=now + datetime.timedelta(days=1))
    TalkFactory(title="Upcoming talk", date=now + datetime.timedelta(days=7))
    TalkFactory(title="Draft upcoming talk", status="draft", date=now + datetime.timedelta(days=7))
    TalkFactory(title="Recent talk", date=now - datetime.timedelta(days=7))
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    for title in ("Published post", "Upcoming talk", "Recent talk"):
        assert title in content
    for title in ("Draft post", "Scheduled post", "Draft upcoming talk"):
        assert title not in content
    assert content.index("Upcoming talk") < content.index("Recent talk")


@pytest.mark.django_db
def test_home_page_shows_the_five_latest_posts(client, now):
    for day in range(1, 8):
        PostFactory(title=f"Post of day {day}", date=now - datetime.timedelta(days=day))
    content = client.get("/").content.decode()
    assert "Post of day 5" in content
    assert "Post of day 6" not in content


@pytest.mark.django_db
def test_empty_home_page_says_nothing_is_published_yet(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No posts yet." in content
    assert "No talks yet." in content
    assert "Next talk" not in content


@pytest.mark.django_db
def test_unknown_page_uses_the_site_404_template(client):
    assert not settings.DEBUG
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert escape(settings.SITE_NAME) in content
    assert 'href="/blog/"' in content


@pytest.mark.django_db
def test_no_model_changes_are_missing_a_migration():
    output = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Model changes without a migration:\n{output.getvalue()}")


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_production_settings_pass_the_deployment_checklist():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY="k" + secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="a.test",
        SITE_URL="https://a.test",
        DJANGO_ENV_FILE=os.devnull,  # not a developer's local .env
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_ENV_FILE"] = os.devnull
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


# What a test module may import from the test tree: builders and the services tests run.
TEST_HELPER_MODULES = {"builders", "factories", "services"}


def test_test_modules_import_only_builders_from_the_test_tree():
    tests_dir = Path(settings.BASE_DIR) / "tests"
    wrong = []
    for path in sorted(tests_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests."):
                # `from tests.app.builders import x`, or `from tests.app import builders`
                names = [node.module.rsplit(".", 1)[-1]]
                if names[0] not in TEST_HELPER_MODULES:
                    names = [alias.name for alias in node.names]
                if not set(names) <= TEST_HELPER_MODULES:
                    wrong.append(f"{path.relative_to(tests_dir)}: from {node.module} import …")
            elif isinstance(node, ast.Import):
                wrong += [
                    f"{path.relative_to(tests_dir)}: import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("tests.")
                    and alias.name.rsplit(".", 1)[-1] not in TEST_HELPER_MODULES
                ]
    assert wrong == []
