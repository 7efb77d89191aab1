from datetime import date
from decimal import Decimal

import pytest

from billing.invoices import InvoiceRefused, invoice_issue_for_period
from billing.models import AccessEntry, Invoice
from tests.billing.conftest import msk
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def test_a_postpaid_provider_with_charges_gets_one_invoice_of_accesses_times_price(
    postpaid_provider, charge_at, issue_at
):
    for n in range(3):
        charge_at(postpaid_provider, msk(2026, 3, 10 + n, 12, 0), f"student-{n}")

    [invoice] = issue_at(MARCH)

    assert invoice.provider == postpaid_provider
    assert invoice.period == MARCH
    assert invoice.accesses == 3
    assert invoice.unit_price == Decimal("99.90")
    assert invoice.amount == Decimal("299.70")
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.paid_at is None
    assert invoice.issued_at == msk(2026, 4, 1, 3, 0)
    assert_ledger_agrees(postpaid_provider)


def test_a_charge_at_23_59_59_on_the_31st_belongs_to_that_month(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 3, 31, 23, 59, 59), "last-second")

    [march] = issue_at(MARCH)

    assert march.accesses == 1
    assert issue_at(date(2026, 4, 1)) == []


def test_a_charge_at_midnight_on_the_1st_belongs_to_the_next_month(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 4, 1, 0, 0, 0), "first-second")

    assert issue_at(MARCH) == []
    [april] = issue_at(date(2026, 4, 1))
    assert april.accesses == 1


def test_month_boundaries_are_moscow_time_not_utc(postpaid_provider, charge_at, issue_at):
    # 21:30 UTC on 31 March is already 00:30 on 1 April in Moscow.
    charge_at(postpaid_provider, msk(2026, 4, 1, 0, 30), "utc-march")
    # 23:30 Moscow on 31 March is still 20:30 UTC, plainly March.
    charge_at(postpaid_provider, msk(2026, 3, 31, 23, 30), "moscow-march")

    [march] = issue_at(MARCH)
    [april] = issue_at(date(2026, 4, 1))

    assert (march.accesses, april.accesses) == (1, 1)


def test_re_running_neither_duplicates_nor_changes_an_issued_invoice(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 3, 5, 9, 0), "a")
    [invoice] = issue_at(MARCH)
    # A charge back-dated into the invoiced month must not rewrite the invoice.
    charge_at(postpaid_provider, msk(2026, 3, 6, 9, 0), "b")
    postpaid_provider.price_per_access = Decimal("500.00")
    postpaid_provider.save()

    again = issue_at(MARCH, when=msk(2026, 4, 2, 10, 0))

    assert again == []
    assert Invoice.objects.count() == 1
    stored = Invoice.objects.get()
    assert (stored.number, stored.accesses, stored.amount, stored.issued_at) == (
        invoice.number,
        1,
        Decimal("99.90"),
        invoice.issued_at,
    )


def test_a_provider_without_charges_gets_no_invoice(
    postpaid_provider, make_provider, charge_at, issue_at
):
    quiet = make_provider(name="Тихий партнёр", payment_policy="postpaid", access_limit=0)
    charge_at(postpaid_provider, msk(2026, 3, 5, 9, 0))

    invoices = issue_at(MARCH)

    assert [invoice.provider for invoice in invoices] == [postpaid_provider]
    assert not Invoice.objects.filter(provider=quiet).exists()


def test_nobody_with_charges_means_no_invoices(postpaid_provider, issue_at):
    assert issue_at(MARCH) == []
    assert not Invoice.objects.exists()


def test_prepaid_providers_are_never_invoiced(prepaid_provider, charge_at, issue_at):
    charge_at(prepaid_provider, msk(2026, 3, 5, 9, 0))

    assert issue_at(MARCH) == []


def test_grants_and_adjustments_are_not_invoiced(postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 9, 0))
    AccessEntry.objects.create(
        provider=postpaid_provider, kind="adjust", quantity=5, created_at=msk(2026, 3, 6)
    )

    [invoice] = issue_at(MARCH)

    assert invoice.accesses == 1


def test_only_the_given_provider_is_invoiced_when_one_is_named(
    postpaid_provider, make_provider, charge_at, issue_at
):
    other = make_provider(name="Второй", payment_policy="postpaid", access_limit=0)
    charge_at(postpaid_provider, msk(2026, 3, 5, 9, 0))
    charge_at(other, msk(2026, 3, 5, 9, 0))

    [invoice] = issue_at(MARCH, provider=other)

    assert invoice.provider == other
    assert [i.provider for i in issue_at(MARCH)] == [postpaid_provider]


def test_numbers_are_sequential_within_the_year_of_issue(make_provider, charge_at, issue_at):
    providers = [
        make_provider(name=f"Партнёр {n}", payment_policy="postpaid", access_limit=0)
        for n in range(3)
    ]
    for provider in providers:
        charge_at(provider, msk(2025, 12, 15, 12, 0))
        charge_at(provider, msk(2026, 1, 15, 12, 0))

    december = issue_at(date(2025, 12, 1))  # issued on 1 January 2026
    january = issue_at(date(2026, 1, 1))

    assert [i.number for i in december] == ["2026-0001", "2026-0002", "2026-0003"]
    assert [i.number for i in january] == ["2026-0004", "2026-0005", "2026-0006"]
    assert {(i.year, i.sequence) for i in january} == {(2026, 4), (2026, 5), (2026, 6)}


def test_numbering_starts_again_each_year(postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2025, 11, 15, 12, 0))
    charge_at(postpaid_provider, msk(2025, 12, 15, 12, 0))

    [november] = issue_at(date(2025, 11, 1))
    [december] = issue_at(date(2025, 12, 1))

    assert (november.number, december.number) == ("2025-0001", "2026-0001")


def test_amounts_are_exact_to_the_kopeck(make_provider, charge_at, issue_at):
    provider = make_provider(
        payment_policy="postpaid", access_limit=0, price_per_access=Decimal("0.10")
    )
    for n in range(7):
        charge_at(provider, msk(2026, 3, 1, 0, n))

    [invoice] = issue_at(MARCH)

    assert invoice.amount == Decimal("0.70")
    assert str(Invoice.objects.get().amount) == "0.70"


def test_a_month_that_has_not_ended_is_refused(postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 9, 0))

    with pytest.raises(InvoiceRefused, match="not ended"):
        issue_at(MARCH, when=msk(2026, 3, 31, 23, 59, 59))
    assert not Invoice.objects.exists()


def test_a_period_must_be_the_first_of_a_month():
    with pytest.raises(InvoiceRefused):
        invoice_issue_for_period(period=date(2026, 3, 15))


def test_a_prepaid_provider_cannot_be_named(prepaid_provider, issue_at):
    with pytest.raises(InvoiceRefused, match="postpaid"):
        issue_at(MARCH, provider=prepaid_provider)
