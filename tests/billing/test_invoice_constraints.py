from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from billing.models import Invoice
from billing.payments import invoice_mark_paid
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db


def invoice(provider, **overrides) -> Invoice:
    fields = {
        "provider": provider,
        "period": date(2026, 3, 1),
        "accesses": 3,
        "unit_price": Decimal("99.90"),
        "amount": Decimal("299.70"),
        "year": 2026,
        "sequence": 1,
        "number": "2026-0001",
    }
    fields.update(overrides)
    return Invoice.objects.create(**fields)


def test_the_database_refuses_a_second_invoice_for_one_provider_and_month(postpaid_provider):
    invoice(postpaid_provider)

    with pytest.raises(IntegrityError), transaction.atomic():
        invoice(postpaid_provider, sequence=2, number="2026-0002")


def test_the_database_refuses_a_number_used_twice_in_a_year(postpaid_provider, make_provider):
    invoice(postpaid_provider)
    other = make_provider(payment_policy="postpaid", access_limit=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        invoice(other, number="2026-0001-bis")


@pytest.mark.parametrize(
    "overrides",
    [
        {"accesses": 0, "amount": Decimal("0.00")},
        {"amount": Decimal("-1.00")},
        {"status": "paid"},  # paid without a payment time
    ],
)
def test_the_database_refuses_an_impossible_invoice(postpaid_provider, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        invoice(postpaid_provider, **overrides)


def test_an_invoiced_provider_cannot_be_deleted(postpaid_provider):
    invoice(postpaid_provider)

    with pytest.raises(ProtectedError):
        postpaid_provider.delete()


def test_marking_paid_sets_the_time_once(postpaid_provider, time_machine):
    row = invoice(postpaid_provider, issued_at=msk(2026, 4, 1, 3, 0))
    time_machine.move_to(msk(2026, 4, 10, 12, 0), tick=False)

    assert mark(row, date(2026, 4, 9), "п/п № 1") is True
    time_machine.move_to(msk(2026, 4, 11, 12, 0), tick=False)
    assert mark(row, date(2026, 4, 11), "п/п № 2") is False

    row.refresh_from_db()
    assert (row.status, row.paid_at) == ("paid", msk(2026, 4, 10, 12, 0))
    assert (row.paid_on, row.payment_document) == (date(2026, 4, 9), "п/п № 1")


def mark(row: Invoice, paid_on: date, document: str) -> bool:
    return invoice_mark_paid(invoice=row, paid_on=paid_on, payment_document=document, actor="op")
