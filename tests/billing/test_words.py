from decimal import Decimal

import pytest

from billing.words import amount_in_figures, amount_in_words, percent_in_figures


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1.00", "Один рубль 00 копеек"),
        ("2.00", "Два рубля 00 копеек"),
        ("5.00", "Пять рублей 00 копеек"),
        ("11.00", "Одиннадцать рублей 00 копеек"),
        ("21.00", "Двадцать один рубль 00 копеек"),
        ("1000.00", "Одна тысяча рублей 00 копеек"),
        ("1000000.00", "Один миллион рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("0.02", "Ноль рублей 02 копейки"),
        ("0.11", "Ноль рублей 11 копеек"),
        ("0.21", "Ноль рублей 21 копейка"),
        ("1053.50", "Одна тысяча пятьдесят три рубля 50 копеек"),
        ("2002.22", "Две тысячи два рубля 22 копейки"),
        ("111.00", "Сто одиннадцать рублей 00 копеек"),
        ("101.04", "Сто один рубль 04 копейки"),
        ("14.12", "Четырнадцать рублей 12 копеек"),
        (
            "1234567.89",
            "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек",
        ),
    ],
)
def test_an_amount_is_written_in_words_with_kopecks_in_digits(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_a_sub_kopeck_amount_is_rounded_half_up_before_it_is_written():
    assert amount_in_words(Decimal("0.005")) == "Ноль рублей 01 копейка"


def test_a_float_is_refused_because_only_exact_money_is_printed():
    with pytest.raises(TypeError):
        amount_in_words(1053.5)  # type: ignore[arg-type]


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1.00"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1053.50", "1\u00a0053,50"),
        ("0.01", "0,01"),
        ("1000000", "1\u00a0000\u00a0000,00"),
        ("999.999", "1\u00a0000,00"),
    ],
)
def test_an_amount_in_figures_groups_thousands_and_takes_a_decimal_comma(amount, text):
    assert amount_in_figures(Decimal(amount)) == text


@pytest.mark.parametrize(("rate", "text"), [("20.00", "20"), ("10", "10"), ("6.50", "6,5")])
def test_a_vat_rate_is_printed_without_trailing_zeros(rate, text):
    assert percent_in_figures(Decimal(rate)) == text
