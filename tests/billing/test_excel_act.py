from decimal import Decimal

import pytest

from billing.documents import ACT_STATEMENT, NoActForTopUp
from billing.exports import act_xlsx
from billing.invoices import invoice_topup_issue
from billing.models import Invoice
from billing.services import seller_details_update
from tests.billing import documents
from tests.billing.conftest import SELLER_REQUISITES
from tests.billing.documents import BUYER, opened, right_of, strings

pytestmark = pytest.mark.django_db

buyer = documents.buyer
november = documents.november


def open_act(invoice: Invoice):
    return opened(act_xlsx(invoice))["Акт"]


def test_the_act_is_one_sheet_dated_the_last_day_of_the_month_with_the_invoice_number(
    seller, november
):
    invoice = november()
    wb = opened(act_xlsx(invoice))

    assert wb.sheetnames == ["Акт"]
    assert f"Акт оказанных услуг № {invoice.number} от «30» ноября 2026 г." in strings(wb["Акт"])


def test_the_act_names_both_sides_with_requisites_and_the_contract(seller, november):
    ws = open_act(november())
    texts = strings(ws)

    assert right_of(ws, "Исполнитель:").value == SELLER_REQUISITES["name"]
    assert right_of(ws, "Заказчик:").value == BUYER["legal_name"]
    assert [c.data_type for c in texts["7707083893"]] == ["s"]
    assert [c.data_type for c in texts["2634000004"]] == ["s"]
    assert "773601001" in texts and "263401001" in texts
    assert right_of(ws, "Основание:").value == "Договор № 15 от 01.09.2026"
    # An act is no payment order: no bank block.
    assert "БИК" not in texts and SELLER_REQUISITES["account"] not in texts


def test_the_act_has_the_invoices_line_totals_and_amount_in_words(seller, november):
    invoice = november()
    ws = open_act(invoice)
    [name] = strings(ws)["Доступ к тестированию на платформе «Тестодром» за ноябрь 2026 г."]
    row = ws[name.row]

    assert [c.value for c in ws[name.row - 1] if c.value] == [
        "№",
        "Наименование работ, услуг",
        "Кол-во",
        "Ед.",
        "Цена",
        "Сумма",
    ]
    assert (row[4].value, row[5].value) == (10, "шт.")
    assert Decimal(str(row[7].value)) == invoice.amount == Decimal("1053.50")
    assert row[6].number_format == row[7].number_format == "#,##0.00"
    total = right_of(ws, "Итого:")
    assert (Decimal(str(total.value)), total.number_format) == (Decimal("1053.50"), "#,##0.00")
    texts = strings(ws)
    assert "Всего оказано услуг 1, на сумму 1\u00a0053,50 руб." in texts
    assert "Одна тысяча пятьдесят три рубля 50 копеек" in texts
    assert "Без НДС" in texts and seller.vat_exemption in texts
    assert "Всего к оплате:" not in texts


def test_the_act_with_vat_shows_the_same_kopeck_vat_as_its_invoice(seller, november):
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    invoice = november()
    seller_details_update(vat_mode="none", vat_rate=None)

    vat = right_of(open_act(invoice), "В том числе НДС 20%:")

    assert Decimal(str(vat.value)) == Decimal("175.58") == invoice.vat_amount
    assert vat.number_format == "#,##0.00"


def test_the_act_states_the_services_were_accepted_and_both_sides_sign(seller, november):
    ws = open_act(november())
    texts = strings(ws)

    assert ACT_STATEMENT in texts
    assert ACT_STATEMENT.startswith("Вышеперечисленные услуги выполнены полностью и в срок.")
    assert "ИСПОЛНИТЕЛЬ" in texts and "ЗАКАЗЧИК" in texts
    [executor] = texts["ИСПОЛНИТЕЛЬ"]
    [customer] = texts["ЗАКАЗЧИК"]
    assert executor.row == customer.row and executor.column < customer.column
    assert "Иванов И. И." in texts
    assert len(texts["подпись"]) == 2 and len(texts["М.П."]) == 2
    below = ws.cell(executor.row + 1, customer.column).value
    assert below == BUYER["legal_name"]


def test_the_act_prints_on_a4_portrait_as_wide_as_the_page(seller, november):
    ws = open_act(november())

    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_area == f"'Акт'!$A$1:$H${ws.max_row}"


def test_a_topup_has_no_act(seller, prepaid_provider):
    invoice = invoice_topup_issue(provider=prepaid_provider, count=2)

    with pytest.raises(NoActForTopUp):
        act_xlsx(invoice)
