"""The admin's invoice list links each invoice to its workbook and print page, and a period
invoice also to its act."""

from datetime import date

import pytest

from billing.invoices import invoice_topup_issue
from tests.billing.conftest import msk
from tests.billing.documents import opened, strings

pytestmark = pytest.mark.django_db

INVOICES = "/admin/billing/invoice/"


@pytest.fixture
def period_invoice(seller, postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0), "u-1")
    [invoice] = issue_at(date(2026, 3, 1))
    return invoice


def test_an_operator_downloads_the_act_of_a_period_invoice(client, operator, period_invoice):
    listing = client.get(INVOICES).content.decode()
    assert f"{INVOICES}{period_invoice.pk}/act/xlsx/" in listing
    assert f"/reports/invoices/{period_invoice.pk}/act/print/" in listing
    assert f"/reports/invoices/{period_invoice.pk}/print/" in listing

    response = client.get(f"{INVOICES}{period_invoice.pk}/act/xlsx/")

    assert response.status_code == 200
    assert f'filename="act-{period_invoice.number}.xlsx"' in response["Content-Disposition"]
    ws = opened(response.content)["Акт"]
    assert f"Акт оказанных услуг № {period_invoice.number} от «31» марта 2026 г." in strings(ws)


def test_a_topup_is_listed_without_an_act_and_its_act_url_is_not_found(
    client, operator, seller, prepaid_provider
):
    topup = invoice_topup_issue(provider=prepaid_provider, count=3)

    listing = client.get(INVOICES).content.decode()
    assert f"{INVOICES}{topup.pk}/xlsx/" in listing
    assert f"{INVOICES}{topup.pk}/act/xlsx/" not in listing
    assert client.get(f"{INVOICES}{topup.pk}/act/xlsx/").status_code == 404
    assert opened(client.get(f"{INVOICES}{topup.pk}/xlsx/").content).sheetnames == ["Счёт"]
