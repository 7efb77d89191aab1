"""Shipped questionnaires loaded for API tests, and answers built from their definitions."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from catalog.definition import definition_public
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition
from tests.conftest import API

MAIN = "career-interests"


def load_shipped() -> dict[str, Questionnaire]:
    """Load the shipped questionnaires; returns them by kind (main, bonus)."""
    call_command("load_questionnaires", stdout=StringIO())
    return {q.kind: q for q in Questionnaire.objects.all()}


def user_with_token(client_key: str, test: Questionnaire, user_id: str = "u1") -> tuple[str, str]:
    """Register a user and issue it a token for ``test`` through the API: (user_key, token)."""
    http = Client()
    user_key = http.get(API + "user/register", {"client": client_key, "user_id": user_id}).json()[
        "user_key"
    ]
    token = http.get(
        API + "token/create", {"client": client_key, "user_key": user_key, "test": test.code}
    ).json()["access_token"]
    return user_key, token


@pytest.fixture
def tests_loaded(db) -> dict[str, Questionnaire]:
    return load_shipped()


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


@pytest.fixture
def openapi(client: Client) -> dict:
    """The partner API's OpenAPI document, as served."""
    response = client.get(API + "openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(openapi: dict) -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation in the document."""
    return [
        (path, method, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
    ]
