"""The "Editors" group: may add, change and view content, delete nothing but the credits of
guests and co-authors (removing one from a talk is editing the talk), manage no users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE_MODELS = [
    ("blog", "post"),
    ("blog", "postcoauthor"),
    ("talks", "talk"),
    ("talks", "talkguest"),
    ("people", "person"),
    ("taggit", "tag"),
    ("taggit", "taggeditem"),
]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model}" for _, model in EDITABLE_MODELS for action in ("add", "change", "view")
    ] + ["delete_talkguest", "delete_postcoauthor"]
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in EDITABLE_MODELS}, codename__in=codenames
    )
    group.permissions.set(permissions)


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

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
