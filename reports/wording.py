"""Russian wording of durations on the staff pages."""

from common.formatting import plural_ru

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
