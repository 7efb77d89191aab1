import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.models import Provider
from billing.services import PROVIDER_DETAILS_FIELDS, provider_details_update
from common.formatting import fields_lines, validation_messages

OPTIONS = {
    "legal_name": "legal_name",
    "inn": "inn",
    "kpp": "kpp",
    "ogrn": "ogrn",
    "address": "legal_address",
    "contract_number": "contract_number",
}

# "№ 15 от 01.09.2026", "15/2026-П от 01.09.2026 г.": as contracts are cited in documents.
CONTRACT = re.compile(
    r"^\s*(?:№|N|No\.?)?\s*(?P<number>\S.*?)\s+от\s+(?P<date>\S+?)\s*(?:г\.?)?\s*$", re.IGNORECASE
)


def contract_date(value: str, option: str = "Дата договора") -> date | None:
    """DD.MM.YYYY (as printed) or YYYY-MM-DD; "" clears the date."""
    if not value.strip():
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise CommandError(f"{option}: не дата ДД.ММ.ГГГГ: {value!r}.")


def contract_fields(value: str) -> dict:
    """ "№ 15 от 01.09.2026" -> number "15" and date 2026-09-01; "" clears both."""
    if not value.strip():
        return {"contract_number": "", "contract_date": None}
    match = CONTRACT.match(value)
    if match is None:
        raise CommandError(f"Договор: ожидается «№ 15 от 01.09.2026», получено {value!r}.")
    return {
        "contract_number": match["number"],
        "contract_date": contract_date(match["date"], "Договор: дата"),
    }


class Command(BaseCommand):
    help = (
        "Show or set a provider's buyer details (printed on its invoices and acts). "
        "Without options prints them; with some, changes only those."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="provider slug")
        parser.add_argument("--legal-name", help="full legal name, as in the register")
        parser.add_argument("--inn")
        parser.add_argument("--kpp", help='"" for a sole trader (ИП), who has none')
        parser.add_argument("--ogrn")
        parser.add_argument("--address", help="legal address")
        parser.add_argument("--contract", help='"№ 15 от 01.09.2026"; "" clears it')
        parser.add_argument("--contract-number")
        parser.add_argument("--contract-date", help="DD.MM.YYYY")

    def handle(self, *args, **opts) -> None:
        provider = Provider.objects.filter(slug=opts["slug"]).first()
        if provider is None:
            raise CommandError(f"Нет провайдера с кодом {opts['slug']!r}.")
        fields = {
            field: opts[option] for option, field in OPTIONS.items() if opts[option] is not None
        }
        if opts["contract"] is not None:
            if opts["contract_number"] is not None or opts["contract_date"] is not None:
                raise CommandError(
                    "Договор: укажите либо --contract, либо --contract-number/-date."
                )
            fields.update(contract_fields(opts["contract"]))
        if opts["contract_date"] is not None:
            fields["contract_date"] = contract_date(opts["contract_date"])
        if not fields:
            self._show(provider, "Реквизиты покупателя")
            return
        try:
            provider_details_update(provider, **fields)
        except ValidationError as exc:
            raise CommandError(
                f"Реквизиты покупателя {provider.slug} не сохранены.\n"
                + "\n".join(validation_messages(exc, Provider))
            ) from None
        self._show(provider, "Реквизиты покупателя сохранены")

    def _show(self, provider: Provider, title: str) -> None:
        self.stdout.write(f"{title}: {provider.name} ({provider.slug})")
        for line in fields_lines(provider, PROVIDER_DETAILS_FIELDS):
            self.stdout.write(f"  {line}")
