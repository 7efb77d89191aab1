from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.invoices import invoice_issue_for_period
from billing.models import Provider
from billing.periods import period_parse
from common.errors import DomainError


class Command(BaseCommand):
    help = "Issue the postpaid invoices of a month (safe to re-run: existing ones are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument("--provider", default=None, help="only this provider (slug)")

    def handle(self, *args, **opts) -> None:
        provider = None
        if opts["provider"]:
            provider = Provider.objects.filter(slug=opts["provider"]).first()
            if provider is None:
                raise CommandError(f"No provider with slug {opts['provider']!r}.")
        try:
            invoices = invoice_issue_for_period(
                period=period_parse(opts["period"]), provider=provider
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for invoice in invoices:
            self.stdout.write(
                f"{invoice.number} {invoice.provider.slug}: "
                f"{invoice.accesses} x {invoice.unit_price} = {invoice.amount}"
            )
        self.stdout.write(f"Issued {len(invoices)} invoice(s) for {opts['period']}.")
