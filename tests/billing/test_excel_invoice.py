from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from billing.exports import invoice_xlsx
from billing.selectors import invoice_charges
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db

FORMULA_ID = '=HYPERLINK("http://x","y")'


@pytest.fixture
def invoice(postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2026, 2, 28, 23, 59, 59), "february")
    charge_at(postpaid_provider, msk(2026, 3, 1, 0, 0, 0), "student-1")
    charge_at(postpaid_provider, msk(2026, 3, 15, 14, 30, 5), FORMULA_ID)
    charge_at(postpaid_provider, msk(2026, 3, 31, 23, 59, 59), "+79990000000")
    charge_at(postpaid_provider, msk(2026, 4, 1, 0, 0, 0), "april")
    [invoice] = issue_at(date(2026, 3, 1))
    return invoice


def open_invoice(invoice):
    return load_workbook(BytesIO(invoice_xlsx(invoice)))


def test_the_workbook_has_the_invoice_and_its_annex(invoice):
    assert open_invoice(invoice).sheetnames == ["Счёт", "Приложение"]


def test_the_invoice_sheet_shows_seller_buyer_the_line_and_the_total(invoice):
    ws = open_invoice(invoice)["Счёт"]

    assert (ws["A1"].value, ws["B1"].value) == ("Счёт №", invoice.number)
    assert ws["B1"].data_type == "s"
    assert (ws["B2"].value, ws["B2"].number_format) == (datetime(2026, 4, 1), "DD.MM.YYYY")
    assert (ws["B3"].value, ws["B3"].number_format) == (datetime(2026, 3, 1), "MM.YYYY")
    assert (ws["A5"].value, ws["B5"].value) == ("Продавец", "Тестодром")
    assert (ws["A6"].value, ws["B6"].value) == ("Покупатель", "Краевой центр профориентации")
    assert [c.value for c in ws[8]] == ["Наименование", "Количество", "Цена, ₽", "Сумма, ₽"]
    assert all(c.font.bold for c in ws[8])
    line = ws[9]
    assert line[0].value == "Доступ к тестированию, март 2026"
    assert (line[1].value, line[1].data_type) == (3, "n")
    assert Decimal(str(line[2].value)) == Decimal("99.90")
    assert Decimal(str(line[3].value)) == Decimal("299.70") == invoice.amount
    assert line[2].number_format == line[3].number_format == "#,##0.00"
    assert (ws["A10"].value, Decimal(str(ws["D10"].value))) == ("Итого", Decimal("299.70"))
    assert ws["D10"].number_format == "#,##0.00" and ws["D10"].font.bold


def test_the_annex_lists_exactly_the_charged_users_of_the_month_in_moscow_time(invoice):
    ws = open_invoice(invoice)["Приложение"]

    assert [c.value for c in ws[1]] == ["№", "ID пользователя", "Время регистрации"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C4"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows == [
        [1, "student-1", datetime(2026, 3, 1, 0, 0, 0)],
        [2, FORMULA_ID, datetime(2026, 3, 15, 14, 30, 5)],
        [3, "+79990000000", datetime(2026, 3, 31, 23, 59, 59)],
    ]
    assert len(rows) == invoice.accesses == invoice_charges(invoice).count()
    for row in ws.iter_rows(min_row=2):
        assert [c.data_type for c in row] == ["n", "s", "d"]
        assert row[2].number_format == "DD.MM.YYYY HH:MM:SS"


def test_a_formula_looking_user_id_stays_a_string_cell(invoice):
    cell = open_invoice(invoice)["Приложение"]["B3"]

    assert cell.value == FORMULA_ID
    assert cell.data_type == "s"
    assert cell.data_type != "f"
