"""Control characters in request headers: a 400 naming the header, before any view reads it."""

import json

import pytest

from api.models import ProviderUser, Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_key(prepaid_provider, register, tests_loaded) -> str:
    return register(prepaid_provider)


def save(client, main_test, user_key, **headers):
    body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}
    return client.post(
        API + "progress/save", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("character", ["\x00", "\x01", "\n", "\x1f", "\x7f"])
def test_it_refuses_a_control_character_in_the_idempotency_key(
    client, user_key, main_test, character
):
    response = save(client, main_test, user_key, **{"Idempotency-Key": f"try{character}1"})

    assert_error(response, 400, "The Idempotency-Key header contains a control character.")
    assert not Result.objects.exists()


def test_a_tab_in_the_idempotency_key_is_no_control_character(client, user_key, main_test):
    response = save(client, main_test, user_key, **{"Idempotency-Key": "try\t1"})

    assert response.status_code == 200, response.content


def test_it_refuses_a_nul_in_the_client_key_header(call, prepaid_provider):
    key = prepaid_provider.client_key

    response = call(
        "user/register", user_id="student", headers={"X-Client-Key": key[:3] + "\x00" + key[3:]}
    )

    assert_error(response, 400, "The X-Client-Key header contains a control character.")
    assert not ProviderUser.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [("user/register", "get"), ("client/info", "post"), ("test/list", "get"), ("no/such", "get")],
)
def test_it_refuses_a_nul_in_any_header_on_any_api_path(call, prepaid_provider, endpoint, method):
    response = call(
        endpoint,
        method,
        headers={"User-Agent": "curl\x00", "Accept": "application/json"},
        client=prepaid_provider.client_key,
        user_id="student",
    )

    assert_error(response, 400, "The User-Agent header contains a control character.")
    assert not ProviderUser.objects.exists()
