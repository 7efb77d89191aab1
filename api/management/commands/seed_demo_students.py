from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.demo import DEMO_GROUPS, demo_students_seed
from billing.selectors import provider_get_by_client_key
from common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Register the demo provider's students in groups, with results "
        "(development only; run seed_demo and load_questionnaires first; re-runnable)."
    )

    def handle(self, *args, **opts) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo_students uses the known demo key and runs only with DEBUG on."
            )
        try:
            seeded = demo_students_seed(provider_get_by_client_key(settings.DEMO_CLIENT_KEY))
        except DomainError as exc:
            raise CommandError(f"{exc.message} Run seed_demo first.") from None
        self.stdout.write(
            f"Demo students: {seeded.students} in groups {', '.join(DEMO_GROUPS)} and none; "
            f"{seeded.created} new, {seeded.results} new results, "
            f"{seeded.open_links} unused links."
        )
