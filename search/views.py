from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.views.generic import TemplateView

from images.responsive import prefetch_renditions
from search.engine import MAX_QUERY_LENGTH, MAX_TERMS, search, terms_of

RESULTS_PER_PAGE = 10
# A shorter query matches too much to be of use (every word with that letter).
MIN_QUERY_CHARACTERS = 2


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        context["query"] = query
        context["searched_words"] = terms_of(query)
        context["max_words"] = MAX_TERMS
        context["results"] = []
        context["min_characters"] = MIN_QUERY_CHARACTERS
        context["too_short"] = bool(query) and len(query) < MIN_QUERY_CHARACTERS
        if query and not context["too_short"]:
            paginator = Paginator(search(query), RESULTS_PER_PAGE)
            try:
                page = paginator.page(self.request.GET.get("page") or 1)
            except InvalidPage as error:
                raise Http404(f"No such page: {error}") from None
            results = page.object_list
            people = [result.item for result in results if result.kind == "person"]
            prefetch_renditions(people, field="avatar")  # one query for the page's avatars
            context |= {"paginator": paginator, "page_obj": page, "results": results}
        return context
