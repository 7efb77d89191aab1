"""Excel export of a provider's filtered users and results.

Rows are streamed from the database (``iterator``) into openpyxl's
write-only workbook, which spools each sheet to a temporary file, so memory
stays flat however many results there are. pandas is not used here: a
DataFrame would hold the whole list in memory, which is exactly what
streaming avoids, and the typed-cell writers are per cell anyway.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from django.db.models import (
    Count,
    DateTimeField,
    F,
    Func,
    JSONField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook

from api.models import ProviderUser, Result
from billing.models import Provider
from billing.periods import MOSCOW
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition
from common.formatting import datetime_ru
from reports import selectors
from reports.analytics_sheets import write_analytics_sheets
from reports.filters import NO_GROUP, UserFilter
from reports.listing import users_listed
from reports.sheets import EXCEL_MAX_ROWS, Column, SheetStream, write_rows
from reports.vocabulary import Vocabulary

PROGRESS_EVERY = 1_000
CHUNK = 2_000

SUMMARY_SHEET = "Сводка"
USERS_SHEET = "Пользователи"
SUMMARY_COLUMNS = (
    Column("Тест", "text", 40),
    Column("Код", "text", 20),
    Column("Результатов", "int", 14),
    Column("Пользователей", "int", 15),
    Column("Первый результат", "datetime", 20),
    Column("Последний результат", "datetime", 20),
)
USER_COLUMNS = (
    Column("ID пользователя", "text", 24),
    Column("Группа", "text", 14),
    Column("Зарегистрирован", "datetime", 20),
    Column("Результатов", "int", 13),
    Column("Последний результат", "datetime", 20),
    Column("Ведущий тип (основной тест)", "text", 36),
)
RESULT_COLUMNS = (
    Column("ID пользователя", "text", 24),
    Column("Зарегистрирован", "datetime", 20),
    Column("Дата результата", "datetime", 20),
    Column("Версия", "int", 8),
    Column("Ведущий тип", "text", 36),
)


@dataclass(frozen=True)
class TestPart:
    code: str
    title: str
    results: int
    users: int
    first: datetime
    last: datetime
    scales: list[tuple[str, str]]  # (code, title) over every exported version
    versions: tuple[int, ...]  # primary keys of the exported versions


def export_results(
    provider: Provider, user_filter: UserFilter, vocabulary: Vocabulary | None = None
) -> QuerySet[Result]:
    results = Result.objects.filter(user__provider=provider).filter(user_filter.results_q())
    if user_filter.search:
        # The stored casefold: SQLite's LIKE would miss "КОВАЛЕНКО" for "коваленко".
        results = results.filter(user__user_id_folded__contains=user_filter.search.casefold())
    if user_filter.group:
        results = results.filter(
            user__group="" if user_filter.group == NO_GROUP else user_filter.group
        )
    if user_filter.leading or user_filter.level:
        # Decided per student by its latest result: the students the list shows.
        listed = export_users(provider, user_filter, vocabulary or selectors.vocabulary())
        results = results.filter(user__in=listed.values("pk"))
    return results


def export_users(
    provider: Provider, user_filter: UserFilter, vocabulary: Vocabulary
) -> QuerySet[ProviderUser]:
    """The users sheet's rows: the page's list, in the page's order."""
    return users_listed(provider, user_filter, vocabulary)


def export_size(provider: Provider, user_filter: UserFilter) -> int:
    """Rows the export will have: users plus results (the summary is negligible)."""
    vocabulary = selectors.vocabulary()
    return (
        export_users(provider, user_filter, vocabulary).count()
        + export_results(provider, user_filter, vocabulary).count()
    )


def export_tests(results: QuerySet[Result]) -> list[TestPart]:
    """Per test code: counts and the union of scale columns of its exported versions."""
    grouped = list(
        results.values("questionnaire_id")
        .annotate(n=Count("id"), users=Count("user", distinct=True))
        .annotate(first=Min("created_at"), last=Max("created_at"))
        .order_by()
    )
    per_code_users = dict(
        results.values_list("questionnaire__code")
        .annotate(users=Count("user", distinct=True))
        .order_by()
    )
    versions = Questionnaire.objects.filter(pk__in=[row["questionnaire_id"] for row in grouped])
    by_pk = {q.pk: q for q in versions}
    parts: dict[str, dict] = {}
    for row in sorted(grouped, key=lambda r: -by_pk[r["questionnaire_id"]].version):
        q = by_pk[row["questionnaire_id"]]
        part = parts.setdefault(
            q.code,
            {"title": q.title, "results": 0, "first": row["first"], "last": row["last"]},
        )
        part["results"] += row["n"]
        part.setdefault("versions", []).append(q.pk)
        part["first"], part["last"] = (
            min(part["first"], row["first"]),
            max(part["last"], row["last"]),
        )
        scales = part.setdefault("scales", {})
        for scale in questionnaire_definition(q).scales:
            scales.setdefault(scale.code, scale.title)
    return [
        TestPart(
            code=code,
            title=p["title"],
            results=p["results"],
            users=per_code_users[code],
            first=p["first"],
            last=p["last"],
            scales=list(p["scales"].items()),
            versions=tuple(p["versions"]),
        )
        for code, p in sorted(parts.items())
    ]


def users_xlsx(
    provider: Provider,
    user_filter: UserFilter,
    out: BinaryIO | str,
    *,
    max_rows: int = EXCEL_MAX_ROWS,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the workbook to ``out``; returns the number of data rows written."""
    vocabulary = selectors.vocabulary()
    results = export_results(provider, user_filter, vocabulary)
    tests = export_tests(results)
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    users_with_results = results.aggregate(n=Count("user", distinct=True))["n"]
    _summary(wb, taken, provider, user_filter, vocabulary, tests, users_with_results)
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if on_progress and written % PROGRESS_EVERY == 0:
            on_progress(written)

    users = SheetStream(wb, USERS_SHEET, USER_COLUMNS, taken, max_rows)
    for user in _users_rows(provider, user_filter, vocabulary):
        users.append(user)
        tick()
    users.close()

    for part in tests:
        columns = list(RESULT_COLUMNS)
        for _, title in part.scales:
            columns += [
                Column(f"{title}: балл", "number", 14),
                Column(f"{title}: уровень", "text", 18),
            ]
        sheet = SheetStream(wb, part.title, columns, taken, max_rows)
        for row in _results_rows(results, part):
            sheet.append(row)
            tick()
        sheet.close()
    write_analytics_sheets(wb, taken, provider, user_filter)
    wb.save(out)
    if on_progress:
        on_progress(written)
    return written


def _summary(
    wb: Workbook,
    taken: set[str],
    provider: Provider,
    user_filter: UserFilter,
    vocabulary: Vocabulary,
    tests: list[TestPart],
    users_with_results: int,
) -> None:
    rows = [[t.title, t.code, t.results, t.users, t.first, t.last] for t in tests]
    titles = {**vocabulary.titles, **{t.code: t.title for t in tests}}
    described = user_filter.describe(titles, vocabulary.scale_titles(user_filter.test))
    # The total and the notes sit under the table, outside its autofilter, and in
    # column A: a note in a date column would be read as that column's value.
    footer = [
        ["Итого", None, sum(t.results for t in tests), users_with_results, None, None],
        [],
        [f"Организация: {provider.name}"],
        [f"Фильтр: {described}"],
        [f"Сформировано: {datetime_ru(timezone.now())}"],
    ]
    write_rows(wb, SUMMARY_SHEET, SUMMARY_COLUMNS, rows, taken, footer)


def _users_rows(provider: Provider, user_filter: UserFilter, vocabulary: Vocabulary):
    matching = Result.objects.filter(user_filter.results_q(), user=OuterRef("pk"))
    # Subqueries rather than a GROUP BY: the list's own annotations (sort value,
    # leading type) would otherwise be grouped over for every student.
    counted = matching.order_by().values("user").annotate(n=Count("pk")).values("n")
    latest = matching.order_by("-created_at").values("created_at")[:1]
    users = export_users(provider, user_filter, vocabulary).annotate(
        n_results=Coalesce(Subquery(counted), 0),
        last_result=Subquery(latest),
    )
    rows = users.values_list(
        "user_id",
        "group",
        MoscowTime("registered_at"),
        "n_results",
        MoscowTime("last_result"),
        "main_titles",
    )
    for user_id, group, registered, n, last, titles in rows.iterator(chunk_size=CHUNK):
        yield [user_id, group, registered, n, last, ", ".join(titles or [])]


class MoscowTime(Func):
    """A time as naive Moscow wall-clock time, converted by PostgreSQL.

    Elsewhere the aware time is left as it is, and the sheet converts it
    (``reports.sheets``): in Python that cost 0.4 s of a 100,000-result export.
    """

    output_field = DateTimeField()

    def __init__(self, expression: str | Func) -> None:
        super().__init__(F(expression) if isinstance(expression, str) else expression)

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} AT TIME ZONE %s)", (*params, MOSCOW.key)


class ScaleScores(Func):
    """The codes, raw scores and bands of a result's scales: ``[[codes], [raws], [bands]]``.

    PostgreSQL reads them out of ``scales`` with one path query each, so that
    the interpretation texts (a few KB a result) never reach Python; three
    path queries took half as long as one ``jsonb_array_elements`` subquery
    building the triples. Other databases give ``scales`` itself, and
    ``_scale_scores`` picks the same values out of it.
    """

    output_field = JSONField()

    def __init__(self) -> None:
        super().__init__(F("scales"))

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        paths = ", ".join(
            f"jsonb_path_query_array({column}, '$[*].{key}')" for key in ("code", "raw", "band")
        )
        return f"jsonb_build_array({paths})", params * 3


def _scale_scores(extracted: list, pk: int) -> dict[str, tuple]:
    """Scale code -> (raw, band) of one result, from what ``ScaleScores`` gave."""
    if not extracted or isinstance(extracted[0], dict):  # the ``scales`` list itself
        return {s["code"]: (s.get("raw"), s.get("band")) for s in extracted}
    codes, raws, bands = extracted
    if len(codes) == len(raws) == len(bands):
        return dict(zip(codes, zip(raws, bands, strict=True), strict=True))
    # A path query skips a missing key, so the arrays no longer line up: the
    # whole ``scales`` of this one result tells which scale lacks what.
    scales = Result.objects.values_list("scales", flat=True).get(pk=pk)
    return _scale_scores(scales, pk)


def _results_rows(results: QuerySet[Result], part: TestPart) -> Iterator[list]:
    """The rows of a test's sheet: the base columns, then raw score and band per scale."""
    # By version keys, not by a join on the code: PostgreSQL then estimates the
    # rows from the results' own statistics. Joined on the code, it expected a
    # hundredth of them and, for the fast-start plan a server-side cursor asks
    # for, compared every user with every result (14 s instead of 26 ms for
    # 3,000 users and 9,000 results; quadratic beyond).
    rows = (
        results.filter(questionnaire_id__in=part.versions)
        .order_by("user__registered_at", "user_id", "created_at", "pk")
        .values_list(
            "pk",
            "user__user_id",
            MoscowTime("user__registered_at"),
            MoscowTime("created_at"),
            "questionnaire__version",
            KeyTransform("titles", "outcome"),
            ScaleScores(),
        )
    )
    codes = [code for code, _ in part.scales]
    absent = (None, None)
    for pk, user_id, registered, created, version, titles, extracted in rows.iterator(
        chunk_size=CHUNK
    ):
        scores = _scale_scores(extracted, pk)
        row = [user_id, registered, created, version, ", ".join(titles or ())]
        for code in codes:
            row += scores.get(code, absent)
        yield row
