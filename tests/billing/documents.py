"""A buyer with full requisites, a November invoice of 1 053,50 ₽, and ways to read documents.

Shared by the workbook tests of invoices and acts (``fixture = documents.fixture``
in a test module, as tests/reports/conftest.py shares the API fixtures).
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from billing.invoices import buyer_snapshot, seller_snapshot, vat_included
from billing.models import Invoice, Provider
from billing.services import seller_details_update
from tests.billing.conftest import SELLER_REQUISITES, msk

BUYER = {
    "legal_name": "ГБУ «Краевой центр профориентации»",
    "inn": "2634000004",
    "kpp": "263401001",
    "legal_address": "355000, г. Ставрополь, ул. Ленина, д. 1",
    "contract_number": "15",
    "contract_date": date(2026, 9, 1),
}


@pytest.fixture
def buyer(postpaid_provider) -> Provider:
    """The postpaid provider with its requisites and contract, 105,35 ₽ an access."""
    Provider.objects.filter(pk=postpaid_provider.pk).update(
        price_per_access=Decimal("105.35"), **BUYER
    )
    postpaid_provider.refresh_from_db()
    return postpaid_provider


@pytest.fixture
def november(buyer, charge_at, issue_at):
    """Issues November 2026's invoice of ten accesses (1 053,50 ₽) when the test is ready:
    what the seller's row says at that moment is what the invoice freezes."""

    def issue() -> Invoice:
        for n in range(10):
            charge_at(buyer, msk(2026, 11, 2 + n, 12, 0), f"student-{n}")
        [invoice] = issue_at(date(2026, 11, 1))
        return invoice

    return issue


def issued(
    provider: Provider,
    *,
    kind: str = "period",
    sequence: int = 42,
    legal_name: str = "ООО «Колледж А»",
    vat_rate: Decimal | None = Decimal("20"),
) -> Invoice:
    """November's invoice (or a top-up) of 10 accesses at 105,35 ₽ with VAT (20% unless told)
    frozen in, as issuing makes it, without the ledger: for pages that only print the invoice."""
    vat = {"vat_mode": "rate", "vat_rate": vat_rate} if vat_rate else {"vat_mode": "none"}
    seller = seller_details_update(**SELLER_REQUISITES, **vat)
    Provider.objects.filter(pk=provider.pk).update(
        legal_name=legal_name,
        inn="2634000004",
        kpp="263401001",
        legal_address="355000, г. Ставрополь, ул. Ленина, д. 1",
        contract_number="15",
        contract_date=date(2026, 9, 1),
    )
    provider.refresh_from_db()
    amount = Decimal("1053.50")
    return Invoice.objects.create(
        provider=provider,
        kind=kind,
        period=date(2026, 11, 1) if kind == "period" else None,
        accesses=10,
        unit_price=Decimal("105.35"),
        amount=amount,
        vat_rate=seller.vat_rate,
        vat_amount=vat_included(amount, seller.vat_rate),
        seller=seller_snapshot(seller),
        buyer=buyer_snapshot(provider),
        year=2026,
        sequence=sequence,
        number=f"2026-{sequence:04d}",
    )


def opened(content: bytes):
    return load_workbook(BytesIO(content))


def strings(ws: Worksheet) -> dict[str, list]:
    """Every text cell of a sheet by its value."""
    found: dict[str, list] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "s" and cell.value:
                found.setdefault(cell.value, []).append(cell)
    return found


def right_of(ws: Worksheet, label: str, skip: int = 0):
    """The first filled cell after the cell holding ``label`` in its row."""
    [cell] = strings(ws)[label][skip : skip + 1]
    for column in range(cell.column + 1, ws.max_column + 1):
        if ws.cell(cell.row, column).value not in (None, ""):
            return ws.cell(cell.row, column)
    raise AssertionError(f"Nothing right of {label!r}.")
