"""Shipped questionnaires loaded for API tests, and answers built from their definitions."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.definition import definition_public
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition

MAIN = "career-interests"


@pytest.fixture
def tests_loaded(db) -> dict[str, Questionnaire]:
    call_command("load_questionnaires", stdout=StringIO())
    return {q.kind: q for q in Questionnaire.objects.all()}


@pytest.fixture
def main_test(tests_loaded) -> Questionnaire:
    return tests_loaded["main"]


@pytest.fixture
def bonus_test(tests_loaded) -> Questionnaire:
    return tests_loaded["bonus"]


def answers_for(questionnaire: Questionnaire, option: int = 0) -> dict[str, str | list[str]]:
    """Answer every item with its ``option``-th option (the first ones for multiple choice)."""
    public = definition_public(questionnaire_definition(questionnaire))
    answers: dict[str, str | list[str]] = {}
    for item in public["items"]:
        ids = [o["id"] for o in item["options"]]
        if item["type"] == "multiple":
            answers[item["id"]] = ids[: max(1, item.get("min_choices") or 1)]
        else:
            answers[item["id"]] = ids[option % len(ids)]
    return answers


@pytest.fixture
def register(call) -> Callable[..., str]:
    def register(provider, user_id: str = "student-1") -> str:
        response = call("user/register", client=provider.client_key, user_id=user_id)
        assert response.status_code == 200, response.content
        return response.json()["user_key"]

    return register
