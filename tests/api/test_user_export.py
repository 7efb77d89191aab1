"""user/export: everything stored about one user, as a data subject gets it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import AccessToken
from tests.api.personal_data import student_with_history, subscribe
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(postpaid_provider, main_test):
    subscribe(postpaid_provider)
    return student_with_history(postpaid_provider, main_test)


def export(call, provider, user_key: str, method: str = "get"):
    return call("user/export", method, client=provider.client_key, user_key=user_key)


def test_it_returns_the_registration(call, postpaid_provider, student):
    body = export(call, postpaid_provider, student.user_key).json()

    registration = body["registration"]
    assert registration["user_id"] == "ivanova@college.example"
    assert registration["user_key"] == student.user_key
    assert registration["group"] == "ИС-21"
    assert set(body) == {"exported_at", "registration", "results", "tokens", "events", "charges"}


def test_it_returns_each_result_as_result_get_does_with_its_answers(
    call, postpaid_provider, student
):
    body = export(call, postpaid_provider, student.user_key, "post").json()

    expected = call("result/get", result_key=student.result_key).json()
    assert body["results"] == [expected]
    assert expected["answers"]


def test_it_lists_the_tokens_without_their_values(call, postpaid_provider, student, main_test):
    body = export(call, postpaid_provider, student.user_key).json()

    redeemed, open_ = body["tokens"]
    assert redeemed["result_key"] == student.result_key and redeemed["redeemed_at"]
    assert open_["result_key"] is None and open_["redeemed_at"] is None
    assert {t["test"] for t in body["tokens"]} == {main_test.code}
    for token in AccessToken.objects.values_list("token", flat=True):
        assert str(token) not in str(body)


def test_it_includes_the_events_about_the_user_and_the_charge(call, postpaid_provider, student):
    body = export(call, postpaid_provider, student.user_key).json()

    [event] = body["events"]
    assert event["type"] == "result.saved"
    assert event["data"]["result_key"] == student.result_key
    assert event["data"]["user_id"] == "ivanova@college.example"
    assert len(body["charges"]) == 1


def test_it_leaves_out_other_users(call, postpaid_provider, main_test, student):
    student_with_history(postpaid_provider, main_test, "petrov@college.example")

    body = export(call, postpaid_provider, student.user_key).json()

    assert len(body["results"]) == 1 and len(body["tokens"]) == 2
    assert len(body["events"]) == 1 and len(body["charges"]) == 1
    assert "petrov" not in str(body)


def test_it_costs_six_queries_whatever_the_history(
    call, postpaid_provider, main_test, student, django_assert_num_queries
):
    # The client, the user, results, tokens, events and charges.
    with django_assert_num_queries(6):
        small = export(call, postpaid_provider, student.user_key).json()
    for _ in range(2):
        key = postpaid_provider.client_key
        token = call("token/create", client=key, user_key=student.user_key, test=main_test.code)
        assert token.status_code == 200

    with CaptureQueriesContext(connection) as queries:
        big = export(call, postpaid_provider, student.user_key).json()

    assert len(queries) == 6
    assert len(big["tokens"]) == len(small["tokens"]) + 2


def test_an_unknown_or_another_providers_user_is_a_404(
    call, postpaid_provider, other_provider, student
):
    assert_error(export(call, other_provider, student.user_key), 404)
    assert_error(export(call, postpaid_provider, "00000000-0000-4000-8000-000000000000"), 404)


def test_the_client_key_is_required(call, student):
    assert_error(call("user/export", user_key=student.user_key), 400)
