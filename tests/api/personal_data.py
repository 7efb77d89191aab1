"""A student with a whole history, built through the API: what erasure and export act on."""

import json
from dataclasses import dataclass

from django.test import Client

from billing.models import Provider
from catalog.models import Questionnaire
from events import signing
from events.models import WebhookEndpoint
from tests.api.conftest import answers_for
from tests.conftest import API


@dataclass(frozen=True)
class Student:
    user_id: str
    user_key: str
    result_key: str
    access_token: str


def subscribe(provider: Provider) -> WebhookEndpoint:
    """An endpoint for result.saved, so saved results leave events behind."""
    return WebhookEndpoint.objects.create(
        provider=provider,
        url="https://partner.example/hooks",
        events=["result.saved"],
        secret=signing.secret_generate(),
    )


def student_with_history(
    provider: Provider, test: Questionnaire, user_id: str = "ivanova@college.example"
) -> Student:
    """Registered in a group, a token redeemed by a saved result, and an open token."""
    http = Client(headers={"X-Client-Key": provider.client_key})

    def ok(endpoint: str, **params) -> dict:
        response = http.post(API + endpoint, params)
        assert response.status_code == 200, response.content
        return response.json()

    user_key = ok("user/register", user_id=user_id, group="ИС-21")["user_key"]
    token = ok("token/create", user_key=user_key, test=test.code)["access_token"]
    result_key = ok(
        "progress/save",
        user_key=user_key,
        test=test.code,
        access_token=token,
        progress=json.dumps(answers_for(test)),
    )["result_key"]
    open_token = ok("token/create", user_key=user_key, test=test.code)["access_token"]
    return Student(user_id, user_key, result_key, open_token)
