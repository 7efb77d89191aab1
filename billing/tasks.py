"""django-q2 tasks of the billing app: thin, idempotent wrappers around services."""

from billing.invoices import invoice_issue_for_period
from billing.periods import period_current, period_previous
from billing.reconciliation import ledger_reconcile


def invoices_issue_monthly() -> list[str]:
    """Invoice last month (Moscow time); re-running the same month issues nothing new."""
    invoices = invoice_issue_for_period(period=period_previous(period_current()))
    return [invoice.number for invoice in invoices]


def ledger_reconcile_nightly() -> int:
    return len(ledger_reconcile())
