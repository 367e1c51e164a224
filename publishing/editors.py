"""The "Editors" group: may add, change and view content and tags, delete nothing but the
credits of guests and co-authors (removing one from a talk is editing the talk), and
manage no users or groups. The content models come from the registry of kinds."""

from django.contrib.auth.management import create_permissions

from publishing.kinds import all_kinds

TAG_MODELS = [("taggit", "tag"), ("taggit", "taggeditem")]
# Old addresses: kept by imports and renames, seen and mended (not deleted) by editors.
REDIRECT_MODEL = ("redirects", "redirect")


def editable_models() -> list[tuple[str, str]]:
    """(app label, model name) of every model editors change."""
    models = [model._meta for kind in all_kinds() for model in kind.editable_models]
    return [(opts.app_label, opts.model_name) for opts in models] + TAG_MODELS + [REDIRECT_MODEL]


def deletable() -> list[str]:
    """The delete permissions editors have: those of the credit models."""
    return [
        f"delete_{kind.credit_model._meta.model_name}"
        for kind in all_kinds()
        if kind.credit_model is not None
    ]


def editing_permissions() -> list[str]:
    """The permissions of which any one lets a user edit content (and preview Markdown)."""
    return [
        f"{kind.model._meta.app_label}.{action}_{kind.model._meta.model_name}"
        for kind in all_kinds()
        if kind.publishable
        for action in ("change", "add")
    ]


def ensure_editors_group(group_model, permission_model):
    """Create (or reset) the group; works with real and with migration-state models."""
    group, _ = group_model.objects.get_or_create(name="Editors")
    editable = editable_models()
    codenames = [
        f"{action}_{model}" for _, model in editable for action in ("add", "change", "view")
    ] + deletable()
    permissions = permission_model.objects.filter(
        content_type__app_label__in={app for app, _ in editable}, codename__in=codenames
    )
    group.permissions.set(permissions)
    return group


def update_editors_group(apps, schema_editor):
    """A migration's step that resets the group to what this module says, for migrations
    that add models editors manage. Permissions are normally created after all migrations
    ran; they are created here first."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
