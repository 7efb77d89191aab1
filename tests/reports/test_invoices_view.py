from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from billing.excel import REGISTER_SHEET
from billing.invoices import invoice_topup_issue
from billing.payments import payment_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(make_invoice, provider_a, make_provider):
    other = make_provider(name="Центр", slug="centre", payment_policy="postpaid", access_limit=0)
    return [
        make_invoice(provider_a, date(2026, 1, 1), 1),
        make_invoice(provider_a, date(2026, 2, 1), 2),
        make_invoice(other, date(2026, 1, 1), 3),
    ]


def numbers(response) -> list[str]:
    return [invoice.number for invoice in response.context["page"]]


def test_an_accountant_sees_only_their_providers_invoices(client, accountant_a, invoices):
    client.force_login(accountant_a)

    response = client.get(reverse("reports:invoices"))

    assert numbers(response) == ["2026-0002", "2026-0001"]
    assert "Отметить оплаченным" not in response.content.decode()


def test_top_ups_without_a_period_come_first_on_every_database(
    client, operator, invoices, make_provider
):
    prepaid = make_provider(name="Предоплатный", slug="prepaid", price_per_access=Decimal("150"))
    topup = invoice_topup_issue(provider=prepaid, count=10)
    client.force_login(operator)

    listed = numbers(client.get(reverse("reports:invoices")))

    assert listed == [topup.number, "2026-0002", "2026-0001", "2026-0003"]


def test_an_operator_sees_all_and_filters_by_period_and_provider(client, operator, invoices):
    client.force_login(operator)

    assert numbers(client.get(reverse("reports:invoices"), {"period": "2026-01"})) == [
        "2026-0001",
        "2026-0003",
    ]
    only = client.get(reverse("reports:invoices"), {"period": "2026-01", "provider": "centre"})
    assert numbers(only) == ["2026-0003"]
    assert "Отметить оплаченным" in only.content.decode()


def test_a_malformed_period_is_reported_and_ignored(client, operator, invoices):
    client.force_login(operator)

    response = client.get(reverse("reports:invoices"), {"period": "январь"})

    assert len(numbers(response)) == 3
    assert "ГГГГ-ММ" in response.content.decode()


def test_the_register_download_holds_the_listed_invoices(client, accountant_a, invoices):
    client.force_login(accountant_a)

    response = client.get(reverse("reports:invoices_register"), {"period": "2026-01"})

    assert response["Content-Disposition"] == 'attachment; filename="invoices-2026-01.xlsx"'
    ws = load_workbook(BytesIO(response.content))[REGISTER_SHEET]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["2026-0001", "Итого"]


def test_a_single_invoice_downloads_as_its_workbook(client, accountant_a, invoices):
    client.force_login(accountant_a)

    response = client.get(reverse("reports:invoice_download", args=[invoices[0].pk]))

    assert response["Content-Disposition"] == 'attachment; filename="invoice-2026-0001.xlsx"'
    ws = load_workbook(BytesIO(response.content))["Счёт"]
    texts = [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(text.startswith("Счёт на оплату № 2026-0001 от «") for text in texts)


def test_an_operator_marks_an_invoice_paid_once_and_returns_to_the_filtered_list(
    client, operator, invoices
):
    client.force_login(operator)
    url = reverse("reports:invoice_paid", args=[invoices[0].pk])
    form = {
        "paid_on": payment_today().isoformat(),
        "payment_document": "п/п № 123",
        "back": "period=2026-01",
        "confirm": "1",
    }

    first = client.post(url, form, follow=True)
    again = client.post(url, form, follow=True)

    invoices[0].refresh_from_db()
    assert (invoices[0].status, invoices[0].payment_document) == ("paid", "п/п № 123")
    assert first.redirect_chain[-1][0] == reverse("reports:invoices") + "?period=2026-01"
    assert "отмечен оплаченным" in first.content.decode()
    assert "уже отмечен оплаченным" in again.content.decode()
    assert invoices[0].payment_events.count() == 1


def test_an_accountant_cannot_mark_paid(client, accountant_a, invoices):
    client.force_login(accountant_a)
    form = {"paid_on": payment_today().isoformat(), "payment_document": "п/п", "confirm": "1"}

    response = client.post(reverse("reports:invoice_paid", args=[invoices[0].pk]), form)

    invoices[0].refresh_from_db()
    assert response.status_code == 404 and invoices[0].status == "issued"


def test_the_list_costs_the_same_queries_for_3_and_30_invoices(
    client, operator, make_invoice, provider_a, django_assert_num_queries
):
    client.force_login(operator)
    for n in range(1, 4):
        make_invoice(provider_a, date(2026, n, 1), n)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:invoices"))
    for n in range(4, 31):
        make_invoice(provider_a, date(2020 + n // 12, n % 12 + 1, 1), n)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reports:invoices"))

    assert len(numbers(response)) == 30
