"""Billing months are calendar months in Moscow time, whatever the server's zone."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from common.errors import InvalidInput

MOSCOW = ZoneInfo("Europe/Moscow")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def period_parse(value: str) -> date:
    """``2026-03`` -> date(2026, 3, 1); InvalidInput for anything else."""
    match = _PERIOD.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise InvalidInput(f"The period must look like YYYY-MM (e.g. 2026-03), got {value!r}.")
    return date(int(match.group(1)), int(match.group(2)), 1)


def period_next(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def period_previous(period: date) -> date:
    return date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)


def period_bounds(period: date) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware instants: midnight of the 1st, Moscow time."""
    start = datetime(period.year, period.month, 1, tzinfo=MOSCOW)
    following = period_next(period)
    return start, datetime(following.year, following.month, 1, tzinfo=MOSCOW)


def period_current(now: datetime | None = None) -> date:
    local = (now or timezone.now()).astimezone(MOSCOW)
    return date(local.year, local.month, 1)


def moscow_naive(value: datetime) -> datetime:
    """An aware instant as naive Moscow wall-clock time, the way a spreadsheet shows it."""
    return value.astimezone(MOSCOW).replace(tzinfo=None)


def period_label(period: date) -> str:
    return f"{_MONTHS[period.month - 1]} {period.year}"


# fmt: off
_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
# fmt: on
