from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.invoices import invoice_topup_issue
from billing.models import Provider
from common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue a prepaid provider's top-up invoice for N accesses at its price; the accesses "
        "are granted when the invoice is marked paid. Prints the invoice number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="provider slug")
        parser.add_argument("--count", required=True, type=int, help="accesses to invoice")

    def handle(self, *args, **opts) -> None:
        provider = Provider.objects.filter(slug=opts["slug"]).first()
        if provider is None:
            raise CommandError(f"No provider with slug {opts['slug']!r}.")
        try:
            invoice = invoice_topup_issue(provider=provider, count=opts["count"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Top-up invoice for {provider.slug}: "
            f"{invoice.accesses} x {invoice.unit_price} = {invoice.amount}; "
            "accesses are granted when it is marked paid."
        )
        # Alone on the last line, so a script can take it.
        self.stdout.write(invoice.number)
