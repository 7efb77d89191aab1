from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.errors import DefinitionInvalid
from catalog.services import questionnaire_load_many

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


class Command(BaseCommand):
    help = (
        "Load questionnaire definition files (default: every shipped one). An unchanged "
        "file is skipped, a changed one becomes a new version; one bad file loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    def handle(self, *args, paths: list[Path], **options) -> None:
        paths = paths or sorted(SHIPPED.glob("*.json"))
        if not paths:
            raise CommandError(f"No questionnaire files in {SHIPPED}.")
        try:
            outcomes = questionnaire_load_many(paths)
        except DefinitionInvalid as error:
            raise CommandError(error.message) from None
        for outcome in outcomes:
            self.stdout.write(f"{outcome.status} {outcome.questionnaire}")
