from django.contrib import admin
from django.utils import timezone

from publishing.admin import CreditInline, PublishableAdmin, YearFilter
from talks.models import Talk, TalkGuest


class TalkGuestInline(CreditInline):
    model = TalkGuest
    verbose_name_plural = "guests (in order)"


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(date__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(date__lt=timezone.now())
        return queryset


@admin.register(Talk)
class TalkAdmin(PublishableAdmin):
    list_display = [
        "title",
        "event_name",
        "state",
        "listed_date",
        "is_workshop",
        "author",
        "tag_list",
        "thumbnail",
    ]
    list_filter = [
        "status",
        YearFilter,
        WhenFilter,
        "is_workshop",
        "presentation_language",
        "talk_group",
        "tags",
        "author",
    ]
    search_fields = [*PublishableAdmin.search_fields, "event_name", "event_city", "talk_group"]
    inlines = [TalkGuestInline]
    readonly_fields = [*PublishableAdmin.readonly_fields, "shown_as"]
    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "title",
                    "slug",
                    ("status", "date"),
                    "author",
                    "tags",
                    "talk_group",
                    "body",
                    "body_images",
                ]
            },
        ),
        (
            "Event",
            {
                "fields": [
                    "event_name",
                    "event_link",
                    "event_location",
                    ("latitude", "longitude"),
                    "event_city",
                    ("event_days", "shown_as"),
                    ("is_workshop", "presentation_language"),
                    "slides_link",
                    "embed_slides",
                    "video_link",
                    ("podcast_link", "podcast_embed"),
                ]
            },
        ),
        PublishableAdmin.images_fieldset,
        PublishableAdmin.preview_fieldset,
        PublishableAdmin.seo_fieldset,
        PublishableAdmin.source_fieldset,
    ]

    @admin.display(description="shown as")
    def shown_as(self, talk):
        """The event's days as visitors see them, after a save: the editor can tell
        whether the text was read as days or is shown as written."""
        if not talk.event_days:
            return "—"
        return talk.when if talk.event_dates else f"{talk.event_days} (shown as written)"
