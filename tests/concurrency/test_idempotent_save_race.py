"""Parallel retries of one save with one Idempotency-Key, under a one-result policy."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from api.models import ProviderUser, Result
from catalog.models import Questionnaire
from tests.api.conftest import answers_for
from tests.concurrency.test_registration_race import in_parallel
from tests.conftest import API

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_twins_all_get_the_one_result(require_postgres, make_provider):
    call_command("load_questionnaires", stdout=StringIO())
    main = Questionnaire.objects.get(kind="main")
    provider = make_provider(tests_policy="one_test")
    user_key = (
        Client()
        .get(API + "user/register", {"client": provider.client_key, "user_id": "u1"})
        .json()["user_key"]
    )
    body = json.dumps({"test": main.code, "user_key": user_key, "progress": answers_for(main)})
    replies: list[dict] = []

    def work(n: int) -> int:
        response = Client().post(
            API + "progress/save",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "retry-1"},
        )
        replies.append(response.json())
        return response.status_code

    statuses = in_parallel(12, work)

    result = Result.objects.get()
    assert statuses == [200] * 12
    assert all(reply == {"result_key": str(result.result_key)} for reply in replies)
    assert ProviderUser.objects.get(user_key=user_key).main_results == 1
