"""What the importer makes of each dialect's keys and file names."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from people.models import Person
from talks.models import Talk
from tests.factories import PostFactory, TalkFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_mainmatter_post_takes_date_and_slug_from_the_file_name(tmp_path, run_import):
    write(
        tmp_path,
        "posts/2021-03-12-Ember.js-in-2021---a-beacon.md",
        "---\ntitle: Ember\nauthorHandle: marco\ntopic: ember\n---\nBody\n",
    )

    run_import(tmp_path)

    post = Post.objects.get()
    assert post.slug == "Ember.js-in-2021---a-beacon"
    assert post.date == datetime.datetime(2021, 3, 12, tzinfo=UTC)
    assert post.source_dialect == "mainmatter"
    assert list(post.tags.names()) == ["ember"]
    assert post.author.slug == "marco"


@pytest.mark.parametrize(
    ("tags", "expected"),
    [("[rust]", ["rust"]), ("[rust,svelte]", ["rust", "svelte"]), ("ember", ["ember"]),
     ('"ember"', ["ember"]), ("\n  - a\n  - b", ["a", "b"])],
)  # fmt: skip
def test_mainmatter_tags_may_be_a_list_a_flow_list_or_one_string(
    tmp_path, run_import, tags, expected
):
    write(tmp_path, "posts/2020-01-01-x.md", f"---\ntitle: X\ntags: {tags}\n---\n")
    run_import(tmp_path)
    assert sorted(Post.objects.get().tags.names()) == expected


def test_loige_files_take_date_and_slug_from_front_matter_when_the_folder_disagrees(
    tmp_path, run_import
):
    write(
        tmp_path,
        "speaking/2021-05-13_javascript-repetita-iuvant/index.md",
        "---\nuuid: 0b9b3e3a-1111-4222-8333-944455556666\nlayout: speaking\ntitle: Gitbar\n"
        "slug: 'interview-with-gitbar'\ndate: 2021-05-14T10:00:00.000Z\n---\n",
    )

    run_import(tmp_path)

    talk = Talk.objects.get()
    assert talk.slug == "interview-with-gitbar"
    assert talk.date == datetime.datetime(2021, 5, 14, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-11-25T00:00:00.000Z", datetime.datetime(2016, 11, 25, tzinfo=UTC)),
        ("'2023-04-13T09:00:00.000Z'", datetime.datetime(2023, 4, 13, 9, tzinfo=UTC)),
        ('"2014-01-16T23:04:36Z"', datetime.datetime(2014, 1, 16, 23, 4, 36, tzinfo=UTC)),
        ("2024-12-16:09:30.000Z", datetime.datetime(2024, 12, 16, 9, 30, tzinfo=UTC)),
        ("2020-02-02", datetime.datetime(2020, 2, 2, tzinfo=UTC)),
        ("2020-02-02T10:00:00+02:00", datetime.datetime(2020, 2, 2, 8, tzinfo=UTC)),
    ],
)
def test_quoted_unquoted_and_quirky_timestamps_are_read(tmp_path, run_import, value, expected):
    write(
        tmp_path, "speaking/x.md", f"---\ntitle: X\nslug: x\ndate: {value}\nevent_name: E\n---\n"
    )

    report = run_import(tmp_path)

    assert report.failed == 0, report.errors
    assert Talk.objects.get().date == expected


@pytest.mark.parametrize("spelling", ["null", "~", "", "''"])
def test_null_spellings_leave_link_fields_empty(tmp_path, run_import, spelling):
    write(
        tmp_path,
        "speaking/x.md",
        f"---\ntitle: X\nslug: x\ndate: 2020-01-01\nevent_name: E\nslides_link: {spelling}\n"
        f"event_location_gps: {spelling}\nwith: {spelling}\n---\n",
    )

    report = run_import(tmp_path)

    assert report.failed == 0, report.errors
    talk = Talk.objects.get()
    assert not talk.slides_link and talk.slides_url is None
    assert (talk.latitude, talk.longitude) == (None, None)
    assert not talk.guest_credits.exists()


@pytest.mark.parametrize(
    ("relative", "text", "kind", "dialect"),
    [
        ("speaking/a/index.md", "layout: speaking\ntitle: A\nslug: a\ndate: 2020-01-01", "talk",
         "loige-2021"),
        ("posts/a/index.md", "layout: post\ntitle: A\nslug: a\ndate: 2020-01-01", "post",
         "loige-2021"),
        ("speaking/2020-01-01_a.md", "title: A\nslug: a\ndate: 2020-01-01\nevent_city: X",
         "talk", "loige-2025"),
        ("posts/2020-01-01_a/index.md", "title: A\nslug: a\ndate: 2020-01-01", "post",
         "loige-2025"),
        ("posts/2020-01-01-a.md", "title: A\nauthorHandle: x", "post", "mainmatter"),
        ("authors/x.md", "name: X", "person", "mainmatter"),
    ],
)  # fmt: skip
def test_kind_and_dialect_are_detected_per_file(
    tmp_path, run_import, relative, text, kind, dialect
):
    write(tmp_path, relative, f"---\n{text}\n---\n")

    report = run_import(tmp_path)

    assert report.created == 1, report.errors
    model = {"talk": Talk, "post": Post, "person": Person}[kind]
    assert model.objects.get(source_path=relative).source_dialect == dialect


def test_kind_and_dialect_can_be_forced(tmp_path, run_import):
    write(tmp_path, "misc/2020-01-01_a.md", "---\ntitle: A\nslug: a\ndate: 2020-01-01\n---\n")

    run_import(tmp_path, kind="talk", dialect="loige-2021")

    assert Talk.objects.get().source_dialect == "loige-2021"


def test_author_handle_matches_a_profile_whatever_its_case(tmp_path, run_import):
    write(tmp_path, "authors/BobrImperator.md", "---\nname: Bobr Imperator\n---\n")
    write(tmp_path, "posts/2020-01-01-a.md", "---\ntitle: A\nauthorHandle: bobrimperator\n---\n")

    run_import(tmp_path)

    assert Person.objects.count() == 1
    assert Post.objects.get().author.name == "Bobr Imperator"


def test_guest_known_by_name_is_the_same_person_as_an_author_with_a_handle(tmp_path, run_import):
    write(tmp_path, "authors/ada_b.md", "---\nname: Ada Brennan\n---\n")
    write(
        tmp_path,
        "speaking/2020-01-01_a.md",
        "---\ntitle: A\nslug: a\ndate: 2020-01-01\nevent_city: X\nwith:\n"
        "  - name: Ada Brennan\n    link: https://ada.example\n---\n",
    )

    run_import(tmp_path)

    assert Person.objects.count() == 1
    assert Talk.objects.get().guest_credits.get().person.slug == "ada_b"


def test_default_author_is_given_to_files_that_name_none(tmp_path, run_import):
    write(tmp_path, "speaking/2020-01-01_a.md", "---\ntitle: A\nslug: a\ndate: 2020-01-01\n---\n")

    run_import(tmp_path, default_author="ada_b")

    assert Talk.objects.get().author.slug == "ada_b"


def test_unmapped_keys_are_kept_in_order(tmp_path, run_import):
    write(
        tmp_path,
        "posts/2020-01-01_a/index.md",
        "---\ntitle: A\nbluesky_url: https://bsky.app/x\nslug: a\nseries: {name: S, part: 2}\n"
        "date: 2020-01-01\n---\n",
    )

    run_import(tmp_path)

    assert Post.objects.get().source_extra == [
        ["bluesky_url", "https://bsky.app/x"],
        ["series", {"name": "S", "part": 2}],
    ]


def test_site_absolute_images_resolve_against_the_assets_root(
    tmp_path, run_import, media_root, client
):
    image = Path(__file__).parent / "data" / "tiny.png"
    write(tmp_path, "site/assets/images/h.png", "")
    (tmp_path / "site/assets/images/h.png").write_bytes(image.read_bytes())
    write(
        tmp_path,
        "content/posts/2020-01-01-a.md",
        '---\ntitle: A\nimage: "/assets/images/h.png"\nimageAlt: "A tiny image"\n---\n'
        "![inline](/assets/images/h.png#full@1200-2761)\n",
    )

    report = run_import(tmp_path / "content", assets_root=tmp_path / "site")

    assert report.warnings == [], report.warnings
    post = Post.objects.get()
    assert (media_root / post.header_image.name).read_bytes() == image.read_bytes()
    assert post.header_image_alt == "A tiny image"
    # The body's image is the same stored file, shown through its renditions.
    page = client.get(post.get_absolute_url()).content.decode()
    assert re.search(r'<img src="/media/renditions/[^"]+" [^>]*alt="inline"', page)
    assert f"/media/{post.header_image.name}" not in page


def test_the_same_image_imported_twice_is_stored_once(tmp_path, run_import, media_root):
    for name in ("a", "b"):
        folder = tmp_path / f"posts/2020-01-0{'1' if name == 'a' else '2'}_{name}"
        folder.mkdir(parents=True)
        (folder / "h.png").write_bytes((Path(__file__).parent / "data" / "tiny.png").read_bytes())
        write(folder, "index.md", f"---\ntitle: {name}\nslug: {name}\nheader_img: ./h.png\n---\n")

    run_import(tmp_path)

    names = {post.header_image.name for post in Post.objects.all()}
    assert len(names) == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 1


def test_command_prints_a_progress_bar_only_on_a_terminal(tmp_path, db, media_root):
    write(tmp_path, "speaking/2020-01-01_a.md", "---\ntitle: A\nslug: a\ndate: 2020-01-01\n---\n")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    call_command("import_markdown", str(tmp_path), stdout=terminal, stderr=io.StringIO())
    call_command("import_markdown", str(tmp_path), stdout=pipe, stderr=io.StringIO())

    assert "[##############################] 1/1" in terminal.getvalue()
    assert "[" not in pipe.getvalue()
    assert pipe.getvalue() == "created 0, updated 0, unchanged 1, failed 0, warnings 0\n"


def test_command_is_silent_with_verbosity_zero(tmp_path, db, media_root):
    write(tmp_path, "speaking/2020-01-01_a.md", "---\ntitle: A\nslug: a\ndate: 2020-01-01\n---\n")
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path), verbosity=0, stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""


def test_importing_one_file_takes_as_many_queries_whatever_the_database_holds(
    tmp_path, run_import
):
    def queries_to_import(name: str) -> int:
        site = tmp_path / name
        write(
            site,
            f"speaking/2020-01-01_{name}.md",
            f"---\ntitle: {name}\nslug: {name}\ndate: 2020-01-01\nevent_city: Dublin\n"
            f"with:\n  - name: Guest {name}\n---\n",
        )
        with CaptureQueriesContext(connection) as queries:
            assert run_import(site).created == 1
        return len(queries)

    PostFactory.create_batch(3)
    TalkFactory.create_batch(3)
    with_few = queries_to_import("first")
    PostFactory.create_batch(40)
    TalkFactory.create_batch(40)
    with_many = queries_to_import("second")

    assert with_many == with_few
