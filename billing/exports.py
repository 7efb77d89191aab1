"""Invoice and act workbooks for accountants, built from what the invoices froze at issue."""

from collections.abc import Iterable

from billing.documents import act_document, invoice_document
from billing.excel import (
    RegisterRow,
    act_workbook,
    invoice_workbook,
    register_workbook,
    workbook_bytes,
)
from billing.models import Invoice
from billing.periods import moscow_naive

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The register's "Вид" column: short words, the model's labels explain the policy too.
KIND_SHORT = {Invoice.Kind.PERIOD: "За период", Invoice.Kind.TOPUP: "Пополнение"}


def invoice_register_xlsx(invoices: Iterable[Invoice]) -> bytes:
    rows = [
        RegisterRow(
            number=invoice.number,
            kind=KIND_SHORT[invoice.kind],
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
    return workbook_bytes(invoice_workbook(invoice_document(invoice)))


def act_xlsx(invoice: Invoice) -> bytes:
    """The act of a period invoice; ``NoActForTopUp`` for a top-up."""
    return workbook_bytes(act_workbook(act_document(invoice)))


def register_filename(label: str) -> str:
    return f"invoices-{label}.xlsx"


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.xlsx"


def act_filename(invoice: Invoice) -> str:
    return f"act-{invoice.number}.xlsx"
