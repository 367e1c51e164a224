from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        from people.models import Person
        from publishing import kinds

        kinds.register(kinds.Kind("person", Person))
