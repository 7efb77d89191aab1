"""Parallel saves with one access token on a real PostgreSQL: exactly one result."""

import json

import pytest
from django.test import Client

from api.models import AccessToken, ProviderUser, Result
from tests.api.conftest import answers_for, load_shipped, user_with_token
from tests.concurrency.test_registration_race import in_parallel
from tests.conftest import API

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_parallel_saves_with_one_token_create_one_result(require_postgres, make_provider):
    main = load_shipped()["main"]
    provider = make_provider(tests_policy="unlimited")
    user_key, token = user_with_token(provider.client_key, main)
    params = {
        "test": main.code,
        "user_key": user_key,
        "access_token": token,
        "progress": json.dumps(answers_for(main)),
    }
    replies: list[tuple[int, dict]] = []

    def work(n: int) -> int:
        response = Client().get(API + "progress/save", params)
        replies.append((response.status_code, response.json()))
        return response.status_code

    statuses = in_parallel(20, work)

    result = Result.objects.get()
    assert set(statuses) <= {200, 409}
    for status, body in replies:
        if status == 200:
            assert body == {"result_key": str(result.result_key)}
        else:
            assert body["error"]["code"] == 409
    assert AccessToken.objects.get(token=token).result == result
    assert ProviderUser.objects.get(user_key=user_key).main_results == 1
