import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ProviderUser
from billing.models import AccessEntry
from tests.conftest import API, assert_error, assert_ledger_agrees

pytestmark = pytest.mark.django_db

CLIENT_NOT_FOUND = "Client not found with the provided token."


def charges(provider) -> int:
    return AccessEntry.objects.filter(provider=provider, kind="charge").count()


def test_it_registers_a_new_user_and_charges_one_access(call, prepaid_provider):
    response = call("user/register", client=prepaid_provider.client_key, user_id="student-1")

    assert response.status_code == 200
    body = response.json()
    user = ProviderUser.objects.get(provider=prepaid_provider, user_id="student-1")
    assert body == {"user_key": str(user.user_key), "created": True}
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 1
    entry = AccessEntry.objects.get(provider=prepaid_provider, kind="charge")
    assert (entry.quantity, entry.reference) == (1, str(user.user_key))
    assert_ledger_agrees(prepaid_provider)


def test_a_repeated_registration_returns_the_same_key_and_charges_nothing(call, prepaid_provider):
    first = call("user/register", client=prepaid_provider.client_key, user_id="student-1").json()
    second = call("user/register", client=prepaid_provider.client_key, user_id="student-1").json()

    assert second == {"user_key": first["user_key"], "created": False}
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 1
    assert charges(prepaid_provider) == 1


def test_it_refuses_a_new_user_when_the_prepaid_limit_is_reached(call, prepaid_provider):
    for n in range(3):
        assert (
            call("user/register", client=prepaid_provider.client_key, user_id=f"u{n}").status_code
            == 200
        )

    response = call("user/register", client=prepaid_provider.client_key, user_id="one-too-many")

    assert_error(response, 412)
    assert "limit" in response.json()["error"]["message"]
    assert not ProviderUser.objects.filter(user_id="one-too-many").exists()
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 3
    assert charges(prepaid_provider) == 3
    assert_ledger_agrees(prepaid_provider)


def test_a_known_user_is_returned_even_when_the_limit_is_used_up(call, prepaid_provider):
    keys = [
        call("user/register", client=prepaid_provider.client_key, user_id=f"u{n}").json()
        for n in range(3)
    ]

    response = call("user/register", client=prepaid_provider.client_key, user_id="u0")

    assert response.status_code == 200
    assert response.json() == {"user_key": keys[0]["user_key"], "created": False}


def test_overdraft_lets_the_counter_pass_the_limit_by_exactly_the_overdraft(call, make_provider):
    provider = make_provider(payment_policy="prepaid", access_limit=2, overdraft=2)

    statuses = [
        call("user/register", client=provider.client_key, user_id=f"u{n}").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 412]
    provider.refresh_from_db()
    assert provider.issued_count == 4
    assert provider.remaining == 0
    assert_ledger_agrees(provider)


def test_a_postpaid_provider_is_never_refused(call, postpaid_provider):
    for n in range(30):
        response = call("user/register", client=postpaid_provider.client_key, user_id=f"u{n}")
        assert response.status_code == 200

    postpaid_provider.refresh_from_db()
    assert postpaid_provider.issued_count == 30
    assert charges(postpaid_provider) == 30
    assert_ledger_agrees(postpaid_provider)


def test_a_disabled_provider_is_refused(call, prepaid_provider):
    prepaid_provider.is_active = False
    prepaid_provider.save()

    response = call("user/register", client=prepaid_provider.client_key, user_id="u1")

    assert_error(response, 403)
    assert "disabled" in response.json()["error"]["message"]
    assert not ProviderUser.objects.exists()


def test_an_unknown_client_key_is_404(call, prepaid_provider):
    assert_error(call("user/register", client="nope", user_id="u1"), 404, CLIENT_NOT_FOUND)


@pytest.mark.parametrize(
    ("params", "missing"),
    [
        ({"user_id": "u1"}, "client"),
        ({"client": "", "user_id": "u1"}, "client"),
        ({"client": "KEY"}, "user_id"),
        ({"client": "KEY", "user_id": ""}, "user_id"),
        ({"client": "KEY", "user_id": "   "}, "user_id"),
    ],
)
def test_a_missing_or_empty_parameter_is_named(call, prepaid_provider, params, missing):
    params = {k: (prepaid_provider.client_key if v == "KEY" else v) for k, v in params.items()}

    response = call("user/register", **params)

    assert_error(response, 400, f'The required "{missing}" parameter is missing.')


def test_a_user_id_longer_than_255_characters_is_refused(call, prepaid_provider):
    response = call("user/register", client=prepaid_provider.client_key, user_id="x" * 256)

    assert_error(response, 400)
    message = response.json()["error"]["message"]
    assert '"user_id"' in message and "255" in message
    assert not ProviderUser.objects.exists()


def test_a_user_id_of_exactly_255_characters_is_accepted(call, prepaid_provider):
    response = call("user/register", client=prepaid_provider.client_key, user_id="x" * 255)

    assert response.status_code == 200


def test_the_client_key_may_come_in_the_header(call, prepaid_provider):
    response = call(
        "user/register", headers={"X-Client-Key": prepaid_provider.client_key}, user_id="u1"
    )

    assert response.status_code == 200


def test_it_accepts_a_form_post(call, prepaid_provider):
    response = call("user/register", "post", client=prepaid_provider.client_key, user_id="u1")

    assert response.json()["created"] is True


def test_it_accepts_a_json_post_with_a_numeric_user_id(client, prepaid_provider):
    body = json.dumps({"client": prepaid_provider.client_key, "user_id": 42})

    response = client.post(API + "user/register", body, content_type="application/json")

    assert response.status_code == 200
    assert ProviderUser.objects.get().user_id == "42"


def test_a_malformed_json_body_is_400(client, prepaid_provider):
    response = client.post(API + "user/register", "{nope", content_type="application/json")

    assert_error(response, 400, "The request body is not valid JSON.")


def test_users_of_two_providers_with_the_same_id_are_distinct(
    call, prepaid_provider, other_provider
):
    a = call("user/register", client=prepaid_provider.client_key, user_id="same").json()
    b = call("user/register", client=other_provider.client_key, user_id="same").json()

    assert a["user_key"] != b["user_key"]
    assert ProviderUser.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_known_user_costs_at_most_two_queries(call, postpaid_provider):
    call("user/register", client=postpaid_provider.client_key, user_id="u1")

    with CaptureQueriesContext(connection) as queries:
        response = call("user/register", client=postpaid_provider.client_key, user_id="u1")

    assert response.status_code == 200
    assert len(queries) <= 2, "\n".join(q["sql"][:70] for q in queries)


@pytest.mark.django_db(transaction=True)
def test_a_new_user_costs_at_most_six_queries(call, postpaid_provider):
    with CaptureQueriesContext(connection) as queries:
        response = call("user/register", client=postpaid_provider.client_key, user_id="u1")

    assert response.json()["created"] is True
    assert len(queries) <= 6, "\n".join(q["sql"][:70] for q in queries)
