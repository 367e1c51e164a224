"""Gives every tag a slug its URL takes: an empty slug (a name such as "---"), one too long
for the column, or one with characters the tag URLs refuse is made anew from the name (see
publishing.slugs.free_tag_slug); other tags keep theirs."""

from django.db import migrations

from publishing.slugs import free_tag_slug, tag_slug_is_usable


def repair_tag_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    max_length = Tag._meta.get_field("slug").max_length
    for tag in Tag.objects.order_by("pk"):
        if not tag_slug_is_usable(tag.slug, max_length):
            tag.slug = free_tag_slug(tag.name, Tag.objects.exclude(pk=tag.pk))
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_editors_group"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop)]
