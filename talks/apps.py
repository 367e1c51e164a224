from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Speaking"

    def ready(self):
        from publishing import kinds
        from talks.models import Talk, TalkGuest
        from talks.templatetags.talks import talk_card

        kinds.register(
            kinds.Kind(
                "talk",
                Talk,
                credit_model=TalkGuest,
                credit_item_field="talk",
                search_fields=("event_name", "event_city"),
                author_role="Speaker at",
                card=talk_card,
                credit_role="Guest in",
            )
        )
