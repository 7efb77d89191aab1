"""Reads behind the staff pages. Every function takes a provider already checked by
``reports.access``; the query count of each is fixed, whatever the data size."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from api.models import ProviderUser, Result
from billing.models import Provider
from billing.periods import MOSCOW, period_bounds, period_current
from catalog.models import Questionnaire
from catalog.selectors import (
    questionnaire_definition,
    questionnaire_definitions,
    questionnaires_current,
)
from events.thresholds import access_state
from reports.files import exports_storage
from reports.filters import UserFilter
from reports.listing import users_listed
from reports.models import ExportJob
from reports.vocabulary import Version, Vocabulary
from reports.wording import ago_ru

CHART_DAYS = 30


@dataclass(frozen=True)
class Dashboard:
    provider: Provider
    users: int
    results: int
    results_this_month: int
    days: list[date]
    registrations_per_day: list[int]
    results_per_day: list[int]
    results_per_test: list[tuple[str, int]]

    @property
    def usage_percent(self) -> float | None:
        if not self.provider.is_prepaid:
            return None
        capacity = self.provider.access_limit + self.provider.overdraft
        return min(100.0, 100 * self.provider.issued_count / capacity) if capacity else 100.0

    @property
    def access_alert(self) -> str | None:
        """``"exhausted"`` once limit and overdraft are used up, ``"low"`` at the threshold.

        The threshold is the one the alert e-mails and webhooks use (the
        provider's own, or a fifth of its capacity), so page and e-mail agree.
        Staff must hear of it before students start being refused at registration.
        """
        provider = self.provider
        if provider.remaining is None:
            return None
        return access_state(
            provider.remaining,
            provider.access_limit + provider.overdraft,
            provider.access_alert_threshold,
        )

    @property
    def usage_percent_shown(self) -> int | None:
        """Whole percent for the warning; never «100 %» while an access is still left."""
        percent = self.usage_percent
        if percent is None:
            return None
        return min(round(percent), 99) if self.provider.remaining else round(percent)


def tests_titles() -> dict[str, str]:
    """Code -> title of the current version of every published questionnaire."""
    return {q.code: q.title for q in questionnaires_current()}


def scale_titles(questionnaire: Questionnaire) -> dict[str, str]:
    return {scale.code: scale.title for scale in questionnaire_definition(questionnaire).scales}


def provider_dashboard(provider: Provider, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate(timezone=MOSCOW)
    days = [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    since = datetime.combine(days[0], time.min, MOSCOW)
    month_start, month_end = period_bounds(period_current())
    results = Result.objects.filter(user__provider=provider)
    totals = results.aggregate(
        all=Count("id"),
        month=Count("id", filter=Q(created_at__gte=month_start, created_at__lt=month_end)),
    )
    registrations = _per_day(
        ProviderUser.objects.filter(provider=provider, registered_at__gte=since), "registered_at"
    )
    per_day = _per_day(results.filter(created_at__gte=since), "created_at")
    titles = tests_titles()
    per_test = (
        results.values("questionnaire__code")
        .annotate(n=Count("id"))
        .order_by("-n", "questionnaire__code")
    )
    return Dashboard(
        provider=provider,
        # Erased users stay as tombstones for accounting; they are no longer students.
        users=ProviderUser.objects.filter(provider=provider, erased_at__isnull=True).count(),
        results=totals["all"],
        results_this_month=totals["month"],
        days=days,
        registrations_per_day=[registrations.get(day, 0) for day in days],
        results_per_day=[per_day.get(day, 0) for day in days],
        results_per_test=[
            (titles.get(row["questionnaire__code"], row["questionnaire__code"]), row["n"])
            for row in per_test
        ],
    )


def _per_day(rows: QuerySet, field: str) -> dict[date, int]:
    grouped = (
        rows.annotate(day=TruncDate(field, tzinfo=MOSCOW))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["day"]: row["n"] for row in grouped}


def vocabulary() -> Vocabulary:
    """Every stored version of every test, newest first, in one query (plus one for
    definitions this process has not parsed yet)."""
    rows = list(Questionnaire.objects.defer("definition").order_by("code", "-version"))
    definitions = questionnaire_definitions(rows)
    return Vocabulary(
        versions=[
            Version(
                pk=q.pk,
                code=q.code,
                kind=q.kind,
                title=q.title,
                published=q.is_published,
                definition=definitions[q.pk],
            )
            for q in rows
        ]
    )


def provider_groups(provider: Provider) -> list[str]:
    """The provider's group labels, for the filter's choices."""
    groups = ProviderUser.objects.filter(provider=provider).exclude(group="")
    return list(groups.order_by("group").values_list("group", flat=True).distinct())


def users_page(
    provider: Provider, user_filter: UserFilter, vocabulary: Vocabulary, page: int | str = 1
) -> Page:
    """Users in the filter's order, each with its matching results: three queries for
    any page size and any number of students."""
    results = (
        Result.objects.filter(user_filter.results_q())
        .select_related("questionnaire")
        .only(
            "result_key",
            "created_at",
            "outcome",
            "scales",
            "user_id",
            "questionnaire__code",
            "questionnaire__title",
            "questionnaire__kind",
        )
        .order_by("created_at", "pk")
    )
    users = users_listed(provider, user_filter, vocabulary).prefetch_related(
        Prefetch("results", queryset=results, to_attr="shown_results")
    )
    return Paginator(users, user_filter.page_size).get_page(page)


def user_leading(user: ProviderUser) -> list[str]:
    """The leading type(s) of the user's latest main-test result in the date range,
    whichever test the list is filtered by (annotated by ``users_listed``)."""
    return list(user.main_titles or [])


def user_scores(user: ProviderUser, scales: list[tuple[str, str]]) -> list[tuple[str, dict | None]]:
    """Per (code, title) of a scale, its title and the score in the user's latest shown
    result (the one the list sorts by when a test is chosen), or None without one."""
    latest = user.shown_results[-1].scales if user.shown_results else []
    by_code = {score["code"]: score for score in latest}
    return [(title, by_code.get(code)) for code, title in scales]


def result_for_provider(provider: Provider, result_key: UUID) -> Result:
    result = (
        Result.objects.select_related("user", "questionnaire")
        .defer("questionnaire__definition")
        .filter(result_key=result_key, user__provider=provider)
        .first()
    )
    if result is None:
        raise Http404("Результат не найден.")
    return result


@dataclass(frozen=True)
class ExportJobState:
    """What the job page says besides the job's own fields."""

    ready: bool  # done, and its file is in the exports storage
    # Unfinished, and nothing moved for longer than a live worker ever takes
    # between heartbeats: its worker seems gone, so the page stops refreshing.
    stalled: bool
    refreshes: bool
    moved_ago: str  # "3 минуты назад": when the job was queued or its progress last moved


def export_job_state(job: ExportJob, now: datetime | None = None) -> ExportJobState:
    idle = ((now or timezone.now()) - job.heartbeat_at).total_seconds()
    stalled = not job.is_finished and idle > settings.EXPORT_STALE_SECONDS
    ready = (
        job.status == ExportJob.Status.DONE
        and bool(job.file_name)
        and exports_storage().exists(job.file_name)
    )
    return ExportJobState(
        ready=ready,
        stalled=stalled,
        refreshes=not job.is_finished and not stalled,
        moved_ago=ago_ru(idle),
    )


def export_job_file(job: ExportJob) -> File | None:
    """The job's workbook opened from the exports storage; None if unfinished or purged."""
    if job.status != ExportJob.Status.DONE or not job.file_name:
        return None
    try:
        return exports_storage().open(job.file_name, "rb")
    except FileNotFoundError:
        return None
