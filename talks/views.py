from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from publishing.views import PreviewMixin, PublishedMixin
from talks.forms import TalkFilterForm
from talks.models import Talk, TalkGuest, local_year
from talks.stats import SpeakingSummary, TalkCounts, WorldMap, YearHistogram

# What a talk card and a map marker show: never the bodies or their HTML.
CARD_FIELDS = (
    "title",
    "slug",
    "date",
    "is_workshop",
    "event_name",
    "event_days",
    "event_city",
    "event_location",
    "latitude",
    "longitude",
)


class TalkListView(PublishedMixin, ListView):
    """The talks the filters select: their numbers and charts, every upcoming talk (on the
    first page), then the past ones newest first, a page at a time."""

    model = Talk
    paginate_by = 50
    template_name = "talks/talk_list.html"

    def get_queryset(self):
        talks = super().get_queryset()
        # The years of all published talks, found once for the filters and the counts.
        self.year = local_year(talks)
        self.filters = TalkFilterForm(self.request.GET or None, talks=talks, year=self.year)
        self.talks = self.filters.filter(talks).only(*CARD_FIELDS)
        return self.talks.past().order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first_page = context["page_obj"].number == 1
        upcoming = list(self.talks.upcoming().order_by("date", "pk")) if first_page else []
        past = list(context["object_list"])
        counts = TalkCounts.of(self.talks, year=self.year)
        context["filters"] = self.filters
        context["upcoming_talks"] = upcoming
        context["past_talks"] = past
        context["summary"] = SpeakingSummary.of(counts)
        context["histogram"] = YearHistogram.of(counts)
        context["world_map"] = WorldMap.of([*upcoming, *past])
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
