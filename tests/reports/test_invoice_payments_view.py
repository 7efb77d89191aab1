"""Staff pages for payments: the invoice page and its audit list, marks, cancels, top-ups."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.invoices import invoice_topup_issue
from billing.models import AccessEntry, Invoice
from billing.payments import invoice_mark_paid, payment_today
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepaid(make_provider, tests_loaded):
    return make_provider(
        name="Колледж В", slug="college-v", access_limit=10, price_per_access=Decimal("150.00")
    )


@pytest.fixture
def topup(prepaid) -> Invoice:
    return invoice_topup_issue(provider=prepaid, count=20)


def text(response) -> str:
    return response.content.decode()


def limit_of(provider) -> int:
    provider.refresh_from_db()
    return provider.access_limit


def paid_form(**extra) -> dict:
    return {"paid_on": payment_today().isoformat(), "payment_document": "п/п № 5", **extra}


def test_the_mark_page_asks_then_confirms_then_marks(client, operator, topup, prepaid):
    client.force_login(operator)
    url = reverse("reports:invoice_paid", args=[topup.pk])

    asked = text(client.get(url))
    confirm = text(client.post(url, paid_form()))
    assert limit_of(prepaid) == 10
    done = client.post(url, paid_form(confirm="1"), follow=True)

    assert 'type="date"' in asked and f'value="{payment_today().isoformat()}"' in asked
    assert "Подтвердить оплату" in confirm and "будет добавлено 20 доступов" in confirm
    assert done.redirect_chain[-1][0] == reverse("reports:invoice_detail", args=[topup.pk])
    assert "отмечен оплаченным" in text(done)
    assert limit_of(prepaid) == 30
    assert_ledger_agrees(prepaid)


def test_a_wrong_payment_date_is_shown_on_the_form_and_nothing_is_marked(client, operator, topup):
    client.force_login(operator)
    url = reverse("reports:invoice_paid", args=[topup.pk])
    tomorrow = (payment_today() + timedelta(days=1)).isoformat()
    yesterday = (payment_today() - timedelta(days=1)).isoformat()

    future = text(client.post(url, paid_form(paid_on=tomorrow, confirm="1")))
    early = text(client.post(url, paid_form(paid_on=yesterday, confirm="1")))
    garbage = text(client.post(url, paid_form(paid_on="вчера", confirm="1")))

    assert "ещё не наступила" in future
    assert "раньше даты счёта" in early
    assert "Введите правильную дату" in garbage
    topup.refresh_from_db()
    assert topup.status == "issued"


def test_the_cancel_page_needs_a_reason_and_a_confirmation(client, operator, topup, prepaid):
    invoice_mark_paid(invoice=topup, paid_on=payment_today(), payment_document="п/п", actor="x")
    client.force_login(operator)
    url = reverse("reports:invoice_unpaid", args=[topup.pk])

    no_reason = text(client.post(url, {"reason": "   ", "confirm": "1"}))
    confirm = text(client.post(url, {"reason": "деньги не пришли"}))
    assert limit_of(prepaid) == 30
    client.post(url, {"reason": "деньги не пришли", "confirm": "1"})

    assert "Обязательное поле" in no_reason
    assert "Подтвердить отмену" in confirm
    topup.refresh_from_db()
    assert topup.status == "issued" and limit_of(prepaid) == 10
    assert AccessEntry.objects.get(kind="ungrant").actor == "operator"
    assert_ledger_agrees(prepaid)


def test_the_invoice_page_lists_marks_and_cancellations_for_the_accountant_too(
    client, operator, accountant_a, provider_a, make_invoice
):
    invoice = make_invoice(provider_a)
    invoice_mark_paid(
        invoice=invoice, paid_on=payment_today(), payment_document="п/п № 9", actor="ivanova"
    )
    client.force_login(operator)
    client.post(
        reverse("reports:invoice_unpaid", args=[invoice.pk]),
        {"reason": "не тот счёт", "confirm": "1"},
    )
    client.force_login(accountant_a)

    page = text(client.get(reverse("reports:invoice_detail", args=[invoice.pk])))

    events = page[page.index('id="payment-events"') :]
    assert events.index("ivanova") < events.index("не тот счёт")
    assert "п/п № 9" in events and "Отметка об оплате отменена" in events
    assert "Отметить оплаченным" not in page  # not for accountants


def test_an_invoice_paid_before_the_audit_list_shows_its_mark(
    client, accountant_a, provider_a, make_invoice
):
    invoice = make_invoice(provider_a)
    Invoice.objects.filter(pk=invoice.pk).update(
        status="paid", paid_at=invoice.issued_at, paid_on=invoice.issued_at.date()
    )
    client.force_login(accountant_a)

    page = text(client.get(reverse("reports:invoice_detail", args=[invoice.pk])))

    assert "до ведения журнала отметок" in page


def test_the_list_links_to_mark_or_cancel_and_shows_top_ups(client, operator, topup):
    other = invoice_topup_issue(provider=topup.provider, count=5)
    invoice_mark_paid(invoice=other, paid_on=payment_today(), payment_document="п/п", actor="x")
    client.force_login(operator)

    page = text(client.get(reverse("reports:invoices")))

    assert reverse("reports:invoice_paid", args=[topup.pk]) in page
    assert reverse("reports:invoice_unpaid", args=[other.pk]) in page
    assert "пополнение" in page and reverse("reports:invoice_topup") in page


def test_an_operator_issues_a_top_up_after_a_confirmation(client, operator, prepaid, provider_a):
    client.force_login(operator)
    url = reverse("reports:invoice_topup")
    form = {"provider": prepaid.pk, "count": "3"}

    page = text(client.get(url))
    choices = page[page.index('<select name="provider"') : page.index("</select>")]
    confirm = text(client.post(url, form))
    assert not Invoice.objects.exists()
    done = client.post(url, {**form, "confirm": "1"}, follow=True)

    assert prepaid.name in choices and provider_a.name not in choices  # A is postpaid
    assert "3 доступа по 150,00\xa0₽ — всего 450,00\xa0₽" in confirm
    invoice = Invoice.objects.get()
    assert done.redirect_chain[-1][0] == reverse("reports:invoice_detail", args=[invoice.pk])
    assert f"Выставлен счёт № {invoice.number}" in text(done)
    assert (invoice.kind, invoice.accesses, invoice.status) == ("topup", 3, "issued")
    assert limit_of(prepaid) == 10


def test_a_top_up_of_zero_accesses_is_refused_on_the_form(client, operator, prepaid):
    client.force_login(operator)

    page = text(
        client.post(reverse("reports:invoice_topup"), {"provider": prepaid.pk, "count": "0"})
    )

    assert "count" in page and not Invoice.objects.exists()


def test_an_accountant_cannot_issue_a_top_up(client, accountant_a, prepaid):
    client.force_login(accountant_a)

    response = client.post(
        reverse("reports:invoice_topup"), {"provider": prepaid.pk, "count": "3", "confirm": "1"}
    )

    assert response.status_code == 404 and not Invoice.objects.exists()
