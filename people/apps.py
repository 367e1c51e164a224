from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        from people.models import Person
        from publishing import kinds

        kinds.register(
            kinds.Kind(
                "person",
                Person,
                search_fields=("job_title", "bio_html"),
                search_title="name",
                search_body=("long_bio_html", "body_html"),
                search_lead="bio_html",
            )
        )
