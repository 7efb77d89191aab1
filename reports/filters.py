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
from reports.vocabulary import Vocabulary


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


# The "без группы" choice: partners' labels are short names such as "ИС-21".
NO_GROUP = "__none__"
DEFAULT_SORT = "-registered"
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
# Sort keys in the URL (a leading "-" is descending), and their words for staff.
SORTS = {
    "user_id": "ID пользователя",
    "group": "группа",
    "registered": "дата регистрации",
    "result": "дата последнего результата",
}
SCALE_SORT = "scale:"


@dataclass(frozen=True)
class UserFilter:
    search: str = ""
    test: str = ""
    date_from: date | None = None
    date_to: date | None = None
    group: str = ""  # a label, NO_GROUP, or "" for every group
    leading: str = ""  # a scale code: the latest result of the test (or main test) leads on it
    level: str = ""  # "<scale code>:<level label>" of the latest result of the chosen test
    sort: str = DEFAULT_SORT  # see SORTS; "scale:<code>" sorts by a scale of the chosen test
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def narrows_results(self) -> bool:
        return bool(self.test or self.date_from or self.date_to)

    @property
    def level_parts(self) -> tuple[str, str]:
        scale, _, label = self.level.partition(":")
        return scale, label

    def dates_q(self, prefix: str = "") -> Q:
        # Staff think in Moscow calendar days, whatever the server's zone.
        q = Q()
        if self.date_from:
            start = datetime.combine(self.date_from, time.min, MOSCOW)
            q &= Q(**{f"{prefix}created_at__gte": start})
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, MOSCOW)
            q &= Q(**{f"{prefix}created_at__lt": end})
        return q

    def results_q(self, prefix: str = "") -> Q:
        """Results that match, as seen from ``prefix`` (e.g. ``"results__"``)."""
        q = self.dates_q(prefix)
        if self.test:
            q &= Q(**{f"{prefix}questionnaire__code": self.test})
        return q

    def users(self, users: QuerySet[ProviderUser]) -> QuerySet[ProviderUser]:
        """Search, group and "has a matching result"; leading type, level and the order
        need the catalog and are applied by ``reports.listing``."""
        if self.search:
            # Casefolded on both sides: SQLite's LIKE folds ASCII only (Cyrillic too here).
            users = users.filter(user_id_folded__contains=self.search.casefold())
        if self.group:
            users = users.filter(group="" if self.group == NO_GROUP else self.group)
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
        # Jobs stored before a field existed lack it: its default applies.
        return cls(
            search=data.get("search") or "",
            test=data.get("test") or "",
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
            group=data.get("group") or "",
            leading=data.get("leading") or "",
            level=data.get("level") or "",
            sort=data.get("sort") or DEFAULT_SORT,
            page_size=int(data.get("page_size") or DEFAULT_PAGE_SIZE),
        )

    def describe(
        self, titles: Mapping[str, str] | None = None, scales: Mapping[str, str] | None = None
    ) -> str:
        """The filter in words for staff; ``titles`` (test code -> title) and ``scales``
        (scale code -> title) name tests and scales their way."""
        titles, scales = titles or {}, scales or {}
        parts = []
        if self.search:
            # Labelled: a bare «коваленко» on the page did not say what it was.
            parts.append(f"поиск по ID: «{self.search}»")
        if self.group == NO_GROUP:
            parts.append("без группы")
        elif self.group:
            parts.append(f"группа «{self.group}»")
        if self.test:
            parts.append(f"тест «{titles.get(self.test, self.test)}»")
        if self.date_from:
            parts.append(f"с {self.date_from:%d.%m.%Y}")
        if self.date_to:
            parts.append(f"по {self.date_to:%d.%m.%Y}")
        if self.leading:
            parts.append(f"ведущий тип «{scales.get(self.leading, self.leading)}»")
        if self.level:
            scale, label = self.level_parts
            parts.append(f"уровень «{label}» по шкале «{scales.get(scale, scale)}»")
        text = ", ".join(parts) or "без фильтра, все пользователи"
        if self.sort != DEFAULT_SORT:
            text += f"; сортировка: {self.describe_sort(scales)}"
        return text

    def describe_sort(self, scales: Mapping[str, str] | None = None) -> str:
        key = self.sort.removeprefix("-")
        if key.startswith(SCALE_SORT):
            code = key.removeprefix(SCALE_SORT)
            words = f"шкала «{(scales or {}).get(code, code)}»"
        else:
            words = SORTS.get(key, key)
        return f"{words}, {'по убыванию' if self.sort.startswith('-') else 'по возрастанию'}"

    def as_query(self) -> dict[str, str]:
        """The users page's query string for this filter, without empty or default fields."""
        query = {key: str(value) for key, value in self.as_json().items() if value}
        if self.sort == DEFAULT_SORT:
            del query["sort"]
        if self.page_size == DEFAULT_PAGE_SIZE:
            del query["page_size"]
        return query


DATE_BOUNDS = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


def day_field(label: str) -> forms.DateField:
    """An optional calendar day picked in the browser's date input."""
    # Bounded so that the day after, in Moscow and in UTC, stays a valid date.
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DATE_BOUNDS,
    )


class UserFilterForm(forms.Form):
    search = FilterTextField(label="ID пользователя", required=False, max_length=255)
    group = forms.ChoiceField(label="Группа", required=False)
    test = forms.ChoiceField(label="Тест", required=False)
    date_from = day_field("С")
    date_to = day_field("По")
    leading = forms.ChoiceField(label="Ведущий тип", required=False)
    level = forms.ChoiceField(label="Уровень", required=False)
    sort = forms.ChoiceField(label="Сортировка", required=False)
    page_size = forms.TypedChoiceField(
        label="На странице",
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    def __init__(self, *args, vocabulary: Vocabulary, groups: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # A link without them means the defaults, and the selects must show them so
            # that pressing «Показать» keeps the same view.
            self.data = self.data.copy()
            for name, default in (("sort", DEFAULT_SORT), ("page_size", DEFAULT_PAGE_SIZE)):
                if not self.data.get(self.add_prefix(name)):
                    self.data[self.add_prefix(name)] = str(default)
        titles = sorted(vocabulary.titles.items(), key=lambda kv: kv[1])
        self.fields["test"].choices = [("", "Все тесты"), *titles]
        self.fields["group"].choices = [
            ("", "Все группы"),
            (NO_GROUP, "Без группы"),
            *((g, g) for g in groups if g != NO_GROUP),
        ]
        # Choices follow the chosen test; an unknown one leaves the test-free choices.
        test = str(self.data.get(self.add_prefix("test")) or "")
        test = test if test in vocabulary.titles else ""
        self._test_choices(vocabulary, test)

    def _test_choices(self, vocabulary: Vocabulary, test: str) -> None:
        scales = vocabulary.scales(test) if test else []
        leading = self.fields["leading"]
        leading.choices = [("", "Любой"), *vocabulary.leading_types(test)]
        level = self.fields["level"]
        level.choices = [("", "Любой")] + [
            (title, [(f"{code}:{b}", f"{title}: {b}") for b in vocabulary.bands(test, code)])
            for code, title in scales
        ]
        sort = self.fields["sort"]
        keys = list(SORTS.items())
        keys += [(f"{SCALE_SORT}{code}", f"шкала «{title}»") for code, title in scales]
        sort.choices = [
            choice
            for key, words in keys
            for choice in ((key, f"{words} ↑"), (f"-{key}", f"{words} ↓"))
        ]
        if not test:
            # Without a test there are no scales to choose from: say so, not "not a choice".
            level.error_messages["invalid_choice"] = "Уровень шкалы выбирается вместе с тестом."
            wanted = str(self.data.get(self.add_prefix("sort")) or "").removeprefix("-")
            if wanted.startswith(SCALE_SORT):
                sort.error_messages["invalid_choice"] = (
                    "Сортировка по шкале возможна только при выбранном тесте."
                )

    def user_filter(self) -> UserFilter:
        """The valid part of the filter: a bad field is dropped (and shown), never a 500."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return UserFilter(
            search=(data.get("search") or "").strip(),
            test=data.get("test") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            group=data.get("group") or "",
            leading=data.get("leading") or "",
            level=data.get("level") or "",
            sort=data.get("sort") or DEFAULT_SORT,
            page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
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
