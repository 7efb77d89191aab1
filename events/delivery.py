"""Sending deliveries: one endpoint at a time, oldest first, retried with backoff.

A run holds the endpoint's row lock (``FOR NO KEY UPDATE SKIP LOCKED``) while
it sends, so two workers, on any hosts, never send to one endpoint at once,
and a later event is never sent while an earlier one of the same endpoint
is still pending. The lock does not conflict with the key-share lock that
inserting a new delivery takes, so emitting events never waits for a slow
receiver. Delivery is at least once: a worker that dies after the receiver
answered but before its commit sends that event again.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from events import signing
from events.models import Delivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# A run sends at most this many events, then queues the endpoint again: a
# task stays far below Q_TIMEOUT whatever the backlog.
BATCH = 50
_ERROR_MAX = Delivery._meta.get_field("last_error").max_length
_USER_AGENT = "Testodrome-Webhooks/1"


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None = None
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer that is not 2xx: the event was not accepted.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def body_for(delivery: Delivery) -> bytes:
    return json.dumps(delivery.event.payload, ensure_ascii=False, separators=(",", ":")).encode()


def post(url: str, body: bytes, headers: dict[str, str]) -> Attempt:
    """POST once; only a 2xx answer within the timeout counts as delivered."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
            return Attempt(ok=200 <= response.status < 300, status_code=response.status)
    except urllib.error.HTTPError as exc:
        return Attempt(ok=False, status_code=exc.code, error=f"HTTP {exc.code} {exc.reason}")
    except TimeoutError:
        return Attempt(ok=False, error=f"Timeout after {settings.WEBHOOK_TIMEOUT_SECONDS} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Attempt(ok=False, error=f"Timeout after {settings.WEBHOOK_TIMEOUT_SECONDS} s")
        return Attempt(ok=False, error=f"Network error: {reason}")
    except (OSError, ValueError) as exc:  # reset connections, malformed answers
        return Attempt(ok=False, error=f"Network error: {exc}")


def retry_delay(attempts: int) -> timedelta:
    """10 s after the first failure, doubling, at most an hour (by default)."""
    first, cap = settings.WEBHOOK_RETRY_FIRST_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, first * 2 ** min(attempts - 1, 30)))


def _attempt(delivery: Delivery, endpoint: WebhookEndpoint) -> bool:
    body = body_for(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": _USER_AGENT,
        signing.EVENT_ID_HEADER: str(delivery.event_id),
        signing.HEADER: signing.sign(endpoint.secret, body),
    }
    attempt = post(endpoint.url, body, headers)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = attempt.status_code
    if attempt.ok:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    else:
        delivery.last_error = attempt.error[:_ERROR_MAX] or f"HTTP {attempt.status_code}"
        retry_at = now + retry_delay(delivery.attempts)
        if retry_at > delivery.retry_until:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = retry_at
    delivery.save(
        update_fields=[
            "attempts",
            "status",
            "next_attempt_at",
            "last_error",
            "last_status_code",
            "delivered_at",
        ]
    )
    logger.info(
        "Webhook delivery %s of event %s to endpoint %s: attempt %d, %s.",
        delivery.pk,
        delivery.event_id,
        endpoint.pk,
        delivery.attempts,
        delivery.status if attempt.ok else f"{delivery.status} ({delivery.last_error})",
    )
    return attempt.ok


def endpoint_deliver(endpoint_id: int) -> int:
    """Send the endpoint's due deliveries in order; returns how many were delivered.

    Stops at the first failure: the events behind it wait for its retry,
    which is scheduled for its ``next_attempt_at``. Returns at once when
    another worker holds the endpoint (it sends whatever is due).
    """
    delivered = 0
    for _ in range(BATCH):
        with transaction.atomic():
            endpoint = (
                WebhookEndpoint.objects.select_for_update(skip_locked=True, no_key=True)
                .filter(pk=endpoint_id, is_active=True)
                .first()
            )
            if endpoint is None:
                return delivered
            head = (
                Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING)
                .select_related("event")
                .order_by("id")
                .first()
            )
            if head is None or head.next_attempt_at > timezone.now():
                return delivered
            if not _attempt(head, endpoint):
                if head.status == Delivery.Status.PENDING:
                    retry_at = head.next_attempt_at
                    transaction.on_commit(lambda at=retry_at: _schedule_retry(endpoint_id, at))
                    return delivered
                continue  # given up: the next event may go
            delivered += 1
    async_task("events.tasks.endpoint_deliver", endpoint_id)
    return delivered


def _schedule_retry(endpoint_id: int, at: datetime) -> None:
    # A one-off schedule, deleted by django-q2 once it has run; the scheduler
    # looks every 30 s, and the every-minute sweep is the safety net.
    schedule(
        "events.tasks.endpoint_deliver",
        endpoint_id,
        schedule_type=Schedule.ONCE,
        next_run=at,
        repeats=-1,
    )


def deliveries_due_enqueue() -> int:
    """Queue every endpoint whose oldest pending delivery is due; returns how many.

    Picks up what a lost task (its worker died) or a missed retry schedule
    left behind; a duplicate task is harmless, the endpoint lock serialises it.
    """
    heads = (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .values("endpoint_id")
        .annotate(head=Min("id"))
        .values("head")
    )
    endpoint_ids = list(
        Delivery.objects.filter(
            pk__in=heads, next_attempt_at__lte=timezone.now(), endpoint__is_active=True
        ).values_list("endpoint_id", flat=True)
    )
    for endpoint_id in endpoint_ids:
        async_task("events.tasks.endpoint_deliver", endpoint_id)
    return len(endpoint_ids)
