"""Numbers, money, percentages, plurals and dates written the Russian way.

Thousands are grouped with a non-breaking space (U+00A0), so "1 053,50 ₽"
never breaks across lines, and decimals take a comma. The staff pages use
these through the ``ru`` template tag library; documents may call them
directly.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

NBSP = "\u00a0"
_KOPECK = Decimal("0.01")


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        # Through str: a float's binary expansion would round 2.675 down.
        number = Decimal(str(value).strip().replace(",", ".").replace(NBSP, "").replace(" ", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _grouped(number: Decimal, places: int) -> str:
    """``number`` rounded half up to ``places``, thousands grouped, comma decimals."""
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = f"{int(whole):,}".replace(",", NBSP)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def number_ru(value: object) -> str:
    """A whole number with grouped thousands: 1053 -> "1 053"; "" for a non-number."""
    number = _decimal(value)
    return "" if number is None else _grouped(number, 0)


def money_ru(value: object, currency: str = "₽") -> str:
    """Roubles and kopecks: Decimal("1053.5") -> "1 053,50 ₽"; "" for a non-number."""
    number = _decimal(value)
    if number is None:
        return ""
    text = _grouped(number, 2)
    return f"{text}{NBSP}{currency}" if currency else text


def score_ru(value: object) -> str:
    """A scale score: a whole one as is (7), a mean with two places (3,50)."""
    number = _decimal(value)
    if number is None:
        return ""
    return _grouped(number, 0 if number == number.to_integral_value() else 2)


def decimal_ru(value: object, places: int = 2) -> str:
    """A measured value such as a mean: 3.254 -> "3,25"; "" for a non-number."""
    number = _decimal(value)
    return "" if number is None else _grouped(number, places)


def percent_ru(value: object, places: int = 1) -> str:
    """64.83 -> "64,8 %" (the sign after a non-breaking space, as Russian typesetting asks)."""
    number = _decimal(value)
    return "" if number is None else f"{_grouped(number, places)}{NBSP}%"


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The form for ``n``: 1 минута, 2 минуты, 5 минут, 11 минут, 21 минута."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_ru(n: int, one: str, few: str, many: str) -> str:
    """The number and its noun: "1 результат", "2 результата", "1 000 результатов"."""
    return f"{number_ru(n)} {plural_ru(n, one, few, many)}"


def date_ru(value: date | datetime | None) -> str:
    """27.11.2026; an aware instant is taken in the project's time zone (Moscow)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%d.%m.%Y}"


def datetime_ru(value: datetime | None) -> str:
    """27.11.2026 14:05, in the project's time zone."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%d.%m.%Y %H:%M}"


def validation_messages(error: ValidationError, model: type[models.Model]) -> list[str]:
    """A model's validation errors as lines that each name their field.

    The requisites checks already start with the field ("ИНН: …"); Django's
    own messages ("Обязательное поле.") do not, so a script's operator would
    not know which option to fix without the field's name in front.
    """
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for field, errors in error.message_dict.items():
        label = ""
        if field != "__all__":
            label = str(model._meta.get_field(field).verbose_name).split(",")[0]
        for message in errors:
            if label and not message.lower().startswith(label.lower()):
                message = f"{label[:1].upper()}{label[1:]}: {message}"
            lines.append(message)
    return lines


def fields_lines(instance: models.Model, fields: tuple[str, ...]) -> list[str]:
    """ "Label: value" per field, as a command prints a record; empty values as "—"."""
    lines = []
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        elif isinstance(value, date):
            value = date_ru(value)
        elif isinstance(value, Decimal):
            value = str(value).replace(".", ",")
        label = str(field.verbose_name)
        lines.append(f"{label[:1].upper()}{label[1:]}: {value if value not in (None, '') else '—'}")
    return lines
