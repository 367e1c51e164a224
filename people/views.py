from django.views.generic import DetailView, ListView

from blog.models import Post
from people.models import Person
from talks.models import Talk


class PersonListView(ListView):
    model = Person


class PersonDetailView(DetailView):
    model = Person
    slug_field = "slug__ci"  # any case, through the index

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        posts = Post.objects.published().select_related("author").prefetch_related("tags")
        talks = Talk.objects.published().select_related("author")
        context["posts"] = posts.filter(author=person)
        context["co_authored_posts"] = posts.filter(co_authors=person)
        context["talks"] = talks.filter(author=person)
        context["guest_talks"] = talks.filter(guests=person)
        return context
