from django.views.generic import DetailView, ListView

from blog.models import Post
from people.models import Person
from talks.models import Talk


class PersonListView(ListView):
    model = Person


class PersonDetailView(DetailView):
    model = Person
    slug_field = "slug__iexact"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["posts"] = Post.objects.published().filter(author=person).prefetch_related("tags")
        context["co_authored_posts"] = Post.objects.published().filter(co_authors=person)
        context["talks"] = Talk.objects.published().filter(author=person)
        context["guest_talks"] = Talk.objects.published().filter(guests=person)
        return context
