from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from billing.exports import invoice_register_xlsx
from billing.invoices import invoice_topup_issue
from billing.models import AccessEntry
from billing.payments import invoice_mark_paid
from billing.selectors import invoices_for_period
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
HEADERS = [
    "Номер",
    "Вид",
    "Провайдер",
    "Период",
    "Доступов",
    "Цена, ₽",
    "Сумма, ₽",
    "Статус",
    "Выставлен",
]


@pytest.fixture
def march(make_provider, postpaid_provider, charge_at, issue_at):
    """Two invoiced providers, one of them with a name that looks like a formula."""
    tricky = make_provider(
        name='=HYPERLINK("http://x","y")',
        payment_policy="postpaid",
        access_limit=0,
        price_per_access=Decimal("1234.56"),
    )
    for n in range(3):
        charge_at(postpaid_provider, msk(2026, 3, 2 + n, 10, 0), f"p-{n}")
    for n in range(2):
        charge_at(tricky, msk(2026, 3, 31, 23, 59, n), f"t-{n}")
    charge_at(tricky, msk(2026, 4, 1, 0, 0), "april")
    invoices = issue_at(MARCH)
    invoice_mark_paid(
        invoice=invoices[0], paid_on=date(2026, 4, 2), payment_document="п/п № 1", actor="op"
    )
    return list(invoices_for_period(MARCH))


def open_register(invoices):
    return load_workbook(BytesIO(invoice_register_xlsx(invoices)))


def test_the_register_has_one_sheet_with_a_bold_frozen_filtered_header(march):
    wb = open_register(march)

    assert wb.sheetnames == ["Реестр счетов"]
    ws = wb["Реестр счетов"]
    assert [cell.value for cell in ws[1]] == HEADERS
    assert all(cell.font.bold and cell.data_type == "s" for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I3"


def test_every_invoice_is_one_typed_row_matching_the_database(march):
    ws = open_register(march).active

    for line, invoice in enumerate(march, start=2):
        row = ws[line]
        assert [cell.value for cell in row] == [
            invoice.number,
            "За период",
            invoice.provider.name,
            datetime(2026, 3, 1),
            invoice.accesses,
            pytest.approx(float(invoice.unit_price)),
            pytest.approx(float(invoice.amount)),
            invoice.get_status_display(),
            datetime(2026, 4, 1, 3, 0),  # naive Moscow time, as issued
        ]
        assert [cell.data_type for cell in row] == ["s", "s", "s", "d", "n", "n", "n", "s", "d"]
        assert row[3].number_format == "MM.YYYY"
        assert row[4].number_format == "#,##0"
        assert row[5].number_format == row[6].number_format == "#,##0.00"
        assert row[8].number_format == "DD.MM.YYYY HH:MM:SS"
    assert ws.cell(2, 8).value == "Оплачен"
    assert ws.cell(3, 8).value == "Выставлен"


def test_the_totals_row_agrees_with_the_ledger(march):
    ws = open_register(march).active
    charges = AccessEntry.objects.filter(
        kind="charge", created_at__gte=msk(2026, 3, 1), created_at__lt=msk(2026, 4, 1)
    )

    totals = ws[4]
    assert totals[0].value == "Итого" and totals[0].font.bold
    assert totals[4].value == charges.count() == 5
    assert Decimal(str(totals[6].value)) == Decimal("3") * Decimal("99.90") + Decimal(
        "2"
    ) * Decimal("1234.56")
    assert Decimal(str(totals[6].value)) == sum(i.amount for i in march)
    assert totals[6].number_format == "#,##0.00"
    assert ws.max_row == 4


def test_a_formula_looking_provider_name_stays_a_string(march):
    ws = open_register(march).active

    [cell] = [row[2] for row in ws.iter_rows(min_row=2, max_row=3) if row[2].value[0] == "="]
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"


def test_columns_are_wide_enough_for_their_contents(march):
    ws = open_register(march).active

    for letter, cells in zip("ABCDEFGHI", ws.iter_cols(), strict=True):
        longest = max(len(str(cell.value)) for cell in cells if isinstance(cell.value, str))
        assert ws.column_dimensions[letter].width >= min(longest, 60)
    assert ws.column_dimensions["I"].width >= len("01.04.2026 03:00:00")


def test_an_empty_register_still_has_its_header_and_a_zero_total():
    ws = load_workbook(BytesIO(invoice_register_xlsx([]))).active

    assert [cell.value for cell in ws[1]] == HEADERS
    assert (ws.cell(2, 1).value, ws.cell(2, 5).value, ws.cell(2, 7).value) == ("Итого", 0, 0)


def test_the_register_prints_landscape_as_wide_as_the_page_repeating_its_header(march):
    ws = open_register(march).active

    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_area == "'Реестр счетов'!$A$1:$I$4"
    assert ws.oddFooter.center.text == "Страница &P из &N"


def test_both_kinds_are_listed_and_a_topup_has_no_period(march, seller, prepaid_provider):
    topup = invoice_topup_issue(provider=prepaid_provider, count=4)

    ws = open_register([*march, topup]).active

    assert [row[1].value for row in ws.iter_rows(min_row=2, max_row=4)] == [
        "За период",
        "За период",
        "Пополнение",
    ]
    row = ws[4]
    assert (row[0].value, row[2].value, row[3].value) == (topup.number, prepaid_provider.name, None)
    assert (row[4].value, Decimal(str(row[6].value))) == (4, Decimal("600.00"))
    assert row[6].number_format == "#,##0.00"
    assert ws.cell(5, 1).value == "Итого" and ws.cell(5, 5).value == 9
