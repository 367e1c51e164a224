from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter

from publishing.converters import TwoDigitConverter, URLSlugConverter
from publishing.views import HomeView

register_converter(URLSlugConverter, "urlslug")
register_converter(TwoDigitConverter, "dd")

urlpatterns = [
    path("admin/", include("publishing.admin_urls")),
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("blog/", include("blog.urls")),
    path("speaking/", include("talks.urls")),
    path("people/", include("people.urls")),
    path("", include("images.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
