from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from billing.models import AccessEntry, Invoice, LedgerDrift, Provider
from billing.reconciliation import ledger_reconcile
from tests.billing.conftest import msk
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db

PROVIDERS = "/admin/billing/provider/"
INVOICES = "/admin/billing/invoice/"


def grant(client, providers, **form):
    data = {"action": "grant_accesses", "_selected_action": [p.pk for p in providers], **form}
    return client.post(PROVIDERS, data)


def test_the_grant_action_first_asks_for_the_count_and_a_reference(
    client, operator, prepaid_provider
):
    response = grant(client, [prepaid_provider])

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="count"' in page and 'name="reference"' in page
    assert AccessEntry.objects.filter(kind="grant").count() == 1  # only the initial one


def test_the_grant_action_writes_a_grant_by_the_operator(client, operator, prepaid_provider):
    response = grant(client, [prepaid_provider], apply="1", count="20", reference="п/п 17")

    assert response.status_code == 302
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.access_limit == 23
    entry = AccessEntry.objects.filter(kind="grant").first()
    assert (entry.quantity, entry.reference, entry.actor) == (20, "п/п 17", "operator")
    assert_ledger_agrees(prepaid_provider)


def test_the_grant_action_refuses_a_bad_count(client, operator, prepaid_provider):
    response = grant(client, [prepaid_provider], apply="1", count="0", reference="x")

    assert response.status_code == 200
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.access_limit == 3


def test_the_grant_action_skips_postpaid_providers_with_a_message(
    client, operator, prepaid_provider, postpaid_provider
):
    response = grant(
        client, [prepaid_provider, postpaid_provider], apply="1", count="5", reference="x"
    )

    page = client.get(response["Location"]).content.decode()
    assert "prepaid providers only" in page
    assert Provider.objects.get(pk=prepaid_provider.pk).access_limit == 8
    assert not AccessEntry.objects.filter(provider=postpaid_provider).exists()


def test_the_usage_page_shows_limit_issued_remaining_overdraft_and_the_ledger(
    client, operator, make_provider, charge_at
):
    provider = make_provider(payment_policy="prepaid", access_limit=10, overdraft=2)
    charge_at(provider, msk(2026, 3, 5, 10, 0), "student-42")

    response = client.get(f"{PROVIDERS}{provider.pk}/usage/")

    page = response.content.decode()
    assert response.status_code == 200
    for label, value in [("Лимит", 10), ("Выдано", 1), ("Осталось", 11), ("Овердрафт", 2)]:
        assert f"<th>{label}</th><td>{value}</td>" in page
    assert "student-42" in page and "совпадает" in page
    assert f"{PROVIDERS}{provider.pk}/usage/" in client.get(PROVIDERS).content.decode()


def test_the_usage_page_shows_drift(client, operator, prepaid_provider):
    Provider.objects.filter(pk=prepaid_provider.pk).update(issued_count=5)
    ledger_reconcile()

    page = client.get(f"{PROVIDERS}{prepaid_provider.pk}/usage/").content.decode()

    assert "Расхождение" in page
    assert "Расхождения, найденные ночной сверкой" in page


def test_the_usage_page_needs_a_staff_login(client, prepaid_provider):
    response = client.get(f"{PROVIDERS}{prepaid_provider.pk}/usage/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.fixture
def invoice(postpaid_provider, charge_at, issue_at) -> Invoice:
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0), '=HYPERLINK("http://x","y")')
    return issue_at(date(2026, 3, 1))[0]


def test_an_operator_downloads_one_invoice_as_xlsx(client, operator, invoice):
    assert f"{INVOICES}{invoice.pk}/xlsx/" in client.get(INVOICES).content.decode()

    response = client.get(f"{INVOICES}{invoice.pk}/xlsx/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="invoice-{invoice.number}.xlsx"' in response["Content-Disposition"]
    annex = load_workbook(BytesIO(response.content))["Приложение"]
    assert annex["B5"].value == '=HYPERLINK("http://x","y")'
    assert annex["B5"].data_type == "s"


def test_an_operator_downloads_the_register_of_selected_invoices(client, operator, invoice):
    response = client.post(
        INVOICES, {"action": "download_register", "_selected_action": [invoice.pk]}
    )

    assert response.status_code == 200
    assert 'filename="invoices-2026-03.xlsx"' in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content))["Реестр счетов"]
    assert ws["A2"].value == invoice.number


def test_an_operator_marks_invoices_paid_after_giving_the_date_and_document(
    client, operator, invoice
):
    selected = {"action": "mark_paid", "_selected_action": [invoice.pk]}
    asked = client.post(INVOICES, selected)
    invoice.refresh_from_db()
    assert invoice.status == "issued"
    assert 'name="paid_on"' in asked.content.decode()

    client.post(
        INVOICES, {**selected, "apply": "1", "paid_on": "2026-04-03", "payment_document": "п/п 7"}
    )

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on, invoice.payment_document) == (
        "paid",
        date(2026, 4, 3),
        "п/п 7",
    )


def test_the_admin_neither_edits_nor_deletes_invoices_and_adds_only_top_ups(
    client, operator, invoice
):
    client.post(f"{INVOICES}{invoice.pk}/change/", {"accesses": "1000", "amount": "0"})

    assert "Счёт на пополнение" in client.get(f"{INVOICES}add/").content.decode()
    assert client.post(f"{INVOICES}{invoice.pk}/delete/", {"post": "yes"}).status_code == 403
    stored = Invoice.objects.get()
    assert (stored.accesses, stored.amount) == (invoice.accesses, invoice.amount)


def test_the_admin_refuses_bulk_deletion_of_ledger_rows(client, operator, prepaid_provider):
    entry = AccessEntry.objects.get(provider=prepaid_provider)

    client.post(
        "/admin/billing/accessentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert AccessEntry.objects.filter(pk=entry.pk).exists()


def test_recorded_drift_is_listed_read_only(client, operator, prepaid_provider):
    Provider.objects.filter(pk=prepaid_provider.pk).update(issued_count=5)
    [record] = ledger_reconcile()

    listing = client.get("/admin/billing/ledgerdrift/")
    delete = client.post(f"/admin/billing/ledgerdrift/{record.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200 and prepaid_provider.name in listing.content.decode()
    assert delete.status_code == 403
    assert LedgerDrift.objects.count() == 1
