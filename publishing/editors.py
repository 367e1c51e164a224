"""The "Editors" group: may add, change and view content and tags, delete nothing but the
credits of guests and co-authors (removing one from a talk is editing the talk), and
manage no users or groups."""

EDITABLE_MODELS = [
    ("blog", "post"),
    ("blog", "postcoauthor"),
    ("talks", "talk"),
    ("talks", "talkguest"),
    ("people", "person"),
    ("taggit", "tag"),
    ("taggit", "taggeditem"),
]
DELETABLE = ["delete_talkguest", "delete_postcoauthor"]


def ensure_editors_group(group_model, permission_model):
    """Create (or reset) the group; works with real and with migration-state models."""
    group, _ = group_model.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model}" for _, model in EDITABLE_MODELS for action in ("add", "change", "view")
    ] + DELETABLE
    permissions = permission_model.objects.filter(
        content_type__app_label__in={app for app, _ in EDITABLE_MODELS}, codename__in=codenames
    )
    group.permissions.set(permissions)
    return group
