"""Reads of the partner API: users, results and what a user may still take."""

import json
import math
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api import policies
from api.errors import ResultNotFound, UserNotFound
from api.models import ProviderUser, Result
from billing import keys
from billing.models import Provider
from billing.selectors import provider_usable
from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_current, questionnaires_current
from common.queries import unique_row


def user_get(user_key: UUID, client_key: str | None = None) -> ProviderUser:
    """The user with its provider in one query; with ``client_key``, only that provider's."""
    user = unique_row(ProviderUser.objects.select_related("provider").filter(user_key=user_key))
    if user is None:
        raise UserNotFound()
    if client_key is not None and user.provider.client_key_hash != keys.client_key_hash(client_key):
        raise UserNotFound()
    provider_usable(user.provider)
    return user


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


def questionnaire_summary(questionnaire: Questionnaire) -> dict:
    return {
        "code": questionnaire.code,
        "title": questionnaire.title,
        "kind": questionnaire.kind,
        "version": questionnaire.version,
    }


def user_tests(user: ProviderUser) -> dict:
    """What the tests policy still lets the user take, and what the user has taken."""
    policy = user.provider.tests_policy
    taken = {"main": user.main_results, "bonus": user.bonus_results}
    available = [
        questionnaire_summary(q)
        for q in questionnaires_offered(user.provider)
        if policies.may_take(policy, q.kind, taken[q.kind])
    ]
    passed = [
        {
            "test": result.questionnaire.code,
            "result_key": str(result.result_key),
            "created_at": result.created_at,
        }
        for result in user.results.select_related("questionnaire")
        .only("result_key", "created_at", "questionnaire__code")
        .order_by("created_at", "pk")
    ]
    return {"group": user.group, "available": available, "passed": passed}


@cache  # built once per process, not on every result/get
def _result_sql() -> str:
    quote = connection.ops.quote_name
    results, users = Result._meta.db_table, ProviderUser._meta.db_table
    tests = Questionnaire._meta.db_table
    columns = ", ".join(
        [
            *(f"r.{quote(c)}" for c in ("created_at", "scales", "outcome", "answers")),
            *(f"q.{quote(c)}" for c in ("code", "title", "version")),
            f"u.{quote('user_id')}",
        ]
    )
    return (
        f"SELECT {columns} FROM {quote(results)} r "
        f"JOIN {quote(users)} u ON u.{quote('id')} = r.{quote('user_id')} "
        f"JOIN {quote(tests)} q ON q.{quote('id')} = r.{quote('questionnaire_id')} "
        f"WHERE r.{quote('result_key')} = %s"
    )


def _json(value: Any) -> Any:
    # Django reads JSON columns as text on both backends and decodes them itself.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value: Any) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def result_data(result_key: UUID) -> dict:
    """A result as result/get returns it, in one query.

    Fixed SQL rather than the ORM: building the three-table query and its
    model instances cost several times the database round trip on the
    partner API's most repeated read (bench/README.md).
    """
    field = Result._meta.get_field("result_key")
    key = field.get_db_prep_value(result_key, connection, prepared=False)
    with connection.cursor() as cursor:
        cursor.execute(_result_sql(), [key])
        row = cursor.fetchone()
    if row is None:
        raise ResultNotFound()
    created_at, scales, outcome, answers, code, title, version, user_id = row
    return {
        "result_key": str(result_key),
        "test": code,
        "test_title": title,
        "test_version": version,
        "user_id": user_id,
        "created_at": _aware(created_at),
        "scales": _json(scales),
        "outcome": _json(outcome),
        "answers": _json(answers),
    }


def result_as_dict(result: Result) -> dict:
    return {
        "result_key": str(result.result_key),
        "test": result.questionnaire.code,
        "test_title": result.questionnaire.title,
        "test_version": result.questionnaire.version,
        "user_id": result.user.user_id,
        "created_at": result.created_at,
        "scales": result.scales,
        "outcome": result.outcome,
        "answers": result.answers,
    }


def client_users_page(provider: Provider, page: int, page_size: int, group: str = "") -> dict:
    """One page of the provider's users, oldest first, each with its results: 3 queries.

    A non-empty ``group`` keeps only that group's users (exact match).
    """
    users = ProviderUser.objects.filter(provider=provider)
    if group:
        users = users.filter(group=group)
    count = users.count()
    pages = max(1, math.ceil(count / page_size))
    start = (page - 1) * page_size
    results = (
        Result.objects.select_related("questionnaire")
        .only("result_key", "created_at", "outcome", "user_id", "questionnaire__code")
        .order_by("created_at", "pk")
    )
    page_users = (
        users.order_by("registered_at", "pk").prefetch_related(
            Prefetch("results", queryset=results)
        )[start : start + page_size]
        if start < count
        else []
    )
    items = [
        {
            "user_id": user.user_id,
            "user_key": str(user.user_key),
            "group": user.group,
            "registered_at": user.registered_at,
            "results": [
                {
                    "test": r.questionnaire.code,
                    "result_key": str(r.result_key),
                    "created_at": r.created_at,
                    "leading": r.outcome.get("leading", []),
                }
                for r in user.results.all()
            ],
        }
        for user in page_users
    ]
    return {"count": count, "page": page, "pages": pages, "items": items}
