from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.models import Provider
from billing.services import access_grant
from common.errors import DomainError


class Command(BaseCommand):
    help = "Add bought accesses to a prepaid provider's limit (a grant in the ledger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="provider slug")
        parser.add_argument("--count", required=True, type=int)
        parser.add_argument("--reference", default="", help="e.g. the payment document")

    def handle(self, *args, **opts) -> None:
        try:
            provider = Provider.objects.get(slug=opts["provider"])
        except Provider.DoesNotExist:
            raise CommandError(f"No provider with slug {opts['provider']!r}.") from None
        try:
            access_grant(
                provider=provider,
                count=opts["count"],
                actor="grant_accesses",
                reference=opts["reference"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        provider.refresh_from_db()
        self.stdout.write(
            f"Granted {opts['count']} accesses to {provider.slug}: "
            f"limit {provider.access_limit}, issued {provider.issued_count}, "
            f"remaining {provider.remaining}."
        )
