from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.models import Provider
from events.kinds import EVENT_TYPES
from events.services import endpoint_create


class Command(BaseCommand):
    help = (
        "Add a webhook endpoint to a provider. Its signing secret is printed once, "
        "alone on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="provider slug")
        parser.add_argument("--url", required=True, help="https:// address of the receiver")
        parser.add_argument(
            "--events",
            required=True,
            help=f"comma-separated, from: {','.join(EVENT_TYPES)}",
        )
        parser.add_argument("--inactive", action="store_true", help="create it switched off")

    def handle(self, *args, **opts) -> None:
        provider = Provider.objects.filter(slug=opts["slug"]).first()
        if provider is None:
            raise CommandError(f"No provider with the slug {opts['slug']!r}.")
        events = [item.strip() for item in opts["events"].split(",") if item.strip()]
        unknown = [item for item in events if item not in EVENT_TYPES]
        if unknown or not events:
            raise CommandError(
                f"Unknown event type(s): {', '.join(unknown) or '(none given)'}; "
                f"known: {', '.join(EVENT_TYPES)}."
            )
        if not opts["url"].lower().startswith("https://") and not settings.DEBUG:
            raise CommandError("The URL must start with https:// (http:// only with DEBUG on).")
        try:
            endpoint, secret = endpoint_create(
                provider=provider,
                url=opts["url"],
                events=list(dict.fromkeys(events)),
                is_active=not opts["inactive"],
            )
        except ValidationError as exc:
            raise CommandError(f"The endpoint is not valid: {'; '.join(exc.messages)}") from None
        self.stdout.write(
            f"Endpoint {endpoint.pk} of {provider.slug}: {endpoint.url} "
            f"({', '.join(endpoint.events)}){'' if endpoint.is_active else ', inactive'}."
        )
        self.stdout.write("Signing secret (shown once):")
        self.stdout.write(secret)
