from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import checks  # noqa: F401  (registers the system checks)
        from search.signals import connect_signals

        connect_signals(self)
