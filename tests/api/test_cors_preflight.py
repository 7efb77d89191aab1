"""A partner's page may call test/get and progress/save from the browser: preflight and answers."""

import json
from urllib.parse import urlencode

import pytest

from tests.api.conftest import answers_for
from tests.conftest import API

pytestmark = pytest.mark.django_db

ORIGIN = "https://college.example"


@pytest.fixture
def provider(make_provider):
    return make_provider(tests_policy="unlimited", details={"allowed_origins": ORIGIN})


@pytest.fixture
def user_key(register, provider) -> str:
    return register(provider, "browser-user")


@pytest.fixture
def token(call, provider, user_key, main_test) -> str:
    response = call(
        "token/create", client=provider.client_key, user_key=user_key, test=main_test.code
    )
    return response.json()["access_token"]


def preflight(client, endpoint: str, origin: str | None = ORIGIN, **query):
    headers = {"Access-Control-Request-Method": "POST"}
    if origin:
        headers["Origin"] = origin
    # The test client's options() would send data as a body: a preflight has only a URL.
    return client.options(f"{API}{endpoint}?{urlencode(query)}", headers=headers)


def assert_allowed(response, origin: str = ORIGIN) -> None:
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == origin
    assert set(response["Access-Control-Allow-Methods"].split(", ")) >= {"GET", "POST"}
    headers = {h.lower() for h in response["Access-Control-Allow-Headers"].split(", ")}
    assert headers == {"content-type", "x-client-key", "idempotency-key"}
    assert int(response["Access-Control-Max-Age"]) > 0
    assert response["Vary"] == "Origin"


def assert_not_allowed(response) -> None:
    assert response.status_code == 204
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_a_preflight_for_a_token_of_the_origins_provider_is_allowed(client, token):
    assert_allowed(preflight(client, "test/get", access_token=token))


def test_a_preflight_from_another_origin_gets_no_cors_headers(client, token):
    assert_not_allowed(
        preflight(client, "test/get", origin="https://evil.example", access_token=token)
    )


def test_a_preflight_without_an_origin_gets_no_cors_headers(client, token):
    assert_not_allowed(preflight(client, "test/get", origin=None, access_token=token))


def test_a_preflight_for_a_save_finds_the_provider_by_user_key(client, user_key):
    assert_allowed(preflight(client, "progress/save", user_key=user_key))


def test_a_preflight_for_another_providers_user_is_not_allowed(client, user_key, make_provider):
    other = make_provider(name="Другой", details={"allowed_origins": "https://other.example"})

    assert other.origins == ["https://other.example"]
    assert_not_allowed(
        preflight(client, "progress/save", user_key=user_key, origin="https://other.example")
    )


def test_a_preflight_naming_nothing_is_allowed_for_an_origin_a_provider_lists(client, provider):
    assert_allowed(preflight(client, "test/get"))


def test_a_preflight_naming_nothing_from_an_unlisted_origin_gets_nothing(client, provider):
    assert_not_allowed(preflight(client, "progress/save", origin="https://evil.example"))


def test_the_origins_of_a_disabled_provider_are_not_listed(client, provider):
    provider.is_active = False
    provider.save()

    assert_not_allowed(preflight(client, "test/get"))


def test_a_json_post_to_test_get_carries_the_cors_headers(client, token):
    response = client.post(
        API + "test/get",
        json.dumps({"access_token": token}),
        content_type="application/json",
        headers={"Origin": ORIGIN},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response["Vary"] == "Origin"


def test_a_json_save_from_the_origin_carries_the_cors_headers(client, token, user_key, main_test):
    body = {"access_token": token, "user_key": user_key, "test": main_test.code}
    body["progress"] = answers_for(main_test)

    response = client.post(
        API + "progress/save",
        json.dumps(body),
        content_type="application/json",
        headers={"Origin": ORIGIN},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_refused_save_carries_them_too_so_the_page_reads_why(client, token, user_key, main_test):
    body = {"access_token": token, "user_key": user_key, "test": main_test.code, "progress": {}}

    response = client.post(
        API + "progress/save",
        json.dumps(body),
        content_type="application/json",
        headers={"Origin": ORIGIN},
    )

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_save_from_another_origin_gets_no_cors_header(client, user_key, main_test):
    response = client.post(
        API + "progress/save",
        {
            "user_key": user_key,
            "test": main_test.code,
            "progress": json.dumps(answers_for(main_test)),
        },
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert response["Vary"] == "Origin"


def test_other_endpoints_still_refuse_options(client, provider):
    response = client.options(API + "client/info", headers={"Origin": ORIGIN})

    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response
