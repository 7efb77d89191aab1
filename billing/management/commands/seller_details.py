from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.models import SellerDetails
from billing.selectors import seller_details_get
from billing.services import SELLER_DETAILS_FIELDS, seller_details_update
from common.formatting import date_ru, fields_lines, validation_messages

# Option -> model field; the VAT option is parsed apart into two fields.
OPTIONS = {
    "name": "name",
    "inn": "inn",
    "kpp": "kpp",
    "ogrn": "ogrn",
    "address": "address",
    "bank": "bank_name",
    "bik": "bik",
    "account": "account",
    "corr_account": "corr_account",
    "director": "director_name",
    "accountant": "accountant_name",
    "vat_exemption": "vat_exemption",
}


def vat_fields(value: str) -> dict:
    """ "none" is "Без НДС"; a number is the rate in per cent that prices include."""
    if value.strip().lower() in {"none", "без ндс"}:
        return {"vat_mode": SellerDetails.VatMode.NONE, "vat_rate": None}
    try:
        rate = Decimal(value.strip().rstrip("%").strip().replace(",", ".")).quantize(
            Decimal("0.01")
        )
    except InvalidOperation:
        raise CommandError(
            f"НДС: укажите none (без НДС) или ставку в процентах, например 20; получено {value!r}."
        ) from None
    if not 0 < rate < 100:
        raise CommandError("НДС: ставка должна быть больше 0 и меньше 100; без НДС — none.")
    return {"vat_mode": SellerDetails.VatMode.RATE, "vat_rate": rate}


class Command(BaseCommand):
    help = (
        "Show or set the seller's requisites (the one record invoices and acts print). "
        "Without options prints them; with some, changes only those."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="full legal name")
        parser.add_argument("--inn")
        parser.add_argument("--kpp", help='"" for a sole trader (ИП), who has none')
        parser.add_argument("--ogrn")
        parser.add_argument("--address", help="legal address")
        parser.add_argument("--bank", help="bank name")
        parser.add_argument("--bik")
        parser.add_argument("--account", help="settlement account (20 digits)")
        parser.add_argument("--corr-account", help="the bank's correspondent account")
        parser.add_argument("--vat", help='"none" (Без НДС) or the rate prices include, e.g. 20')
        parser.add_argument("--vat-exemption", help="legal ground printed with «Без НДС»")
        parser.add_argument("--director", help="Фамилия И. О.")
        parser.add_argument("--accountant", help='Фамилия И. О.; "" — the director signs')

    def handle(self, *args, **opts) -> None:
        fields = {
            field: opts[option] for option, field in OPTIONS.items() if opts[option] is not None
        }
        if opts["vat"] is not None:
            fields.update(vat_fields(opts["vat"]))
        if not fields:
            self._show(seller_details_get(), "Реквизиты продавца")
            return
        try:
            seller = seller_details_update(**fields)
        except ValidationError as exc:
            raise CommandError(
                "Реквизиты продавца не сохранены.\n"
                + "\n".join(validation_messages(exc, SellerDetails))
            ) from None
        self._show(seller, "Реквизиты продавца сохранены")

    def _show(self, seller: SellerDetails | None, title: str) -> None:
        if seller is None:
            self.stdout.write(
                "Реквизиты продавца не заданы. Задайте их в админке («Реквизиты продавца») "
                "или этой командой со всеми обязательными параметрами."
            )
            return
        self.stdout.write(f"{title} (изменены {date_ru(seller.updated_at)}):")
        for line in fields_lines(seller, SELLER_DETAILS_FIELDS):
            self.stdout.write(f"  {line}")
