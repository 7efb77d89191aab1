"""A provider's users and results answer to that provider's key only, and not while disabled."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db

USER_NOT_FOUND = "User not found with the provided key."
RESULT_NOT_FOUND = "Result not found with the provided key."


@pytest.fixture
def user_key(register, prepaid_provider) -> str:
    return register(prepaid_provider, "student-a")


@pytest.fixture
def result_key(call, user_key, main_test) -> str:
    response = call(
        "progress/save",
        test=main_test.code,
        user_key=user_key,
        progress=json.dumps(answers_for(main_test)),
    )
    return response.json()["result_key"]


@pytest.fixture
def token(call, prepaid_provider, user_key, main_test) -> str:
    response = call(
        "token/create", client=prepaid_provider.client_key, user_key=user_key, test=main_test.code
    )
    return response.json()["access_token"]


def disable(provider) -> None:
    provider.is_active = False
    provider.save()


def test_another_providers_key_does_not_read_a_result(call, result_key, other_provider):
    response = call("result/get", result_key=result_key, client=other_provider.client_key)

    assert_error(response, 404, RESULT_NOT_FOUND)


def test_the_owners_key_reads_its_result(client, result_key, prepaid_provider):
    response = client.get(
        API + "result/get",
        {"result_key": result_key},
        headers={"X-Client-Key": prepaid_provider.client_key},
    )

    assert response.status_code == 200
    assert response.json()["user_id"] == "student-a"


def test_another_providers_key_does_not_read_a_result_as_html(call, result_key, other_provider):
    response = call(
        "result/get", result_key=result_key, format="html", client=other_provider.client_key
    )

    assert_error(response, 404, RESULT_NOT_FOUND)


def test_another_providers_key_does_not_list_a_users_tests(call, user_key, other_provider):
    response = call("user/tests", user_key=user_key, client=other_provider.client_key)

    assert_error(response, 404, USER_NOT_FOUND)


def test_another_providers_key_does_not_save_for_a_user(call, user_key, other_provider, main_test):
    response = call(
        "progress/save",
        test=main_test.code,
        user_key=user_key,
        progress=json.dumps(answers_for(main_test)),
        client=other_provider.client_key,
    )

    assert_error(response, 404, USER_NOT_FOUND)


@pytest.mark.django_db(transaction=True)
def test_a_scoped_result_get_costs_two_queries(client, result_key, prepaid_provider):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            API + "result/get", {"result_key": result_key, "client": prepaid_provider.client_key}
        )

    assert response.status_code == 200
    assert len(queries) == 2


def test_a_disabled_providers_result_is_refused(call, result_key, prepaid_provider):
    disable(prepaid_provider)

    assert_error(call("result/get", result_key=result_key), 403)


def test_a_disabled_providers_user_is_refused(call, user_key, prepaid_provider):
    disable(prepaid_provider)

    assert_error(call("user/tests", user_key=user_key), 403)


def test_a_disabled_providers_user_saves_nothing(call, user_key, prepaid_provider, main_test):
    disable(prepaid_provider)

    response = call(
        "progress/save",
        test=main_test.code,
        user_key=user_key,
        progress=json.dumps(answers_for(main_test)),
    )

    assert_error(response, 403)
    assert not prepaid_provider.users.get().results.exists()


def test_a_disabled_providers_token_opens_no_test(call, token, prepaid_provider):
    disable(prepaid_provider)

    assert_error(call("test/get", access_token=token), 403)


def test_a_disabled_providers_token_opens_no_player(client, token, prepaid_provider):
    disable(prepaid_provider)

    response = client.get(f"/partner/v2/play/{token}/")

    assert response.status_code == 403
    assert "недоступен" in response.content.decode()


def test_a_disabled_providers_key_is_refused_everywhere(call, prepaid_provider):
    disable(prepaid_provider)

    for endpoint in ("client/info", "client/users", "test/list", "token/create", "user/tests"):
        assert_error(call(endpoint, client=prepaid_provider.client_key), 403)
