"""user/register's group: a new user gets it, a known one moves free of charge."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ProviderUser
from billing.models import AccessEntry
from tests.conftest import API, assert_error, assert_ledger_agrees

pytestmark = pytest.mark.django_db


def group_of(provider, user_id: str = "student-1") -> str:
    return ProviderUser.objects.get(provider=provider, user_id=user_id).group


def charges(provider) -> int:
    return AccessEntry.objects.filter(provider=provider, kind="charge").count()


def test_a_new_user_is_created_in_its_group_and_charged_once(call, prepaid_provider):
    response = call(
        "user/register", client=prepaid_provider.client_key, user_id="student-1", group="ИС-21"
    )

    assert response.json()["created"] is True
    assert group_of(prepaid_provider) == "ИС-21"
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 1
    assert charges(prepaid_provider) == 1
    assert_ledger_agrees(prepaid_provider)


def test_a_new_user_without_the_parameter_has_no_group(call, prepaid_provider):
    call("user/register", client=prepaid_provider.client_key, user_id="student-1")

    assert group_of(prepaid_provider) == ""


def test_re_registering_with_another_group_moves_the_student_and_charges_nothing(
    call, prepaid_provider
):
    key = prepaid_provider.client_key
    first = call("user/register", client=key, user_id="student-1", group="ИС-21").json()

    moved = call("user/register", client=key, user_id="student-1", group="ПК-22").json()

    assert moved == {"user_key": first["user_key"], "created": False}
    assert group_of(prepaid_provider) == "ПК-22"
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 1
    assert charges(prepaid_provider) == 1
    assert_ledger_agrees(prepaid_provider)


def test_a_move_is_allowed_when_the_limit_is_used_up(call, prepaid_provider):
    key = prepaid_provider.client_key
    for n in range(3):
        call("user/register", client=key, user_id=f"u{n}", group="ИС-21")

    response = call("user/register", client=key, user_id="u0", group="ПК-22")

    assert response.status_code == 200
    assert group_of(prepaid_provider, "u0") == "ПК-22"
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 3


def test_re_registering_without_the_parameter_keeps_the_group(call, prepaid_provider):
    key = prepaid_provider.client_key
    call("user/register", client=key, user_id="student-1", group="ИС-21")

    call("user/register", client=key, user_id="student-1")

    assert group_of(prepaid_provider) == "ИС-21"


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_group_takes_the_student_out_of_its_group(call, prepaid_provider, empty):
    key = prepaid_provider.client_key
    call("user/register", client=key, user_id="student-1", group="ИС-21")

    response = call("user/register", client=key, user_id="student-1", group=empty)

    assert response.json()["created"] is False
    assert group_of(prepaid_provider) == ""


def test_a_json_null_group_also_means_no_group(client, prepaid_provider):
    key = prepaid_provider.client_key
    body = {"client": key, "user_id": "student-1", "group": "ИС-21"}
    client.post(API + "user/register", json.dumps(body), content_type="application/json")

    body["group"] = None
    client.post(API + "user/register", json.dumps(body), content_type="application/json")

    assert group_of(prepaid_provider) == ""


def test_the_group_is_trimmed(call, prepaid_provider):
    call("user/register", client=prepaid_provider.client_key, user_id="student-1", group=" ИС-21 ")

    assert group_of(prepaid_provider) == "ИС-21"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_group_comes_by_query_or_form(call, prepaid_provider, method):
    call("user/register", method, client=prepaid_provider.client_key, user_id="s1", group="ПК-22")

    assert group_of(prepaid_provider, "s1") == "ПК-22"


def test_the_group_comes_in_a_json_body(client, prepaid_provider):
    body = json.dumps({"client": prepaid_provider.client_key, "user_id": "s1", "group": "ЭК-23"})

    response = client.post(API + "user/register", body, content_type="application/json")

    assert response.json()["created"] is True
    assert group_of(prepaid_provider, "s1") == "ЭК-23"


def test_a_group_of_64_characters_after_trimming_is_accepted(call, prepaid_provider):
    label = "Г" * 64

    response = call(
        "user/register", client=prepaid_provider.client_key, user_id="s1", group=f"  {label}  "
    )

    assert response.status_code == 200
    assert group_of(prepaid_provider, "s1") == label


def test_a_group_of_65_characters_is_refused_and_nothing_is_created(call, prepaid_provider):
    response = call(
        "user/register", client=prepaid_provider.client_key, user_id="s1", group="Г" * 65
    )

    assert_error(response, 400)
    message = response.json()["error"]["message"]
    assert '"group"' in message and "64" in message
    assert not ProviderUser.objects.exists()
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.issued_count == 0


def test_a_too_long_group_leaves_a_known_users_group_unchanged(call, prepaid_provider):
    key = prepaid_provider.client_key
    call("user/register", client=key, user_id="s1", group="ИС-21")

    response = call("user/register", client=key, user_id="s1", group="x" * 65)

    assert_error(response, 400)
    assert group_of(prepaid_provider, "s1") == "ИС-21"


@pytest.mark.parametrize("control", ["\n", "\r", "\x1b", "\x7f", "\x00"])
def test_a_control_character_in_the_group_is_refused(call, prepaid_provider, control):
    response = call(
        "user/register", client=prepaid_provider.client_key, user_id="s1", group=f"ИС{control}21"
    )

    assert_error(response, 400)
    assert '"group"' in response.json()["error"]["message"]
    assert not ProviderUser.objects.exists()


def test_a_number_is_taken_as_its_text(client, prepaid_provider):
    body = json.dumps({"client": prepaid_provider.client_key, "user_id": "s1", "group": 21})

    client.post(API + "user/register", body, content_type="application/json")

    assert group_of(prepaid_provider, "s1") == "21"


def test_moving_a_user_leaves_the_same_id_of_another_provider_alone(
    call, prepaid_provider, other_provider
):
    call("user/register", client=prepaid_provider.client_key, user_id="same", group="ИС-21")
    call("user/register", client=other_provider.client_key, user_id="same", group="ИС-21")

    call("user/register", client=prepaid_provider.client_key, user_id="same", group="ПК-22")

    assert group_of(prepaid_provider, "same") == "ПК-22"
    assert group_of(other_provider, "same") == "ИС-21"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("again", [{"group": "ИС-21"}, {}])
def test_a_known_user_in_the_same_group_or_without_the_parameter_costs_one_query(
    call, postpaid_provider, again
):
    key = postpaid_provider.client_key
    call("user/register", client=key, user_id="u1", group="ИС-21")

    with CaptureQueriesContext(connection) as queries:
        response = call("user/register", client=key, user_id="u1", **again)

    assert response.json()["created"] is False
    assert len(queries) == 1, "\n".join(q["sql"][:70] for q in queries)


@pytest.mark.django_db(transaction=True)
def test_moving_a_known_user_costs_at_most_two_queries_and_writes_no_ledger_row(
    call, postpaid_provider
):
    key = postpaid_provider.client_key
    call("user/register", client=key, user_id="u1", group="ИС-21")

    with CaptureQueriesContext(connection) as queries:
        response = call("user/register", client=key, user_id="u1", group="ПК-22")

    assert response.json()["created"] is False
    assert len(queries) <= 2, "\n".join(q["sql"][:70] for q in queries)
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "UPDATE"]
    assert group_of(postpaid_provider, "u1") == "ПК-22"
    assert charges(postpaid_provider) == 1
