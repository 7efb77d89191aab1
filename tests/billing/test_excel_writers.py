from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from billing.documents import AnnexRow, Bank, InvoiceDocument, Line, Party, Vat
from billing.excel import (
    RegisterRow,
    invoice_workbook,
    register_workbook,
    write_datetime,
    write_text,
)


def reopened(wb: Workbook):
    out = BytesIO()
    wb.save(out)
    return load_workbook(BytesIO(out.getvalue())).active


def test_a_timezone_aware_datetime_is_refused():
    cell = Workbook().active["A1"]

    with pytest.raises(ValueError, match="naive"):
        write_datetime(cell, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


def test_the_register_writer_refuses_an_aware_issue_time():
    row = RegisterRow(
        number="2026-0001",
        kind="За период",
        provider="Колледж",
        period=date(2026, 3, 1),
        accesses=1,
        unit_price=Decimal("1.00"),
        amount=Decimal("1.00"),
        status="Выставлен",
        issued_at=datetime(2026, 4, 1, tzinfo=UTC),
    )

    with pytest.raises(ValueError):
        register_workbook([row])


def test_the_invoice_writer_refuses_an_aware_registration_time():
    document = InvoiceDocument(
        number="2026-0001",
        dated=date(2026, 4, 1),
        seller=Party("Тестодром"),
        buyer=Party("Колледж"),
        basis="",
        lines=(Line("Доступ", 1, "шт.", Decimal("1.00"), Decimal("1.00")),),
        total=Decimal("1.00"),
        vat=Vat(rate=None, amount=Decimal("0.00")),
        director="",
        bank=Bank(),
        accountant="",
        annex=(AnnexRow("u1", datetime(2026, 3, 2, tzinfo=UTC)),),
        period="март 2026 г.",
    )

    with pytest.raises(ValueError, match="naive"):
        invoice_workbook(document)


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "=1+1", "=cmd|' /C calc'!A0", "@SUM(1)"]
)
def test_text_that_looks_like_a_formula_is_written_as_a_string(text):
    wb = Workbook()
    write_text(wb.active["A1"], text)

    cell = reopened(wb)["A1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_characters_excel_cannot_store_are_dropped_instead_of_failing_the_export():
    wb = Workbook()
    write_text(wb.active["A1"], "user\x00\x07-1")

    assert reopened(wb)["A1"].value == "user-1"
