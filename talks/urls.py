from django.urls import path

from talks import calendar, feeds, views

app_name = "talks"

urlpatterns = [
    path("", views.TalkListView.as_view(), name="list"),
    path("feed/", feeds.TalkFeed(), name="feed"),
    path("talks.ics", calendar.talks_calendar, name="calendar"),
    path("talks-all.ics", calendar.all_talks_calendar, name="calendar_all"),
    path("<urlslug:slug>.ics", calendar.talk_calendar, name="talk_calendar"),
    path("<urlslug:slug>/", views.TalkDetailView.as_view(), name="detail"),
]
