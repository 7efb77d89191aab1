"""Template filters for the Russian way of writing numbers: ``{% load ru %}``.

- ``amount|money``: 1 053,50 ₽
- ``count|number``: 12 480
- ``raw|score``: 7, 3,50 (a scale score)
- ``mean|decimal``, ``mean|decimal:1``: 3,25, 3,3
- ``share|percent``, ``share|percent:0``: 64,8 %, 65 %
- ``n|plural:"результат,результата,результатов"``: 21 результат
- ``n|plural_form:"…"``: the noun alone, for a number shown apart
- ``day|ru_date``: 27.11.2026; ``moment|ru_datetime``: 27.11.2026 14:05
"""

from django import template

from common import formatting

register = template.Library()


def _forms(forms: str) -> tuple[str, str, str]:
    one, few, many = (form.strip() for form in forms.split(","))
    return one, few, many


def _int(value: object) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter(is_safe=True)
def money(value: object) -> str:
    return formatting.money_ru(value)


@register.filter(is_safe=True)
def number(value: object) -> str:
    return formatting.number_ru(value)


@register.filter(is_safe=True)
def score(value: object) -> str:
    return formatting.score_ru(value)


@register.filter(is_safe=True)
def decimal(value: object, places: int = 2) -> str:
    return formatting.decimal_ru(value, int(places))


@register.filter(is_safe=True)
def percent(value: object, places: int = 1) -> str:
    return formatting.percent_ru(value, int(places))


@register.filter
def plural(value: object, forms: str) -> str:
    n = _int(value)
    return "" if n is None else formatting.count_ru(n, *_forms(forms))


@register.filter
def plural_form(value: object, forms: str) -> str:
    n = _int(value)
    return "" if n is None else formatting.plural_ru(n, *_forms(forms))


@register.filter(is_safe=True)
def ru_date(value) -> str:
    return formatting.date_ru(value) if value else ""


@register.filter(is_safe=True)
def ru_datetime(value) -> str:
    return formatting.datetime_ru(value) if value else ""
