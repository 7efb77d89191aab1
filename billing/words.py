"""Amounts as Russian documents write them: in figures ("1 053,50") and in words.

"Одна тысяча пятьдесят три рубля 50 копеек": roubles in words, kopecks in
two digits, the first letter capital — the form banks and accountants
expect under the total of an invoice or an act.
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

KOPECK = Decimal("0.01")
# A no-break space: "1 053,50" must never wrap between its groups on a page.
GROUP_SEPARATOR = "\u00a0"

RUBLES = ("рубль", "рубля", "рублей")
KOPECKS = ("копейка", "копейки", "копеек")


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The form that goes after ``n``: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n)
    if n % 100 in range(11, 15):
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if n % 10 in (2, 3, 4):
        return forms[1]
    return forms[2]


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
    text = f"{words} {plural(rubles, RUBLES)} {kopecks:02d} {plural(kopecks, KOPECKS)}"
    return text[0].upper() + text[1:]


def amount_in_figures(amount: Decimal) -> str:
    """``Decimal("1053.5")`` -> "1 053,50" (the space a no-break one)."""
    rubles, kopecks = _split(amount)
    return f"{rubles:,}".replace(",", GROUP_SEPARATOR) + f",{kopecks:02d}"


def percent_in_figures(rate: Decimal) -> str:
    """``Decimal("20.00")`` -> "20", ``Decimal("6.50")`` -> "6,5": a rate as printed."""
    text = f"{rate.normalize():f}"
    return text.replace(".", ",")
