"""Payment marks, their cancellation and top-ups in the invoice admin, through its real URLs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import transaction

from billing.invoices import invoice_topup_issue
from billing.models import AccessEntry, Invoice, InvoicePaymentEvent
from billing.payments import invoice_mark_paid, payment_today
from billing.services import access_charge
from tests.billing.conftest import msk
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db

INVOICES = "/admin/billing/invoice/"


@pytest.fixture
def topup(prepaid_provider) -> Invoice:
    return invoice_topup_issue(provider=prepaid_provider, count=200)


def text(response) -> str:
    return response.content.decode()


def limit_of(provider) -> int:
    provider.refresh_from_db()
    return provider.access_limit


def mark_action(client, invoices, **form):
    data = {"action": "mark_paid", "_selected_action": [i.pk for i in invoices], **form}
    return client.post(INVOICES, data)


def test_the_mark_action_shows_what_a_top_up_will_grant_and_grants_only_when_applied(
    client, operator, topup, prepaid_provider
):
    page = text(mark_action(client, [topup]))

    assert "провайдеру добавится 200 доступов" in page and "30\xa0000,00\xa0₽" in page
    assert limit_of(prepaid_provider) == 3

    today = payment_today()
    response = mark_action(
        client, [topup], apply="1", paid_on=today.isoformat(), payment_document="п/п № 123"
    )

    assert response.status_code == 302
    topup.refresh_from_db()
    assert (topup.status, topup.paid_on, topup.payment_document) == ("paid", today, "п/п № 123")
    assert limit_of(prepaid_provider) == 203
    event = InvoicePaymentEvent.objects.get()
    assert (event.actor, event.ledger_entry.quantity) == ("operator", 200)
    assert_ledger_agrees(prepaid_provider)


def test_the_mark_action_refuses_a_future_date_and_marks_nothing(client, operator, topup):
    tomorrow = payment_today() + timedelta(days=1)

    response = mark_action(
        client, [topup], apply="1", paid_on=tomorrow.isoformat(), payment_document="п/п 1"
    )

    assert response.status_code == 200
    assert "ещё не наступила" in text(response)
    topup.refresh_from_db()
    assert topup.status == "issued"


def test_the_mark_action_skips_invoices_already_paid(client, operator, topup, prepaid_provider):
    other = invoice_topup_issue(provider=prepaid_provider, count=5)
    invoice_mark_paid(invoice=other, paid_on=payment_today(), payment_document="п/п 1", actor="x")

    page = text(mark_action(client, [topup, other]))
    mark_action(
        client,
        [topup, other],
        apply="1",
        paid_on=payment_today().isoformat(),
        payment_document="п/п 2",
    )

    assert "пропускается" in page
    other.refresh_from_db()
    assert other.payment_document == "п/п 1"
    assert AccessEntry.objects.filter(kind="grant", quantity=5).count() == 1
    assert limit_of(prepaid_provider) == 208


def test_the_invoice_page_marks_paid_in_two_steps(client, operator, topup, prepaid_provider):
    url = f"{INVOICES}{topup.pk}/paid/"
    today = payment_today().isoformat()
    form = {"paid_on": today, "payment_document": "п/п № 77"}

    empty = text(client.get(url))
    confirm = text(client.post(url, form))
    topup.refresh_from_db()
    assert topup.status == "issued"
    done = client.post(url, {**form, "confirm": "1"})

    assert f'value="{today}"' in empty  # today is the default
    assert "Подтвердить оплату" in confirm and "будет добавлено 200 доступов" in confirm
    assert done["Location"] == f"{INVOICES}{topup.pk}/change/"
    topup.refresh_from_db()
    assert (topup.status, topup.payment_document) == ("paid", "п/п № 77")
    assert limit_of(prepaid_provider) == 203


def test_the_invoice_page_goes_back_to_the_form_to_edit(client, operator, topup):
    form = {"paid_on": payment_today().isoformat(), "payment_document": "п/п 1", "edit": "1"}

    page = text(client.post(f"{INVOICES}{topup.pk}/paid/", form))

    assert 'name="payment_document"' in page and "Подтвердить оплату" not in page
    topup.refresh_from_db()
    assert topup.status == "issued"


def test_cancelling_needs_a_reason_and_a_confirmation(client, operator, topup, prepaid_provider):
    invoice_mark_paid(invoice=topup, paid_on=payment_today(), payment_document="п/п", actor="x")
    url = f"{INVOICES}{topup.pk}/unpaid/"

    no_reason = client.post(url, {"reason": "", "confirm": "1"})
    confirm = text(client.post(url, {"reason": "не тот счёт"}))
    topup.refresh_from_db()
    assert topup.status == "paid" and limit_of(prepaid_provider) == 203
    client.post(url, {"reason": "не тот счёт", "confirm": "1"})

    assert no_reason.status_code == 200 and "Обязательное поле" in text(no_reason)
    assert "будут сняты добавленные этой оплатой доступы: 200" in confirm
    assert "превысит лимит" not in confirm
    topup.refresh_from_db()
    assert topup.status == "issued" and limit_of(prepaid_provider) == 3
    assert AccessEntry.objects.get(kind="ungrant").quantity == -200
    assert_ledger_agrees(prepaid_provider)


def test_cancelling_warns_when_the_provider_has_used_the_accesses(client, operator, make_provider):
    provider = make_provider(access_limit=0, price_per_access=Decimal("10.00"))
    topup = invoice_topup_issue(provider=provider, count=5)
    invoice_mark_paid(invoice=topup, paid_on=payment_today(), payment_document="п/п", actor="x")
    for n in range(4):
        with transaction.atomic():
            access_charge(provider_id=provider.pk, reference=f"s{n}")

    confirm = text(client.post(f"{INVOICES}{topup.pk}/unpaid/", {"reason": "ошибка"}))

    assert "превысит лимит на 4 доступа" in confirm


def test_the_change_page_lists_every_mark_and_cancellation(client, operator, topup):
    invoice_mark_paid(
        invoice=topup, paid_on=payment_today(), payment_document="п/п № 5", actor="ivanova"
    )
    client.post(f"{INVOICES}{topup.pk}/unpaid/", {"reason": "платёж вернули", "confirm": "1"})

    page = text(client.get(f"{INVOICES}{topup.pk}/change/"))

    assert "журнал отметок об оплате" in page.lower()
    assert "п/п № 5" in page and "ivanova" in page
    assert "платёж вернули" in page and "Отметка об оплате отменена" in page
    assert "Отмена пополнения -200" in page
    assert f"{INVOICES}{topup.pk}/paid/" in page  # issued again: may be marked


def test_an_invoice_paid_before_the_audit_list_still_displays(client, operator, topup):
    Invoice.objects.filter(pk=topup.pk).update(
        status="paid", paid_at=topup.issued_at, paid_on=topup.issued_at.date()
    )

    response = client.get(f"{INVOICES}{topup.pk}/change/")

    assert response.status_code == 200
    assert f"{INVOICES}{topup.pk}/unpaid/" in text(response)


def test_a_paid_invoice_is_not_marked_again_from_its_page(client, operator, topup):
    invoice_mark_paid(invoice=topup, paid_on=payment_today(), payment_document="п/п", actor="x")

    response = client.post(
        f"{INVOICES}{topup.pk}/paid/",
        {"paid_on": payment_today().isoformat(), "payment_document": "п/п 2", "confirm": "1"},
    )

    assert response.status_code == 302
    assert AccessEntry.objects.filter(kind="grant", quantity=200).count() == 1


def test_a_staff_member_who_may_only_view_invoices_cannot_mark_them(client, topup):
    viewer = User.objects.create_user("auditor", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    client.force_login(viewer)

    responses = [
        client.post(
            f"{INVOICES}{topup.pk}/paid/",
            {"paid_on": payment_today().isoformat(), "payment_document": "п/п", "confirm": "1"},
        ),
        client.get(f"{INVOICES}add/"),
    ]

    assert [r.status_code for r in responses] == [403, 403]
    topup.refresh_from_db()
    assert topup.status == "issued"


def test_the_add_page_issues_a_top_up_after_a_confirmation(
    client, operator, prepaid_provider, postpaid_provider
):
    form = {"provider": prepaid_provider.pk, "count": "40"}

    choices = text(client.get(f"{INVOICES}add/"))
    confirm = text(client.post(f"{INVOICES}add/", form))
    assert not Invoice.objects.exists()
    done = client.post(f"{INVOICES}add/", {**form, "confirm": "1"})

    assert prepaid_provider.name in choices and postpaid_provider.name not in choices
    assert "40 доступов по 150,00\xa0₽ — всего 6\xa0000,00\xa0₽" in confirm
    invoice = Invoice.objects.get()
    assert done["Location"] == f"{INVOICES}{invoice.pk}/change/"
    assert (invoice.kind, invoice.accesses, invoice.amount) == ("topup", 40, Decimal("6000.00"))
    assert limit_of(prepaid_provider) == 3


def test_the_add_page_refuses_a_provider_without_a_price(client, operator, make_provider):
    free = make_provider(name="Бесплатный", payment_policy="prepaid", access_limit=0)

    page = text(client.post(f"{INVOICES}add/", {"provider": free.pk, "count": "5"}))

    assert "не указана цена" in page
    assert not Invoice.objects.exists()


def test_the_list_shows_top_ups_without_a_period_and_filters_by_kind(
    client, operator, topup, postpaid_provider, charge_at, issue_at
):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0))
    issue_at(date(2026, 3, 1))

    everything = text(client.get(INVOICES))
    topups = client.get(INVOICES, {"kind__exact": "topup"})

    assert "Пополнение (предоплата)" in everything and "03.2026" in everything
    assert [row.number for row in topups.context["cl"].result_list] == [topup.number]
