"""The printable invoice and act pages, and the act's workbook, under the invoices' access rules."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing.documents import date_in_words, invoice_issued_on
from billing.invoices import buyer_snapshot, seller_snapshot, vat_included
from billing.models import Invoice, Provider
from billing.services import seller_details_update
from tests.billing.conftest import SELLER_REQUISITES

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def issued(provider: Provider, *, kind: str = "period", sequence: int = 42) -> Invoice:
    """An invoice of 10 accesses at 105,35 ₽ with VAT 20% frozen in, as issuing makes it."""
    seller = seller_details_update(**SELLER_REQUISITES, vat_mode="rate", vat_rate=Decimal("20"))
    Provider.objects.filter(pk=provider.pk).update(
        legal_name="ООО «Колледж А»",
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
