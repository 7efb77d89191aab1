"""Reads of the partner API: users, results and what a user may still take."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api import policies
from api.errors import ClientKeyRequired, ResultNotFound, UserNotFound
from api.models import ProviderUser, Result
from billing.models import Provider
from billing.selectors import provider_state_check, provider_usable
from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_current, questionnaires_current
from common.queries import db_value, fetch_one, selected, unique_row


def user_get(user_key: UUID, provider: Provider | None = None) -> ProviderUser:
    """The user with its provider in one query, if the caller may use it.

    ``provider`` is the authenticated caller: another provider's user is
    not found. Without it (``user_key`` is a bearer key), the user's
    provider must not require its client key. A disabled provider's users
    are refused either way.
    """
    params = [db_value(ProviderUser, "user_key", user_key)]
    if provider is not None:
        params.append(provider.pk)
    row = fetch_one(_user_get_sql(provider is not None), params)
    if row is None:
        raise UserNotFound()
    users = selected(ProviderUser)
    user = users.load(row)
    user.provider = selected(Provider).load(row, len(users.attnames))
    provider_usable(user.provider)
    if provider is None and user.provider.require_client_key:
        raise ClientKeyRequired()
    return user


@cache
def _user_get_sql(of_provider: bool) -> str:
    """progress/save's lookup (every save), fixed: the statement the ORM's
    ``select_related("provider")`` would write."""
    users, providers = selected(ProviderUser), selected(Provider)
    # An erased user's key finds nothing: no new tokens or results for it.
    where = f"{users.column('erased_at')} IS NULL AND {users.column('user_key')} = %s"
    if of_provider:
        where += f" AND {users.column('provider_id')} = %s"
    return (
        f"SELECT {users.sql}, {providers.sql} FROM {users.table} "
        f"INNER JOIN {providers.table} "
        f"ON ({users.column('provider_id')} = {providers.column('id')}) "
        f"WHERE ({where}) LIMIT 1"
    )


class KnownUser(NamedTuple):
    pk: int
    user_key: UUID
    group: str


@dataclass(frozen=True)
class Registrant:
    """A provider and the ``user_id`` it registers, with the user if already known.

    ``provider`` may carry only ``id`` and ``is_active`` (the other fields
    deferred): that is all a registration needs, and what api.auth's one
    query reads.
    """

    provider: Provider
    user_id: str
    known: KnownUser | None


def registrant_get(provider: Provider, user_id: str) -> Registrant:
    """The registrant for callers that already hold the provider (commands, demo data)."""
    row = unique_row(
        ProviderUser.objects.filter(provider=provider, user_id=user_id).values_list(
            "pk", "user_key", "group"
        )
    )
    return Registrant(provider, user_id, None if row is None else KnownUser(*row))


def questionnaire_is_offered(provider: Provider, questionnaire: Questionnaire) -> bool:
    allowed = provider.allowed_tests
    return (not allowed or questionnaire.code in allowed) and policies.kind_offered(
        provider.tests_policy, questionnaire.kind
    )


def questionnaires_offered(provider: Provider) -> list[Questionnaire]:
    return [q for q in questionnaires_current() if questionnaire_is_offered(provider, q)]


def questionnaire_for_provider(provider: Provider, code: str) -> Questionnaire:
    """The current version of test ``code`` if this provider may use it."""
    questionnaire = questionnaire_current(code)
    if not questionnaire_is_offered(provider, questionnaire):
        raise QuestionnaireNotFound(code)
    return questionnaire


@dataclass(frozen=True)
class UserTests:
    user: ProviderUser
    available: list[Questionnaire]
    passed: list[Result]


def user_tests(user: ProviderUser) -> UserTests:
    """What the tests policy still lets the user take, and what the user has taken."""
    policy = user.provider.tests_policy
    taken = {"main": user.main_results, "bonus": user.bonus_results}
    available = [
        q
        for q in questionnaires_offered(user.provider)
        if policies.may_take(policy, q.kind, taken[q.kind])
    ]
    passed = list(
        # user_id too: the related manager sets each row's user from it, and a
        # deferred user_id cost one query per result.
        user.results.select_related("questionnaire")
        .only("result_key", "created_at", "user_id", "questionnaire__code")
        .order_by("created_at", "pk")
    )
    return UserTests(user, available, passed)


class ResultRow(NamedTuple):
    """A scored result with what its pages and result/get show (templates read it too)."""

    result_key: str
    test: str
    test_title: str
    test_version: int
    user_id: str
    created_at: datetime
    scales: list[dict[str, Any]]
    outcome: dict[str, Any]
    answers: dict[str, list[str]]


@cache  # built once per process, not on every result/get
def _result_sql() -> str:
    quote = connection.ops.quote_name
    results, users = Result._meta.db_table, ProviderUser._meta.db_table
    tests, providers = Questionnaire._meta.db_table, Provider._meta.db_table
    columns = ", ".join(
        [
            *(f"q.{quote(c)}" for c in ("code", "title", "version")),
            f"u.{quote('user_id')}",
            *(f"r.{quote(c)}" for c in ("created_at", "scales", "outcome", "answers")),
            *(f"p.{quote(c)}" for c in ("id", "is_active", "require_client_key")),
        ]
    )
    return (
        f"SELECT {columns} FROM {quote(results)} r "
        f"JOIN {quote(users)} u ON u.{quote('id')} = r.{quote('user_id')} "
        f"JOIN {quote(tests)} q ON q.{quote('id')} = r.{quote('questionnaire_id')} "
        f"JOIN {quote(providers)} p ON p.{quote('id')} = u.{quote('provider_id')} "
        f"WHERE r.{quote('result_key')} = %s"
    )


def _json(value: Any) -> Any:
    # Django reads JSON columns as text on both backends and decodes them itself.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value: Any) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def result_get(result_key: UUID, provider: Provider | None = None) -> ResultRow:
    """The result, if the caller may read it, in one query (the rules of ``user_get``).

    Fixed SQL rather than the ORM: building the four-table query and its
    model instances cost several times the database round trip on the
    partner API's most repeated read (bench/README.md).
    """
    field = Result._meta.get_field("result_key")
    key = field.get_db_prep_value(result_key, connection, prepared=False)
    with connection.cursor() as cursor:
        cursor.execute(_result_sql(), [key])
        row = cursor.fetchone()
    if row is None or (provider is not None and row[-3] != provider.pk):
        raise ResultNotFound()
    code, title, version, user_id, created_at, scales, outcome, answers = row[:-3]
    provider_state_check(bool(row[-2]))
    if provider is None and row[-1]:
        raise ClientKeyRequired()
    return ResultRow(
        str(result_key),
        code,
        title,
        version,
        user_id,
        _aware(created_at),
        _json(scales),
        _json(outcome),
        _json(answers),
    )


def result_row(result: Result) -> ResultRow:
    """The row of a result already loaded with its user and questionnaire."""
    return ResultRow(
        str(result.result_key),
        result.questionnaire.code,
        result.questionnaire.title,
        result.questionnaire.version,
        result.user.user_id,
        result.created_at,
        result.scales,
        result.outcome,
        result.answers,
    )


def client_users_page(provider: Provider, page: int, page_size: int, group: str = "") -> Page:
    """One page of the provider's users, oldest first, each with its results: 3 queries.

    A non-empty ``group`` keeps only that group's users (exact match). A
    page past the last one is empty rather than an error.
    """
    users = ProviderUser.objects.filter(provider=provider, erased_at__isnull=True)
    if group:
        users = users.filter(group=group)
    results = (
        Result.objects.select_related("questionnaire")
        .only("result_key", "created_at", "outcome", "user_id", "questionnaire__code")
        .order_by("created_at", "pk")
    )
    paginator = Paginator(
        users.order_by("registered_at", "pk").prefetch_related(
            Prefetch("results", queryset=results)
        ),
        page_size,
    )
    if page > paginator.num_pages:
        return Page([], page, paginator)
    return paginator.page(page)


def user_provider_origins(user_key: UUID) -> list[str]:
    """The allowed origins of the user's provider ([] for an unknown key)."""
    rows = ProviderUser.objects.filter(user_key=user_key).values_list("provider__allowed_origins")
    text = next(iter(rows), ("",))[0]
    return Provider(allowed_origins=text).origins


def origin_listed(origin: str) -> bool:
    """Whether some active provider lists ``origin`` among its allowed origins."""
    candidates = Provider.objects.filter(
        is_active=True, allowed_origins__icontains=origin
    ).values_list("allowed_origins", flat=True)
    wanted = origin.rstrip("/").lower()
    return any(
        wanted in {o.lower() for o in Provider(allowed_origins=text).origins} for text in candidates
    )
