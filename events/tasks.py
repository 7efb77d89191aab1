"""django-q2 tasks of the events app: thin wrappers around the delivery and alert code."""

from events import alerts, delivery


def endpoint_deliver(endpoint_id: int) -> int:
    return delivery.endpoint_deliver(endpoint_id)


def deliveries_due() -> int:
    return delivery.deliveries_due_enqueue()


def access_alert_mail(provider_id: int, crossing: str, remaining: int) -> int:
    return alerts.access_alert_send(provider_id, crossing, remaining)
