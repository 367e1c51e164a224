"""Editors may see, add and change redirects (publishing/editors.py)."""

from django.db import migrations

from publishing.editors import update_editors_group


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_repair_tag_slugs"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(update_editors_group, migrations.RunPython.noop)]
