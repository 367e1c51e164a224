from django.urls import path

from blog import feeds, views
from publishing.views import TaggedItemsView, TagListView

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("feed/", feeds.PostFeed(), name="feed"),
    path("atom/", feeds.AtomPostFeed(), name="atom"),
    path("tags/", TagListView.as_view(), name="tags"),
    path("series/<urlslug:slug>/", views.SeriesDetailView.as_view(), name="series"),
    path("tags/<tagslug:tag>/", TaggedItemsView.as_view(), name="tag"),
    path("tags/<tagslug:tag>/feed/", feeds.TagPostFeed(), name="tag_feed"),
    path("<yyyy:year>/", views.PostYearArchiveView.as_view(), name="year"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<urlslug:slug>/",
        views.PostDetailView.as_view(),
        name="post_detail",
    ),
]
