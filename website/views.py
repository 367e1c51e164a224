from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.generic import TemplateView

from blog.models import Post
from images.responsive import prefetch_renditions
from talks.models import Talk
from website.theme import accent_problem, theme_stylesheet


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest_posts = Post.objects.published().for_cards()[:5]
        prefetch_renditions(latest_posts)
        talks = Talk.objects.published().without_texts()
        upcoming = list(talks.upcoming().order_by("date")[:4])
        context["latest_posts"] = latest_posts
        # The next talk is the page's feature, with its picture; the others follow.
        context["next_talk"] = upcoming[0] if upcoming else None
        prefetch_renditions(upcoming[:1])
        context["upcoming_talks"] = upcoming[1:]
        context["recent_talks"] = talks.past()[:5] if len(upcoming) < 2 else []
        return context


def theme(request):
    """The accent colour's stylesheet (website.theme); its address carries its digest, so
    browsers keep it for a year."""
    if not settings.SITE_ACCENT or accent_problem(settings.SITE_ACCENT):
        raise Http404("No usable accent colour is set.")
    response = HttpResponse(theme_stylesheet(settings.SITE_ACCENT), content_type="text/css")
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
