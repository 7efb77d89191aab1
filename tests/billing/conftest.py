"""Billing helpers: ledger rows at chosen Moscow instants, invoices issued at a chosen time,
and the seller's requisites."""

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import transaction

from billing.invoices import invoice_issue_for_period
from billing.models import AccessEntry, Invoice, Provider, SellerDetails
from billing.services import access_charge, seller_details_update

MSK = ZoneInfo("Europe/Moscow")

# Valid requisites: Sberbank's ИНН/КПП/ОГРН and its real БИК/correspondent
# account pair; the settlement account's 9th digit is the control key for
# that БИК (billing.requisites.validate_settlement_account).
SELLER_REQUISITES = {
    "name": "ООО «Тестодром»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "address": "117312, г. Москва, ул. Вавилова, д. 19",
    "bank_name": "ПАО Сбербанк",
    "bik": "044525225",
    "account": "40702810938000012345",
    "corr_account": "30101810400000000225",
    "director_name": "Иванов И. И.",
    "accountant_name": "Петрова А. С.",
}


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
def seller(db) -> SellerDetails:
    """The seller's one row, valid, in the "Без НДС" mode."""
    return seller_details_update(**SELLER_REQUISITES)


@pytest.fixture
def operator(client) -> User:
    user = User.objects.create_superuser("operator", "op@example.com", "pw-operator-123")
    client.force_login(user)
    return user
