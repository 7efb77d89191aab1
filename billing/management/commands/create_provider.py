from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.models import Provider
from billing.services import provider_create
from common.errors import DomainError


def _price(value: str) -> Decimal:
    try:
        price = Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CommandError(f"--price must be a number of roubles, got {value!r}.") from None
    if price < 0:
        raise CommandError("--price must not be negative.")
    return price


class Command(BaseCommand):
    help = "Register a provider. Prints its client key alone on the last line (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--policy", required=True, choices=Provider.PaymentPolicy.values)
        parser.add_argument("--limit", type=int, default=0, help="prepaid accesses granted now")
        parser.add_argument("--overdraft", type=int, default=0)
        parser.add_argument(
            "--tests-policy",
            choices=Provider.TestsPolicy.values,
            default=Provider.TestsPolicy.ONE_TEST,
        )
        parser.add_argument("--price", type=_price, default=Decimal("0.00"), help="RUB per access")
        parser.add_argument("--slug", default=None)

    def handle(self, *args, **opts) -> None:
        if opts["limit"] < 0 or opts["overdraft"] < 0:
            raise CommandError("--limit and --overdraft must not be negative.")
        if opts["slug"] and Provider.objects.filter(slug=opts["slug"]).exists():
            raise CommandError(f"A provider with slug {opts['slug']!r} already exists.")
        try:
            provider, key = provider_create(
                name=opts["name"],
                payment_policy=opts["policy"],
                access_limit=opts["limit"],
                overdraft=opts["overdraft"],
                tests_policy=opts["tests_policy"],
                price_per_access=opts["price"],
                slug=opts["slug"],
                actor="create_provider",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Created provider {provider.slug} ({provider.payment_policy}, "
            f"limit {provider.access_limit}, overdraft {provider.overdraft}). Client key:"
        )
        self.stdout.write(key)
