"""VAT on invoices: the seller's mode and rate, frozen with both parties' requisites at issue."""

from datetime import date
from decimal import Decimal

import pytest

from billing.invoices import vat_included
from billing.models import Invoice
from billing.services import provider_details_update, seller_details_update
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("amount", "rate", "vat"),
    [
        ("1053.50", "20", "175.58"),  # 175.5833…
        ("1053.50", "10", "95.77"),  # 95.7727…
        ("1200.00", "20", "200.00"),
        ("1100.00", "10", "100.00"),
        ("1.23", "20", "0.21"),  # exactly 0.205: half a kopeck rounds up, not to even
        ("0.03", "20", "0.01"),  # exactly 0.005
        ("0.00", "20", "0.00"),
    ],
)
def test_the_vat_inside_a_price_is_rounded_half_up_to_the_kopeck(amount, rate, vat):
    assert vat_included(Decimal(amount), Decimal(rate)) == Decimal(vat)


def test_without_vat_there_is_no_vat_amount():
    assert vat_included(Decimal("1053.50"), None) == Decimal("0.00")


@pytest.fixture
def provider(make_provider, charge_at):
    """A postpaid provider with five accesses in March: 5 × 210.70 = 1 053.50 ₽."""
    provider = make_provider(
        name="Колледж",
        payment_policy="postpaid",
        access_limit=0,
        price_per_access=Decimal("210.70"),
    )
    for n in range(5):
        charge_at(provider, msk(2026, 3, 10 + n, 12, 0), f"student-{n}")
        charge_at(provider, msk(2026, 4, 10 + n, 12, 0), f"april-{n}")
    return provider


@pytest.mark.parametrize(("rate", "vat"), [("20", "175.58"), ("10", "95.77")])
def test_an_invoice_of_a_seller_with_vat_holds_the_rate_and_the_vat_inside_its_amount(
    seller, provider, issue_at, rate, vat
):
    seller_details_update(vat_mode="rate", vat_rate=Decimal(rate))

    [invoice] = issue_at(MARCH)

    invoice.refresh_from_db()
    assert invoice.amount == Decimal("1053.50")
    assert (invoice.vat_rate, invoice.vat_amount) == (Decimal(rate), Decimal(vat))


def test_an_invoice_of_a_seller_without_vat_has_no_rate_and_no_vat(seller, provider, issue_at):
    [invoice] = issue_at(MARCH)

    invoice.refresh_from_db()
    assert (invoice.vat_rate, invoice.vat_amount) == (None, Decimal("0.00"))
    assert invoice.seller["vat_exemption"] == seller.vat_exemption


def test_an_issued_invoice_keeps_its_vat_when_the_sellers_mode_changes(seller, provider, issue_at):
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    [march] = issue_at(MARCH)

    seller_details_update(vat_mode="none", vat_rate=None)
    [april] = issue_at(APRIL)

    march.refresh_from_db()
    assert (march.vat_rate, march.vat_amount) == (Decimal("20.00"), Decimal("175.58"))
    assert (april.vat_rate, april.vat_amount) == (None, Decimal("0.00"))


def test_a_rate_change_applies_only_to_invoices_issued_after_it(seller, provider, issue_at):
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    [march] = issue_at(MARCH)

    seller_details_update(vat_rate=Decimal("10"))
    [april] = issue_at(APRIL)

    march.refresh_from_db()
    assert march.vat_rate == Decimal("20.00")
    assert (april.vat_rate, april.vat_amount) == (Decimal("10.00"), Decimal("95.77"))


def test_an_issued_invoice_keeps_both_parties_requisites_as_they_were(seller, provider, issue_at):
    provider_details_update(
        provider,
        legal_name="ГБПОУ «Колледж»",
        inn="7707083893",
        kpp="773601001",
        contract_number="15",
        contract_date=date(2026, 9, 1),
    )
    [invoice] = issue_at(MARCH)

    seller_details_update(name="ООО «Новое имя»", director_name="Сидоров С. С.")
    provider_details_update(provider, legal_name="ГАПОУ «Другое имя»", contract_number="16")

    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.seller["name"] == "ООО «Тестодром»"
    assert invoice.seller["director_name"] == "Иванов И. И."
    assert invoice.seller["account"] == "40702810938000012345"
    buyer = invoice.buyer
    assert (buyer["name"], buyer["inn"], buyer["kpp"]) == (
        "ГБПОУ «Колледж»",
        "7707083893",
        "773601001",
    )
    assert (buyer["contract_number"], buyer["contract_date"]) == ("15", "2026-09-01")
