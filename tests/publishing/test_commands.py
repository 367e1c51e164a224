import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from blog.models import Post
from people.models import Person
from talks.models import Talk
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_load_demo_imports_the_demo_content_and_creates_an_editor(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # the demo editor is for local use only
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())

    assert Person.objects.count() >= 3
    assert Post.objects.count() == 6
    assert Talk.objects.count() == 6
    assert Talk.objects.filter(is_workshop=True).exists()
    assert Talk.objects.published().upcoming().exists()
    assert Talk.objects.published().past().exists()
    assert Talk.objects.filter(event_city__iexact="remote").exists()
    assert Talk.objects.filter(guest_credits__isnull=False).distinct().count() >= 2
    editor = User.objects.get(username="editor")
    assert editor.groups.filter(name="Editors").exists()
    assert editor.check_password("editor-demo")
    assert "editor / editor-demo" in out.getvalue()


def test_load_demo_twice_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())

    assert "created 0, updated 0, unchanged 6" in out.getvalue()
    assert "created 0, updated 0, unchanged 9" in out.getvalue()


def test_render_markdown_rerenders_stale_html_and_reports_counts():
    fresh = PostFactory(body="# Fresh")
    stale = PostFactory(body="# Stale")
    Post.objects.filter(pk=stale.pk).update(body_html="<p>old pipeline</p>")

    out = io.StringIO()
    call_command("render_markdown", stdout=out)

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.body_html == '<h2 id="stale">Stale</h2>\n'
    assert fresh.body_html == '<h2 id="fresh">Fresh</h2>\n'
    assert "posts: 1 of 2 re-rendered" in out.getvalue()


def test_render_markdown_skips_a_body_over_the_limits_with_one_line():
    PostFactory(title="Fine", body="# Fine")
    # Stored before the limits existed (an update skips save() and its rendering).
    huge = PostFactory(title="Huge", body="# Huge")
    Post.objects.filter(pk=huge.pk).update(body="word " * 12_000, body_html="<p>old</p>")

    out, err = io.StringIO(), io.StringIO()
    call_command("render_markdown", stdout=out, stderr=err)

    huge.refresh_from_db()
    assert huge.body_html == "<p>old</p>"
    assert err.getvalue() == (
        f"post {huge.pk} “Huge”: not re-rendered: the text is 60,000 characters long; "
        "at most 50,000 can be rendered\n"
    )
    assert "posts: 0 of 2 re-rendered" in out.getvalue()
