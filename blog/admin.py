from django.contrib import admin

from blog.models import Post, PostCoAuthor
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
