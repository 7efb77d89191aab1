"""Issuing invoices: monthly ones for postpaid providers, top-ups for prepaid ones.

Payment marks are in ``billing.payments``.
"""

import logging
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from billing.models import AccessEntry, Invoice, Provider, SellerDetails
from billing.periods import MOSCOW, period_bounds
from common.errors import InvalidInput
from events.services import invoice_issued

logger = logging.getLogger(__name__)

KOPECK = Decimal("0.01")
# Each failed attempt means another invoice took the number and committed, so
# this bounds how many invoices may be issued at the very same moment.
_NUMBER_ATTEMPTS = 100
# Far above any real purchase: a count with a few extra digits typed is refused.
TOPUP_MAX_ACCESSES = 1_000_000


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
        invoice = _invoice_create(
            provider=row, kind=Invoice.Kind.PERIOD, period=period, accesses=counts[row.pk]
        )
        if invoice is not None:
            issued.append(invoice)
    logger.info("Issued %d invoice(s) for %s.", len(issued), f"{period:%Y-%m}")
    return issued


def _invoice_create(
    *, provider: Provider, kind: str, accesses: int, period: date | None = None
) -> Invoice | None:
    """Create one invoice with the next free number.

    None if a parallel run issued the same period invoice first; a top-up
    has no such twin, so it always gets a number.
    """
    unit_price = provider.price_per_access
    amount = (unit_price * accesses).quantize(KOPECK)
    seller = SellerDetails.objects.filter(pk=1).first()
    vat_rate = seller.vat_rate if seller and seller.vat_mode == SellerDetails.VatMode.RATE else None
    issued_at = timezone.now()
    year = issued_at.astimezone(MOSCOW).year
    for _ in range(_NUMBER_ATTEMPTS):
        last = Invoice.objects.filter(year=year).aggregate(last=Max("sequence"))["last"] or 0
        try:
            with transaction.atomic():
                invoice = Invoice.objects.create(
                    provider=provider,
                    kind=kind,
                    period=period,
                    accesses=accesses,
                    unit_price=unit_price,
                    amount=amount,
                    vat_rate=vat_rate,
                    vat_amount=vat_included(amount, vat_rate),
                    seller=seller_snapshot(seller),
                    buyer=buyer_snapshot(provider),
                    year=year,
                    sequence=last + 1,
                    number=f"{year}-{last + 1:04d}",
                    issued_at=issued_at,
                )
                invoice_issued(invoice)
                return invoice
        except IntegrityError:
            # Either the number or the (provider, period) pair was taken by a
            # concurrent run; only the first is worth another attempt.
            if (
                kind == Invoice.Kind.PERIOD
                and Invoice.objects.filter(
                    provider=provider, kind=Invoice.Kind.PERIOD, period=period
                ).exists()
            ):
                return None
            logger.info("Invoice number %d-%04d was taken concurrently; retrying.", year, last + 1)
    raise RuntimeError(f"No free invoice number for {year} after {_NUMBER_ATTEMPTS} attempts.")


def topup_check(*, provider: Provider, count: int) -> None:
    """Refuse a top-up that cannot be invoiced; in Russian, operators read it."""
    if provider.payment_policy != Provider.PaymentPolicy.PREPAID:
        raise InvoiceRefused("Счёт на пополнение выставляется только провайдеру с предоплатой.")
    if not 0 < count <= TOPUP_MAX_ACCESSES:
        raise InvoiceRefused(f"Число доступов — от 1 до {TOPUP_MAX_ACCESSES}.")
    if provider.price_per_access <= 0:
        raise InvoiceRefused(f"У провайдера «{provider.name}» не указана цена доступа.")


def invoice_topup_issue(*, provider: Provider, count: int) -> Invoice:
    """Issue a prepaid provider's invoice for ``count`` accesses at its current price.

    Nothing is granted here: the accesses arrive when the invoice is marked
    paid (``billing.payments.invoice_mark_paid``).
    """
    topup_check(provider=provider, count=count)
    invoice = _invoice_create(provider=provider, kind=Invoice.Kind.TOPUP, accesses=count)
    # Only a period invoice can lose to a twin issued in parallel.
    assert invoice is not None
    logger.info("Issued top-up invoice %s: %d accesses.", invoice.number, count)
    return invoice


def vat_included(amount: Decimal, rate: Decimal | None) -> Decimal:
    """VAT inside a VAT-inclusive amount, in whole kopecks: amount × rate / (100 + rate)."""
    if rate is None:
        return Decimal("0.00")
    return (amount * rate / (100 + rate)).quantize(KOPECK, rounding=ROUND_HALF_UP)


def seller_snapshot(seller: SellerDetails | None) -> dict:
    """The seller's requisites as an issued document keeps them."""
    if seller is None:
        return {}
    return {
        field: getattr(seller, field)
        for field in (
            "name",
            "inn",
            "kpp",
            "ogrn",
            "address",
            "bank_name",
            "bik",
            "account",
            "corr_account",
            "vat_exemption",
            "director_name",
            "accountant_name",
        )
    }


def buyer_snapshot(provider: Provider) -> dict:
    """The buyer's requisites as an issued document keeps them."""
    return {
        "name": provider.legal_name or provider.name,
        "inn": provider.inn,
        "kpp": provider.kpp,
        "ogrn": provider.ogrn,
        "address": provider.legal_address,
        "contract_number": provider.contract_number,
        "contract_date": provider.contract_date.isoformat() if provider.contract_date else "",
    }
