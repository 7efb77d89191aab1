"""Invoice spreadsheets for accountants, built from the database and the ledger."""

from collections.abc import Iterable

from django.conf import settings

from billing.excel import (
    AnnexRow,
    InvoiceSheet,
    RegisterRow,
    invoice_workbook,
    register_workbook,
    workbook_bytes,
)
from billing.models import Invoice
from billing.periods import moscow_naive, period_label
from billing.selectors import invoice_charges

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Overridable in settings without a code change; the default is the trading name.
DEFAULT_SELLER = "Тестодром"


def invoice_register_xlsx(invoices: Iterable[Invoice]) -> bytes:
    rows = [
        RegisterRow(
            number=invoice.number,
            provider=invoice.provider.name,
            period=invoice.period,
            accesses=invoice.accesses,
            unit_price=invoice.unit_price,
            amount=invoice.amount,
            status=invoice.get_status_display(),
            issued_at=moscow_naive(invoice.issued_at),
        )
        for invoice in invoices
    ]
    return workbook_bytes(register_workbook(rows))


def invoice_xlsx(invoice: Invoice) -> bytes:
    annex = [
        AnnexRow(user_id=reference, registered_at=moscow_naive(created_at))
        for reference, created_at in invoice_charges(invoice).values_list("reference", "created_at")
    ]
    sheet = InvoiceSheet(
        number=invoice.number,
        issued_on=moscow_naive(invoice.issued_at).date(),
        period=invoice.period,
        seller=getattr(settings, "BILLING_SELLER", DEFAULT_SELLER),
        buyer=invoice.provider.name,
        item=f"Доступ к тестированию, {period_label(invoice.period)}",
        accesses=invoice.accesses,
        unit_price=invoice.unit_price,
        amount=invoice.amount,
        annex=annex,
    )
    return workbook_bytes(invoice_workbook(sheet))


def register_filename(label: str) -> str:
    return f"invoices-{label}.xlsx"


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.xlsx"
