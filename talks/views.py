from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from publishing.views import PreviewMixin, PublishedMixin
from talks.forms import TalkFilterForm
from talks.models import Talk, TalkGuest
from talks.stats import SpeakingSummary, WorldMap, YearHistogram


class TalkListView(PublishedMixin, ListView):
    """Every talk, upcoming ones first, with its numbers and charts; filters narrow all."""

    model = Talk

    def get_queryset(self):
        talks = super().get_queryset()
        self.filters = TalkFilterForm(self.request.GET or None, talks=talks)
        return self.filters.filter(talks)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        talks = list(context["object_list"])
        context["filters"] = self.filters
        context["upcoming_talks"] = sorted(
            (talk for talk in talks if talk.is_upcoming), key=lambda talk: talk.date
        )
        context["past_talks"] = [talk for talk in talks if not talk.is_upcoming]
        context["summary"] = SpeakingSummary.of(talks)
        context["histogram"] = YearHistogram.of(talks)
        context["world_map"] = WorldMap.of(talks)
        return context


class TalkDetailView(PreviewMixin, DetailView):
    model = Talk
    slug_field = "slug__ci"  # any case, through the index

    def get_queryset(self):
        guests = TalkGuest.objects.select_related("person")
        return (
            super()
            .get_queryset()
            .select_related("author")
            .prefetch_related("tags", Prefetch("guest_credits", queryset=guests))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_editions"] = self.object.other_editions()
        return context
