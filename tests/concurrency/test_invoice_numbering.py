"""Parallel invoice issuing on a real PostgreSQL: numbers stay unique, gapless and sequential.

The number is (year, sequence) under a unique constraint: a run that loses
the race for a number gets an IntegrityError and retries with the next one.
"""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from billing.invoices import invoice_issue_for_period
from billing.models import Invoice
from billing.services import access_charge
from tests.billing.conftest import msk
from tests.concurrency.test_registration_race import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MARCH = date(2026, 3, 1)


@pytest.fixture
def postpaid_with_march_charges(make_provider):
    def make(count: int):
        providers = [
            make_provider(name=f"Партнёр {n:02d}", payment_policy="postpaid", access_limit=0)
            for n in range(count)
        ]
        with time_machine.travel(msk(2026, 3, 10, 12, 0)):
            for provider in providers:
                with transaction.atomic():
                    access_charge(provider_id=provider.pk, reference="student")
        return providers

    return make


def test_parallel_issuing_for_different_providers_never_repeats_a_number(
    require_postgres, postpaid_with_march_charges
):
    providers = postpaid_with_march_charges(16)

    with time_machine.travel(msk(2026, 4, 1, 3, 0)):
        issued = in_parallel(
            len(providers),
            lambda n: len(invoice_issue_for_period(period=MARCH, provider=providers[n])),
        )

    assert issued == [1] * len(providers)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:04d}" for n in range(1, len(providers) + 1)]


def test_parallel_runs_for_the_whole_month_issue_each_invoice_once(
    require_postgres, postpaid_with_march_charges
):
    providers = postpaid_with_march_charges(6)

    with time_machine.travel(msk(2026, 4, 1, 3, 0)):
        issued = in_parallel(8, lambda n: len(invoice_issue_for_period(period=MARCH)))

    assert sum(issued) == len(providers)
    assert Invoice.objects.count() == len(providers)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, 7))
    assert set(Invoice.objects.values_list("provider_id", flat=True)) == {p.pk for p in providers}
