"""Import then export gives the sites back: byte-identical when unedited, in the source's
style when edited."""

import re
import shutil
import uuid
from pathlib import Path

import pytest

from blog.models import Post
from people.models import Person
from talks.models import Talk
from tests.factories import PersonFactory, TalkFactory, TalkGuestFactory
from tests.publishing.builders import forget_digests, front_matter_and_body, markdown_files

pytestmark = pytest.mark.django_db

CORPUS_SITES = ["mainmatter", "loige-2021", "loige-2025"]


def assert_same_tree(source: Path, exported: Path, ignore=("SOURCES.tsv",)) -> None:
    """Every file of `source` comes back: Markdown with the same front matter and body,
    and byte-identical; images and other files byte-identical."""
    original = {name: data for name, data in markdown_files(source).items() if name not in ignore}
    written = markdown_files(exported)
    missing = sorted(set(original) - set(written))
    assert not missing, f"not exported: {missing}"
    for name, data in original.items():
        if name.endswith(".md"):
            expected_front_matter, expected_body = front_matter_and_body(data)
            front_matter, body = front_matter_and_body(written[name])
            assert list(front_matter) == list(expected_front_matter), name
            assert front_matter == expected_front_matter, name
            assert body.rstrip("\n") == expected_body.rstrip("\n"), name
        assert written[name] == data, f"{name} differs"


@pytest.mark.parametrize("site", CORPUS_SITES)
@pytest.mark.parametrize("path", ["unedited", "full-export"])
def test_every_file_of_a_real_site_comes_back_byte_identical(
    corpus, site, path, run_import, run_export
):
    report = run_import(corpus / site)
    assert report.failed == 0, report.errors
    if path == "full-export":
        forget_digests()

    assert_same_tree(corpus / site, run_export())


def test_seed_talk_comes_back_byte_identical(corpus, run_import, run_export, tmp_path):
    seed = corpus / "seeds" / "loige-talk-example.md"
    report = run_import(seed)
    assert report.created == 1, report.errors

    exported = markdown_files(run_export())
    assert list(exported.values()) == [seed.read_bytes()]


def test_seed_mainmatter_post_is_the_copy_of_a_corpus_post_that_round_trips(corpus):
    # The seed has lost its dated file name, which is where the format keeps date and slug;
    # its byte-identical original in mainmatter/posts/ is covered by the site round trip.
    seed = corpus / "seeds" / "mainmatter-post-example.md"
    original = next((corpus / "mainmatter" / "posts").glob("2024-09-27-exploring-*.md"))
    assert seed.read_bytes() == original.read_bytes()


def test_importing_and_exporting_twice_changes_nothing(corpus, run_import, run_export):
    first = run_import(corpus / "loige-2021")
    second = run_import(corpus / "loige-2021")

    assert first.created == 28
    assert (second.created, second.updated, second.unchanged) == (0, 0, 28)
    assert markdown_files(run_export()) == markdown_files(run_export())


def test_demo_content_round_trips(run_import, run_export, settings):
    demo = Path(settings.BASE_DIR) / "demo"
    run_import(demo / "mainmatter", assets_root=demo / "mainmatter")
    run_import(demo / "loige")

    exported = run_export()
    written = markdown_files(exported)
    for name, data in markdown_files(demo / "loige").items():
        assert written[name] == data, name
    for name, data in markdown_files(demo / "mainmatter").items():
        assert written[name] == data, name


# --- Own fixtures in each dialect -------------------------------------------------------

MAINMATTER_POST = """\
---
title: 'Reading query plans: it''s easier than it looks'
authorHandle: Ada_B
tags: [postgres, performance]
bio: "Database consultant"
description:
  "A walk through EXPLAIN output, one node at a time, with the
  three numbers that matter."
# TODO: a better header image
og:
  image: /assets/images/posts/2023-04-05-reading-query-plans/og.png
tagline: |
  <p>Query plans look scary. They are not.</p>

image: "/assets/images/posts/2023-04-05-reading-query-plans/header.png"
imageAlt: "A query plan drawn as a tree"
customCta: "global/cta.njk"
---

Intro paragraph.

<!--break-->

## Seq scans/s and index scans

{% raw %}
```jinja
{{ plan }}
```
{% endraw %}
"""

LOIGE_2021_TALK = """\
---
uuid: 6d1f2c1e-2a0b-4c3d-9e8f-0123456789ab
layout: speaking
title: "Streams, explained"
slug: 'streams-explained-demo-conf'
date: 2019-03-05T18:30:00.000Z
author: Ada Brennan
author_slug: ada_b
header_img: null
status: published
language: en_US
presentation_language: en_US
meta_title: null
meta_description: null
event_name: 'Demo Conf'
event_link: 'https://demo-conf.example/2019'
event_location: "Main Hall, 1 Quay Street, Dublin"
event_location_gps: "53.349137,-6.247750999999994"
event_city: 'Dublin'
event_days: 'March 5 2019'
is_workshop: false
slides_link: ~
video_link: null
with:
  - name: Bea Guest
    link: 'https://bea.example'
    image: 'https://avatars.example/bea.png'
  - name: Cleo Guest
    link: 'https://cleo.example'
    image: 'https://avatars.example/cleo.png'
---

A talk about streams.

---

With a thematic break in the body."""

LOIGE_2025_TALK = """\
---
title: Remote panel on serverless
slug: remote-panel-serverless
date: '2026-02-18T17:00:00.000Z'
status: published
language: it_IT
event_name: Remote Meetup
event_link: https://meetup.example/42
event_location: Remote
event_location_gps: ~
event_city: remote
event_days: Feb 18, 2026
is_workshop: false
slides_link: null
embed_slides: 'https://slides.com/demo/serverless/embed'
video_link: https://www.youtube.com/watch?v=abcdefghijk
with:
  - name: Bea Guest
    link: https://bea.example
    avatar: https://avatars.example/bea-2025.png
podcast_link: https://podcast.example/ep1
podcast_embed: 'https://widget.spreaker.com/player?episode_id=1'
---

Panel.
"""


def write(root: Path, relative: str, text: str, newline: str = "\n", bom: bool = False) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    path.write_bytes(data.encode("utf-8"))
    return path


@pytest.fixture
def own_site(tmp_path) -> Path:
    site = tmp_path / "site"
    write(site, "posts/2023-04-05-reading-query-plans.md", MAINMATTER_POST)
    write(site, "speaking/2019-03-05_streams-explained/index.md", LOIGE_2021_TALK)
    write(site, "speaking/2026-02-18_remote-panel-serverless.md", LOIGE_2025_TALK)
    write(
        site,
        "authors/Ada_B.md",
        '---\nname: "Ada Brennan"\ngithub: adab-demo\nbio: \'Consultant at <a href="'
        "https://quay.example\">Quay</a>'\nlongBio: Ada writes about databases.\n---\n",
    )
    return site


@pytest.mark.parametrize("path", ["unedited", "full-export"])
def test_own_fixtures_in_each_dialect_come_back_byte_identical(
    own_site, path, run_import, run_export
):
    report = run_import(own_site)
    assert report.failed == 0, report.errors
    assert (Post.objects.count(), Talk.objects.count()) == (1, 2)
    if path == "full-export":
        forget_digests()

    assert_same_tree(own_site, run_export())


@pytest.mark.parametrize("path", ["unedited", "full-export"])
def test_bom_crlf_and_end_of_document_marker_come_back_byte_identical(
    tmp_path, path, run_import, run_export
):
    site = tmp_path / "site"
    text = LOIGE_2025_TALK.replace("\n---\n\nPanel.", "\n...\n\nPanel.\twith a tab")
    write(site, "speaking/2026-02-18_remote-panel-serverless.md", text, newline="\r\n", bom=True)

    report = run_import(site)

    assert report.created == 1 and not report.warnings, report.errors
    talk = Talk.objects.get()
    assert talk.title == "Remote panel on serverless"
    assert "\r" not in talk.body and "\t" in talk.body
    if path == "full-export":
        forget_digests()
    assert_same_tree(site, run_export())


# --- Edited items -----------------------------------------------------------------------


def test_edited_item_rewrites_only_the_changed_keys_in_the_source_style(
    own_site, run_import, run_export
):
    run_import(own_site)
    talk = Talk.objects.get(slug="streams-explained-demo-conf")
    talk.title = "Streams, explained again"
    talk.is_workshop = True
    talk.save()

    path = "speaking/2019-03-05_streams-explained/index.md"
    exported = markdown_files(run_export())[path].decode()
    original = (own_site / path).read_text()

    changed = [
        (before, after)
        for before, after in zip(original.splitlines(), exported.splitlines(), strict=True)
        if before != after
    ]
    assert changed == [
        ('title: "Streams, explained"', 'title: "Streams, explained again"'),
        ("is_workshop: false", "is_workshop: true"),
    ]


def test_edited_mainmatter_post_keeps_comments_key_order_and_extras(
    own_site, run_import, run_export
):
    run_import(own_site)
    post = Post.objects.get()
    post.description = "Now shorter."
    post.save()
    post.tags.add("sql")

    data = markdown_files(run_export())["posts/2023-04-05-reading-query-plans.md"]
    front_matter, body = front_matter_and_body(data)
    text = data.decode()

    assert "# TODO: a better header image\n" in text
    assert list(front_matter) == [
        "title",
        "authorHandle",
        "tags",
        "bio",
        "description",
        "og",
        "tagline",
        "image",
        "imageAlt",
        "customCta",
    ]
    assert front_matter["description"] == "Now shorter."
    assert sorted(front_matter["tags"]) == ["performance", "postgres", "sql"]
    assert front_matter["customCta"] == "global/cta.njk"
    assert body == MAINMATTER_POST.split("---\n", 2)[2]


def test_edited_date_and_slug_rename_a_mainmatter_file(own_site, run_import, run_export):
    run_import(own_site)
    post = Post.objects.get()
    post.slug = "Reading-Query-Plans"
    post.save()

    exported = markdown_files(run_export())
    assert "posts/2023-04-05-Reading-Query-Plans.md" in exported
    assert "posts/2023-04-05-reading-query-plans.md" not in exported


def test_reordered_guests_are_exported_in_their_new_order(own_site, run_import, run_export):
    run_import(own_site)
    talk = Talk.objects.get(slug="streams-explained-demo-conf")
    first, second = talk.guest_credits.all()
    first.position, second.position = 1, 0
    first.save()
    second.save()

    data = markdown_files(run_export())["speaking/2019-03-05_streams-explained/index.md"]
    front_matter, _ = front_matter_and_body(data)
    assert [guest["name"] for guest in front_matter["with"]] == ["Cleo Guest", "Bea Guest"]
    assert front_matter["with"][0] == {
        "name": "Cleo Guest",
        "link": "https://cleo.example",
        "image": "https://avatars.example/cleo.png",
    }


def test_guest_keeps_the_avatar_key_it_was_written_with(own_site, run_import, run_export):
    run_import(own_site)
    talk = Talk.objects.get(slug="remote-panel-serverless")
    talk.title = "Remote panel on serverless computing"
    talk.save()
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Dan New"), position=3)

    data = markdown_files(run_export())["speaking/2026-02-18_remote-panel-serverless.md"]
    front_matter, _ = front_matter_and_body(data)
    assert front_matter["with"][0]["avatar"] == "https://avatars.example/bea-2025.png"
    assert front_matter["with"][1] == {"name": "Dan New"}


# --- Items created in the admin, and other formats -----------------------------------


def test_talk_created_in_the_admin_exports_in_the_default_format_and_imports_back(
    run_import, run_export
):
    speaker = PersonFactory(name="Ada Brennan", slug="ada_brennan")
    talk = TalkFactory(
        title="Made in the admin",
        slug="made-in-the-admin",
        author=speaker,
        latitude=45.07,
        longitude=13.63,
        event_city="Rovinj, Croatia",
        is_workshop=True,
        tags=["python"],
    )
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Bea"), link="https://bea.example")

    exported = run_export()
    day = talk.date.strftime("%Y-%m-%d")
    data = markdown_files(exported)[f"speaking/{day}_made-in-the-admin.md"]
    front_matter, _ = front_matter_and_body(data)
    assert front_matter["title"] == "Made in the admin"
    assert front_matter["event_location_gps"] == "45.07,13.63"
    assert front_matter["is_workshop"] is True
    assert front_matter["with"] == [{"name": "Bea", "link": "https://bea.example"}]

    Talk.objects.all().delete()
    report = run_import(exported / "speaking", default_author="ada_brennan")
    assert report.created == 1, report.errors
    again = Talk.objects.get()
    assert (again.title, again.latitude, again.longitude) == ("Made in the admin", 45.07, 13.63)
    assert [credit.person.name for credit in again.guest_credits.all()] == ["Bea"]
    assert list(again.tags.names()) == ["python"]


def test_forced_dialect_writes_the_layout_of_that_format(own_site, run_import, run_export):
    run_import(own_site)

    exported = markdown_files(run_export(dialect="loige-2021"))

    assert "speaking/2026-02-18_remote-panel-serverless/index.md" in exported
    front_matter, _ = front_matter_and_body(
        exported["speaking/2026-02-18_remote-panel-serverless/index.md"]
    )
    assert front_matter["layout"] == "speaking"
    assert front_matter["slug"] == "remote-panel-serverless"


def test_export_filters_by_kind_status_and_date(own_site, run_import, run_export):
    run_import(own_site)
    Talk.objects.filter(slug="remote-panel-serverless").update(status="draft")

    talks = markdown_files(run_export(kind="talk"))
    published = markdown_files(run_export(status="published"))
    recent = markdown_files(run_export(since=Talk.objects.get(slug__startswith="remote").date))

    assert {name.split("/")[0] for name in talks} == {"speaking"}
    assert "speaking/2026-02-18_remote-panel-serverless.md" not in published
    assert list(recent) == ["speaking/2026-02-18_remote-panel-serverless.md"]


def test_export_refuses_a_non_empty_folder_unless_forced(tmp_path, db):
    from frontmatter.exporter import ExportUsageError, export_items

    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "keep.txt").write_text("mine")

    with pytest.raises(ExportUsageError, match="is not empty"):
        export_items(outdir)
    assert export_items(outdir, force=True).ok
    assert (outdir / "keep.txt").read_text() == "mine"


def test_export_command_exits_2_for_a_non_empty_folder(tmp_path, db):
    from django.core.management import CommandError, call_command

    (tmp_path / "x").write_text("x")
    with pytest.raises(CommandError) as raised:
        call_command("export_markdown", str(tmp_path))
    assert raised.value.returncode == 2


def test_export_never_writes_outside_the_output_folder(tmp_path, run_import, run_export):
    site = tmp_path / "site"
    write(site, "speaking/2026-02-18_remote-panel-serverless.md", LOIGE_2025_TALK)
    run_import(site)
    Talk.objects.update(source_path="../../escaped.md")

    from frontmatter.exporter import export_items

    report = export_items(tmp_path / "out")

    assert report.errors == [
        "../../escaped.md: not written: it would be outside the output folder"
    ]
    assert report.items == 0
    assert not (tmp_path.parent / "escaped.md").exists()


# --- Upsert, identity and people --------------------------------------------------------


def test_reimport_with_the_same_uuid_updates_the_item_even_with_a_new_slug(own_site, run_import):
    run_import(own_site)
    talk = Talk.objects.get(slug="streams-explained-demo-conf")
    path = own_site / "speaking/2019-03-05_streams-explained/index.md"
    path.write_text(
        path.read_text()
        .replace("'streams-explained-demo-conf'", "'streams-explained'")
        .replace('"Streams, explained"', '"Streams explained"')
    )

    report = run_import(own_site)

    assert (report.created, report.updated) == (0, 1)
    talk.refresh_from_db()
    assert (talk.slug, talk.title) == ("streams-explained", "Streams explained")


def test_reimport_without_uuid_matches_on_slug(own_site, run_import):
    run_import(own_site)
    pk = Talk.objects.get(slug="remote-panel-serverless").pk
    path = own_site / "speaking/2026-02-18_remote-panel-serverless.md"
    path.write_text(path.read_text().replace("Remote panel on", "A remote panel on"))

    report = run_import(own_site)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Talk.objects.get(pk=pk).title == "A remote panel on serverless"


def test_key_removed_from_the_file_resets_the_field(own_site, run_import):
    run_import(own_site)
    path = own_site / "speaking/2026-02-18_remote-panel-serverless.md"
    path.write_text(path.read_text().replace("podcast_link: https://podcast.example/ep1\n", ""))

    run_import(own_site)

    assert Talk.objects.get(slug="remote-panel-serverless").podcast_link is None


def test_two_files_sharing_a_uuid_stay_two_items_and_keep_their_uuid(
    tmp_path, run_import, run_export
):
    site = tmp_path / "site"
    write(site, "speaking/2019-03-05_streams-explained/index.md", LOIGE_2021_TALK)
    copy = LOIGE_2021_TALK.replace("streams-explained-demo-conf", "streams-copy-paste")
    write(site, "speaking/2019-04-01_streams-copy/index.md", copy)

    report = run_import(site)

    assert report.created == 2
    assert Talk.objects.filter(uuid="6d1f2c1e-2a0b-4c3d-9e8f-0123456789ab").count() == 2
    [warning] = report.warnings
    assert "2019-04-01_streams-copy/index.md" in warning
    assert "2019-03-05_streams-explained/index.md" in warning
    assert_same_tree(site, run_export())


def test_two_files_with_one_slug_in_a_run_are_not_merged(tmp_path, run_import):
    site = tmp_path / "site"
    write(site, "speaking/2026-02-18_remote-panel-serverless.md", LOIGE_2025_TALK)
    write(site, "speaking/2026-02-19_remote-panel-again.md", LOIGE_2025_TALK)

    report = run_import(site)

    assert (report.created, report.failed) == (1, 1)
    assert "is also used by speaking/2026-02-18_remote-panel-serverless.md" in report.errors[0]


def test_guests_are_stored_in_file_order(own_site, run_import):
    run_import(own_site)
    talk = Talk.objects.get(slug="streams-explained-demo-conf")
    assert [c.person.name for c in talk.guest_credits.all()] == ["Bea Guest", "Cleo Guest"]


def test_people_are_never_duplicated(own_site, run_import):
    run_import(own_site)

    # Bea is a guest of two talks; Ada is the author by slug (ada_b, profile Ada_B.md).
    assert Person.objects.filter(name="Bea Guest").count() == 1
    ada = Person.objects.get(name="Ada Brennan")
    assert ada.slug == "Ada_B"
    assert Talk.objects.get(slug="streams-explained-demo-conf").author == ada
    assert Post.objects.get().author == ada
    assert Person.objects.count() == 3


def test_author_profiles_are_people_not_posts(own_site, run_import):
    run_import(own_site)
    ada = Person.objects.get(slug="Ada_B")
    assert ada.github == "adab-demo"
    assert "quay.example" in ada.bio_html
    assert ada.long_bio == "Ada writes about databases."
    assert not Post.objects.filter(slug__iexact="ada_b").exists()


def test_old_urls_redirect_to_the_new_ones(tmp_path, run_import, client):
    site = tmp_path / "site"
    post = LOIGE_2021_TALK.replace("layout: speaking", "layout: post").replace(
        "'streams-explained-demo-conf'", "streams-post"
    )
    write(site, "posts/2019-03-05_streams-post/index.md", post)
    run_import(site)

    response = client.get("/streams-post/")

    assert response.status_code == 301
    assert response["Location"] == "/blog/2019/03/05/streams-post/"
    assert client.get(response["Location"]).status_code == 200


def test_body_images_are_imported_and_shown_while_the_body_keeps_its_reference(
    tmp_path, run_import, client, media_root
):
    site = tmp_path / "site"
    bundle = site / "posts/2020-01-01_with-pictures"
    bundle.mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "data" / "tiny.png", bundle / "diagram.png")
    (bundle / "index.md").write_text(
        f"---\nuuid: {uuid.uuid4()}\nlayout: post\ntitle: Pictures\nslug: with-pictures\n"
        "date: 2020-01-01T10:00:00.000Z\nheader_img: ./diagram.png\n---\n\n"
        "![A diagram](./diagram.png)\n"
    )

    run_import(site)

    post = Post.objects.get()
    assert post.body == "\n![A diagram](./diagram.png)\n"
    attachment = post.attachments.get(reference="./diagram.png")
    assert (media_root / attachment.file.name).read_bytes() == (
        bundle / "diagram.png"
    ).read_bytes()
    page = client.get(post.get_absolute_url()).content.decode()
    # Shown through renditions; the original stays stored, for export, and is not linked.
    assert re.search(r'<img src="/media/renditions/[^"]+" [^>]*alt="A diagram"', page)
    assert f"/media/{attachment.file.name}" not in page
    assert 'src="./diagram.png"' not in page


def test_defaults_given_to_missing_keys_are_not_written_back(tmp_path, run_import, run_export):
    site = tmp_path / "site"
    text = "---\ntitle: No language\nslug: no-language\ndate: 2024-01-01T10:00:00.000Z\n---\n"
    write(site, "posts/2024-01-01_no-language/index.md", text)
    run_import(site)
    post = Post.objects.get()
    assert (post.language, post.status) == ("en_US", "published")

    assert_same_tree(site, run_export())


def test_an_author_profile_keeps_the_text_after_its_front_matter(tmp_path, run_import, run_export):
    site = tmp_path / "site"
    write(site, "authors/ada_b.md", "---\nname: Ada\n---\n\nAda's page, in *Markdown*.\n")
    run_import(site)
    assert "<em>Markdown</em>" in Person.objects.get().body_html

    assert_same_tree(site, run_export())
