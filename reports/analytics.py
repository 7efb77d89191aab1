"""Staff analytics of one test over a period, aggregated with pandas.

Each frame is read with ONE query whatever the number of results: PostgreSQL
(or SQLite) keeps each student's latest result of the test in the period
(a window function) and pulls the array of raw scores out of the ``scales``
JSON in one call per row, so the 5 KB of interpretation texts per result
never reach Python; each band is looked up from its raw score in the
result's own definition version, as scoring chose it. pandas then does the
counting; the page and the Excel export receive plain dataclasses.

Students are counted, not results: a student who took the test twice in the
period counts once, with the latest result.
"""

import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from api.models import AccessToken, ProviderUser, Result
from billing.models import Provider
from catalog.definition import Definition
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition, questionnaires_current
from reports.analytics_filters import AnalyticsFilter
from reports.wording import duration_ru

# Under this many students a group's mean says more about the students than the group.
MIN_STUDENTS = 5
UNUSED_LINKS_SHOWN = 50
# How students without a group are shown; they are grouped under "" so that a
# partner's group that happens to be called so is not merged with them.
NO_GROUP_LABEL = "Без группы"
# Rows fetched at a time while the frame is read.
CHUNK = 2_000


@dataclass(frozen=True)
class ScaleInfo:
    code: str
    title: str
    bands: tuple[str, ...]  # labels from the lowest band up


@dataclass(frozen=True)
class Versions:
    code: str
    title: str
    pks: tuple[int, ...]
    scales: tuple[ScaleInfo, ...]  # the newest version's order, then older versions' extras
    definitions: dict[int, Definition]  # by version pk

    @property
    def width(self) -> int:
        return max((len(d.scales) for d in self.definitions.values()), default=0)


def questionnaire_versions(code: str) -> Versions | None:
    """Every stored version of a test (results keep the version they were scored with)."""
    rows = list(Questionnaire.objects.filter(code=code).order_by("-version"))
    if not rows:
        return None
    definitions: dict[int, Definition] = {q.pk: questionnaire_definition(q) for q in rows}
    scales: dict[str, ScaleInfo] = {}
    for definition in definitions.values():
        for scale in definition.scales:
            bands = tuple(band.label for band in scale.bands)
            scales.setdefault(scale.code, ScaleInfo(scale.code, scale.title, bands))
    return Versions(
        code=code,
        title=rows[0].title,
        pks=tuple(definitions),
        scales=tuple(scales.values()),
        definitions=definitions,
    )


def default_test(provider: Provider) -> str:
    """The first main test (by code) the provider has results for, else the first main test."""
    used = Result.objects.filter(user__provider=provider, questionnaire__code=OuterRef("code"))
    rows = (
        Questionnaire.objects.filter(kind=Questionnaire.Kind.MAIN, is_published=True)
        .annotate(used=Exists(used))
        .order_by("-used", "code")
        .values_list("code", flat=True)[:1]
    )
    return next(iter(rows), "")


def latest_results(provider: Provider, versions: Versions, f: AnalyticsFilter) -> QuerySet:
    latest_first = Window(
        RowNumber(), partition_by=[F("user_id")], order_by=[F("created_at").desc(), F("pk").desc()]
    )
    return (
        Result.objects.filter(user__provider=provider, questionnaire_id__in=versions.pks)
        .filter(f.created_q("created_at"))
        .annotate(rank=latest_first)
        .filter(rank=1)
    )


class ScaleRaws(Func):
    """The raw score of every scale of a result, as one JSON array text: '[4, 3, 5, 2, 6]'.

    One call per row: PostgreSQL decompresses a compressed ``scales`` value again
    for every expression that reads it, so ten key lookups per row (raw and
    band of five scales) took about 2.5 times as long (0.5 s against 0.2 s of
    extraction for 31,000 results).
    """

    output_field = TextField()

    def __init__(self, field: str, width: int) -> None:
        super().__init__(F(field))
        self.width = width

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"jsonb_path_query_array({column}, '$[*].raw')::text", params

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        paths = ", ".join(f"'$[{i}].raw'" for i in range(self.width))
        # With two paths or more, json_extract answers a JSON array of the values.
        if self.width == 1:
            return f"json_array(json_extract({column}, {paths}))", params
        return f"json_extract({column}, {paths})", params


def results_frame(provider: Provider, versions: Versions, f: AnalyticsFilter) -> pd.DataFrame:
    """One row per student: user, group, leading (codes), raw:<code>, band:<code>.

    The band is not read from the JSON but looked up from the raw score in the
    result's own version of the definition, exactly as scoring chose it.
    """
    latest = latest_results(provider, versions, f).values("pk")
    rows = (
        Result.objects.filter(pk__in=latest)
        .annotate(
            a_group=F("user__group"),
            a_leading=Cast(KT("outcome__leading"), TextField()),
            a_raws=ScaleRaws("scales", versions.width),
        )
        # No created_at: nothing counts by it once the latest result is chosen, and
        # parsing 14,000 timestamps cost 70 ms a page.
        .values_list("user_id", "a_group", "questionnaire_id", "a_leading", "a_raws")
    )
    return _by_scale_code(_columns(rows, versions.width), versions)


def _columns(rows: QuerySet, width: int) -> pd.DataFrame:
    """user, group, version, leading (codes), and the raw array as float columns 0 … width-1.

    Read in chunks into columns rather than as a list of row tuples: each
    student's group and leading types are the one shared object of their kind,
    and the raw scores are floats at once, not JSON text. The frame of 31,000
    students took 25 MB at its peak as rows; the export holds it while writing.
    """
    users, groups, versions, leading = [], [], [], []
    raws: list[list[float | None]] = [[] for _ in range(width)]
    shared_groups: dict[str, str] = {}
    shared_leading: dict[str | None, list[str]] = {}
    for user, group, version, leading_text, raws_text in rows.iterator(chunk_size=CHUNK):
        users.append(user)
        groups.append(shared_groups.setdefault(group, group))
        versions.append(version)
        codes = shared_leading.get(leading_text)
        if codes is None:
            codes = shared_leading[leading_text] = _codes(leading_text)
        leading.append(codes)
        # PostgreSQL's path query returns a short array for a short ``scales`` (SQLite
        # pads it with nulls): the missing positions are NaN, not a KeyError and a 500.
        values = json.loads(raws_text) if raws_text else []
        for i, column in enumerate(raws):
            column.append(values[i] if i < len(values) else None)
    frame = pd.DataFrame(
        {"user": users, "group": groups, "version": versions, "leading": leading},
        columns=["user", "group", "version", "leading"],
    )
    for i, column in enumerate(raws):
        frame[i] = pd.Series(column, index=frame.index, dtype="float64")
    return frame


def _by_scale_code(frame: pd.DataFrame, versions: Versions) -> pd.DataFrame:
    """The raw positions turned into a column per scale code, per result version, and bands."""
    out = frame[["user", "group", "leading"]].copy()
    for scale in versions.scales:
        out[f"raw:{scale.code}"] = pd.Series(float("nan"), index=frame.index, dtype="float64")
        out[f"band:{scale.code}"] = pd.Series(None, index=frame.index, dtype="object")
    for pk, definition in versions.definitions.items():
        mask = frame["version"] == pk
        if not mask.any():
            continue
        for i, scale in enumerate(definition.scales):
            raw = frame.loc[mask, i]
            bands = {value: scale.band_for(value).label for value in raw.dropna().unique()}
            out.loc[mask, f"raw:{scale.code}"] = raw
            out.loc[mask, f"band:{scale.code}"] = raw.map(bands)
    return out


def _codes(text: str | None) -> list[str]:
    # The leading codes arrive as JSON text ('["art", "people"]'): slugs, so no escapes.
    if not text:
        return []
    return [part.strip().strip('"') for part in text.strip("[]").split(",") if part.strip()]


# -- what the pages and the workbook show -------------------------------------------


@dataclass(frozen=True)
class Level:
    label: str
    students: int
    share: float  # percent of the students with this scale


@dataclass(frozen=True)
class ScaleSummary:
    code: str
    title: str
    students: int
    mean: float | None
    median: float | None
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class GroupCell:
    code: str  # of the scale or leading type
    students: int  # behind the value
    value: float | None  # a mean (group × scale) or a percent (group × leading type)

    @property
    def few(self) -> bool:
        return self.students < MIN_STUDENTS


@dataclass(frozen=True)
class GroupRow:
    group: str  # "" for the students without a group
    students: int
    means: tuple[GroupCell, ...]  # per scale, in ResultsAnalytics.scales order
    leading: tuple[GroupCell, ...]  # per leading type: its students, percent of the group's

    @property
    def label(self) -> str:
        return self.group or NO_GROUP_LABEL

    @property
    def few(self) -> bool:
        return self.students < MIN_STUDENTS


@dataclass(frozen=True)
class ResultsAnalytics:
    test: str
    title: str
    period: str
    students: int
    scales: tuple[ScaleSummary, ...]
    leading_types: tuple[tuple[str, str], ...]  # (code, title) of scales that can lead
    groups: tuple[GroupRow, ...]
    # (title, students it leads for) per scale, in the test's order; a tie counts the
    # student for each of its leading types.
    leading: tuple[tuple[str, int], ...] = ()

    @property
    def has_few_groups(self) -> bool:
        return any(row.few for row in self.groups)


def results_analytics(provider: Provider, f: AnalyticsFilter) -> ResultsAnalytics | None:
    """Distribution, mean and median per scale, and the group tables: two queries."""
    versions = questionnaire_versions(f.test)
    if versions is None:
        return None
    frame = results_frame(provider, versions, f)
    return analytics_of(frame, versions, f)


def analytics_of(frame: pd.DataFrame, versions: Versions, f: AnalyticsFilter) -> ResultsAnalytics:
    scales = tuple(_scale_summary(frame, scale) for scale in versions.scales)
    leading_types = _leading_types(frame, versions)
    return ResultsAnalytics(
        test=versions.code,
        title=versions.title,
        period=f.describe_period(),
        students=len(frame),
        scales=scales,
        leading_types=leading_types,
        groups=_group_rows(frame, versions, [code for code, _ in leading_types]),
        leading=_leading_counts(frame, versions),
    )


def _number(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _scale_summary(frame: pd.DataFrame, scale: ScaleInfo) -> ScaleSummary:
    raw = frame[f"raw:{scale.code}"].dropna()
    counts = frame[f"band:{scale.code}"].value_counts()
    students = int(counts.sum())
    # Band labels of older versions that the newest one lacks still get their row.
    labels = list(scale.bands) + [label for label in counts.index if label not in scale.bands]
    levels = tuple(
        Level(
            label=label,
            students=int(counts.get(label, 0)),
            share=100 * int(counts.get(label, 0)) / students if students else 0.0,
        )
        for label in labels
    )
    return ScaleSummary(
        code=scale.code,
        title=scale.title,
        students=len(raw),
        mean=_number(raw.mean()),
        median=_number(raw.median()),
        levels=levels,
    )


def _leading_types(frame: pd.DataFrame, versions: Versions) -> tuple[tuple[str, str], ...]:
    """Scales that lead in some result, in the test's scale order."""
    seen = set(frame["leading"].explode().dropna())
    return tuple((s.code, s.title) for s in versions.scales if s.code in seen) + tuple(
        (code, code) for code in sorted(seen - {s.code for s in versions.scales})
    )


def _leading_counts(frame: pd.DataFrame, versions: Versions) -> tuple[tuple[str, int], ...]:
    if frame.empty:
        return ()
    counts = frame["leading"].explode().dropna().value_counts()
    if counts.empty:
        return ()
    known = {s.code for s in versions.scales}
    return tuple((s.title, int(counts.get(s.code, 0))) for s in versions.scales) + tuple(
        (code, int(n)) for code, n in sorted(counts.items()) if code not in known
    )


def _group_order(groups: pd.Index) -> list[str]:
    return sorted(groups, key=lambda g: (g == "", g.casefold()))


def _group_rows(
    frame: pd.DataFrame, versions: Versions, leading: list[str]
) -> tuple[GroupRow, ...]:
    if frame.empty:
        return ()
    by_group = frame.groupby("group")
    sizes = by_group.size()
    raw_columns = [f"raw:{s.code}" for s in versions.scales]
    means = by_group[raw_columns].mean()
    counts = by_group[raw_columns].count()
    # A tie names several leading types: the student counts for each of them.
    mentions = frame[["group", "leading"]].explode("leading").dropna()
    table = pd.crosstab(mentions["group"], mentions["leading"])
    rows = []
    for group in _group_order(sizes.index):
        students = int(sizes[group])
        rows.append(
            GroupRow(
                group=group,
                students=students,
                means=tuple(
                    GroupCell(
                        s.code,
                        int(counts.at[group, f"raw:{s.code}"]),
                        _number(means.at[group, f"raw:{s.code}"]),
                    )
                    for s in versions.scales
                ),
                leading=tuple(
                    GroupCell(code, n, 100 * n / students)
                    for code, n in ((c, _leading_count(table, group, c)) for c in leading)
                ),
            )
        )
    return tuple(rows)


def _leading_count(table: pd.DataFrame, group: str, code: str) -> int:
    if group not in table.index or code not in table.columns:
        return 0
    return int(table.at[group, code])


# -- completion funnel and unused links ------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    registered: int
    linked: int  # a link on record, or already a result
    completed: int

    def share(self, n: int) -> float:
        return 100 * n / self.registered if self.registered else 0.0

    @property
    def linked_share(self) -> float:
        return self.share(self.linked)

    @property
    def completed_share(self) -> float:
        return self.share(self.completed)


def completion_funnel(provider: Provider, f: AnalyticsFilter) -> Funnel:
    """Students registered in the period: how many got a link to the test, how many took it.

    Tokens are purged once expired (``purge_expired_tokens``), so a link issued
    more than a day ago is on record only through the result it produced: a
    student with a result counts as having had a link. One query: two flags per
    student, summed by pandas.
    """
    versions = _version_pks(f.test)
    users = ProviderUser.objects.filter(provider=provider, erased_at__isnull=True).filter(
        f.created_q("registered_at")
    )
    # Uncorrelated IN lists: PostgreSQL hashes each once instead of probing per student.
    # No result predates its student's registration, so the period bounds the scan too.
    completed = Result.objects.filter(
        questionnaire_id__in=versions, user__in=users.values("pk")
    ).filter(AnalyticsFilter(f.test, f.date_from).created_q("created_at"))
    linked = AccessToken.objects.filter(provider=provider, questionnaire_id__in=versions)
    flags = pd.DataFrame.from_records(
        list(
            users.annotate(
                a_took=_flag(Q(pk__in=completed.values("user_id"))),
                a_linked=_flag(Q(pk__in=linked.values("user_id"))),
            ).values_list("a_took", "a_linked")
        ),
        columns=["took", "linked"],
        coerce_float=False,
    ).astype(bool)
    counts = {
        "registered": len(flags),
        "linked": int((flags["took"] | flags["linked"]).sum()),
        "completed": int(flags["took"].sum()),
    }
    return Funnel(**counts)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _version_pks(code: str) -> QuerySet:
    # A subquery, not a list: no query of its own.
    return Questionnaire.objects.filter(code=code).values("pk")


@dataclass(frozen=True)
class UnusedLink:
    user_id: str
    group: str
    issued_at: datetime  # the student's oldest unused link
    expires_at: datetime  # when the newest of them expires
    links: int
    age: str  # "3 дня"
    expired: bool


@dataclass(frozen=True)
class UnusedLinks:
    shown: tuple[UnusedLink, ...]  # oldest first, at most UNUSED_LINKS_SHOWN
    total: int  # students


def unused_links(
    provider: Provider, f: AnalyticsFilter, now: datetime | None = None
) -> UnusedLinks:
    """Students given a link to the test in the period who have not taken the test since."""
    now = now or timezone.now()
    versions = _version_pks(f.test)
    taken_since = Result.objects.filter(
        user=OuterRef("user"), questionnaire_id__in=versions, created_at__gte=OuterRef("created_at")
    )
    tokens = (
        AccessToken.objects.filter(
            provider=provider, questionnaire_id__in=versions, redeemed_at__isnull=True
        )
        .filter(f.created_q("created_at"))
        .exclude(Exists(taken_since))
    )
    rows = (
        tokens.values("user_id", "user__user_id", "user__group")
        .annotate(first=Min("created_at"), last_expiry=Max("expires_at"), links=Count("pk"))
        .order_by("first", "user_id")[:UNUSED_LINKS_SHOWN]
    )
    shown = tuple(
        UnusedLink(
            user_id=row["user__user_id"],
            group=row["user__group"] or NO_GROUP_LABEL,
            issued_at=row["first"],
            expires_at=row["last_expiry"],
            links=row["links"],
            age=duration_ru((now - row["first"]).total_seconds()),
            expired=row["last_expiry"] <= now,
        )
        for row in rows
    )
    return UnusedLinks(shown=shown, total=tokens.values("user_id").distinct().count())


# -- per page ---------------------------------------------------------------------------


def analytics_test_choices() -> list[tuple[str, str]]:
    """(code, title) of the current tests, main ones first."""
    return [(q.code, q.title) for q in questionnaires_current()]


@dataclass(frozen=True)
class DashboardAnalytics:
    filter: AnalyticsFilter
    test: ResultsAnalytics | None
    funnel: Funnel
    unused: UnusedLinks


def dashboard_analytics(provider: Provider, f: AnalyticsFilter) -> DashboardAnalytics:
    """The dashboard's analytics sections: five queries whatever the data size."""
    return DashboardAnalytics(
        filter=f,
        test=results_analytics(provider, f),
        funnel=completion_funnel(provider, f),
        unused=unused_links(provider, f),
    )
