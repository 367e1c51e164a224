"""What a post stores about its body at render time (the excerpt as text, the word count),
so that pages do not parse HTML: right after save, after edits, after import and after
the data migration that filled existing posts."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from blog.models import Post
from tests.factories import PostFactory
from tests.publishing.builders import post_text, write_file

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("blog.migrations.0006_fill_post_derived_text")


def words(count: int) -> str:
    return " ".join(f"word{number}" for number in range(count))


def test_saved_post_stores_its_excerpt_as_text_and_its_word_count():
    post = PostFactory(description="", body=f"First *para* &amp; more.\n\n{words(456)}\n")
    post.refresh_from_db()
    assert post.excerpt_text == "First para & more."
    assert post.word_count == 4 + 456
    assert post.summary == "First para & more."
    assert post.reading_minutes == 2


def test_edited_body_updates_the_stored_text_and_word_count():
    post = PostFactory(description="", body="Old start.\n")
    post.body = f"New start.\n\n{words(920)}\n"
    post.save()
    post.refresh_from_db()
    assert post.excerpt_text == "New start."
    assert post.word_count == 922
    assert post.reading_minutes == 4


def test_description_still_comes_before_the_excerpt_in_the_summary():
    post = PostFactory(description="The  description.", body="The excerpt.\n")
    assert post.summary == "The description."
    post.meta_description = "For search engines."
    assert post.summary == "For search engines."


def test_imported_post_stores_its_excerpt_text_and_word_count(run_import, tmp_path):
    write_file(tmp_path, "posts/2024-05-01_a/index.md", post_text(f"Lead.\n\n{words(10)}\n"))
    run_import(tmp_path)
    post = Post.objects.get(slug="hostile")
    assert (post.excerpt_text, post.word_count) == ("Lead.", 11)

    write_file(tmp_path, "posts/2024-05-01_a/index.md", post_text(f"Other lead.\n\n{words(3)}\n"))
    run_import(tmp_path)
    post.refresh_from_db()
    assert (post.excerpt_text, post.word_count) == ("Other lead.", 5)


def test_render_markdown_refreshes_stale_derived_values():
    post = PostFactory(body=f"Lead.\n\n{words(30)}\n")
    Post.objects.filter(pk=post.pk).update(excerpt_text="stale", word_count=0)
    call_command("render_markdown", stdout=None)
    post.refresh_from_db()
    assert (post.excerpt_text, post.word_count) == ("Lead.", 31)


def test_data_migration_fills_posts_stored_before_the_fields_existed():
    posts = [PostFactory(body=f"Lead {n}.\n\n{words(n)}\n") for n in (0, 7, 300)]
    Post.objects.update(excerpt_text="", word_count=0)
    fill_migration.fill(apps, None)
    for post, count in zip(posts, (0, 7, 300), strict=True):
        post.refresh_from_db()
        assert post.excerpt_text == f"Lead {count}."
        assert post.word_count == count + 2
