"""Prepaid top-ups and payment marks through the services and the invoice_prepaid command."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from billing.errors import AccessLimitReached, PaymentMarkRefused
from billing.invoices import InvoiceRefused, invoice_topup_issue
from billing.models import AccessEntry, Invoice, InvoicePaymentEvent
from billing.payments import invoice_mark_paid, invoice_payment_cancel, topup_cancel_shortfall
from billing.services import access_charge
from tests.billing.conftest import msk
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db

MAY_10 = date(2026, 5, 10)


@pytest.fixture(autouse=True)
def in_may(time_machine) -> None:
    time_machine.move_to(msk(2026, 5, 10, 12, 0), tick=False)


def mark(invoice: Invoice, paid_on: date = MAY_10, document: str = "п/п № 123") -> bool:
    return invoice_mark_paid(
        invoice=invoice, paid_on=paid_on, payment_document=document, actor="operator"
    )


def cancel(invoice: Invoice, reason: str = "отмечен не тот счёт") -> bool:
    return invoice_payment_cancel(invoice=invoice, reason=reason, actor="operator")


def limit_of(provider) -> int:
    provider.refresh_from_db()
    return provider.access_limit


def charge(provider, times: int) -> None:
    for n in range(times):
        with transaction.atomic():
            access_charge(provider_id=provider.pk, reference=f"student-{n}")


def test_a_top_up_is_numbered_with_the_other_invoices_at_the_providers_price(
    prepaid_provider, postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 4, 5, 10, 0))
    period_invoice = issue_at(date(2026, 4, 1))[0]

    topup = invoice_topup_issue(provider=prepaid_provider, count=200)

    assert period_invoice.number == "2026-0001"
    assert (topup.number, topup.kind, topup.period) == ("2026-0002", "topup", None)
    assert (topup.accesses, topup.unit_price, topup.amount) == (
        200,
        Decimal("150.00"),
        Decimal("30000.00"),
    )
    assert topup.buyer["name"] == prepaid_provider.name


def test_an_unpaid_top_up_grants_nothing(prepaid_provider):
    invoice_topup_issue(provider=prepaid_provider, count=200)

    assert limit_of(prepaid_provider) == 3
    assert AccessEntry.objects.filter(kind="grant").count() == 1  # the initial one
    assert not InvoicePaymentEvent.objects.exists()


@pytest.mark.parametrize("count", [0, -5, 1_000_001])
def test_a_top_up_needs_a_sensible_count(prepaid_provider, count):
    with pytest.raises(InvoiceRefused, match="Число доступов"):
        invoice_topup_issue(provider=prepaid_provider, count=count)

    assert not Invoice.objects.exists()


def test_a_top_up_is_refused_to_a_postpaid_provider(postpaid_provider):
    with pytest.raises(InvoiceRefused, match="только провайдеру с предоплатой"):
        invoice_topup_issue(provider=postpaid_provider, count=10)


def test_a_top_up_is_refused_without_a_price(make_provider):
    free = make_provider(name="Бесплатный", payment_policy="prepaid", access_limit=0)

    with pytest.raises(InvoiceRefused, match="не указана цена"):
        invoice_topup_issue(provider=free, count=10)


def test_marking_a_top_up_paid_grants_its_accesses_once_with_the_event(
    prepaid_provider, time_machine
):
    time_machine.move_to(msk(2026, 5, 8, 9, 0), tick=False)
    topup = invoice_topup_issue(provider=prepaid_provider, count=200)
    time_machine.move_to(msk(2026, 5, 10, 12, 0), tick=False)

    assert mark(topup, date(2026, 5, 9)) is True
    assert mark(topup, MAY_10, "п/п № 999") is False

    topup.refresh_from_db()
    assert (topup.status, topup.paid_on, topup.payment_document) == (
        "paid",
        date(2026, 5, 9),
        "п/п № 123",
    )
    assert limit_of(prepaid_provider) == 203
    grant = AccessEntry.objects.get(kind="grant", quantity=200)
    assert grant.reference == f"Счёт № {topup.number}, п/п № 123"
    assert grant.actor == "operator"
    event = InvoicePaymentEvent.objects.get()
    assert (event.action, event.paid_on, event.payment_document, event.actor) == (
        "paid",
        date(2026, 5, 9),
        "п/п № 123",
        "operator",
    )
    assert event.ledger_entry == grant
    assert_ledger_agrees(prepaid_provider)


def test_marking_a_period_invoice_paid_records_the_event_and_touches_no_ledger(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 4, 5, 10, 0))
    invoice = issue_at(date(2026, 4, 1))[0]
    entries = AccessEntry.objects.count()

    assert mark(invoice) is True

    event = invoice.payment_events.get()
    assert (event.action, event.ledger_entry) == ("paid", None)
    assert AccessEntry.objects.count() == entries


def test_a_top_up_is_not_marked_paid_once_its_provider_moved_to_postpaid(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=10)
    prepaid_provider.payment_policy = "postpaid"
    prepaid_provider.save(update_fields=["payment_policy"])
    topup.refresh_from_db()

    with pytest.raises(PaymentMarkRefused, match="больше не на предоплате"):
        mark(topup)

    assert limit_of(prepaid_provider) == 3
    assert not InvoicePaymentEvent.objects.exists()


def test_a_payment_date_in_the_future_is_refused(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=10)

    with pytest.raises(PaymentMarkRefused, match="ещё не наступила"):
        mark(topup, date(2026, 5, 11))

    topup.refresh_from_db()
    assert topup.status == "issued" and limit_of(prepaid_provider) == 3


def test_today_is_the_moscow_day_even_just_after_midnight(prepaid_provider, time_machine):
    time_machine.move_to(msk(2026, 5, 10, 0, 30), tick=False)  # still May 9 in UTC
    topup = invoice_topup_issue(provider=prepaid_provider, count=10)

    assert mark(topup, MAY_10) is True


def test_a_payment_date_before_the_invoice_date_is_refused(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=10)

    with pytest.raises(PaymentMarkRefused, match="раньше даты счёта"):
        mark(topup, date(2026, 5, 9))


@pytest.mark.parametrize("document", ["", "   ", "п/п\x00123", "x" * 101])
def test_a_mark_needs_a_one_line_payment_document(prepaid_provider, document):
    topup = invoice_topup_issue(provider=prepaid_provider, count=10)

    with pytest.raises(PaymentMarkRefused):
        mark(topup, MAY_10, document)

    assert not InvoicePaymentEvent.objects.exists()


def test_cancelling_a_top_up_mark_writes_a_compensating_ungrant(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=200)
    mark(topup)
    grant = AccessEntry.objects.get(quantity=200)

    assert cancel(topup, "  платёж не пришёл  ") is True

    topup.refresh_from_db()
    assert (topup.status, topup.paid_at, topup.paid_on, topup.payment_document) == (
        "issued",
        None,
        None,
        "",
    )
    assert limit_of(prepaid_provider) == 3
    ungrant = AccessEntry.objects.get(kind="ungrant")
    assert (ungrant.quantity, ungrant.actor) == (-200, "operator")
    assert AccessEntry.objects.get(pk=grant.pk).quantity == 200  # the grant is untouched
    events = list(topup.payment_events.values_list("action", "reason", "ledger_entry"))
    assert events == [("paid", "", grant.pk), ("cancelled", "платёж не пришёл", ungrant.pk)]
    assert_ledger_agrees(prepaid_provider)


def test_cancelling_twice_takes_the_accesses_back_once(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=20)
    mark(topup)

    assert cancel(topup) is True
    assert cancel(topup) is False

    assert limit_of(prepaid_provider) == 3
    assert AccessEntry.objects.filter(kind="ungrant").count() == 1
    assert topup.payment_events.filter(action="cancelled").count() == 1


def test_marking_again_after_a_cancellation_grants_again(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=20)
    mark(topup, date(2026, 5, 10), "п/п № 1")
    cancel(topup)

    assert mark(topup, date(2026, 5, 10), "п/п № 2") is True

    assert limit_of(prepaid_provider) == 23
    assert AccessEntry.objects.filter(kind="grant", quantity=20).count() == 2
    last = topup.payment_events.last()
    assert (last.payment_document, last.ledger_entry.quantity) == ("п/п № 2", 20)
    assert_ledger_agrees(prepaid_provider)


def test_a_cancellation_needs_a_reason(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=20)
    mark(topup)

    with pytest.raises(PaymentMarkRefused, match="причину"):
        cancel(topup, "  ")

    topup.refresh_from_db()
    assert topup.status == "paid" and limit_of(prepaid_provider) == 23


def test_an_unmarked_invoice_has_nothing_to_cancel(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=20)

    assert cancel(topup) is False
    assert not InvoicePaymentEvent.objects.exists()


def test_cancelling_after_the_accesses_were_used_leaves_the_provider_over_its_limit(
    make_provider,
):
    # Allowed by design (billing.payments.invoice_payment_cancel): the books
    # must not keep a payment that never came; new users are refused instead.
    provider = make_provider(access_limit=0, overdraft=2, price_per_access=Decimal("10.00"))
    topup = invoice_topup_issue(provider=provider, count=10)
    mark(topup)
    charge(provider, 9)
    assert topup_cancel_shortfall(topup) == 7  # issued 9 > limit 0 + overdraft 2

    assert cancel(topup) is True

    provider.refresh_from_db()
    assert (provider.access_limit, provider.issued_count, provider.remaining) == (0, 9, -7)
    with pytest.raises(AccessLimitReached):
        charge(provider, 1)
    assert_ledger_agrees(provider)


def test_no_shortfall_is_shown_while_the_accesses_are_unused(prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=20)
    assert topup_cancel_shortfall(topup) == 0

    mark(topup)

    assert topup_cancel_shortfall(topup) == 0


def test_the_command_issues_a_top_up_and_prints_its_number(prepaid_provider):
    out = StringIO()

    call_command("invoice_prepaid", prepaid_provider.slug, "--count", "40", stdout=out)

    invoice = Invoice.objects.get()
    assert out.getvalue().splitlines()[-1] == invoice.number
    assert "40 x 150.00 = 6000.00" in out.getvalue()
    assert (invoice.kind, invoice.accesses, invoice.status) == ("topup", 40, "issued")
    assert limit_of(prepaid_provider) == 3


@pytest.mark.parametrize(
    ("slug", "count", "message"),
    [
        ("nobody", "5", "No provider"),
        (None, "0", "Число доступов"),
    ],
)
def test_the_command_refuses_an_unknown_provider_or_a_bad_count(
    prepaid_provider, slug, count, message
):
    with pytest.raises(CommandError, match=message):
        call_command("invoice_prepaid", slug or prepaid_provider.slug, "--count", count)

    assert not Invoice.objects.exists()


def test_the_command_refuses_a_postpaid_provider(postpaid_provider):
    with pytest.raises(CommandError, match="предоплатой"):
        call_command("invoice_prepaid", postpaid_provider.slug, "--count", "5")
