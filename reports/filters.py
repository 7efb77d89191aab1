"""Staff filters: parsed once from the query string by a form, applied by selectors.

Every text a staff filter accepts is a ``FilterTextField``: a control
character in it is a form error shown on the page, never a query that
PostgreSQL refuses with a 500.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q, QuerySet

from api.models import ProviderUser, Result
from billing.periods import MOSCOW, period_parse
from common.errors import InvalidInput
from common.text import has_control_character


class FilterTextField(forms.CharField):
    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        # Checked before the field's validators, so a NUL gets this one message
        # rather than Django's own as well.
        if has_control_character(text):
            raise ValidationError(
                "Значение содержит управляющие символы.", code="control_character"
            )
        return text


@dataclass(frozen=True)
class UserFilter:
    search: str = ""
    test: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def narrows_results(self) -> bool:
        return bool(self.test or self.date_from or self.date_to)

    def results_q(self, prefix: str = "") -> Q:
        """Results that match, as seen from ``prefix`` (e.g. ``"results__"``)."""
        q = Q()
        if self.test:
            q &= Q(**{f"{prefix}questionnaire__code": self.test})
        # Staff think in Moscow calendar days, whatever the server's zone.
        if self.date_from:
            start = datetime.combine(self.date_from, time.min, MOSCOW)
            q &= Q(**{f"{prefix}created_at__gte": start})
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, MOSCOW)
            q &= Q(**{f"{prefix}created_at__lt": end})
        return q

    def users(self, users: QuerySet[ProviderUser]) -> QuerySet[ProviderUser]:
        if self.search:
            users = users.filter(user_id__icontains=self.search)
        if self.narrows_results:
            matching = Result.objects.filter(self.results_q(), user=OuterRef("pk"))
            users = users.filter(Exists(matching))
        return users

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "UserFilter":
        return cls(
            search=data.get("search") or "",
            test=data.get("test") or "",
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
        )

    def describe(self, titles: Mapping[str, str] | None = None) -> str:
        """The filter in words for staff; ``titles`` (code -> title) names tests their way."""
        parts = []
        if self.search:
            # Labelled: a bare «коваленко» on the page did not say what it was.
            parts.append(f"поиск по ID: «{self.search}»")
        if self.test:
            parts.append(f"тест «{(titles or {}).get(self.test, self.test)}»")
        if self.date_from:
            parts.append(f"с {self.date_from:%d.%m.%Y}")
        if self.date_to:
            parts.append(f"по {self.date_to:%d.%m.%Y}")
        return ", ".join(parts) or "без фильтра, все пользователи"

    def as_query(self) -> dict[str, str]:
        """The users page's query string for this filter, without empty fields."""
        return {key: value for key, value in self.as_json().items() if value}


DATE_BOUNDS = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


class UserFilterForm(forms.Form):
    search = FilterTextField(label="ID пользователя", required=False, max_length=255)
    test = forms.ChoiceField(label="Тест", required=False)
    # Bounded so that the day after, in Moscow and in UTC, stays a valid date.
    date_from = forms.DateField(
        label="С",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DATE_BOUNDS,
    )
    date_to = forms.DateField(
        label="По",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DATE_BOUNDS,
    )

    def __init__(self, *args, tests: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["test"].choices = [("", "Все тесты"), *tests]

    def user_filter(self) -> UserFilter:
        """The valid part of the filter: a bad field is dropped (and shown), never a 500."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return UserFilter(
            search=(data.get("search") or "").strip(),
            test=data.get("test") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class InvoiceFilterForm(forms.Form):
    period = FilterTextField(label="Период", required=False, max_length=20)
    # A slug, checked against the user's scope by the view: out of scope is a 404.
    provider = FilterTextField(label="Организация", required=False, max_length=100)

    def clean_period(self) -> date | None:
        value = self.cleaned_data["period"]
        if not value:
            return None
        try:
            return period_parse(value)
        except InvalidInput:
            raise ValidationError("Укажите месяц в виде ГГГГ-ММ.", code="period") from None


def filter_errors_text(form: forms.Form) -> str:
    """The form's errors in one line, for answers that have no page to show them on."""
    labels = {name: field.label for name, field in form.fields.items()}
    return " ".join(
        f"{labels.get(name, 'Фильтр')}: {' '.join(errors)}" for name, errors in form.errors.items()
    )
