"""The printable invoice and act pages, and the act's workbook, under the invoices' access rules."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing.documents import date_in_words, invoice_issued_on
from billing.models import Invoice
from tests.billing.documents import issued

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def invoice(provider_a) -> Invoice:
    return issued(provider_a)


def page(client, name: str, invoice: Invoice):
    return client.get(reverse(f"reports:{name}", args=[invoice.pk]))


def test_the_printable_invoice_has_the_bank_parties_line_totals_and_words(
    client, accountant_a, invoice
):
    client.force_login(accountant_a)

    response = page(client, "invoice_print", invoice)

    assert response.status_code == 200
    html = response.content.decode()
    assert "@page { size: A4;" in html
    assert f"Счёт на оплату № 2026-0042 от {date_in_words(invoice_issued_on(invoice))}" in html
    for value in ("044525225", "30101810400000000225", "40702810938000012345", "ПАО Сбербанк"):
        assert value in html
    assert "ООО «Тестодром», ИНН 7707083893, КПП 773601001" in html
    assert "ООО «Колледж А», ИНН 2634000004, КПП 263401001" in html
    assert "Договор № 15 от 01.09.2026" in html
    assert "Доступ к тестированию на платформе «Тестодром» за ноябрь 2026 г." in html
    assert "105,35</td>" in html and f">1{NBSP}053,50</td>" in html
    assert 'В том числе НДС 20%:</td><td class="num" id="vat">175,58</td>' in html
    assert f"Всего наименований 1, на сумму 1{NBSP}053,50 руб." in html
    assert "Одна тысяча пятьдесят три рубля 50 копеек" in html
    assert "Иванов И. И." in html and "Петрова А. С." in html


def test_without_vat_the_printable_invoice_says_so_with_its_legal_ground(
    client, accountant_a, provider_a
):
    invoice = issued(provider_a, vat_rate=None)
    client.force_login(accountant_a)

    html = page(client, "invoice_print", invoice).content.decode()

    assert 'Без НДС</td><td class="num" id="vat">—</td>' in html
    assert "В том числе НДС" not in html
    assert "(п. 2 ст. 346.11 НК РФ)" in html


def test_the_printable_act_has_the_statement_and_both_sides(client, operator, invoice):
    client.force_login(operator)

    response = page(client, "act_print", invoice)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Акт оказанных услуг № 2026-0042 от «30» ноября 2026 г." in html
    assert "Вышеперечисленные услуги выполнены полностью и в срок." in html
    assert "ИСПОЛНИТЕЛЬ" in html and "ЗАКАЗЧИК" in html and html.count("М.П.") == 2
    assert "Всего к оплате" not in html
    assert "БИК" not in html


def test_the_act_downloads_as_its_workbook(client, accountant_a, invoice):
    client.force_login(accountant_a)

    response = page(client, "act_download", invoice)

    assert response["Content-Disposition"] == 'attachment; filename="act-2026-0042.xlsx"'
    assert load_workbook(BytesIO(response.content)).sheetnames == ["Акт"]


@pytest.mark.parametrize("name", ["invoice_print", "act_print", "act_download"])
def test_staff_of_another_provider_and_viewers_get_not_found(
    client, name, invoice, accountant_b, viewer_a
):
    for user in (accountant_b, viewer_a):
        client.force_login(user)
        assert page(client, name, invoice).status_code == 404


@pytest.mark.parametrize("name", ["invoice_print", "act_print", "act_download"])
def test_anonymous_visitors_are_sent_to_log_in(client, name, invoice):
    response = page(client, name, invoice)

    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_topup_prints_as_an_invoice_but_has_no_act(client, operator, provider_b):
    topup = issued(provider_b, kind="topup", sequence=43)
    client.force_login(operator)

    assert (
        "Предоплата: доступы к тестированию"
        in page(client, "invoice_print", topup).content.decode()
    )
    assert page(client, "act_print", topup).status_code == 404
    assert page(client, "act_download", topup).status_code == 404


def test_the_list_links_each_invoice_to_its_print_page_and_a_period_one_to_its_act(
    client, operator, invoice, provider_b
):
    topup = issued(provider_b, kind="topup", sequence=43)
    client.force_login(operator)

    html = client.get(reverse("reports:invoices")).content.decode()

    assert reverse("reports:invoice_print", args=[invoice.pk]) in html
    assert reverse("reports:invoice_print", args=[topup.pk]) in html
    assert reverse("reports:act_print", args=[invoice.pk]) in html
    assert reverse("reports:act_download", args=[invoice.pk]) in html
    assert reverse("reports:act_print", args=[topup.pk]) not in html
