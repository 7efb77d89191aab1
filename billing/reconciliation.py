"""Nightly check that every provider's counters still agree with its ledger."""

import logging

from django.utils import timezone

from billing.models import LedgerDrift
from billing.selectors import providers_ledger_drift

logger = logging.getLogger(__name__)


def ledger_reconcile() -> list[LedgerDrift]:
    """Record (and log) every counter that disagrees with the ledger; returns the records.

    Nothing is corrected automatically: a drift means something wrote around
    the services, and an operator has to find out what before trusting either side.
    """
    detected_at = timezone.now()
    records = [
        LedgerDrift(
            provider=provider,
            field=field,
            counter_value=counter,
            ledger_value=ledger,
            detected_at=detected_at,
        )
        for provider, drift in providers_ledger_drift().items()
        for field, (counter, ledger) in drift.items()
    ]
    for record in records:
        logger.warning(
            "Ledger drift: provider %s (%s) has %s=%d, the ledger says %d.",
            record.provider.slug,
            record.provider.pk,
            record.field,
            record.counter_value,
            record.ledger_value,
        )
    return LedgerDrift.objects.bulk_create(records)
