import pytest

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_it_describes_a_prepaid_client_with_its_counters(call, make_provider):
    provider = make_provider(
        name="Колледж",
        payment_policy="prepaid",
        access_limit=10,
        overdraft=2,
        tests_policy="test_plus_bonus",
    )
    for n in range(4):
        call("user/register", client=provider.client_key, user_id=f"u{n}")

    response = call("client/info", client=provider.client_key)

    assert response.status_code == 200
    assert response.json() == {
        "name": "Колледж",
        "payment_policy": "prepaid",
        "tests_policy": "test_plus_bonus",
        "issued": 4,
        "limit": 10,
        "overdraft": 2,
        "remaining": 8,
    }


def test_a_postpaid_client_has_no_limit_and_no_remaining(call, postpaid_provider):
    call("user/register", client=postpaid_provider.client_key, user_id="u1")

    body = call("client/info", "post", client=postpaid_provider.client_key).json()

    assert body["payment_policy"] == "postpaid"
    assert (body["issued"], body["limit"], body["remaining"]) == (1, None, None)


def test_the_response_is_utf8_not_escaped(call, prepaid_provider):
    response = call("client/info", client=prepaid_provider.client_key)

    assert "Ставропольский".encode() in response.content


def test_it_needs_the_client_parameter(call):
    assert_error(call("client/info"), 400, 'The required "client" parameter is missing.')


def test_an_unknown_client_is_404(call, prepaid_provider):
    assert_error(
        call("client/info", client="unknown"), 404, "Client not found with the provided token."
    )


def test_a_disabled_client_is_403(call, prepaid_provider):
    prepaid_provider.is_active = False
    prepaid_provider.save()

    assert_error(call("client/info", client=prepaid_provider.client_key), 403)
