from datetime import date, datetime
from decimal import Decimal

import pytest

from billing.exports import invoice_xlsx
from billing.invoices import invoice_topup_issue
from billing.models import Invoice
from billing.selectors import invoice_charges
from billing.services import seller_details_update
from tests.billing import documents
from tests.billing.conftest import SELLER_REQUISITES, msk
from tests.billing.documents import BUYER, opened, right_of, strings

pytestmark = pytest.mark.django_db

buyer = documents.buyer
november = documents.november
FORMULA_ID = '=HYPERLINK("http://x","y")'


def open_invoice(invoice: Invoice):
    return opened(invoice_xlsx(invoice))


def test_the_workbook_of_a_period_invoice_has_the_invoice_and_its_annex(seller, november):
    assert open_invoice(november()).sheetnames == ["Счёт", "Приложение"]


def test_the_bank_block_holds_the_sellers_bank_bik_accounts_inn_and_kpp_as_text(seller, november):
    ws = open_invoice(november())["Счёт"]
    texts = strings(ws)

    for value in ("ПАО Сбербанк", "044525225", "30101810400000000225", "40702810938000012345"):
        assert value in texts, value
    assert right_of(ws, "БИК").value == "044525225"
    assert right_of(ws, "Сч. №").value == "30101810400000000225"
    assert right_of(ws, "Сч. №", skip=1).value == "40702810938000012345"
    assert right_of(ws, "ИНН").value == "7707083893"
    assert right_of(ws, "КПП").value == "773601001"
    assert "Получатель" in texts and "ООО «Тестодром»" in texts


def test_the_title_names_the_number_and_the_date_in_words(seller, november):
    invoice = november()
    texts = strings(open_invoice(invoice)["Счёт"])

    assert f"Счёт на оплату № {invoice.number} от «01» декабря 2026 г." in texts


def test_both_parties_are_printed_with_their_full_requisites(seller, november):
    ws = open_invoice(november())["Счёт"]
    texts = strings(ws)

    assert right_of(ws, "Поставщик (Исполнитель):").value == "ООО «Тестодром»"
    assert right_of(ws, "Покупатель (Заказчик):").value == BUYER["legal_name"]
    # Each ИНН is a text cell of its own: no leading zero or digit is ever lost to a number.
    for inn in ("7707083893", "2634000004"):
        assert [cell.data_type for cell in texts[inn]] == ["s"] * len(texts[inn])
    assert len(texts["7707083893"]) == 2  # the bank block and the supplier line
    assert "263401001" in texts
    assert SELLER_REQUISITES["address"] in texts and BUYER["legal_address"] in texts
    assert right_of(ws, "Основание:").value == "Договор № 15 от 01.09.2026"


def test_the_line_is_typed_quantity_unit_price_and_sum(seller, november):
    invoice = november()
    ws = open_invoice(invoice)["Счёт"]
    [name] = strings(ws)["Доступ к тестированию на платформе «Тестодром» за ноябрь 2026 г."]
    row = ws[name.row]

    headers = [c.value for c in ws[name.row - 1] if c.value]
    assert headers == ["№", "Наименование", "Кол-во", "Ед.", "Цена", "Сумма"]
    assert (row[0].value, row[0].data_type) == (1, "n")
    assert (row[4].value, row[4].data_type) == (10, "n")
    assert row[5].value == "шт."
    assert Decimal(str(row[6].value)) == Decimal("105.35")
    assert Decimal(str(row[7].value)) == Decimal("1053.50") == invoice.amount
    assert row[6].number_format == row[7].number_format == "#,##0.00"


def test_without_vat_the_totals_say_so_and_give_the_legal_ground(seller, november):
    invoice = november()
    ws = open_invoice(invoice)["Счёт"]
    texts = strings(ws)

    total = right_of(ws, "Итого:")
    assert (Decimal(str(total.value)), total.data_type) == (Decimal("1053.50"), "n")
    assert total.number_format == "#,##0.00"
    assert "Без НДС" in texts
    assert not any(text.startswith("В том числе НДС") for text in texts)
    assert Decimal(str(right_of(ws, "Всего к оплате:").value)) == Decimal("1053.50")
    assert right_of(ws, "Всего к оплате:").number_format == "#,##0.00"
    assert "Всего наименований 1, на сумму 1\u00a0053,50 руб." in texts
    assert "Одна тысяча пятьдесят три рубля 50 копеек" in texts
    assert seller.vat_exemption in texts
    assert "п. 2 ст. 346.11 НК РФ" in seller.vat_exemption


def test_with_vat_20_percent_the_kopeck_exact_vat_inside_the_amount_is_printed(seller, november):
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    invoice = november()
    ws = open_invoice(invoice)["Счёт"]
    texts = strings(ws)

    vat = right_of(ws, "В том числе НДС 20%:")
    # 1 053,50 × 20 / 120 = 175,583… -> 175,58
    assert Decimal(str(vat.value)) == Decimal("175.58") == invoice.vat_amount
    assert (vat.data_type, vat.number_format) == ("n", "#,##0.00")
    assert "Без НДС" not in texts
    assert seller.vat_exemption not in texts


def test_an_invoice_issued_before_the_vat_mode_changed_keeps_its_mode(seller, november):
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    invoice = november()
    seller_details_update(vat_mode="none", vat_rate=None, director_name="Сидоров П. П.")
    invoice.refresh_from_db()

    texts = strings(open_invoice(invoice)["Счёт"])

    assert "В том числе НДС 20%:" in texts and "Без НДС" not in texts
    assert "Иванов И. И." in texts and "Сидоров П. П." not in texts


def test_an_invoice_issued_without_vat_keeps_it_after_vat_is_switched_on(seller, november):
    invoice = november()
    seller_details_update(vat_mode="rate", vat_rate=Decimal("20"))
    invoice.refresh_from_db()

    texts = strings(open_invoice(invoice)["Счёт"])

    assert "Без НДС" in texts
    assert not any(text.startswith("В том числе НДС") for text in texts)


def test_the_director_and_the_accountant_sign_by_name(seller, november):
    ws = open_invoice(november())["Счёт"]

    assert right_of(ws, "Руководитель").value == "Иванов И. И."
    assert right_of(ws, "Бухгалтер").value == "Петрова А. С."
    assert len(strings(ws)["подпись"]) == 2


def test_without_an_accountant_the_director_signs_for_both(seller, november):
    seller_details_update(accountant_name="")
    ws = open_invoice(november())["Счёт"]

    assert right_of(ws, "Руководитель").value == "Иванов И. И."
    assert right_of(ws, "Бухгалтер").value == "Иванов И. И."


def test_the_invoice_prints_on_a4_portrait_as_wide_as_the_page(seller, november):
    ws = open_invoice(november())["Счёт"]

    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_area == f"'Счёт'!$A$1:$H${ws.max_row}"
    assert ws.page_margins.left >= 0.5 and ws.page_margins.bottom >= 0.5


def test_the_annex_lists_exactly_the_charged_users_of_the_month_in_moscow_time(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 2, 28, 23, 59, 59), "february")
    charge_at(postpaid_provider, msk(2026, 3, 1, 0, 0, 0), "student-1")
    charge_at(postpaid_provider, msk(2026, 3, 15, 14, 30, 5), FORMULA_ID)
    charge_at(postpaid_provider, msk(2026, 3, 31, 23, 59, 59), "+79990000000")
    charge_at(postpaid_provider, msk(2026, 4, 1, 0, 0, 0), "april")
    [invoice] = issue_at(date(2026, 3, 1))

    ws = open_invoice(invoice)["Приложение"]

    assert ws["A1"].value == f"Приложение к счёту № {invoice.number} от 01.04.2026"
    assert ws["A2"].value == "Пользователи, которым выдан доступ за март 2026 г."
    assert [c.value for c in ws[4]] == ["№", "ID пользователя", "Время регистрации"]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A5", "A4:C7")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows == [
        [1, "student-1", datetime(2026, 3, 1, 0, 0, 0)],
        [2, FORMULA_ID, datetime(2026, 3, 15, 14, 30, 5)],
        [3, "+79990000000", datetime(2026, 3, 31, 23, 59, 59)],
    ]
    assert len(rows) == invoice.accesses == invoice_charges(invoice).count()
    for row in ws.iter_rows(min_row=5):
        assert [c.data_type for c in row] == ["n", "s", "d"]
        assert row[2].number_format == "DD.MM.YYYY HH:MM:SS"
    assert ws["B6"].data_type == "s"  # the formula-looking ID stays text


def test_the_annex_repeats_its_header_on_every_printed_page_and_numbers_its_pages(seller, november):
    ws = open_invoice(november())["Приложение"]

    assert ws.print_title_rows == "$4:$4"
    assert ws.print_area == "'Приложение'!$A$1:$C$14"
    assert ws.oddFooter.center.text == "Страница &P из &N"
    assert ws.page_setup.orientation == "portrait"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)


def test_a_topup_invoice_has_the_prepayment_line_and_no_annex(seller, prepaid_provider):
    invoice = invoice_topup_issue(provider=prepaid_provider, count=7)

    wb = open_invoice(invoice)

    assert wb.sheetnames == ["Счёт"]
    ws = wb["Счёт"]
    [name] = strings(ws)["Предоплата: доступы к тестированию на платформе «Тестодром»"]
    assert ws.cell(name.row, 5).value == 7
    assert Decimal(str(ws.cell(name.row, 8).value)) == Decimal("1050.00")
    assert "Одна тысяча пятьдесят рублей 00 копеек" in strings(ws)
    # Without a contract, there is no "Основание" line rather than an empty one.
    assert "Основание:" not in strings(ws)
    assert right_of(ws, "Покупатель (Заказчик):").value == "Ставропольский колледж"


def test_an_invoice_issued_before_the_seller_was_filled_in_prints_what_there_is(
    postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0), "u-1")
    [invoice] = issue_at(date(2026, 3, 1))
    assert invoice.seller == {}

    ws = open_invoice(invoice)["Счёт"]
    texts = strings(ws)

    assert right_of(ws, "Поставщик (Исполнитель):").value == "Тестодром"
    assert right_of(ws, "Покупатель (Заказчик):").value == "Краевой центр профориентации"
    assert "Без НДС" in texts and "Девяносто девять рублей 90 копеек" in texts
    assert "БИК" in texts and "Руководитель" in texts
