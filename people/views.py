from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from blog.models import Post
from people.models import Person
from publishing.views import PublishedMixin
from talks.models import Talk


class PersonListView(PublishedMixin, ListView):
    model = Person


class PersonDetailView(DetailView):
    """A person's page: visitors see the people `published()` allows; people who may change
    people also see the others at their URL (a preview), never cached.

    As PreviewMixin does for items, without its Last-Modified: the page lists the person's
    posts and talks, which change without the person changing."""

    model = Person
    slug_field = "slug__ci"  # any case, through the index

    def get_queryset(self):
        people = super().get_queryset()
        if self.request.user.has_perm("people.change_person"):
            return people
        return people.published()

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

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response
