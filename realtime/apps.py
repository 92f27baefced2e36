from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self):
        from cafepos.outbox import register_handler

        from .publisher import HANDLER_NAME, events_publish

        register_handler(HANDLER_NAME, events_publish, ahead=True)  # sockets dedupe and replay by seq
