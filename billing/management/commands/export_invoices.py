from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.documents import NoActForTopUp
from billing.exports import act_xlsx, invoice_register_xlsx, invoice_xlsx
from billing.models import Invoice
from billing.periods import period_parse
from billing.selectors import invoices_for_period
from common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write the invoice register of a month, one invoice with its annex, "
        "or the act of a period invoice (--number N --act) to .xlsx."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", help="the register of this month, YYYY-MM")
        which.add_argument("--number", help="one invoice, e.g. 2026-0042")
        parser.add_argument(
            "--act", action="store_true", help="with --number: the act of services, not the invoice"
        )
        parser.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")

    def handle(self, *args, **opts) -> None:
        if opts["act"] and not opts["number"]:
            raise CommandError("--act needs --number: an act belongs to one invoice.")
        if opts["number"]:
            invoice = Invoice.objects.select_related("provider").filter(number=opts["number"])
            if (found := invoice.first()) is None:
                raise CommandError(f"No invoice numbered {opts['number']!r}.")
            if opts["act"]:
                try:
                    content = act_xlsx(found)
                except NoActForTopUp:
                    raise CommandError(
                        f"Invoice {found.number} is a top-up (prepayment): acts are made "
                        "for period invoices only."
                    ) from None
                what = f"act of invoice {found.number}"
            else:
                content = invoice_xlsx(found)
                what = f"invoice {found.number}"
        else:
            try:
                period = period_parse(opts["period"])
            except DomainError as exc:
                raise CommandError(exc.message) from None
            invoices = list(invoices_for_period(period))
            content = invoice_register_xlsx(invoices)
            what = f"register of {len(invoices)} invoice(s) for {opts['period']}"
        try:
            opts["out"].write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {opts['out']}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote the {what} to {opts['out']}.")
