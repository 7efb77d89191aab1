"""Writes of invoices: monthly issuing for postpaid providers and payment marks."""

import logging
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from billing.models import AccessEntry, Invoice, Provider
from billing.periods import MOSCOW, period_bounds
from common.errors import InvalidInput

logger = logging.getLogger(__name__)

KOPECK = Decimal("0.01")
# Each failed attempt means another invoice took the number and committed, so
# this bounds how many invoices may be issued at the very same moment.
_NUMBER_ATTEMPTS = 100


class InvoiceRefused(InvalidInput):
    pass


def invoice_issue_for_period(*, period: date, provider: Provider | None = None) -> list[Invoice]:
    """Issue the month's invoices of postpaid providers that had charges; returns the new ones.

    Re-running is safe: a provider already invoiced for the period keeps its
    invoice untouched. The month must be over, or later charges of it would
    never be invoiced.
    """
    if period.day != 1:
        raise InvoiceRefused("The period must be the first day of a month.")
    start, end = period_bounds(period)
    if end > timezone.now():
        raise InvoiceRefused(f"The period {period:%Y-%m} has not ended yet.")
    if provider is not None and provider.payment_policy != Provider.PaymentPolicy.POSTPAID:
        raise InvoiceRefused("Invoices are issued to postpaid providers only.")

    charges = AccessEntry.objects.filter(
        kind=AccessEntry.Kind.CHARGE,
        created_at__gte=start,
        created_at__lt=end,
        provider__payment_policy=Provider.PaymentPolicy.POSTPAID,
    ).exclude(provider__invoices__period=period)
    if provider is not None:
        charges = charges.filter(provider=provider)
    counts = dict(charges.order_by().values_list("provider_id").annotate(n=Count("id")))
    issued = []
    for row in Provider.objects.filter(pk__in=counts).order_by("name", "pk"):
        invoice = _invoice_create(provider=row, period=period, accesses=counts[row.pk])
        if invoice is not None:
            issued.append(invoice)
    logger.info("Issued %d invoice(s) for %s.", len(issued), f"{period:%Y-%m}")
    return issued


def _invoice_create(*, provider: Provider, period: date, accesses: int) -> Invoice | None:
    """Create one invoice with the next free number; None if a parallel run issued it first."""
    unit_price = provider.price_per_access
    issued_at = timezone.now()
    year = issued_at.astimezone(MOSCOW).year
    for _ in range(_NUMBER_ATTEMPTS):
        last = Invoice.objects.filter(year=year).aggregate(last=Max("sequence"))["last"] or 0
        try:
            with transaction.atomic():
                return Invoice.objects.create(
                    provider=provider,
                    period=period,
                    accesses=accesses,
                    unit_price=unit_price,
                    amount=(unit_price * accesses).quantize(KOPECK),
                    year=year,
                    sequence=last + 1,
                    number=f"{year}-{last + 1:04d}",
                    issued_at=issued_at,
                )
        except IntegrityError:
            # Either the number or the (provider, period) pair was taken by a
            # concurrent run; only the first is worth another attempt.
            if Invoice.objects.filter(provider=provider, period=period).exists():
                return None
            logger.info("Invoice number %d-%04d was taken concurrently; retrying.", year, last + 1)
    raise RuntimeError(f"No free invoice number for {year} after {_NUMBER_ATTEMPTS} attempts.")


def invoice_mark_paid(*, invoice: Invoice) -> bool:
    """Mark an issued invoice paid; False if it already was (its paid_at is kept)."""
    updated = Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.ISSUED).update(
        status=Invoice.Status.PAID, paid_at=timezone.now()
    )
    invoice.refresh_from_db(fields=["status", "paid_at"])
    return bool(updated)
