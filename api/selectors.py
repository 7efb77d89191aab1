"""Reads of the partner API: users, results and what a user may still take."""

import math
from uuid import UUID

from django.db.models import Prefetch

from api import policies
from api.exceptions import ResultNotFound, UserNotFound
from api.models import ProviderUser, Result
from billing import keys
from billing.models import Provider
from billing.selectors import provider_usable
from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_current, questionnaires_current


def user_get(user_key: UUID, client_key: str | None = None) -> ProviderUser:
    """The user with its provider in one query; with ``client_key``, only that provider's."""
    user = ProviderUser.objects.select_related("provider").filter(user_key=user_key).first()
    if user is None:
        raise UserNotFound()
    if client_key is not None and user.provider.client_key_hash != keys.client_key_hash(client_key):
        raise UserNotFound()
    provider_usable(user.provider)
    return user


def test_is_offered(provider: Provider, questionnaire: Questionnaire) -> bool:
    allowed = provider.allowed_tests
    return (not allowed or questionnaire.code in allowed) and policies.kind_offered(
        provider.tests_policy, questionnaire.kind
    )


def tests_offered(provider: Provider) -> list[Questionnaire]:
    return [q for q in questionnaires_current() if test_is_offered(provider, q)]


def test_for_provider(provider: Provider, code: str) -> Questionnaire:
    """The current version of test ``code`` if this provider may use it."""
    questionnaire = questionnaire_current(code)
    if not test_is_offered(provider, questionnaire):
        raise QuestionnaireNotFound(code)
    return questionnaire


def test_summary(questionnaire: Questionnaire) -> dict:
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
        test_summary(q)
        for q in tests_offered(user.provider)
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
    return {"available": available, "passed": passed}


def result_get(result_key: UUID) -> Result:
    result = (
        Result.objects.select_related("user", "questionnaire")
        .defer("questionnaire__definition")
        .filter(result_key=result_key)
        .first()
    )
    if result is None:
        raise ResultNotFound()
    return result


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


def client_users_page(provider: Provider, page: int, page_size: int) -> dict:
    """One page of the provider's users, oldest first, each with its results: 3 queries."""
    users = ProviderUser.objects.filter(provider=provider)
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
