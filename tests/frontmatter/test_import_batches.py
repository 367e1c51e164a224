"""How an import runs in chunks: files read ahead in worker processes, rows loaded a chunk
at a time, redirects saved per chunk, and none of it changing what a run does."""

import io
import os

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from frontmatter import pipeline
from frontmatter.discovery import Source
from frontmatter.pipeline import prepare
from images.responsive import stored_image_url
from people.models import Person
from talks.models import Talk
from tests.publishing.builders import (
    manage_py,
    talk_bundle_text,
    talk_text,
    write_file,
    write_post,
    write_site,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """What an import wrote, without ids and timestamps."""
    items = {}
    for model in (Post, Talk):
        for item in model.objects.all():
            items[(model.__name__, item.slug)] = {
                "title": item.title,
                "author": item.author.slug if item.author else None,
                "body_html": item.body_html,
                "excerpt_html": item.excerpt_html,
                "header_image": item.header_image.name,
                "tags": sorted(tag.name for tag in item.tags.all()),
                "attachments": sorted((a.reference, a.file.name) for a in item.attachments.all()),
                "source_extra": item.source_extra,
            }
    items["guests"] = [
        (talk.slug, [person.slug for person in talk.ordered_guests()])
        for talk in Talk.objects.order_by("slug")
    ]
    items["people"] = sorted(Person.objects.values_list("slug", "name"))
    items["redirects"] = sorted(Redirect.objects.values_list("old_path", "new_path"))
    return items


def forget_everything() -> None:
    Post.objects.all().delete()
    Talk.objects.all().delete()
    Person.objects.all().delete()
    Redirect.objects.all().delete()


def test_worker_processes_import_exactly_what_one_process_imports(
    tmp_path, run_import, monkeypatch
):
    site = write_site(tmp_path / "site")
    # Several chunks: the first prepared in this process, the others read ahead.
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_SIZE", 2)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 4)
    alone = run_import(site, jobs=1)
    in_one_process = snapshot()
    forget_everything()

    with_workers = run_import(site, jobs=2)

    assert (
        with_workers.summary()
        == alone.summary()
        == ("created 10, updated 0, unchanged 0, failed 0, warnings 0")
    )
    assert snapshot() == in_one_process
    post = Post.objects.get(slug="png")
    diagram = post.attachments.get(reference="./diagram.png").file.name
    assert stored_image_url(diagram) in post.body_html


def test_worker_processes_render_the_bodies(tmp_path, run_import, monkeypatch):
    site = write_site(tmp_path / "site")
    pids = tmp_path / "pids"
    real_render = pipeline.render_document

    def render_and_note_the_process(source):
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return real_render(source)

    monkeypatch.setattr(pipeline, "render_document", render_and_note_the_process)
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_SIZE", 2)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 4)

    assert run_import(site, jobs=2).created == 10

    renderers = pids.read_text().split()
    # The first chunk (the author profile, which has no body, and one talk) is prepared
    # before the workers start; the 8 other bodies are rendered by the workers.
    assert renderers.count(str(os.getpid())) == 1
    assert len(renderers) == 9 and len(set(renderers)) >= 2


def test_a_bad_file_read_in_a_worker_fails_alone_with_its_line(tmp_path, run_import):
    site = write_site(tmp_path / "site")
    write_file(site, "speaking/2024-05-01_bad.md", talk_text(is_workshop="maybe"))

    report = run_import(site, jobs=2)

    assert (report.created, report.failed) == (10, 1)
    assert report.errors[0].startswith("speaking/2024-05-01_bad.md:")
    assert "is_workshop" in report.errors[0]


def test_reimport_renders_only_the_bodies_that_changed(tmp_path, run_import, monkeypatch):
    site = write_site(tmp_path / "site")
    rendered = []
    real_render = pipeline.render_document

    def counting_render(source):
        rendered.append(source)
        return real_render(source)

    monkeypatch.setattr(pipeline, "render_document", counting_render)
    run_import(site, jobs=1)
    assert len(rendered) == 9  # every post and talk; the author profile has no body
    rendered.clear()

    assert run_import(site, jobs=1).unchanged == 10
    assert rendered == []

    path = site / "speaking/2024-03-01_talk-0.md"
    path.write_text(path.read_text() + "\nOne more paragraph.\n")
    report = run_import(site, jobs=1)

    assert (report.updated, report.unchanged) == (1, 9)
    assert len(rendered) == 1 and "One more paragraph." in rendered[0]
    assert "One more paragraph." in Talk.objects.get(slug="talk-0").body_html


def test_prepare_skips_rendering_a_body_imported_as_it_is(tmp_path):
    path = write_file(tmp_path, "speaking/2024-03-01_talk.md", talk_text())
    source = Source(path, tmp_path)
    fresh = prepare(source)
    digest = pipeline.body_digest(fresh.document.body)

    known = prepare(source, stored_bodies={"speaking/2024-03-01_talk.md": digest})
    other = prepare(source, stored_bodies={"speaking/2024-03-01_talk.md": "0" * 32})

    assert "Backpressure" in fresh.rendered.html
    assert known.rendered is None and known.item.slug == fresh.item.slug
    assert other.rendered == fresh.rendered


def test_item_renamed_earlier_in_a_run_is_not_matched_by_its_old_slug(tmp_path, run_import):
    site = tmp_path / "site"
    bundle = write_file(site, "speaking/2019-10-17_a/index.md", talk_bundle_text(slug="a"))
    run_import(site)
    renamed_pk = Talk.objects.get(slug="a").pk
    # One run, one chunk: the bundle renames its talk to "b", then a new file takes "a".
    bundle.write_text(talk_bundle_text(slug="b"))
    write_file(site, "speaking/2024-03-01_z.md", talk_text(slug="a", title="'New A'"))

    report = run_import(site)

    assert (report.created, report.updated, report.failed) == (1, 1, 0), report.errors
    assert Talk.objects.get(pk=renamed_pk).slug == "b"
    assert Talk.objects.get(slug="a").title == "New A"


def test_guests_that_turn_out_to_be_one_person_fail_the_file(tmp_path, run_import):
    site = tmp_path / "site"
    write_file(site, "authors/gx.md", "---\nname: Grace Example\n---\n")
    # "Grace Example" is the profile's name and "GX" its handle: both are that person.
    write_file(
        site,
        "speaking/2024-03-01_talk.md",
        talk_text(**{"with": "\n  - name: Grace Example\n  - name: GX"}),
    )

    report = run_import(site)

    assert report.failed == 1
    assert report.errors == ["speaking/2024-03-01_talk.md:17: with: GX is listed more than once"]
    assert not Talk.objects.exists()


def test_old_address_too_long_for_a_redirect_is_a_warning(tmp_path, run_import):
    site = tmp_path / "site"
    slug = "a-" + "very-" * 37 + "long-title-x"  # 199 characters, the most a slug has
    relpath = f"posts/2020-05-04_{slug}/index.md"
    write_file(
        site,
        relpath,
        f"---\nlayout: post\ntitle: Long\nslug: {slug}\ndate: 2020-05-04T10:00:00.000Z\n---\n",
    )

    report = run_import(site)

    assert (report.created, report.failed) == (1, 0), report.errors
    assert report.warnings == [
        f"{relpath}: no redirect from /{slug}/ to /blog/2020/05/04/{slug}/: "
        "a redirect holds addresses of up to 200 characters"
    ]
    assert not Redirect.objects.exists()


def test_import_points_an_existing_redirect_of_the_old_address_at_the_item(
    tmp_path, run_import, settings
):
    site = write_site(tmp_path / "site", talks=1)
    Redirect.objects.create(site_id=settings.SITE_ID, old_path="/png/", new_path="/elsewhere/")

    run_import(site)

    post = Post.objects.get(slug="png")
    assert Redirect.objects.get(old_path="/png/").new_path == post.get_absolute_url()
    assert Redirect.objects.filter(old_path="/png/").count() == 1


def test_reimporting_unchanged_files_costs_two_queries_per_file(tmp_path, run_import):
    def queries_to_reimport(talks: int) -> int:
        site = write_site(tmp_path / f"site-{talks}", talks=talks)
        run_import(site)
        with CaptureQueriesContext(connection) as queries:
            assert run_import(site).unchanged == talks + 4
        forget_everything()
        return len(queries)

    few, many = queries_to_reimport(4), queries_to_reimport(16)

    # A savepoint and its release per file; everything else is per chunk.
    assert many - few == 2 * 12


def test_reimporting_unchanged_posts_does_not_read_their_authors(tmp_path, run_import):
    def queries_to_reimport(posts: int) -> int:
        site = tmp_path / f"site-{posts}"
        for number in range(posts):
            write_post(site, f"2024-05-{number + 1:02d}-post-{number}.md")
        run_import(site)
        with CaptureQueriesContext(connection) as queries:
            assert run_import(site).unchanged == posts
        forget_everything()
        return len(queries)

    few, many = queries_to_reimport(4), queries_to_reimport(16)

    # A savepoint and its release per file, and no look-up of the author of each.
    assert many - few == 2 * 12


def test_command_imports_with_the_number_of_jobs_asked_for(tmp_path, media_root):
    site = write_site(tmp_path / "site")
    out = io.StringIO()

    call_command("import_markdown", str(site), "--jobs", "2", stdout=out)

    assert "created 10, updated 0, unchanged 0, failed 0" in out.getvalue()
    assert Talk.objects.count() == 7


def test_command_refuses_a_number_of_jobs_below_one_with_status_2(tmp_path):
    result = manage_py(tmp_path, "import_markdown", str(tmp_path), "--jobs", "0")

    assert result.returncode == 2
    assert "--jobs: expected a whole number of at least 1, got '0'" in result.stderr
    assert "Traceback" not in result.stderr


def test_interrupted_command_says_what_was_kept_and_exits_130(tmp_path, db, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(
        "frontmatter.management.commands.import_markdown.import_paths", interrupted
    )
    err = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("import_markdown", str(tmp_path), stdout=io.StringIO(), stderr=err)

    assert exited.value.code == 130
    assert "Interrupted." in err.getvalue()
    assert "Run the same import again to finish" in err.getvalue()
