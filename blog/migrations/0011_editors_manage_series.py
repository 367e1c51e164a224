"""Editors may see, add and change series (publishing/editors.py)."""

from django.db import migrations

from publishing.editors import update_editors_group


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0010_post_series"),
        ("publishing", "0004_editors_manage_redirects"),
    ]

    operations = [migrations.RunPython(update_editors_group, migrations.RunPython.noop)]
