from django.urls import path

from images import views

app_name = "images"

urlpatterns = [
    path("og/site.png", views.og_site_card, name="og_site_card"),
    path("og/<str:kind>/<urlslug:slug>.png", views.og_card, name="og_card"),
]
