from django.contrib import admin

from people.models import Person
from publishing.admin import thumbnail


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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
        ("Person", {"fields": ["name", "slug", "job_title", "bio", "long_bio", "link", "body"]}),
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

    @admin.display(description="picture")
    def thumbnail(self, obj) -> str:
        return thumbnail(obj.avatar_src, obj.name, 36, 36)

    @admin.display(description="preview")
    def avatar_preview(self, obj) -> str:
        if obj is None or not obj.avatar_src:
            return "No picture yet."
        return thumbnail(obj.avatar_src, f"Picture of {obj.name}", 120, 120)
