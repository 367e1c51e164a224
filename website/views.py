from django.views.generic import TemplateView

from blog.models import Post
from images.responsive import prefetch_renditions
from talks.models import Talk


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest_posts = Post.objects.published().for_cards()[:5]
        prefetch_renditions(latest_posts)
        talks = Talk.objects.published().without_texts()
        context["latest_posts"] = latest_posts
        context["upcoming_talks"] = talks.upcoming().order_by("date")[:5]
        context["recent_talks"] = talks.past()[:5]
        return context
