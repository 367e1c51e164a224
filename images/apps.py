from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        from images import checks, signals  # noqa: F401 - registers checks and handlers
