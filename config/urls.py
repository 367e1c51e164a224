from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.views.generic import TemplateView

from blog.sitemaps import PostSitemap
from people.sitemaps import PersonSitemap
from publishing.converters import (
    TagSlugConverter,
    TwoDigitConverter,
    URLSlugConverter,
    YearConverter,
)
from publishing.media import media_urlpatterns
from publishing.previews import shared_preview
from publishing.sitemaps import index as sitemap_index
from talks.sitemaps import TalkSitemap
from website.sitemaps import SectionSitemap
from website.views import HomeView, theme

register_converter(URLSlugConverter, "urlslug")
register_converter(TwoDigitConverter, "dd")
register_converter(TagSlugConverter, "tagslug")
register_converter(YearConverter, "yyyy")

sitemaps = {
    "sections": SectionSitemap,
    "posts": PostSitemap,
    "talks": TalkSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    path("admin/", include("publishing.admin_urls")),
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("theme.css", theme, name="theme"),
    path("blog/", include("blog.urls")),
    path("speaking/", include("talks.urls")),
    path("people/", include("people.urls")),
    path("search/", include("search.urls")),
    path("", include("images.urls")),
    path("preview/<str:signed>/", shared_preview, name="shared_preview"),
    # An index of sections, each in pages of at most a few thousand URLs (publishing.sitemaps).
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.index",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    *media_urlpatterns(),
]
