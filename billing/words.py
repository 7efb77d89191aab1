"""Amounts as Russian documents write them: in figures ("1 053,50") and in words.

"Одна тысяча пятьдесят три рубля 50 копеек": roubles in words, kopecks in
two digits, the first letter capital — the form banks and accountants
expect under the total of an invoice or an act.
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

from common.formatting import money_ru, plural_ru

KOPECK = Decimal("0.01")
RUBLES = ("рубль", "рубля", "рублей")
KOPECKS = ("копейка", "копейки", "копеек")


def _split(amount: Decimal) -> tuple[int, int]:
    if not isinstance(amount, Decimal):
        raise TypeError(f"An exact Decimal amount is expected, got {amount!r}.")
    if amount < 0:
        raise ValueError(f"Documents print no negative amounts, got {amount}.")
    kopecks = int(amount.quantize(KOPECK, rounding=ROUND_HALF_UP) * 100)
    return divmod(kopecks, 100)


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("1053.50")`` -> "Одна тысяча пятьдесят три рубля 50 копеек"."""
    rubles, kopecks = _split(amount)
    # num2words writes "одна тысяча", "две тысячи" (feminine) and the masculine units
    # a рубль takes ("один рубль", "два рубля"), so its words need no correction.
    words = num2words(rubles, lang="ru")
    text = f"{words} {plural_ru(rubles, *RUBLES)} {kopecks:02d} {plural_ru(kopecks, *KOPECKS)}"
    return text[0].upper() + text[1:]


def amount_in_figures(amount: Decimal) -> str:
    """``Decimal("1053.5")`` -> "1 053,50": a no-break space never wraps it on a page."""
    _split(amount)  # the same refusals as in words: a float or a negative amount
    return money_ru(amount, currency="")


def percent_in_figures(rate: Decimal) -> str:
    """``Decimal("20.00")`` -> "20", ``Decimal("6.50")`` -> "6,5": a rate as printed."""
    text = f"{rate.normalize():f}"
    return text.replace(".", ",")
