from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "События и вебхуки"

    def ready(self) -> None:
        from events import signals  # noqa: F401 (connects the receivers)
