from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html

from images.responsive import fill_picture, prefetch_renditions
from images.widgets import IMAGE_FIELD_OVERRIDES
from people.models import Person
from publishing.admin import ContentAdminForm, RevisionAdmin, thumbnail
from publishing.links import http_url
from publishing.site_url import absolute_url


class AvatarChangeList(ChangeList):
    """Loads the avatars of a change list page in one query."""

    def get_results(self, request):
        super().get_results(request)
        prefetch_renditions(self.result_list, field="avatar")


def avatar_rendition(person: Person, size: int, alt: str) -> str | None:
    """The uploaded avatar, cropped square (a rendition: never the original's metadata)."""
    picture = fill_picture(person, ((size, size), (size * 2, size * 2)), field="avatar")
    return thumbnail(picture.src, alt, size, size) if picture else None


def avatar_placeholder(person: Person, remote_label: str | None = None) -> str:
    """The person's initial and, for a remote picture, its address as a link. Never an
    <img> of the remote picture: the editor's browser would ask that host for it."""
    initial = format_html(
        '<span class="admin-avatar-initial" aria-hidden="true">{}</span>',
        (person.name.strip()[:1] or "?").upper(),
    )
    remote = http_url(person.avatar_url)
    if remote is None:
        return initial
    return format_html(
        '{} <a href="{}" class="admin-avatar-remote" rel="noopener noreferrer" '
        'target="_blank">{}</a>',
        initial,
        remote,
        remote_label or remote,
    )


@admin.register(Person)
class PersonAdmin(RevisionAdmin):
    form = ContentAdminForm
    formfield_overrides = IMAGE_FIELD_OVERRIDES
    change_form_template = "admin/publishing/change_form.html"
    list_display = ["name", "slug", "job_title", "github", "thumbnail"]
    search_fields = ["name", "slug", "github", "twitter", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "avatar_preview",
        "source_dialect",
        "source_path",
        "source_extra",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            "Person",
            {"fields": ["name", "slug", "user", "job_title", "bio", "long_bio", "link", "body"]},
        ),
        ("Profiles", {"fields": ["github", "twitter", "mastodon", "linkedin", "bluesky"]}),
        ("Picture", {"fields": ["avatar", "avatar_preview", "avatar_url"]}),
        (
            "Source",
            {
                "fields": [
                    "source_dialect",
                    "source_path",
                    "source_extra",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/people/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        """Only who manages accounts links a person to one."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("auth.change_user"):
            readonly.append("user")
        return readonly

    def view_on_site(self, obj):
        """The public page at the site's address (publishing.site_url) rather than at
        the sites framework's stored domain."""
        return absolute_url(obj.get_absolute_url())

    def get_changelist(self, request, **kwargs):
        return AvatarChangeList

    @admin.display(description="picture")
    def thumbnail(self, obj) -> str:
        return avatar_rendition(obj, 36, obj.name) or avatar_placeholder(obj, "remote picture")

    @admin.display(description="preview")
    def avatar_preview(self, obj) -> str:
        if obj is None or not (obj.avatar or http_url(obj.avatar_url)):
            return "No picture yet."
        if obj.avatar:
            return avatar_rendition(obj, 120, f"Picture of {obj.name}") or (
                "The picture file cannot be read."
            )
        return avatar_placeholder(obj)
