"""Admin behaviour shared by posts and talks."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import ngettext

from publishing.models import Status

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Content"


def thumbnail(url: str | None, alt: str = "") -> str:
    if not url:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="64" height="36" loading="lazy" class="admin-thumb">',
        url,
        alt,
    )


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class CreditInline(admin.TabularInline):
    """People credited on an item, in the order given by `position`."""

    autocomplete_fields = ["person"]
    extra = 0
    fields = ["position", "person", "link", "image_url"]
    ordering = ["position"]


class PublishableAdmin(admin.ModelAdmin):
    """Change list, actions and form layout common to posts and talks."""

    list_display = ["title", "is_public", "status", "date", "author", "tag_list", "thumbnail"]
    list_filter = ["status", YearFilter, "tags", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "body"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["source_dialect", "source_path", "source_extra", "created_at", "updated_at"]
    save_on_top = True
    change_form_template = "admin/publishing/change_form.html"

    images_fieldset = ("Images", {"fields": ["header_image", "header_image_alt", "og_image"]})
    seo_fieldset = (
        "SEO",
        {"fields": ["meta_title", "meta_description", "language"], "classes": ["collapse"]},
    )
    source_fieldset = (
        "Source",
        {
            "fields": [
                "uuid",
                "source_dialect",
                "source_path",
                "source_extra",
                "created_at",
                "updated_at",
            ],
            "classes": ["collapse"],
            "description": "Where this item was imported from; used to export it back.",
        },
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(boolean=True, description="public")
    def is_public(self, obj) -> bool:
        return obj.is_published

    @admin.display(description="tags")
    def tag_list(self, obj) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="image")
    def thumbnail(self, obj) -> str:
        return thumbnail(obj.header_image.url if obj.header_image else None, obj.header_image_alt)

    @admin.action(description="Publish selected items", permissions=["change"])
    def publish(self, request, queryset):
        updated = queryset.update(status=Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%d item published.", "%d items published.", updated) % updated,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d item unpublished.", "%d items unpublished.", updated) % updated,
            messages.SUCCESS,
        )
