"""Russian wording of numbers and durations on the staff pages."""


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The form for ``n``: 1 минута, 2 минуты, 5 минут, 11 минут, 21 минута."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


# Accusative forms, as in "3 минуты назад" and "в очереди 1 минуту".
_UNITS = (
    (86_400, ("день", "дня", "дней")),
    (3_600, ("час", "часа", "часов")),
    (60, ("минуту", "минуты", "минут")),
    (1, ("секунду", "секунды", "секунд")),
)


def duration_ru(seconds: float) -> str:
    """The largest whole unit: "5 секунд", "1 минуту", "3 часа", "2 дня"."""
    seconds = max(0, int(seconds))
    size, forms = next((unit for unit in _UNITS if seconds >= unit[0]), _UNITS[-1])
    n = seconds // size
    return f"{n} {plural_ru(n, *forms)}"


def ago_ru(seconds: float) -> str:
    """ "только что" under 5 seconds, else "3 минуты назад"."""
    return "только что" if seconds < 5 else f"{duration_ru(seconds)} назад"
