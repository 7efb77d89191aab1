"""The analytics' choice of test and period, parsed from the query string by a form.

A value the form cannot use (an unknown test, a malformed date, a start after
the end) is a Russian form error on the page, and the analytics fall back to
the default for that field: never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from billing.periods import MOSCOW
from reports.filters import day_field

DEFAULT_DAYS = 30
# The Russian academic year starts on 1 September.
ACADEMIC_YEAR_MONTH = 9


class Period:
    LAST_30_DAYS = "30"
    ACADEMIC_YEAR = "year"
    ALL_TIME = "all"
    CHOICES = [
        (LAST_30_DAYS, "Последние 30 дней"),
        (ACADEMIC_YEAR, "Учебный год"),
        (ALL_TIME, "Всё время"),
    ]


def academic_year_start(today: date) -> date:
    year = today.year if today.month >= ACADEMIC_YEAR_MONTH else today.year - 1
    return date(year, ACADEMIC_YEAR_MONTH, 1)


@dataclass(frozen=True)
class AnalyticsFilter:
    """One test and a range of Moscow calendar days, both ends included; None is open."""

    test: str
    date_from: date | None = None
    date_to: date | None = None

    def created_q(self, field: str) -> Q:
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field}__gte": datetime.combine(self.date_from, time.min, MOSCOW)})
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, MOSCOW)
            q &= Q(**{f"{field}__lt": end})
        return q

    def describe_period(self) -> str:
        if self.date_from and self.date_to:
            return f"с {self.date_from:%d.%m.%Y} по {self.date_to:%d.%m.%Y}"
        if self.date_from:
            return f"с {self.date_from:%d.%m.%Y}"
        if self.date_to:
            return f"по {self.date_to:%d.%m.%Y}"
        return "всё время"


class AnalyticsForm(forms.Form):
    test = forms.ChoiceField(label="Тест", required=False)
    period = forms.ChoiceField(label="Период", required=False, choices=Period.CHOICES)
    # Either end given makes a custom range, which overrides the preset.
    date_from = day_field("С")
    date_to = day_field("По")

    def __init__(self, *args, tests: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["test"].choices = tests

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError("Начало периода позже его конца.", code="range")
        return data

    def analytics_filter(self, default_test: Callable[[], str], today: date) -> AnalyticsFilter:
        """The valid part of the choice; a bad field falls back to its default.

        ``default_test`` is called (it reads the database) only when no test was chosen.
        """
        valid = self.is_valid()
        data = getattr(self, "cleaned_data", {})
        test = data.get("test") or default_test()
        start, end = data.get("date_from"), data.get("date_to")
        if valid and (start or end):
            return AnalyticsFilter(test=test, date_from=start, date_to=end)
        period = data.get("period") or Period.LAST_30_DAYS
        if period == Period.ALL_TIME:
            return AnalyticsFilter(test=test)
        if period == Period.ACADEMIC_YEAR:
            return AnalyticsFilter(test=test, date_from=academic_year_start(today), date_to=today)
        return AnalyticsFilter(
            test=test, date_from=today - timedelta(days=DEFAULT_DAYS - 1), date_to=today
        )
