"""Writes of the events app: emitting events into the outbox, endpoints, sending again."""

from datetime import datetime, timedelta
from functools import partial
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from billing.models import Invoice, Provider
from events import kinds, signing
from events.models import Delivery, Event, WebhookEndpoint
from events.thresholds import access_crossing, access_low_at

DELIVER_TASK = "events.tasks.endpoint_deliver"
ALERT_MAIL_TASK = "events.tasks.access_alert_mail"


def retry_deadline() -> datetime:
    return timezone.now() + timedelta(hours=settings.WEBHOOK_GIVE_UP_HOURS)


def _enqueue(endpoint_ids: list[int]) -> None:
    for endpoint_id in endpoint_ids:
        async_task(DELIVER_TASK, endpoint_id)


def provider_subscriptions_refresh(provider_id: int) -> None:
    """Store which event types the provider's active endpoints subscribe to."""
    subscribed = WebhookEndpoint.objects.filter(provider_id=provider_id, is_active=True)
    types = sorted({t for events in subscribed.values_list("events", flat=True) for t in events})
    Provider.objects.filter(pk=provider_id).update(webhook_events=types)


def event_wanted(provider: Provider, type: str) -> bool:
    """Whether some endpoint may want ``type``: read from the row, no query."""
    return type in provider.webhook_events


def event_emit(*, provider_id: int, type: str, data: dict) -> Event | None:
    """Write the event and a pending delivery to each active endpoint subscribed to its type.

    Runs in the caller's transaction, so the event exists exactly when the
    change that caused it is committed; the delivery tasks are queued only
    after that commit. Without a subscribed endpoint nothing is written: the
    data (a student's result, say) is not kept where nobody asked for it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_emit must run inside the transaction of the change.")
    endpoint_ids = [
        pk
        for pk, types in WebhookEndpoint.objects.filter(
            provider_id=provider_id, is_active=True
        ).values_list("pk", "events")
        if type in types
    ]
    if not endpoint_ids:
        return None
    now = timezone.now()
    event = Event.objects.create(provider_id=provider_id, type=type, data=data, created_at=now)
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            endpoint_id=pk,
            next_attempt_at=now,
            retry_until=retry_deadline(),
            created_at=now,
        )
        for pk in endpoint_ids
    )
    transaction.on_commit(partial(_enqueue, endpoint_ids))
    return event


def access_charged(
    *, provider_id: int, issued: int, limit: int, overdraft: int, threshold: int | None
) -> None:
    """React to one charge of a prepaid provider, given the counters its UPDATE returned.

    Fires ``access.low`` or ``access.exhausted`` (webhook and e-mail) when
    this very charge crossed the threshold; see ``thresholds.access_crossing``
    for why no other charge can.
    """
    capacity = limit + overdraft
    remaining = capacity - issued
    crossing = access_crossing(remaining, capacity, threshold)
    if crossing is None:
        return
    event_type = kinds.ACCESS_LOW if crossing == "low" else kinds.ACCESS_EXHAUSTED
    data = {
        "remaining": remaining,
        "issued": issued,
        "limit": limit,
        "overdraft": overdraft,
        "threshold": access_low_at(capacity, threshold),
    }
    event_emit(provider_id=provider_id, type=event_type, data=data)
    transaction.on_commit(partial(async_task, ALERT_MAIL_TASK, provider_id, crossing, remaining))


def invoice_issued(invoice: Invoice) -> Event | None:
    """``invoice.issued`` for an invoice just created in the caller's transaction."""
    return event_emit(
        provider_id=invoice.provider_id,
        type=kinds.INVOICE_ISSUED,
        data={
            "number": invoice.number,
            "kind": invoice.kind,
            "period": invoice.period.strftime("%Y-%m") if invoice.period else None,
            "accesses": invoice.accesses,
            "amount": str(invoice.amount),
            "vat_amount": str(invoice.vat_amount),
            "currency": "RUB",
            "issued_at": invoice.issued_at.isoformat(),
        },
    )


def endpoint_create(
    *, provider: Provider, url: str, events: list[str], is_active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint with a new secret; returns it with the secret to show once.

    Raises ValidationError (Russian, naming the field) and saves nothing if
    the URL or the event list is not acceptable.
    """
    secret = signing.secret_generate()
    endpoint = WebhookEndpoint(
        provider=provider, url=url, events=events, secret=secret, is_active=is_active
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


def delivery_send_again(delivery: Delivery) -> None:
    """Queue a delivery again at once, whatever its status, with a fresh retry window.

    It keeps its place in the endpoint's queue (its id): events behind it
    wait until it is delivered or given up again.
    """
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.PENDING,
            next_attempt_at=now,
            retry_until=retry_deadline(),
            delivered_at=None,
        )
        transaction.on_commit(partial(_enqueue, [delivery.endpoint_id]))


def events_about_users_delete(*, provider_id: int, user_keys: list[UUID]) -> int:
    """Delete the events that carry these users' data, with their deliveries.

    Only ``result.saved`` names a user (its ``user_id``, scales and outcome);
    an erasure must not leave them in the outbox or the delivery log.
    """
    if not user_keys:
        return 0
    deleted, _ = Event.objects.filter(
        provider_id=provider_id,
        type=kinds.RESULT_SAVED,
        data__user_key__in=[str(key) for key in user_keys],
    ).delete()
    return deleted
