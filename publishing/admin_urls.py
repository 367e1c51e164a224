"""Admin-only endpoints, mounted under /admin/ before the admin site's own URLs."""

from django.contrib import admin
from django.urls import path

from publishing.admin_views import markdown_preview, tag_suggestions

urlpatterns = [
    path(
        "markdown-preview/",
        admin.site.admin_view(markdown_preview),
        name="admin_markdown_preview",
    ),
    path(
        "tag-suggestions/",
        admin.site.admin_view(tag_suggestions),
        name="admin_tag_suggestions",
    ),
]
