from django.urls import path

from talks import views

app_name = "talks"

urlpatterns = [
    path("", views.TalkListView.as_view(), name="list"),
    path("<urlslug:slug>/", views.TalkDetailView.as_view(), name="detail"),
]
