from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from billing.models import Provider
from reports.models import StaffMembership
from reports.services import staff_create

DEMO_PROVIDER = "demo"
DEMO_USERNAME = "demo-staff"
# Known only so that a developer can log in after `make run`; DEBUG only.
DEMO_PASSWORD = "demo-staff-password"


class Command(BaseCommand):
    help = "Create the demo staff account (viewer of the demo provider); re-runnable."

    def handle(self, *args, **opts) -> None:
        if not Provider.objects.filter(slug=DEMO_PROVIDER).exists():
            raise CommandError("Run seed_demo first: the demo provider does not exist.")
        user, password = staff_create(
            username=DEMO_USERNAME,
            provider_slug=DEMO_PROVIDER,
            role=StaffMembership.Role.VIEWER,
            password=DEMO_PASSWORD if settings.DEBUG else None,
        )
        if settings.DEBUG and password is None:
            # Re-runs put the known password back, so the printed one always works.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            password = DEMO_PASSWORD
        self.stdout.write(f"Demo staff login: {DEMO_USERNAME}")
        if password is None:
            self.stdout.write("The account already exists; its password is unchanged.")
        else:
            self.stdout.write(f"Password: {password}")
