"""The search index follows every write: saves, tag changes, renamed and deleted tags,
deletes, imports and `render_markdown`; it is searched by words through FTS5 (SQLite) or a
GIN index (PostgreSQL), never by scanning the items."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag

from blog.models import Post
from search.engine import search
from search.index import rebuild
from search.models import Entry
from search.signals import migrated
from tests.factories import PostFactory, TalkFactory
from tests.publishing.builders import write_post, write_talk

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [result.item.title for result in search(query)]


def test_a_saved_post_is_found_by_its_new_words(now):
    post = PostFactory(title="Streams in practice", body="Plain words.")
    assert titles("streams") == ["Streams in practice"]

    post.title = "Queues in practice"
    post.save()

    assert titles("streams") == []
    assert titles("queues") == ["Queues in practice"]


def test_tags_added_and_removed_change_what_finds_an_item(now):
    talk = TalkFactory(title="A talk", body="x")
    talk.tags.add("observability")
    assert titles("observability") == ["A talk"]

    talk.tags.remove("observability")
    assert titles("observability") == []


def test_a_renamed_tag_finds_its_items_by_the_new_name(now):
    PostFactory(title="Tagged", body="x", tags=["golang"])
    tag = Tag.objects.get(name="golang")
    tag.name = "rustlang"
    tag.save()

    assert titles("golang") == []
    assert titles("rustlang") == ["Tagged"]


def test_a_deleted_tag_no_longer_finds_its_items(now):
    PostFactory(title="Tagged", body="x", tags=["golang"])
    Tag.objects.get(name="golang").delete()
    assert titles("golang") == []
    assert Entry.objects.get(kind="post").tags == ""


def test_a_deleted_item_loses_its_entry(now):
    post = PostFactory(title="Gone soon", body="x")
    post.delete()
    assert not Entry.objects.filter(kind="post").exists()
    assert titles("gone") == []


def test_publishing_needs_no_new_entry_visibility_is_read_when_searching(now):
    post = PostFactory(title="Quiet launch", body="x", status="draft")
    assert titles("launch") == []
    Post.objects.filter(pk=post.pk).update(status="published")  # no signal
    assert titles("launch") == ["Quiet launch"]


def test_imported_items_are_found_by_title_tags_and_body(tmp_path, run_import, now):
    write_post(tmp_path, "2024-05-01-pinning.md")
    write_talk(tmp_path, "2024-02-01_kafka.md", title="Kafka at scale")
    report = run_import(tmp_path)
    assert report.failed == 0, report.errors

    assert titles("toolchains") == ["Why we pin our toolchains"]
    assert titles("rust") == ["Why we pin our toolchains"]  # a tag
    assert titles("compiler") == ["Why we pin our toolchains"]  # the body
    assert titles("kafka") == ["Kafka at scale"]


def test_a_reimport_that_changes_tags_only_updates_the_entry(tmp_path, run_import, now):
    path = write_post(tmp_path, "2024-05-01-pinning.md")
    run_import(tmp_path)
    path.write_text(path.read_text().replace("[rust, tooling]", "[zig, tooling]"))
    report = run_import(tmp_path)

    assert report.updated == 1
    assert titles("rust") == []
    assert titles("zig") == ["Why we pin our toolchains"]


def test_render_markdown_updates_the_entries_of_the_bodies_it_rewrites(now):
    post = PostFactory(title="A post", body="Lorem words.")
    Post.objects.filter(pk=post.pk).update(body="Brand new vocabulary.")  # no signal
    assert titles("vocabulary") == []

    call_command("render_markdown", stdout=StringIO())

    assert titles("vocabulary") == ["A post"]


def test_rebuild_command_restores_a_lost_index(now):
    PostFactory(title="Indexed again", body="x")
    Entry.objects.all().delete()
    assert titles("indexed") == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert titles("indexed") == ["Indexed again"]
    assert rebuild() == 2  # the post and its author


def test_a_rebuilt_index_shows_on_cached_search_pages(client, now):
    PostFactory(title="Indexed later", body="x")
    Entry.objects.all().delete()
    assert "Nothing matches" in client.get("/search/", {"q": "indexed"}).content.decode()

    call_command("rebuild_search_index", stdout=StringIO())

    assert "Indexed later" in client.get("/search/", {"q": "indexed"}).content.decode()


def test_migrate_indexes_a_site_whose_items_have_no_entries(now):
    PostFactory(title="Older than the index", body="x")
    Entry.objects.all().delete()

    migrated(sender=None)

    assert titles("older") == ["Older than the index"]


def test_words_match_whole_words_not_parts_of_words(now):
    PostFactory(title="Mainstream ideas", body="Nothing else.")
    assert titles("stream") == []
    assert titles("ain") == []
    assert titles("mainstream") == ["Mainstream ideas"]


def test_words_are_stemmed(now):
    PostFactory(title="Understanding backpressure", body="Streams, slowly.")
    assert titles("streaming") == ["Understanding backpressure"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "NEAR(streams",
        "streams*",
        "^streams",
        "-streams",
        "title:streams",
        "streams OR pasta",
        "streams AND NOT pasta",
        "(streams",
        "{title body}: streams",
        "st\x00reams",
    ],
)
def test_search_syntax_in_a_query_is_taken_as_words(client, now, query):
    PostFactory(title="Streams in practice", body="x")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_sqlite_search_reads_the_fts_table_not_the_posts(now):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's; PostgreSQL has its GIN index (next test)")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM search_entry_fts "
            "WHERE search_entry_fts MATCH %s",
            ['"streams"'],
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan


def test_postgres_search_uses_the_gin_index(now):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite has its FTS5 table")
    from search.engine import _PostgresIndex

    for number in range(30):
        PostFactory(title=f"Post {number}", body="words")
    queryset = _PostgresIndex(["streams"]).entries()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "search_entry_document_gin" in plan
