from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import DomainError
from reports.models import StaffMembership
from reports.services import staff_create


class Command(BaseCommand):
    help = (
        "Give a staff account access to a provider's dashboards (creating the account if new). "
        "A new account's generated password is printed once, alone on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--provider", required=True, help="provider slug")
        parser.add_argument("--role", required=True, choices=StaffMembership.Role.values)

    def handle(self, *args, **opts) -> None:
        try:
            user, password = staff_create(
                username=opts["username"], provider_slug=opts["provider"], role=opts["role"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{user.get_username()} is {opts['role']} of {opts['provider']}.")
        if password is None:
            self.stdout.write("The account already existed; its password is unchanged.")
            return
        self.stdout.write("Password (shown once):")
        self.stdout.write(password)
