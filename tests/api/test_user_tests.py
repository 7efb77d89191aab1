import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


def codes(items) -> list[str]:
    return [item["code"] for item in items]


def test_a_new_user_may_take_every_offered_test(
    call, make_provider, register, main_test, bonus_test
):
    key = register(make_provider(tests_policy="test_plus_bonus"))

    body = call("user/tests", user_key=key).json()

    assert codes(body["available"]) == [main_test.code, bonus_test.code]
    assert body["available"][0] == {
        "code": main_test.code,
        "title": main_test.title,
        "kind": "main",
        "version": main_test.version,
    }
    assert body["passed"] == []


def test_it_returns_the_users_group(call, prepaid_provider, tests_loaded):
    key = prepaid_provider.client_key
    user_key = call("user/register", client=key, user_id="s1", group="ИС-21").json()["user_key"]
    before = call("user/tests", user_key=user_key).json()["group"]
    call("user/register", client=key, user_id="s1", group="ПК-22")

    after = call("user/tests", user_key=user_key).json()["group"]

    assert (before, after) == ("ИС-21", "ПК-22")


def test_a_user_without_a_group_has_an_empty_one(call, prepaid_provider, register, tests_loaded):
    key = register(prepaid_provider)

    assert call("user/tests", user_key=key).json()["group"] == ""


def test_a_taken_test_moves_from_available_to_passed(
    client, call, make_provider, register, main_test, bonus_test
):
    key = register(make_provider(tests_policy="test_plus_bonus"))
    saved = client.get(
        API + "progress/save",
        {"test": main_test.code, "user_key": key, "progress": json.dumps(answers_for(main_test))},
    ).json()

    body = call("user/tests", user_key=key).json()

    assert codes(body["available"]) == [bonus_test.code]
    assert len(body["passed"]) == 1
    assert body["passed"][0]["test"] == main_test.code
    assert body["passed"][0]["result_key"] == saved["result_key"]
    assert body["passed"][0]["created_at"]


def test_one_test_never_offers_a_bonus(call, make_provider, register, main_test):
    key = register(make_provider(tests_policy="one_test"))

    assert codes(call("user/tests", user_key=key).json()["available"]) == [main_test.code]


def test_unlimited_keeps_offering_taken_tests(
    client, call, make_provider, register, main_test, bonus_test
):
    key = register(make_provider(tests_policy="unlimited"))
    client.get(
        API + "progress/save",
        {"test": main_test.code, "user_key": key, "progress": json.dumps(answers_for(main_test))},
    )

    body = call("user/tests", user_key=key).json()

    assert codes(body["available"]) == [main_test.code, bonus_test.code]
    assert len(body["passed"]) == 1


def test_an_unknown_user_is_404(call, db):
    response = call("user/tests", user_key="00000000-0000-4000-8000-000000000000")

    assert_error(response, 404, "User not found with the provided key.")


def test_another_providers_client_is_404(
    call, prepaid_provider, other_provider, register, tests_loaded
):
    key = register(prepaid_provider)

    response = call("user/tests", user_key=key, client=other_provider.client_key)

    assert_error(response, 404, "User not found with the provided key.")


def test_it_costs_the_same_queries_for_one_result_and_for_five(
    client, call, make_provider, register, main_test
):
    provider = make_provider(tests_policy="unlimited")
    key = register(provider)
    progress = json.dumps(answers_for(main_test))

    def save() -> None:
        client.get(
            API + "progress/save", {"test": main_test.code, "user_key": key, "progress": progress}
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call("user/tests", user_key=key, client=provider.client_key).status_code == 200
        return len(queries)

    save()
    one = count()
    for _ in range(4):
        save()

    assert count() == one <= 4  # provider, user, current tests, results
