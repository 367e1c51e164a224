"""Fill the excerpt text and word count of posts stored before they were kept."""

from django.db import migrations
from django.utils.html import strip_tags

from publishing.markdown import plain_text

BATCH_SIZE = 500


def fill(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    batch = []
    posts = Post.objects.only("pk", "excerpt_html", "body_html").order_by("pk")
    for post in posts.iterator(chunk_size=BATCH_SIZE):
        # As Post.render() computes them (historical models have no methods).
        post.excerpt_text = plain_text(post.excerpt_html)
        post.word_count = len(strip_tags(post.body_html).split())
        batch.append(post)
        if len(batch) >= BATCH_SIZE:
            Post.objects.bulk_update(batch, ["excerpt_text", "word_count"])
            batch = []
    Post.objects.bulk_update(batch, ["excerpt_text", "word_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_post_derived_text_and_list_index"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
