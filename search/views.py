from django.views.generic import TemplateView

from search.engine import MAX_QUERY_LENGTH, MAX_TERMS, search, terms_of


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        context["query"] = query
        context["results"] = search(query) if query else []
        context["searched_words"] = terms_of(query)
        context["max_words"] = MAX_TERMS
        return context
