from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self):
        from cafepos.outbox import register_handler

        from .publisher import HANDLER_NAME, events_publish

        register_handler(HANDLER_NAME, events_publish, ahead=True)  # sockets dedupe and replay by seq
        # Webhooks and emails: delivery rows written in the relay's transaction, sent by Celery tasks.
        from . import emails, signals, webhooks  # noqa: F401  (signals: connects the endpoint cache invalidation)

        register_handler(webhooks.HANDLER_NAME, webhooks.webhook_events_handle)
        register_handler(emails.HANDLER_NAME, emails.order_ready_events_handle)
