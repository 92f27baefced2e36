from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"

    def ready(self):
        # Imported here, once the app registry is ready (the services import models).
        from cafepos.outbox import register_handler

        from . import services, signals  # noqa: F401  (signals: connects the endpoint cache invalidation)

        # Delivery rows written in the relay's transaction, sent by Celery tasks once it commits.
        register_handler(services.WEBHOOKS_HANDLER, services.webhook_events_handle)
        register_handler(services.EMAILS_HANDLER, services.order_ready_events_handle)
