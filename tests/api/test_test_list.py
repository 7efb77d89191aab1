import pytest

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_it_lists_the_tests_the_contract_offers(call, make_provider, main_test, bonus_test):
    provider = make_provider(tests_policy="test_plus_bonus")

    body = call("test/list", client=provider.client_key).json()

    assert body == {
        "tests": [
            {"code": main_test.code, "title": main_test.title, "kind": "main", "version": 1},
            {"code": bonus_test.code, "title": bonus_test.title, "kind": "bonus", "version": 1},
        ]
    }


def test_one_test_lists_main_tests_only(call, make_provider, main_test, bonus_test):
    provider = make_provider(tests_policy="one_test")

    tests = call("test/list", client=provider.client_key).json()["tests"]

    assert [t["kind"] for t in tests] == ["main"]


def test_the_allowed_set_restricts_the_list(call, make_provider, main_test, bonus_test):
    provider = make_provider(tests_policy="unlimited")
    provider.allowed_tests = [bonus_test.code]
    provider.save()

    tests = call("test/list", client=provider.client_key).json()["tests"]

    assert [t["code"] for t in tests] == [bonus_test.code]


def test_an_unknown_client_is_404(call, tests_loaded):
    assert_error(call("test/list", client="nope"), 404, "Client not found with the provided token.")
