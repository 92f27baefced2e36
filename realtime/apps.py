from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self):
        from cafepos.outbox import register_handler

        from .publisher import HANDLER_NAME, event_publish

        register_handler(HANDLER_NAME, event_publish)
        # Webhooks and emails: delivery rows written in the relay's transaction, sent by Celery tasks.
        from . import emails, webhooks

        register_handler(webhooks.HANDLER_NAME, webhooks.webhook_event_handle)
        register_handler(emails.HANDLER_NAME, emails.order_ready_event_handle)
