from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from publishing.views import PreviewMixin, PublishedMixin
from talks.models import Talk, TalkGuest


class TalkListView(PublishedMixin, ListView):
    model = Talk

    def get_queryset(self):
        return super().get_queryset().select_related("author").prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        talks = list(context["object_list"])
        context["upcoming_talks"] = sorted(
            (talk for talk in talks if talk.is_upcoming), key=lambda talk: talk.date
        )
        context["past_talks"] = [talk for talk in talks if not talk.is_upcoming]
        return context


class TalkDetailView(PreviewMixin, DetailView):
    model = Talk
    slug_field = "slug__iexact"

    def get_queryset(self):
        guests = TalkGuest.objects.select_related("person")
        return (
            super()
            .get_queryset()
            .select_related("author")
            .prefetch_related("tags", Prefetch("guest_credits", queryset=guests))
        )
