"""A provider may require its client key on every call that names its users or results."""

import json

import pytest

from api.errors import ClientKeyRequired
from tests.api.conftest import answers_for
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

REQUIRED = ClientKeyRequired.default_message


@pytest.fixture
def strict(make_provider):
    return make_provider(
        name="Строгий колледж",
        tests_policy="unlimited",
        details={"require_client_key": True, "allowed_origins": "https://strict.example"},
    )


@pytest.fixture
def user_key(register, strict) -> str:
    return register(strict, "student-s")


def save(call, user_key: str, test, **extra):
    return call(
        "progress/save",
        test=test.code,
        user_key=user_key,
        progress=json.dumps(answers_for(test)),
        **extra,
    )


def test_the_setting_is_off_by_default(prepaid_provider):
    assert prepaid_provider.require_client_key is False


def test_a_save_without_the_key_is_a_400(call, user_key, main_test, strict):
    assert_error(save(call, user_key, main_test), 400, REQUIRED)
    assert not strict.users.get().results.exists()


def test_a_save_with_the_key_is_saved(call, user_key, main_test, strict):
    response = save(call, user_key, main_test, client=strict.client_key)

    assert response.status_code == 200
    assert strict.users.get().results.count() == 1


def test_reading_a_result_without_the_key_is_a_400(call, user_key, main_test, strict):
    result_key = save(call, user_key, main_test, client=strict.client_key).json()["result_key"]

    assert_error(call("result/get", result_key=result_key), 400, REQUIRED)
    assert call("result/get", result_key=result_key, client=strict.client_key).status_code == 200


def test_listing_a_users_tests_without_the_key_is_a_400(call, user_key, strict):
    assert_error(call("user/tests", user_key=user_key), 400, REQUIRED)
    assert call("user/tests", user_key=user_key, client=strict.client_key).status_code == 200


def test_the_message_says_how_to_send_the_key(call, user_key):
    message = call("user/tests", user_key=user_key).json()["error"]["message"]

    assert "X-Client-Key" in message and "client" in message


def test_a_token_still_opens_its_test_without_the_key(call, user_key, main_test, strict):
    token = call(
        "token/create", client=strict.client_key, user_key=user_key, test=main_test.code
    ).json()["access_token"]

    assert call("test/get", access_token=token).status_code == 200


def test_other_providers_keep_calls_without_the_key(call, register, prepaid_provider, strict):
    key = register(prepaid_provider, "student-p")

    assert call("user/tests", user_key=key).status_code == 200


def test_the_admin_shows_the_setting_in_russian(admin_client, strict):
    page = admin_client.get(f"/admin/billing/provider/{strict.pk}/change/").content.decode()

    assert "Требовать ключ клиента" in page
    assert "без ключа клиента отклоняются" in page
