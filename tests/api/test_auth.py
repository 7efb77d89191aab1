"""The client key, read once (api/auth.py) from wherever the partner sends it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db

CLIENT_NOT_FOUND = "Client not found with the provided token."


def test_it_reads_the_key_from_the_x_client_key_header(client, prepaid_provider):
    response = client.get(
        API + "client/info", headers={"X-Client-Key": prepaid_provider.client_key}
    )

    assert response.status_code == 200
    assert response.json()["name"] == prepaid_provider.name


def test_it_reads_the_key_from_the_query_string(client, prepaid_provider):
    response = client.get(API + "client/info", {"client": prepaid_provider.client_key})

    assert response.json()["name"] == prepaid_provider.name


def test_it_reads_the_key_from_a_posted_form(client, prepaid_provider):
    response = client.post(API + "client/info", {"client": prepaid_provider.client_key})

    assert response.json()["name"] == prepaid_provider.name


def test_it_reads_the_key_from_a_json_body(client, prepaid_provider):
    response = client.post(
        API + "client/info",
        json.dumps({"client": prepaid_provider.client_key}),
        content_type="application/json",
    )

    assert response.json()["name"] == prepaid_provider.name


def test_the_header_stands_in_for_an_empty_client_parameter(client, prepaid_provider):
    response = client.get(
        API + "client/info",
        {"client": ""},
        headers={"X-Client-Key": prepaid_provider.client_key},
    )

    assert response.status_code == 200


def test_an_unknown_key_is_404_with_the_contracts_message(call):
    assert_error(call("test/list", client="made-up"), 404, CLIENT_NOT_FOUND)


def test_a_disabled_clients_key_is_403(call, prepaid_provider):
    prepaid_provider.is_active = False
    prepaid_provider.save()

    assert_error(call("token/create", client=prepaid_provider.client_key), 403)


def test_a_missing_key_is_a_400_naming_client(call):
    assert_error(call("client/users"), 400, 'The required "client" parameter is missing.')


def test_a_key_too_long_is_a_400_naming_client(call):
    response = call("client/info", client="k" * 201)

    assert_error(response, 400)
    assert '"client"' in response.json()["error"]["message"]


def test_the_key_is_read_before_the_other_parameters(call):
    assert_error(call("token/create", client="made-up", user_key="nope"), 404, CLIENT_NOT_FOUND)


def test_registering_a_known_user_is_one_query(call, prepaid_provider):
    call("user/register", client=prepaid_provider.client_key, user_id="u1")

    with CaptureQueriesContext(connection) as queries:
        response = call("user/register", client=prepaid_provider.client_key, user_id="u1")

    assert response.json()["created"] is False
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_registering_with_an_unknown_key_creates_nothing(call, prepaid_provider):
    assert_error(call("user/register", client="made-up", user_id="u1"), 404, CLIENT_NOT_FOUND)
    assert not prepaid_provider.users.exists()


def test_registering_with_a_disabled_clients_key_is_403(call, prepaid_provider):
    prepaid_provider.is_active = False
    prepaid_provider.save()

    assert_error(call("user/register", client=prepaid_provider.client_key, user_id="u1"), 403)


@pytest.fixture
def spec(client) -> dict:
    return client.get(API + "openapi.json").json()


def test_the_spec_has_one_scheme_for_the_header_and_one_for_the_query(spec):
    schemes = spec["components"]["securitySchemes"]

    assert {(s["type"], s["in"], s["name"]) for s in schemes.values()} == {
        ("apiKey", "header", "X-Client-Key"),
        ("apiKey", "query", "client"),
    }


def test_operations_that_need_the_key_accept_either_scheme(spec):
    for endpoint in ("user/register", "client/info", "client/users", "test/list", "token/create"):
        for operation in spec["paths"][API + endpoint].values():
            assert operation["security"] == [{"ClientKeyHeader": []}, {"ClientKeyQuery": []}]
            assert "client" not in {p["name"] for p in operation["parameters"]}


def test_operations_with_an_optional_key_also_accept_none(spec):
    for endpoint in ("progress/save", "result/get", "user/tests"):
        for operation in spec["paths"][API + endpoint].values():
            assert {} in operation["security"], endpoint
            assert {"ClientKeyHeader": []} in operation["security"], endpoint


def test_test_get_has_no_security(spec):
    for operation in spec["paths"][API + "test/get"].values():
        assert "security" not in operation
