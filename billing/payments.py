"""Payment marks of invoices: marking paid, cancelling a mistaken mark, and their audit trail.

A mark and its cancellation are each decided by one conditional UPDATE of
the invoice's status (issued -> paid, paid -> issued). The row lock it takes
serialises parallel attempts and PostgreSQL re-checks the WHERE clause
against the committed row, so of any number of simultaneous clicks exactly
one wins; only the winner writes the event and, for a top-up, the ledger row,
in the same transaction.
"""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from billing.errors import PaymentMarkRefused
from billing.models import AccessEntry, Invoice, InvoicePaymentEvent, Provider
from billing.periods import MOSCOW
from billing.services import access_grant, access_ungrant
from common.text import has_control_character

logger = logging.getLogger(__name__)

_DOCUMENT_MAX = InvoicePaymentEvent._meta.get_field("payment_document").max_length
_REASON_MAX = InvoicePaymentEvent._meta.get_field("reason").max_length
_REFERENCE_MAX = AccessEntry._meta.get_field("reference").max_length


def payment_today() -> date:
    """Today as the accountant's calendar says: in Moscow, whatever the server's zone."""
    return timezone.now().astimezone(MOSCOW).date()


def invoice_date(invoice: Invoice) -> date:
    return invoice.issued_at.astimezone(MOSCOW).date()


def payment_mark_check(*, invoice: Invoice, paid_on: date, payment_document: str) -> None:
    """Refuse a mark that cannot be true; messages are in Russian, operators read them."""
    if paid_on > payment_today():
        raise PaymentMarkRefused(f"Дата оплаты {paid_on:%d.%m.%Y} ещё не наступила.")
    issued_on = invoice_date(invoice)
    if paid_on < issued_on:
        raise PaymentMarkRefused(
            f"Дата оплаты {paid_on:%d.%m.%Y} раньше даты счёта № {invoice.number} "
            f"({issued_on:%d.%m.%Y})."
        )
    document = payment_document.strip()
    if not document:
        raise PaymentMarkRefused("Укажите платёжный документ, например «п/п № 123».")
    if len(document) > _DOCUMENT_MAX or has_control_character(document):
        raise PaymentMarkRefused(
            f"Платёжный документ — одна строка не длиннее {_DOCUMENT_MAX} символов."
        )
    if (
        invoice.kind == Invoice.Kind.TOPUP
        and invoice.provider.payment_policy != Provider.PaymentPolicy.PREPAID
    ):
        raise PaymentMarkRefused(
            f"Провайдер «{invoice.provider.name}» больше не на предоплате: доступы по счёту "
            f"№ {invoice.number} добавить нельзя."
        )


def invoice_mark_paid(
    *, invoice: Invoice, paid_on: date, payment_document: str, actor: str
) -> bool:
    """Mark an issued invoice paid on ``paid_on`` by ``payment_document``.

    False if it already was paid (a parallel or repeated mark): nothing is
    written then. A top-up's accesses are granted by the winning mark only.
    """
    document = payment_document.strip()
    payment_mark_check(invoice=invoice, paid_on=paid_on, payment_document=document)
    with transaction.atomic():
        marked = Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.ISSUED).update(
            status=Invoice.Status.PAID,
            paid_at=timezone.now(),
            paid_on=paid_on,
            payment_document=document,
        )
        if marked:
            grant = None
            if invoice.kind == Invoice.Kind.TOPUP:
                grant = access_grant(
                    provider=invoice.provider,
                    count=invoice.accesses,
                    actor=actor,
                    reference=f"Счёт № {invoice.number}, {document}"[:_REFERENCE_MAX],
                )
            InvoicePaymentEvent.objects.create(
                invoice=invoice,
                action=InvoicePaymentEvent.Action.PAID,
                paid_on=paid_on,
                payment_document=document,
                actor=actor,
                ledger_entry=grant,
            )
    invoice.refresh_from_db(fields=["status", "paid_at", "paid_on", "payment_document"])
    if marked:
        logger.info("Invoice %s marked paid by %s.", invoice.number, actor)
    return bool(marked)


def invoice_payment_cancel(*, invoice: Invoice, reason: str, actor: str) -> bool:
    """Cancel a mistaken payment mark: the invoice is issued again; False if it was not paid.

    A top-up's grant is compensated by an ``ungrant`` ledger row, never
    edited. The cancellation is allowed even when the provider has already
    used those accesses, leaving it over its limit (new registrations are then
    refused until a real payment is marked): the mark said money arrived
    that did not, and keeping a false payment in the books to protect the
    counter would be the worse error. The accesses used stay counted in the
    ledger; the confirmation pages show the operator the shortfall first.
    """
    reason = reason.strip()
    if not reason:
        raise PaymentMarkRefused("Укажите причину отмены отметки об оплате.")
    if len(reason) > _REASON_MAX or has_control_character(reason):
        raise PaymentMarkRefused(f"Причина отмены — одна строка не длиннее {_REASON_MAX} символов.")
    with transaction.atomic():
        cancelled = Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.PAID).update(
            status=Invoice.Status.ISSUED, paid_at=None, paid_on=None, payment_document=""
        )
        if cancelled:
            ungrant = None
            grant = _grant_of_current_mark(invoice)
            if grant is not None:
                ungrant = access_ungrant(
                    grant=grant,
                    actor=actor,
                    reference=f"Счёт № {invoice.number}: отметка об оплате отменена"[
                        :_REFERENCE_MAX
                    ],
                )
            InvoicePaymentEvent.objects.create(
                invoice=invoice,
                action=InvoicePaymentEvent.Action.CANCELLED,
                reason=reason,
                actor=actor,
                ledger_entry=ungrant,
            )
    invoice.refresh_from_db(fields=["status", "paid_at", "paid_on", "payment_document"])
    if cancelled:
        logger.info("Payment mark of invoice %s cancelled by %s.", invoice.number, actor)
    return bool(cancelled)


def _grant_of_current_mark(invoice: Invoice) -> AccessEntry | None:
    """The grant made by the mark being cancelled.

    Marks and cancellations alternate under the invoice's row lock, so the
    latest 'paid' event is the mark in force. None for a period invoice, and
    for a paid invoice marked before events were kept (it granted nothing).
    """
    mark = (
        invoice.payment_events.filter(action=InvoicePaymentEvent.Action.PAID)
        .select_related("ledger_entry")
        .order_by("-id")
        .first()
    )
    return mark.ledger_entry if mark else None


def topup_cancel_shortfall(invoice: Invoice) -> int:
    """How many accesses the provider would be over its limit if this mark were cancelled."""
    if invoice.status != Invoice.Status.PAID:
        return 0
    grant = _grant_of_current_mark(invoice)
    if grant is None:
        return 0
    provider = Provider.objects.only("access_limit", "overdraft", "issued_count").get(
        pk=invoice.provider_id
    )
    left = provider.access_limit - grant.quantity + provider.overdraft - provider.issued_count
    return max(0, -left)
