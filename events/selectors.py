"""Reads of the events app: staff pages, and a user's events for user/export."""

from dataclasses import dataclass
from uuid import UUID

from billing.models import Provider
from events import kinds
from events.models import Delivery, Event
from reports.access import User, is_operator

LOG_ROWS = 10


@dataclass(frozen=True)
class WebhookLog:
    """The provider's latest deliveries, as its dashboard lists them."""

    deliveries: list[Delivery]
    may_send_again: bool


def webhook_log(provider: Provider, user: User) -> WebhookLog:
    """One query whatever the number of deliveries; empty until the first event."""
    deliveries = list(
        Delivery.objects.filter(endpoint__provider=provider)
        .select_related("event", "endpoint")
        .only(
            "status",
            "attempts",
            "last_error",
            "last_status_code",
            "created_at",
            "next_attempt_at",
            "delivered_at",
            "event__type",
            "endpoint__url",
        )
        .order_by("-id")[:LOG_ROWS]
    )
    return WebhookLog(deliveries=deliveries, may_send_again=is_operator(user))


def delivery_for_operator(user: User, provider: Provider, pk: int) -> Delivery | None:
    """A delivery of this provider an operator may send again; None for anyone else."""
    if not is_operator(user):
        return None
    return Delivery.objects.filter(pk=pk, endpoint__provider=provider).first()


def events_about_user(*, provider_id: int, user_key: UUID) -> list[Event]:
    """The events that carry the user's data (``result.saved``), oldest first."""
    return list(
        Event.objects.filter(
            provider_id=provider_id, type=kinds.RESULT_SAVED, data__user_key=str(user_key)
        ).order_by("created_at", "id")
    )
