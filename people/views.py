from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from images.responsive import prefetch_renditions
from people.models import Person, attach_roles
from publishing.kinds import publishable_kinds
from publishing.views import PublishedMixin

ITEMS_PER_PAGE = 20


def page_of(request, items, parameter: str):
    """One page of `items`, chosen by the query parameter `parameter`; a page number that
    is not one of the list's is not found."""
    paginator = Paginator(items, ITEMS_PER_PAGE)
    try:
        return paginator.page(request.GET.get(parameter) or 1)
    except InvalidPage as error:
        raise Http404(f"No such page: {error}") from None


class PersonListView(PublishedMixin, ListView):
    """Everyone credited on a public item, with their avatar and what they did (`roles`),
    in a constant number of queries."""

    model = Person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = list(context["object_list"])
        attach_roles(people)
        prefetch_renditions(people, field="avatar")
        context["object_list"] = context["person_list"] = people
        return context


class PersonDetailView(DetailView):
    """A person's page: visitors see the people `published()` allows; people who may change
    people also see the others at their URL (a preview), never cached.

    As PreviewMixin does for items, without its Last-Modified: the page lists the person's
    posts and talks, which change without the person changing. The items of each kind
    (publishing.kinds) the person wrote or is credited on (co-written posts, talks joined
    as a guest) come a page at a time, as `posts`, `talks`, each list with its own page
    parameter."""

    model = Person
    slug_field = "slug__ci"  # any case, through the index

    def get_queryset(self):
        people = super().get_queryset()
        if self.request.user.has_perm("people.change_person"):
            return people
        return people.published()

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        if not self.request.user.has_perm("people.change_person"):
            person.is_published = True  # found through published()
        return person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        for kind in publishable_kinds():
            name = f"{kind.name}s"
            # Each side of the OR is a list of ids read through an index (the author's,
            # the credits' by person): with a correlated EXISTS, SQLite checked every
            # public item.
            written = kind.model.objects.filter(author=person).values("pk")
            credited = kind.credit_model.objects.filter(person=person)
            items = kind.model.objects.filter(
                Q(pk__in=written) | Q(pk__in=credited.values(f"{kind.credit_item_field}_id"))
            )
            context[name] = page_of(self.request, items.published().for_cards(), name)
            prefetch_renditions(context[name])
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response
