from django.urls import path
from django.views.generic import RedirectView

from images import views

app_name = "images"

urlpatterns = [
    path("og/site.jpg", views.og_site_card, name="og_site_card"),
    path("og/<str:kind>/<urlslug:slug>.jpg", views.og_card, name="og_card"),
    # Cards were PNGs at .png addresses: pages cached before, and shares crawled before,
    # still link there.
    path(
        "og/site.png",
        RedirectView.as_view(
            pattern_name="images:og_site_card", permanent=True, query_string=True
        ),
        name="og_site_card_png",
    ),
    path(
        "og/<str:kind>/<urlslug:slug>.png",
        RedirectView.as_view(pattern_name="images:og_card", permanent=True, query_string=True),
        name="og_card_png",
    ),
]
