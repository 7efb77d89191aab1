from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from billing import keys
from billing.models import Provider
from billing.services import provider_create

DEMO_SLUG = "demo"


class Command(BaseCommand):
    help = "Create the demo provider with the known demo key (development only; re-runnable)."

    def handle(self, *args, **opts) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates a known key and runs only with DEBUG on.")
        key = settings.DEMO_CLIENT_KEY
        provider = Provider.objects.filter(slug=DEMO_SLUG).first()
        if provider is None:
            provider, _ = provider_create(
                name="Демо-колледж",
                slug=DEMO_SLUG,
                payment_policy=Provider.PaymentPolicy.PREPAID,
                access_limit=100,
                overdraft=5,
                tests_policy=Provider.TestsPolicy.TEST_PLUS_BONUS,
                price_per_access=Decimal("150.00"),
                client_key=key,
                actor="seed_demo",
            )
        elif provider.client_key_hash != keys.client_key_hash(key):
            self.stdout.write("The demo provider's key was rotated; the demo key no longer works.")
        self.stdout.write(
            f"Demo provider {provider.slug}: {provider.issued_count} of "
            f"{provider.access_limit} accesses issued. Client key:"
        )
        self.stdout.write(key)
