"""Billing helpers: ledger rows at chosen Moscow instants, and invoices issued at a chosen time."""

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import transaction

from billing.invoices import invoice_issue_for_period
from billing.models import AccessEntry, Invoice, Provider
from billing.services import access_charge

MSK = ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime:
    """An aware instant given as Moscow wall-clock time."""
    return datetime(*args, tzinfo=MSK)


@pytest.fixture
def charge_at(db) -> Callable[..., AccessEntry]:
    """Charge one access through the real service, as if at ``when``; counters stay in step."""

    def charge(provider: Provider, when: datetime, reference: str = "student") -> AccessEntry:
        with time_machine.travel(when, tick=False), transaction.atomic():
            access_charge(provider_id=provider.pk, reference=reference)
        return AccessEntry.objects.filter(provider=provider).order_by("-id").first()

    return charge


@pytest.fixture
def issue_at(db) -> Callable[..., list[Invoice]]:
    """Run ``invoice_issue_for_period`` as if at ``when`` (default: 03:00 on the next 1st)."""

    def issue(
        period: date, when: datetime | None = None, provider: Provider | None = None
    ) -> list[Invoice]:
        if when is None:
            when = msk(period.year + period.month // 12, period.month % 12 + 1, 1, 3, 0)
        with time_machine.travel(when, tick=False):
            return invoice_issue_for_period(period=period, provider=provider)

    return issue


@pytest.fixture
def operator(client) -> User:
    user = User.objects.create_superuser("operator", "op@example.com", "pw-operator-123")
    client.force_login(user)
    return user
