"""Keep ``Provider.webhook_events`` in step with the provider's endpoints.

Receivers rather than overridden ``save``/``delete``: the admin's bulk delete
goes through the queryset, which calls no model method but does send
``post_delete``.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import WebhookEndpoint
from events.services import provider_subscriptions_refresh


@receiver(post_save, sender=WebhookEndpoint)
@receiver(post_delete, sender=WebhookEndpoint)
def endpoint_changed(sender, instance: WebhookEndpoint, **kwargs) -> None:
    provider_subscriptions_refresh(instance.provider_id)
