"""Creates the "Editors" group (see publishing/editors.py for what it may do)."""

from django.db import migrations

from publishing.editors import update_editors_group


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("blog", "0001_initial"),
        ("talks", "0001_initial"),
        ("publishing", "0001_initial"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(update_editors_group, remove_editors_group)]
