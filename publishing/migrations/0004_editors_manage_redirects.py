"""Editors may see, add and change redirects (publishing/editors.py)."""

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
        ("publishing", "0003_repair_tag_slugs"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(update_editors_group, migrations.RunPython.noop)]
