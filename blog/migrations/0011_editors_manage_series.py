"""Editors may see, add and change series (publishing/editors.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from publishing.editors import ensure_editors_group


def update_editors_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0010_post_series"),
        ("publishing", "0004_editors_manage_redirects"),
    ]

    operations = [migrations.RunPython(update_editors_group, migrations.RunPython.noop)]
