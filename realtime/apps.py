from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self):
        from cafepos.outbox import register_handler

        from .publisher import HANDLER_NAME, event_publish

        register_handler(HANDLER_NAME, event_publish)
