from datetime import date
from decimal import Decimal

import time_machine
from django.db import transaction

from billing.invoices import invoice_issue_for_period, invoice_topup_issue
from billing.services import access_charge
from events.models import Event


def test_a_top_up_invoice_is_an_invoice_issued_event(prepaid_provider, make_endpoint):
    make_endpoint(prepaid_provider, "https://partner.example/hooks", ["invoice.issued"])

    invoice = invoice_topup_issue(provider=prepaid_provider, count=7)

    event = Event.objects.get()
    assert event.type == "invoice.issued"
    assert event.data == {
        "number": invoice.number,
        "kind": "topup",
        "period": None,
        "accesses": 7,
        "amount": "1050.00",
        "vat_amount": "0.00",
        "currency": "RUB",
        "issued_at": invoice.issued_at.isoformat(),
    }


def test_a_monthly_invoice_event_names_its_period(postpaid_provider, make_endpoint):
    make_endpoint(postpaid_provider, "https://partner.example/hooks", ["invoice.issued"])
    with time_machine.travel("2026-10-15 12:00 +03:00"), transaction.atomic():
        access_charge(provider_id=postpaid_provider.pk, reference="u1")
        access_charge(provider_id=postpaid_provider.pk, reference="u2")

    with time_machine.travel("2026-11-02 12:00 +03:00"):
        (invoice,) = invoice_issue_for_period(period=date(2026, 10, 1))

    data = Event.objects.get().data
    assert (data["number"], data["period"], data["kind"]) == (invoice.number, "2026-10", "period")
    assert Decimal(data["amount"]) == Decimal("199.80")
