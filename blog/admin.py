from django.contrib import admin
from django.db.models import Count

from blog.models import Post, PostCoAuthor, Series
from publishing.admin import CreditInline, PublishableAdmin


class PostCoAuthorInline(CreditInline):
    model = PostCoAuthor
    verbose_name_plural = "co-authors (in order)"


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    search_fields = [*PublishableAdmin.search_fields, "subtitle", "description"]
    inlines = [PostCoAuthorInline]
    # Posts appear at their date; a talk's date is its event's, so talks are not scheduled.
    actions = [*PublishableAdmin.actions, "schedule"]
    autocomplete_fields = [*PublishableAdmin.autocomplete_fields, "series"]
    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "title",
                    "subtitle",
                    "slug",
                    ("status", "date", "updated"),
                    ("author", "author_bio"),
                    "tags",
                    ("series", "series_part"),
                    "description",
                    "tagline",
                    "body",
                    "body_images",
                ]
            },
        ),
        (
            PublishableAdmin.images_fieldset[0],
            {
                **PublishableAdmin.images_fieldset[1],
                "fields": [
                    *PublishableAdmin.images_fieldset[1]["fields"],
                    ("facebook_image", "twitter_image"),
                ],
            },
        ),
        PublishableAdmin.preview_fieldset,
        PublishableAdmin.seo_fieldset,
        PublishableAdmin.source_fieldset,
    ]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "post_count"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts"))

    @admin.display(description="posts", ordering="post_count")
    def post_count(self, series):
        return series.post_count
