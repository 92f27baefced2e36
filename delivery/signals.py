"""Any saved or deleted webhook endpoint makes its location's cached endpoints stale, at once and after commit
(as `menu.signals` does for the menu): the relay reads them from the cache (`delivery.webhooks.active_endpoints`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import WebhookEndpoint
from .webhooks import endpoints_changed


@receiver(post_save, sender=WebhookEndpoint)
@receiver(post_delete, sender=WebhookEndpoint)
def endpoint_changed(sender, instance, **kwargs):
    endpoints_changed(instance.location_id)
