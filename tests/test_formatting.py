from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from common.formatting import (
    count_ru,
    date_ru,
    datetime_ru,
    money_ru,
    number_ru,
    percent_ru,
    plural_ru,
)

NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return Template("{% load ru %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1053.50"), "1 053,50 ₽"),
        (Decimal("0"), "0,00 ₽"),
        (Decimal("99.9"), "99,90 ₽"),
        (Decimal("1234567.89"), "1 234 567,89 ₽"),
        (Decimal("-1500"), "-1 500,00 ₽"),
        (Decimal("0.005"), "0,01 ₽"),  # half a kopeck rounds up, as in documents
        (2.675, "2,68 ₽"),  # a float is read by its shortest decimal, not its binary value
        (1000, "1 000,00 ₽"),
    ],
)
def test_money_is_roubles_with_non_breaking_thousands_and_comma_kopecks(amount, shown):
    assert money_ru(amount) == shown.replace(" ", NBSP)


def test_the_money_filter_groups_with_a_non_breaking_space_not_a_plain_one():
    shown = render("{{ amount|money }}", amount=Decimal("1053.50"))

    assert shown == "1\u00a0053,50\u00a0₽"
    assert " " not in shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1000, "1 000"), (12480, "12 480"), (1_000_000, "1 000 000")],
)
def test_a_number_groups_its_thousands_with_non_breaking_spaces(value, shown):
    assert number_ru(value) == shown.replace(" ", NBSP)
    assert render("{{ value|number }}", value=value) == shown.replace(" ", NBSP)


def test_percentages_take_a_comma_and_a_spaced_sign():
    assert percent_ru(64.83) == f"64,8{NBSP}%"
    assert percent_ru(64.85) == f"64,9{NBSP}%"
    assert percent_ru(100) == f"100,0{NBSP}%"
    assert render("{{ share|percent:0 }}", share=9.5) == f"10{NBSP}%"


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "результатов"),
        (1, "результат"),
        (2, "результата"),
        (4, "результата"),
        (5, "результатов"),
        (11, "результатов"),
        (12, "результатов"),
        (14, "результатов"),
        (21, "результат"),
        (22, "результата"),
        (25, "результатов"),
        (101, "результат"),
        (111, "результатов"),
        (112, "результатов"),
        (1004, "результата"),
    ],
)
def test_the_noun_takes_the_russian_form_for_its_number(n, word):
    assert plural_ru(n, "результат", "результата", "результатов") == word


def test_the_plural_filter_writes_the_number_and_its_noun():
    forms = "пользователь,пользователя,пользователей"
    shown = [render(f'{{{{ n|plural:"{forms}" }}}}', n=n) for n in (1, 2, 5, 21, 1000)]

    assert shown == [
        "1 пользователь",
        "2 пользователя",
        "5 пользователей",
        "21 пользователь",
        f"1{NBSP}000 пользователей",
    ]
    assert render('{{ n|plural_form:"день, дня, дней" }}', n=3) == "дня"


def test_count_ru_reads_a_negative_count_by_its_size():
    assert count_ru(-1, "доступ", "доступа", "доступов") == "-1 доступ"


def test_dates_are_day_month_year_with_dots_in_moscow_time():
    # 21:30 UTC on the 27th is already the 28th in Moscow.
    late = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)

    assert date_ru(date(2026, 11, 27)) == "27.11.2026"
    assert date_ru(late) == "28.11.2026"
    assert datetime_ru(late) == "28.11.2026 00:30"
    assert render("{{ day|ru_date }}", day=date(2026, 1, 5)) == "05.01.2026"


def test_the_filters_leave_nothing_for_an_empty_value():
    template = "[{{ a|money }}][{{ a|number }}][{{ a|ru_date }}][{{ b|money }}]"

    assert render(template, a=None, b="x") == "[][][][]"
