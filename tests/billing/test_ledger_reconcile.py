import logging

import pytest

from billing.models import LedgerDrift, Provider
from billing.reconciliation import ledger_reconcile
from billing.selectors import providers_ledger_drift
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db


def test_agreeing_counters_record_nothing(prepaid_provider, postpaid_provider, charge_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0))

    assert ledger_reconcile() == []
    assert not LedgerDrift.objects.exists()


def test_drift_is_detected_logged_and_recorded(
    prepaid_provider, postpaid_provider, charge_at, caplog
):
    charge_at(prepaid_provider, msk(2026, 3, 5, 10, 0))
    Provider.objects.filter(pk=prepaid_provider.pk).update(issued_count=7, access_limit=4)

    with caplog.at_level(logging.WARNING, logger="billing.reconciliation"):
        records = ledger_reconcile()

    found = {(r.provider_id, r.field, r.counter_value, r.ledger_value) for r in records}
    assert found == {
        (prepaid_provider.pk, "issued_count", 7, 1),
        (prepaid_provider.pk, "access_limit", 4, 3),
    }
    assert LedgerDrift.objects.count() == 2
    assert "issued_count=7, the ledger says 1" in caplog.text


def test_all_providers_are_checked_in_one_query(
    make_provider, django_assert_num_queries, charge_at
):
    providers = [make_provider(payment_policy="postpaid", access_limit=0) for _ in range(5)]
    for provider in providers:
        charge_at(provider, msk(2026, 3, 5, 10, 0))
    Provider.objects.filter(pk=providers[2].pk).update(issued_count=0)

    with django_assert_num_queries(1):
        drifts = providers_ledger_drift()

    assert {p.pk: d for p, d in drifts.items()} == {providers[2].pk: {"issued_count": (0, 1)}}
