"""Limit alert e-mails: the provider's staff and the operators hear of a crossing."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from billing.models import Provider
from events.thresholds import access_low_at, access_state
from reports.models import StaffMembership

logger = logging.getLogger(__name__)


def alert_recipients(provider: Provider) -> list[tuple[str, bool]]:
    """(address, is operator) of the provider's staff and of every operator, each once."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(pk__in=StaffMembership.objects.filter(provider=provider).values("user_id"))
        )
        .order_by("email", "pk")
        .values_list("email", "is_staff", "is_superuser")
    )
    seen: dict[str, bool] = {}
    for email, is_staff, is_superuser in users:
        key = email.strip().lower()
        seen[key] = seen.get(key, False) or is_staff or is_superuser
    return list(seen.items())


def access_alert_send(provider_id: int, crossing: str, remaining: int) -> int:
    """Send the alert for a crossing as the counters stand now; returns the messages sent.

    Nothing is sent if a grant has already lifted the provider above the
    threshold since: the news would be false by the time it is read.
    ``crossing`` and ``remaining`` are what the charge saw, for the log.
    """
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None or not provider.is_prepaid or provider.remaining is None:
        return 0
    capacity = provider.access_limit + provider.overdraft
    state = access_state(provider.remaining, capacity, provider.access_alert_threshold)
    if state is None:
        logger.info("Access alert (%s) for provider %s no longer applies.", crossing, provider_id)
        return 0
    base = settings.SITE_URL.rstrip("/")
    context = {
        "provider": provider,
        "state": state,
        "remaining": max(provider.remaining, 0),
        "capacity": capacity,
        "low_at": access_low_at(capacity, provider.access_alert_threshold),
        "dashboard_url": base + reverse("reports:dashboard", args=[provider.slug]),
        "topup_url": base + reverse("reports:invoice_topup"),
    }
    subject = render_to_string("events/access_alert_subject.txt", context).strip()
    messages = [
        EmailMessage(
            subject=subject,
            body=render_to_string(
                "events/access_alert_body.txt", {**context, "for_operator": for_operator}
            ),
            to=[email],
        )
        for email, for_operator in alert_recipients(provider)
    ]
    if not messages:
        return 0
    # One message per person: staff of one college never see another's addresses.
    sent = get_connection().send_messages(messages) or 0
    logger.info(
        "Access alert (%s, %d left at the crossing) for provider %s: %d e-mail(s).",
        state,
        remaining,
        provider_id,
        sent,
    )
    return sent
